"""The repository's packages are the ones installed, the layers point one way, and so do recapql's wings."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support.repository import ROOT

PACKAGES = ["recapql", "schema", "resolvers", "store", "seed"]
WINGS = ["recapql.endpoint", "recapql.observability", "recapql.pages"]

# What each layer must not import: the layers point recapql → schema → resolvers → store.
FORBIDDEN = {
    "store": {"strawberry", "starlette", "graphql", "schema", "resolvers", "seed", "recapql"},
    "resolvers": {"strawberry", "starlette", "graphql", "tinydb", "schema", "seed", "recapql"},
    "seed": {"strawberry", "starlette", "graphql", "tinydb", "schema", "resolvers", "recapql"},
    "schema": {"starlette", "tinydb", "seed", "recapql"},
}
# Inside recapql: the composition root (app, cli, serving, seeding) wires the wings; the endpoint
# may use observability (to fill in a request's facts) and pages (GraphiQL's page); pages talk to
# the API over HTTP like any client (the store only for the documents they show); observability only watches.
_ROOT_MODULES = {"recapql.app", "recapql.cli", "recapql.serving", "recapql.seeding"}
FORBIDDEN_IN_WINGS = {
    "recapql/endpoint": _ROOT_MODULES,
    "recapql/pages": {
        *_ROOT_MODULES,
        "recapql.endpoint",
        "recapql.observability",
        "recapql.settings",
        "schema",
        "resolvers",
        "seed",
        "strawberry",
        "graphql",
    },
    "recapql/observability": {*_ROOT_MODULES, "recapql.endpoint", "recapql.pages", "schema", "resolvers", "strawberry"},
}


# Inside a layer, its sub-packages point one way too: the Markdown reading knows no recap format,
# whose words a text is knows no Markdown, and what guards a request knows no type it guards.
FORBIDDEN_IN_SUBPACKAGES = {
    "seed/markdown": {"seed", "store"},
    "seed/quoting": {"seed.markdown", "seed.recap_format", "seed.synthetic"},
    "schema/limits": {"schema.types", "schema.execution", "schema.query", "schema.executable"},
    "schema/types": {"schema.limits", "schema.execution", "schema.query", "schema.executable"},
}


def _imports(folder: Path) -> list[tuple[str, str]]:
    """(file, imported module) for every absolute import under `folder`."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found += [(str(path.relative_to(ROOT)), name) for name in names]
    return found


def _is_under(module: str, forbidden: set[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in forbidden)


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
    offending = [f"{path}: {name}" for path, name in _imports(ROOT / layer) if name.split(".")[0] in FORBIDDEN[layer]]
    assert offending == []


@pytest.mark.parametrize("folder", sorted(FORBIDDEN_IN_SUBPACKAGES))
def test_sub_packages_point_one_way(folder: str) -> None:
    # Imports inside functions count too (`_imports` walks the whole tree): they are late, not allowed.
    forbidden = FORBIDDEN_IN_SUBPACKAGES[folder]
    offending = [f"{path}: {name}" for path, name in _imports(ROOT / folder) if _is_under(name, forbidden)]
    assert offending == []


@pytest.mark.parametrize("wing", sorted(FORBIDDEN_IN_WINGS))
def test_each_wing_of_recapql_imports_only_what_it_may(wing: str) -> None:
    forbidden = FORBIDDEN_IN_WINGS[wing]
    offending = [f"{path}: {name}" for path, name in _imports(ROOT / wing) if _is_under(name, forbidden)]
    assert offending == []


def test_recapql_holds_only_the_composition_root_and_its_wings() -> None:
    modules = sorted(path.stem for path in (ROOT / "recapql").glob("*.py"))
    assert modules == ["__init__", "__main__", "app", "cli", "seeding", "settings"]
    # The wings, and `serving/` (uvicorn, its protocol and workers), which is part of the root.
    folders = sorted(path.parent.name for path in (ROOT / "recapql").glob("*/__init__.py"))
    assert folders == sorted([*(wing.split(".")[1] for wing in WINGS), "serving"])


@pytest.mark.parametrize("name", [*PACKAGES, *WINGS, "tests.support"])
def test_each_package_says_what_it_exposes(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__ is not None
    assert len(module.__doc__.strip().splitlines()) >= 2


@pytest.mark.slow
def test_reading_the_settings_builds_no_schema() -> None:
    # A fresh interpreter: this one has long imported everything.
    heavy = "{'schema', 'store', 'strawberry', 'numpy'}"
    code = f"import sys, recapql.settings; print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"
