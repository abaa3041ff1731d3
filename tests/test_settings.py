"""Settings come from RECAPQL_* variables; a bad value names the variable and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from recapql.settings import Settings, SettingsError, default_store_path
from seed import DEFAULT_SEED


def test_defaults_serve_the_embedded_store_on_localhost() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.store_path == default_store_path()
    assert settings.seed_path == DEFAULT_SEED
    assert settings.graphiql is True
    assert settings.uses_default_store


def test_every_setting_reads_its_variable(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "RECAPQL_STORE": str(tmp_path / "store.json"),
            "RECAPQL_SEED": str(tmp_path / "seed.json"),
            "RECAPQL_HOST": "0.0.0.0",
            "RECAPQL_PORT": "9000",
            "RECAPQL_GRAPHIQL": "false",
            "RECAPQL_LOG_LEVEL": "DEBUG",
        }
    )
    assert settings == Settings(
        store_path=tmp_path / "store.json",
        seed_path=tmp_path / "seed.json",
        host="0.0.0.0",
        port=9000,
        graphiql=False,
        log_level="debug",
    )
    assert not settings.uses_default_store


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("RECAPQL_PORT", "eighty", "a port number from 1 to 65535"),
        ("RECAPQL_PORT", "70000", "a port number from 1 to 65535"),
        ("RECAPQL_GRAPHIQL", "maybe", "true or false"),
        ("RECAPQL_LOG_LEVEL", "loud", "critical or error or warning or info or debug"),
        ("RECAPQL_STORE", "", "a file path"),
        ("RECAPQL_HOST", " ", "a host name or address"),
    ],
)
def test_a_bad_value_names_variable_value_and_expectation(variable: str, value: str, expected: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({variable: value})
    assert str(caught.value) == f"{variable}={value!r}: expected {expected}"


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().port = 1  # type: ignore[misc]
