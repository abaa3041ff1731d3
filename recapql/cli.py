"""The `recapql` command: serve, seed, import, export, query and export-schema."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar

import click
from strawberry.http import process_result

from recapql import __version__
from recapql.app import limits_of
from recapql.observability.log_config import configure_logging
from recapql.seeding import ensure_store, import_recaps, plan_import, seed_store
from recapql.settings import LOG_FORMATS, LOG_LEVELS, Settings, SettingsError, default_store_path
from schema import SDL_PATH, Context, schema
from seed.recap_format.problems import InvalidRecap
from seed.recap_format.writer import write_recap
from store import Store, StoreError
from store.reader import read_datasets

P = ParamSpec("P")
T = TypeVar("T")
_STORE_HELP = "The store file (default: $RECAPQL_STORE, else the embedded default store)."
_CREATE_HELP = (
    "Make a missing store even where its folder does not exist "
    "(without it, such a path is refused: most likely a typo)."
)
# Files `recapql query` reads its document from; a missing one is an error, not a document.
QUERY_FILE_SUFFIXES = (".graphql", ".gql")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="recapql")
def main() -> None:
    """recapql: a GraphQL API over conference recaps (the embedded one: KubeCon + CloudNativeCon Europe 2018)."""


@main.command()
@click.option("--host", help="Interface to listen on (default: $RECAPQL_HOST or 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port to listen on (default: $RECAPQL_PORT or 8000).")
@click.option("--store", "store_path", type=click.Path(path_type=Path), help=_STORE_HELP)
@click.option("--create", is_flag=True, help=_CREATE_HELP)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Server processes, managed by uvicorn (default: $RECAPQL_WORKERS or 1).",
)
@click.option("--log-level", type=click.Choice(LOG_LEVELS), help="Log level (default: $RECAPQL_LOG_LEVEL or info).")
@click.option(
    "--log-format",
    type=click.Choice(LOG_FORMATS),
    help="json, text, or auto: text on a terminal, JSON lines otherwise (default: $RECAPQL_LOG_FORMAT or auto).",
)
def serve(
    host: str | None,
    port: int | None,
    store_path: Path | None,
    create: bool,
    workers: int | None,
    log_level: str | None,
    log_format: str | None,
) -> None:
    """Serve GraphQL (and GraphiQL) at /graphql, seeding the store first if it is missing.

    A port in use or a host that cannot be listened on is one line naming it, and exit status 1.
    """
    settings = _settings(
        host=host, port=port, store_path=store_path, workers=workers, log_level=log_level, log_format=log_format
    )
    configure_logging(settings.log_level, settings.log_format)
    _ensure_store(settings, create)
    # Opened here, before any server starts, so that a broken store is one clear line and exit 1.
    store = _run(Store.open, settings.store_path, settings.default_recap)
    # Imported here: `seed` and `query` need no server and start faster without uvicorn.
    from recapql.serving.server import BindError, bind_listeners, listening_url, serve_app

    # Bound before saying so: a busy port or a bad host is an error here, not in the server's log.
    try:
        listeners = bind_listeners(settings.host, settings.port)
    except BindError as error:
        _fail(str(error))
    click.echo(f"recapql: serving {listening_url(settings.host, settings.port)} (GraphQL at /graphql)", err=True)
    serve_app(settings, store, listeners)


@main.command()
@click.option("--store", "store_path", type=click.Path(path_type=Path), help=_STORE_HELP)
@click.option(
    "--seed",
    "seed_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The recap file (default: $RECAPQL_SEED, else the embedded KubeCon EU 2018 recap).",
)
def seed(store_path: Path | None, seed_path: Path | None) -> None:
    """Check the seed recap and (re)build the store from it alone; a bad seed leaves the store untouched."""
    settings = _settings(store_path=store_path, seed_path=seed_path)
    new_folder = _missing_folder(settings.store_path)
    version = _run(seed_store, settings.seed_path, settings.store_path)
    _say_made(new_folder)
    click.echo(f"recapql: seeded {settings.store_path} from {settings.seed_path} (version {version})", err=True)


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--store", "store_path", type=click.Path(path_type=Path), help=_STORE_HELP)
@click.option("--dry-run", is_flag=True, help="Check the files and say what would be imported; write nothing.")
def import_(files: tuple[Path, ...], store_path: Path | None, dry_run: bool) -> None:
    """Check each recap FILE (Markdown, see docs/recap-format.md), then add or replace those recaps in the store.

    The store is written atomically, and only when every file is sound: any error names its
    file and line, exits with status 1 and leaves the store as it was.
    """
    settings = _settings(store_path=store_path)
    plan = _run(plan_import, list(files), settings.store_path)
    for warning in plan.warnings:
        click.echo(f"recapql: warning: {warning}", err=True)
    for recap in plan.imported:
        dataset = recap.dataset
        replacing = dataset.recap.slug in plan.replaced
        verb = ("would replace" if replacing else "would add") if dry_run else ("replaces" if replacing else "adds")
        click.echo(
            f"{recap.path}: {verb} '{dataset.recap.slug}': {len(dataset.days)} days, {len(dataset.sessions)} sessions, "
            f"{len(dataset.projects)} projects, {len(dataset.recommendations)} recommendations, "
            f"{len(recap.warnings)} warnings"
        )
    if dry_run:
        click.echo(f"recapql: dry run: {settings.store_path} not written", err=True)
        return
    new_folder = _missing_folder(settings.store_path)
    version = _run(import_recaps, plan, settings.store_path)
    _say_made(new_folder)
    click.echo(f"recapql: wrote {settings.store_path}: {len(plan.datasets)} recaps (version {version})", err=True)


@main.command()
@click.argument("slug")
@click.option("--output", "-o", default="-", help="Where to write the recap file; '-' (the default) prints it.")
@click.option("--store", "store_path", type=click.Path(path_type=Path), help=_STORE_HELP)
@click.option("--create", is_flag=True, help=_CREATE_HELP)
def export(slug: str, output: str, store_path: Path | None, create: bool) -> None:
    """Write the recap SLUG as a recap file (Markdown), which `recapql import` reads back to the same data.

    With -o FILE, the original text the recap quotes (its `source:`) is written beside FILE too.
    """
    settings = _settings(store_path=store_path)
    configure_logging("warning", "text")
    _ensure_store(settings, create)
    datasets, _ = _run(read_datasets, settings.store_path)
    found = next((dataset for dataset in datasets if dataset.recap.slug == slug), None)
    if found is None:
        held = ", ".join(dataset.recap.slug for dataset in datasets)
        click.echo(f"recapql: error: {settings.store_path} holds no recap '{slug}' (it holds: {held})", err=True)
        sys.exit(1)
    text = write_recap(found)
    if output == "-":
        click.echo(text, nl=False)
        return
    target = Path(output)
    # The original a recap quotes goes beside it, where its `source:` names it, so the export imports.
    sources = [(target.parent / document.name, document.text) for document in found.documents[1:]]
    for path, source_text in sources:
        if path.exists() and path.read_text(encoding="utf-8", errors="replace") != source_text:
            click.echo(f"recapql: error: {path} exists and is not the recap's source; not overwritten", err=True)
            sys.exit(1)
    try:
        target.write_text(text, encoding="utf-8")
        for path, source_text in sources:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source_text, encoding="utf-8")
    except OSError as error:
        raise click.FileError(output, error.strerror) from None
    written = ", ".join(str(path) for path, _ in sources)
    click.echo(f"recapql: wrote {output}" + (f" and its source {written}" if written else ""), err=True)


@main.command()
@click.argument("document")
@click.option("--variables", help="Variables as a JSON object.")
@click.option("--operation-name", help="Which operation of the document to run.")
@click.option("--store", "store_path", type=click.Path(path_type=Path), help=_STORE_HELP)
@click.option("--create", is_flag=True, help=_CREATE_HELP)
def query(
    document: str, variables: str | None, operation_name: str | None, store_path: Path | None, create: bool
) -> None:
    """Run a GraphQL DOCUMENT and print the JSON result.

    DOCUMENT is a file holding the document when it names one (e.g. recapql/examples/search.graphql;
    a missing .graphql or .gql file is an error), '-' for standard input, or else the document itself.

    Exits with status 1 when the result has errors.
    """
    document = _document(document)
    variable_values = _variables(variables)
    settings = _settings(store_path=store_path)
    configure_logging("warning", "text")
    _ensure_store(settings, create)
    store = _run(Store.open, settings.store_path, settings.default_recap)
    context = Context(store=store, limits=limits_of(settings))
    result = schema.execute_sync(
        document, variable_values=variable_values, context_value=context, operation_name=operation_name
    )
    # The same JSON shape the HTTP endpoint answers with.
    click.echo(json.dumps(process_result(result), indent=2, ensure_ascii=False))
    if result.errors:
        sys.exit(1)


@main.command("export-schema")
@click.option(
    "--output",
    "-o",
    default=str(SDL_PATH),
    show_default="schema/schema.graphql",
    help="Where to write the SDL; '-' prints it.",
)
def export_schema(output: str) -> None:
    """Write the schema's SDL (the committed schema/schema.graphql by default)."""
    sdl = schema.as_str() + "\n"
    if output == "-":
        click.echo(sdl, nl=False)
        return
    try:
        Path(output).write_text(sdl, encoding="utf-8")
    except OSError as error:
        raise click.FileError(output, error.strerror) from None
    click.echo(f"recapql: wrote {output}", err=True)


def _settings(**overrides: Any) -> Settings:
    settings = _run(Settings.from_env)
    given = {name: value for name, value in overrides.items() if value is not None}
    return dataclasses.replace(settings, **given)


def _document(argument: str) -> str:
    """The document `recapql query` runs: a file's text when `argument` names a file, standard input for '-'."""
    if argument == "-":
        return sys.stdin.read()
    path = Path(argument)
    try:
        is_file, is_dir = path.is_file(), path.is_dir()
    except (OSError, ValueError):  # a document too long or too odd to be a file name
        return argument
    if is_file:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            _fail(f"cannot read the query file {argument}: {reason}")
    if is_dir:
        _fail(f"{argument} is a folder, not a query file")
    if path.suffix.lower() in QUERY_FILE_SUFFIXES and "{" not in argument:
        _fail(f"no such query file: {argument}")
    return argument


def _ensure_store(settings: Settings, create: bool) -> None:
    """Seed the store if it is missing; a named store under a missing folder only with --create.

    The embedded default store (in the user's data folder) is always made when missing.
    """
    path = settings.store_path
    if not create and path != default_store_path() and not path.exists() and not path.parent.exists():
        _fail(
            f"no store at {path}, and no folder {path.parent} either: check the path, "
            "or pass --create to make a new store there"
        )
    _run(ensure_store, settings)


def _missing_folder(store_path: Path) -> Path | None:
    """The store's folder when writing the store will make it (seed and import make missing folders)."""
    return None if store_path.parent.exists() else store_path.parent


def _say_made(folder: Path | None) -> None:
    if folder is not None:
        click.echo(f"recapql: made the folder {folder} for the new store", err=True)


def _variables(raw: str | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    try:
        values = json.loads(raw)
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"not valid JSON: {error}", param_hint="'--variables'") from None
    if not isinstance(values, dict):
        raise click.BadParameter("must be a JSON object", param_hint="'--variables'")
    return values


def _run(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call `function`; turn the errors a user can fix into one clear line and exit 1."""
    try:
        return function(*args, **kwargs)
    except (SettingsError, InvalidRecap, StoreError) as error:
        _fail(str(error))


def _fail(message: str) -> NoReturn:
    """Say what is wrong, each line as `recapql: error: …`, and exit with status 1."""
    for line in message.splitlines():
        click.echo(f"recapql: error: {line}", err=True)
    sys.exit(1)
