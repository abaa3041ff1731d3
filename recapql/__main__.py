"""`python -m recapql` runs the command line."""

from recapql.cli import main

main()
