"""A recap's days: the fixed frame every other record of it hangs from."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from store import RecapIndex
from store.records import Day


def list_days(index: RecapIndex) -> Sequence[Day]:
    """The event's days, ordered by date."""
    return index.days


def get_day(index: RecapIndex, date: datetime.date) -> Day | None:
    return index.day_by_date.get(date)
