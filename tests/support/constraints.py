"""constraints.txt read as {normalized package name: version}, for the tests that check it."""

from __future__ import annotations

import re

from tests.support.repository import ROOT

CONSTRAINTS = ROOT / "constraints.txt"


def normalized(name: str) -> str:
    """A package name as PyPI compares them (PEP 503): `Strawberry_GraphQL` is `strawberry-graphql`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    found = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            found[normalized(name)] = version.strip()
    return found
