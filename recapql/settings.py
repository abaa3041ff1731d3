"""recapql's configuration: one frozen object, read from `RECAPQL_*` variables.

Nothing reads the environment but `Settings.from_env`; everything else is handed
the settings it needs. Tests build `Settings(...)` directly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import platformdirs

from seed import DEFAULT_SEED

T = TypeVar("T")
PREFIX = "RECAPQL_"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


def default_store_path() -> Path:
    """The embedded default store: a file in the user's data directory."""
    return platformdirs.user_data_path("recapql") / "store.json"


class SettingsError(ValueError):
    """A configuration value that cannot be used: names the variable, value and expectation."""

    def __init__(self, variable: str, value: str, expected: str) -> None:
        super().__init__(f"{variable}={value!r}: expected {expected}")
        self.variable = variable
        self.value = value
        self.expected = expected


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the data is, where to listen, and what to serve."""

    store_path: Path = field(default_factory=default_store_path)
    seed_path: Path = DEFAULT_SEED
    host: str = "127.0.0.1"
    port: int = 8000
    graphiql: bool = True
    log_level: str = "info"

    @property
    def uses_default_store(self) -> bool:
        """True when the store is the embedded default, which recapql may rebuild from the seed."""
        return self.store_path == default_store_path() and self.seed_path == DEFAULT_SEED

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from `RECAPQL_*` variables; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            store_path=_read(env, "STORE", _path, "a file path", defaults.store_path),
            seed_path=_read(env, "SEED", _path, "a file path", defaults.seed_path),
            host=_read(env, "HOST", _non_empty, "a host name or address", defaults.host),
            port=_read(env, "PORT", _port, "a port number from 1 to 65535", defaults.port),
            graphiql=_read(env, "GRAPHIQL", _boolean, "true or false", defaults.graphiql),
            log_level=_read(env, "LOG_LEVEL", _log_level, " or ".join(LOG_LEVELS), defaults.log_level),
        )


def _read(env: Mapping[str, str], name: str, parse: Callable[[str], T], expected: str, default: T) -> T:
    variable = PREFIX + name
    raw = env.get(variable)
    if raw is None:
        return default
    try:
        return parse(raw.strip())
    except ValueError:
        raise SettingsError(variable, raw, expected) from None


def _non_empty(raw: str) -> str:
    if not raw:
        raise ValueError(raw)
    return raw


def _path(raw: str) -> Path:
    return Path(_non_empty(raw)).expanduser()


def _port(raw: str) -> int:
    port = int(raw)
    if not 1 <= port <= 65535:
        raise ValueError(raw)
    return port


def _boolean(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise ValueError(raw)


def _log_level(raw: str) -> str:
    if raw.lower() not in LOG_LEVELS:
        raise ValueError(raw)
    return raw.lower()
