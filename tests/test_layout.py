"""The repository's packages are the ones installed, and the layers point one way."""

from __future__ import annotations

import ast
import importlib
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["recapql", "schema", "resolvers", "store", "seed"]

# What each layer must not import: the layers point recapql → schema → resolvers → store.
FORBIDDEN = {
    "store": {"strawberry", "starlette", "graphql", "schema", "resolvers", "seed", "recapql"},
    "resolvers": {"strawberry", "starlette", "graphql", "tinydb", "schema", "seed", "recapql"},
    "seed": {"strawberry", "starlette", "graphql", "tinydb", "schema", "resolvers", "recapql"},
    "schema": {"starlette", "tinydb", "seed", "recapql"},
}


@pytest.mark.parametrize("name", PACKAGES)
def test_each_package_imports_from_this_repository(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__file__ is not None
    assert Path(module.__file__).resolve().parent == ROOT / name


def test_wheel_package_list_matches_the_package_folders() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    folders = sorted(path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name != "tests")
    assert sorted(listed) == folders == sorted(PACKAGES)
    assert sorted(pyproject["tool"]["ruff"]["lint"]["isort"]["known-first-party"]) == sorted(PACKAGES)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_does_not_import_the_layers_above_it(layer: str) -> None:
    offending = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            offending += [
                f"{path.relative_to(ROOT)}: {name}" for name in names if name.split(".")[0] in FORBIDDEN[layer]
            ]
    assert offending == []


@pytest.mark.parametrize("name", PACKAGES)
def test_each_package_says_what_it_exposes(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__ is not None
    assert len(module.__doc__.strip().splitlines()) >= 2
