"""The `recapql` command run as a user runs it: a child process, with an environment of our own."""

from __future__ import annotations

import subprocess
import sys

from tests.support.live_server import clean_environment


def recapql(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command in a child process, never touching the user's default store."""
    return subprocess.run(
        [sys.executable, "-m", "recapql", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean_environment(**(env or {})),
        timeout=60,
        check=False,
    )
