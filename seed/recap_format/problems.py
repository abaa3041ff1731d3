"""What an import found wrong with a recap file: errors stop it, warnings do not; each names its line.

Printed as compilers print them (`recaps/kubecon.md:42: …`), so an editor can jump to the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class RecapProblem:
    """One problem in a recap file: where it is (1-based line) and what was expected there."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class InvalidRecap(Exception):
    """A recap file that cannot be imported: every error found (and the warnings, for completeness)."""

    def __init__(self, errors: Sequence[RecapProblem], warnings: Sequence[RecapProblem] = ()) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = tuple(errors)
        self.warnings = tuple(warnings)
