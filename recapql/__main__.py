"""`python -m recapql` runs the command line."""

from __future__ import annotations

from recapql.cli import main

main()
