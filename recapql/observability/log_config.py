"""Logging: JSON lines for log collectors, plain text on a terminal, the same in every worker.

The configuration is a `logging.config.dictConfig` dictionary handed to uvicorn, which applies
it in each worker process it starts (a configuration made in the parent would not reach them).
Uvicorn's own access log is off: `recapql.access` logs each request once, with more facts.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import logging.config
import sys
from typing import Any

import orjson

from recapql.observability.request_facts import RequestFacts

_RESERVED = frozenset(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request facts and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name in _RESERVED or name.startswith("_") or name in ("message", "color_message"):
                continue
            if isinstance(value, RequestFacts):
                line.update(dataclasses.asdict(value))
                line["duration_ms"] = round(line.pop("duration") * 1000, 3)
            else:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


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
            "text": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
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
