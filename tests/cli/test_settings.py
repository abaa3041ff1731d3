"""Settings come from RECAPQL_* variables; a bad value names the variable and what was expected."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from recapql.app import limits_of
from recapql.settings import Settings, SettingsError, default_store_path
from schema import Limits
from seed import DEFAULT_SEED


def test_defaults_serve_the_embedded_store_on_localhost() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.workers == 1
    assert settings.store_path == default_store_path()
    assert settings.seed_path == DEFAULT_SEED
    assert settings.uses_default_store


def test_development_shows_graphiql_introspection_and_suggestions() -> None:
    settings = Settings()
    assert settings.graphiql_enabled
    assert limits_of(settings).introspection
    assert limits_of(settings).suggestions


def test_production_hides_them_unless_enabled() -> None:
    production = Settings.from_env({"RECAPQL_ENV": "production"})
    assert not production.graphiql_enabled
    assert not limits_of(production).introspection
    assert not limits_of(production).suggestions
    enabled = Settings.from_env({"RECAPQL_ENV": "production", "RECAPQL_INTROSPECTION": "on"})
    assert limits_of(enabled).introspection
    assert enabled.graphiql_enabled


def test_the_limits_default_to_graphql_armor_s() -> None:
    assert limits_of(Settings()) == Limits(
        max_depth=6, max_aliases=15, max_tokens=1000, max_directives=50, max_cost=5000, max_document_chars=15_000
    )


def test_every_setting_reads_its_variable(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "RECAPQL_ENV": "production",
            "RECAPQL_STORE": str(tmp_path / "store.json"),
            "RECAPQL_SEED": str(tmp_path / "seed.json"),
            "RECAPQL_HOST": "0.0.0.0",
            "RECAPQL_PORT": "9000",
            "RECAPQL_WORKERS": "2",
            "RECAPQL_GRAPHIQL": "false",
            "RECAPQL_INTROSPECTION": "true",
            "RECAPQL_SUGGESTIONS": "false",
            "RECAPQL_LOG_LEVEL": "DEBUG",
            "RECAPQL_LOG_FORMAT": "json",
            "RECAPQL_MAX_DEPTH": "7",
            "RECAPQL_MAX_ALIASES": "3",
            "RECAPQL_MAX_TOKENS": "500",
            "RECAPQL_MAX_DIRECTIVES": "4",
            "RECAPQL_MAX_COST": "100",
            "RECAPQL_MAX_DOCUMENT_CHARS": "2000",
            "RECAPQL_MAX_BODY_BYTES": "4096",
            "RECAPQL_CORS_ORIGINS": "https://agenda.example, http://localhost:3000/",
            "RECAPQL_CSRF_PREVENTION": "yes",
            "RECAPQL_RESPONSE_CACHE_MB": "0",
            "RECAPQL_CACHE_MAX_AGE": "5",
            "RECAPQL_PERSISTED_QUERIES": "10",
        }
    )
    assert settings == Settings(
        env="production",
        store_path=tmp_path / "store.json",
        seed_path=tmp_path / "seed.json",
        host="0.0.0.0",
        port=9000,
        workers=2,
        graphiql=False,
        introspection=True,
        suggestions=False,
        log_level="debug",
        log_format="json",
        max_depth=7,
        max_aliases=3,
        max_tokens=500,
        max_directives=4,
        max_cost=100,
        max_document_chars=2000,
        max_body_bytes=4096,
        cors_origins=("https://agenda.example", "http://localhost:3000"),
        csrf_prevention=True,
        response_cache_mb=0,
        cache_max_age=5,
        persisted_queries=10,
    )
    assert not settings.uses_default_store


def test_every_field_has_a_variable_and_round_trips_through_the_environment(tmp_path: Path) -> None:
    variables = [setting.metadata["variable"] for setting in dataclasses.fields(Settings)]
    assert len(set(variables)) == len(variables)
    assert all(variable.startswith("RECAPQL_") for variable in variables)
    settings = Settings(
        store_path=tmp_path / "s.json", workers=3, cors_origins=("https://a.example",), suggestions=False
    )
    assert Settings.from_env(settings.to_env()) == settings


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("RECAPQL_PORT", "eighty", "a port number from 1 to 65535"),
        ("RECAPQL_PORT", "70000", "a port number from 1 to 65535"),
        ("RECAPQL_GRAPHIQL", "maybe", "true or false"),
        ("RECAPQL_LOG_LEVEL", "loud", "critical or error or warning or info or debug"),
        ("RECAPQL_STORE", "", "a file path"),
        ("RECAPQL_HOST", " ", "a host name or address"),
        ("RECAPQL_ENV", "staging", "development or production"),
        ("RECAPQL_WORKERS", "0", "a whole number from 1 to 64"),
        ("RECAPQL_MAX_DEPTH", "deep", "a whole number from 1 to 100"),
        ("RECAPQL_LOG_FORMAT", "xml", "auto, json or text"),
        ("RECAPQL_CORS_ORIGINS", "*", "comma-separated http(s) origins"),
    ],
)
def test_a_bad_value_names_variable_value_and_expectation(variable: str, value: str, expected: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({variable: value})
    assert str(caught.value) == f"{variable}={value!r}: expected {expected}"


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().port = 1  # type: ignore[misc]
