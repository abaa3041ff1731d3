"""Logging: JSON lines for log collectors, plain text on a terminal, the same in every worker.

The configuration is a `logging.config.dictConfig` dictionary handed to uvicorn, which applies
it in each worker process it starts (a configuration made in the parent would not reach them).
Uvicorn's own access log is off: `recapql.access` logs each request once, with more facts.

Neither format lets a client forge a line: JSON escapes every control character, and the text
format writes them escaped (a newline in a path or an operation name as `\n`) and indents
every line of a traceback, so a line that starts at the margin always starts a record.
"""

from __future__ import annotations

import dataclasses
import logging
import logging.config
import operator
import re
import sys
import time
from typing import Any

import orjson

from recapql.observability.request_facts import RequestFacts

_RESERVED = frozenset(vars(logging.makeLogRecord({})))
TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators some viewers break on.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CONTINUATION = "    "


def escape_controls(text: str) -> str:
    """`text` with every control character written as an escape (`\\n`, `\\x1b`, `\\u2028`): one line."""
    return _CONTROL.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


class TextFormatter(logging.Formatter):
    """Plain text for people, one line per record; tracebacks follow on indented lines.

    What the record says is escaped, so a newline a client put in a path or an operation name
    cannot start a forged line; a traceback's own lines are escaped one by one and indented.
    """

    def __init__(self, fmt: str = TEXT_FORMAT, datefmt: str | None = None) -> None:
        super().__init__(fmt, datefmt)
        self._second: tuple[int, str] = (-1, "")  # the last second formatted, and its text

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """`logging.Formatter`'s local time (`2026-12-01 17:52:29,123`), its second formatted once per second."""
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        second, text = self._second
        if int(record.created) != second:
            second = int(record.created)
            text = time.strftime(self.default_time_format, self.converter(second))
            self._second = (second, text)
        return f"{text},{int(record.msecs):03d}"  # logging.Formatter.default_msec_format

    def formatMessage(self, record: logging.LogRecord) -> str:
        return escape_controls(super().formatMessage(record))

    def formatException(self, ei: Any) -> str:
        return _indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _indented(super().formatStack(stack_info))


def _indented(text: str) -> str:
    return "\n".join(_CONTINUATION + escape_controls(line) for line in text.split("\n"))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request facts and any exception.

    It runs for every request at `info`, so it builds the line's dictionary directly: the
    request facts read off their slots in one call (`dataclasses.asdict` deep-copied each value,
    and cost more than the rest of the line), the time's second formatted once per second,
    and the record's extra attributes found with one set difference.
    """

    def __init__(self, fmt: str | None = None, datefmt: str | None = None) -> None:
        super().__init__(fmt, datefmt)
        self._second: tuple[int, str] = (-1, "")  # the last second formatted, and its text

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self._time(record),
            "level": _LEVEL_NAMES.get(record.levelname) or record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        extras = record.__dict__.keys() - _NOT_EXTRAS
        if extras:
            for name in [name for name in record.__dict__ if name in extras] if len(extras) > 1 else extras:
                value = record.__dict__[name]
                if name.startswith("_"):
                    continue
                if isinstance(value, RequestFacts):
                    line.update(zip(_FACT_NAMES, _facts_of(value), strict=False))
                    line["duration_ms"] = round(value.duration * 1000, 3)
                else:
                    line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()

    def _time(self, record: logging.LogRecord) -> str:
        """`record.created` in ISO 8601, UTC, to the millisecond (as `datetime.isoformat` writes it)."""
        second, text = self._second
        if int(record.created) != second:
            second = int(record.created)
            text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = (second, text)  # one assignment: a thread sees the old pair or the new one
        return f"{text}.{int(record.msecs):03d}+00:00"


_NOT_EXTRAS = _RESERVED | {"message", "asctime", "color_message"}  # what formatters add
_LEVEL_NAMES = {name: name.lower() for name in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")}
# Every field of the request facts, as named there, but the duration: it is logged in milliseconds.
_FACT_NAMES = tuple(field.name for field in dataclasses.fields(RequestFacts) if field.name != "duration")
_facts_of = operator.attrgetter(*_FACT_NAMES)


def uses_json(log_format: str) -> bool:
    """`auto` means JSON unless standard error is a terminal, where people read it."""
    if log_format == "auto":
        return not sys.stderr.isatty()
    return log_format == "json"


def logging_config(level: str, log_format: str) -> dict[str, Any]:
    """The dictConfig for `level` and `log_format` (auto, json or text)."""
    formatter = "json" if uses_json(log_format) else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "recapql.observability.log_config.JsonFormatter"},
            "text": {"()": "recapql.observability.log_config.TextFormatter"},
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": formatter, "stream": "ext://sys.stderr"}
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            # Uvicorn's loggers carry their own handlers; send them through ours instead.
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
        },
    }


def configure_logging(level: str, log_format: str) -> None:
    logging.config.dictConfig(logging_config(level, log_format))
