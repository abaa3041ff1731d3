"""Warnings that may recur thousands of times a second, logged at most once in a while, with a count.

A client (or an attacker) can make the server refuse, time out or ignore something on every
request; a line for each would flood the log. A `Notice` logs its first occurrence, then at most
one line every `NOTICE_SECONDS`, saying how many happened since the last line.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger("recapql.serving")

# How often a repeated warning (refusals at the cap, requests timed out) may be logged.
NOTICE_SECONDS = 10.0


class Notice:
    """A warning that may recur thousands of times a second: logged at most once per `every` seconds, with a count."""

    SUFFIX = " (%d of these since the last such line)"

    def __init__(self, message: str, every: float = NOTICE_SECONDS) -> None:
        self.message = message
        self.every = every
        self.count = 0
        self.next_at = 0.0

    def due(self) -> int:
        """Count one more; how many to report now (0: not yet)."""
        self.count += 1
        now = time.monotonic()
        if now < self.next_at:
            return 0
        count, self.count, self.next_at = self.count, 0, now + self.every
        return count

    def __call__(self, *args: object) -> None:
        if count := self.due():
            logger.warning(self.message + self.SUFFIX, *args, count)
