"""recapql's configuration: one frozen object, read from `RECAPQL_*` variables.

Nothing reads the environment but `Settings.from_env`; everything else is handed the
settings it needs. Tests build `Settings(...)` directly. Every field names its variable
in its metadata, so the variable table (README, `to_env`) cannot drift from the fields.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import platformdirs

from seed import DEFAULT_SEED

PREFIX = "RECAPQL_"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
LOG_FORMATS = ("auto", "json", "text")
ENVIRONMENTS = ("development", "production")
Environment = Literal["development", "production"]
LogFormat = Literal["auto", "json", "text"]


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


def _non_empty(raw: str) -> str:
    if not raw:
        raise ValueError(raw)
    return raw


def _path(raw: str) -> Path:
    return Path(_non_empty(raw)).expanduser()


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        number = int(raw)
        if not low <= number <= high:
            raise ValueError(raw)
        return number

    return parse


def _boolean(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise ValueError(raw)


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw.lower() not in choices:
            raise ValueError(raw)
        return raw.lower()

    return parse


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip())
    if any(not origin.startswith(("http://", "https://")) for origin in origins):
        raise ValueError(raw)
    return origins


def _setting(default: Any, variable: str, parse: Callable[[str], Any], expected: str, help_: str) -> Any:
    """A settings field read from `RECAPQL_<variable>`, with what it means for the README."""
    metadata = {"variable": PREFIX + variable, "parse": parse, "expected": expected, "help": help_}
    if isinstance(default, Path) or callable(default):
        factory = default if callable(default) else (lambda: default)
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


_WHOLE = "a whole number from {} to {}"
_BOOL = "true or false"
_AUTO = "true, false, or unset (then: true in development, false in production)"


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the data is, where to listen, what to serve, and the limits every request meets."""

    env: Environment = _setting(
        "development", "ENV", _one_of(ENVIRONMENTS), "development or production",
        "production turns introspection, GraphiQL and suggestions off unless set",
    )  # fmt: skip
    store_path: Path = _setting(default_store_path, "STORE", _path, "a file path", "the store file")
    seed_path: Path = _setting(
        DEFAULT_SEED, "SEED", _path, "a file path", "the recap file the default store is built from"
    )
    host: str = _setting("127.0.0.1", "HOST", _non_empty, "a host name or address", "interface to listen on")
    port: int = _setting(8000, "PORT", _int_in(1, 65535), "a port number from 1 to 65535", "port to listen on")
    workers: int = _setting(1, "WORKERS", _int_in(1, 64), _WHOLE.format(1, 64), "server processes (uvicorn's)")
    default_recap: str | None = _setting(
        None,
        "DEFAULT_RECAP",
        _non_empty,
        "a recap's slug",
        "the recap lookups answer from (default: the first imported)",
    )
    max_connections: int = _setting(
        1000, "MAX_CONNECTIONS", _int_in(1, 1_000_000), _WHOLE.format(1, 1_000_000),
        "open connections per server process (503 past it)",
    )  # fmt: skip
    header_timeout: int = _setting(
        10, "HEADER_TIMEOUT", _int_in(1, 3600), _WHOLE.format(1, 3600),
        "seconds a connection has to send a request's head",
    )  # fmt: skip
    body_timeout: int = _setting(
        30, "BODY_TIMEOUT", _int_in(1, 3600), _WHOLE.format(1, 3600), "seconds a request has to send its body"
    )
    graphiql: bool | None = _setting(
        None, "GRAPHIQL", _boolean, _BOOL, "serve GraphiQL at /graphql (default: as introspection)"
    )
    introspection: bool | None = _setting(None, "INTROSPECTION", _boolean, _AUTO, "answer __schema and __type")
    suggestions: bool | None = _setting(None, "SUGGESTIONS", _boolean, _AUTO, "'Did you mean …?' in errors")
    log_level: str = _setting("info", "LOG_LEVEL", _one_of(LOG_LEVELS), " or ".join(LOG_LEVELS), "log level")
    log_format: LogFormat = _setting(
        "auto", "LOG_FORMAT", _one_of(LOG_FORMATS), "auto, json or text", "auto: text on a terminal, else JSON lines"
    )
    max_depth: int = _setting(6, "MAX_DEPTH", _int_in(1, 100), _WHOLE.format(1, 100), "deepest field nesting")
    max_aliases: int = _setting(15, "MAX_ALIASES", _int_in(0, 1000), _WHOLE.format(0, 1000), "aliases per document")
    max_tokens: int = _setting(
        1000, "MAX_TOKENS", _int_in(1, 100_000), _WHOLE.format(1, 100_000), "tokens per document"
    )
    max_directives: int = _setting(
        50, "MAX_DIRECTIVES", _int_in(0, 1000), _WHOLE.format(0, 1000), "directives per document"
    )
    max_cost: int = _setting(
        5000, "MAX_COST", _int_in(1, 10_000_000), _WHOLE.format(1, 10_000_000), "fields resolved per query (estimated)"
    )
    max_document_chars: int = _setting(
        15_000, "MAX_DOCUMENT_CHARS", _int_in(1, 1_000_000), _WHOLE.format(1, 1_000_000), "characters per document"
    )
    max_body_bytes: int = _setting(
        100_000, "MAX_BODY_BYTES", _int_in(1, 10_000_000), _WHOLE.format(1, 10_000_000), "bytes per request body"
    )
    cors_origins: tuple[str, ...] = _setting(
        (), "CORS_ORIGINS", _origins, "comma-separated http(s) origins", "origins allowed to call from a browser"
    )
    csrf_prevention: bool = _setting(
        False, "CSRF_PREVENTION", _boolean, _BOOL, "demand a preflight-forcing header on GET and non-JSON POST"
    )
    response_cache_mb: int = _setting(
        32, "RESPONSE_CACHE_MB", _int_in(0, 10_000), _WHOLE.format(0, 10_000),
        "response cache memory, keys and bookkeeping included (0: off)",
    )  # fmt: skip
    cache_max_age: int = _setting(
        60, "CACHE_MAX_AGE", _int_in(0, 86_400), _WHOLE.format(0, 86_400), "Cache-Control max-age on GET answers"
    )
    persisted_queries: int = _setting(
        500, "PERSISTED_QUERIES", _int_in(0, 1_000_000), _WHOLE.format(0, 1_000_000),
        "APQ documents kept, in at most 16 KiB each on average (0: off)",
    )  # fmt: skip

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def introspection_enabled(self) -> bool:
        return self.introspection if self.introspection is not None else not self.production

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else self.introspection_enabled

    @property
    def suggestions_enabled(self) -> bool:
        return self.suggestions if self.suggestions is not None else not self.production

    @property
    def uses_default_store(self) -> bool:
        """True when the store is the embedded default, which recapql may rebuild from the seed."""
        return self.store_path == default_store_path() and self.seed_path == DEFAULT_SEED

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from `RECAPQL_*` variables; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in dataclasses.fields(cls):
            variable = setting.metadata["variable"]
            raw = env.get(variable)
            if raw is None:
                continue
            try:
                values[setting.name] = setting.metadata["parse"](raw.strip())
            except ValueError:
                raise SettingsError(variable, raw, setting.metadata["expected"]) from None
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        """The `RECAPQL_*` variables that make `from_env` return these settings (for worker processes)."""
        variables: dict[str, str] = {}
        for setting in dataclasses.fields(self):
            value = getattr(self, setting.name)
            if value is None:
                continue
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, tuple):
                text = ",".join(value)
            else:
                text = str(value)
            variables[setting.metadata["variable"]] = text
        return variables
