"""Many growable arrays stored as one flat numpy array plus offsets: the postings layout.

An index with one array object per word would spend more on the objects than on the postings
of its rare words; one flat array keeps a posting at the size of its values.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt


def flat(arrays: Sequence[array[Any]], dtype: type[np.generic]) -> npt.NDArray[Any]:
    """The arrays one after another; row i is `flat[offsets[i]:offsets[i + 1]]`."""
    # The empty array first keeps the type when there is nothing to concatenate.
    return np.concatenate([np.empty(0, dtype), *(np.frombuffer(values, dtype) for values in arrays)])


def offsets(arrays: Sequence[array[Any]]) -> npt.NDArray[np.int64]:
    """Where each array starts in `flat(arrays)`, plus where the last one ends."""
    return np.cumsum([0, *(len(values) for values in arrays)], dtype=np.int64)
