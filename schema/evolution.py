"""Schema evolution: the live schema against the SDL of the last release, every breaking change named.

Clients and tools (graphql-codegen, persisted documents) are written against a released
schema; a change that can break them (a field or type removed, a type narrowed or widened the
wrong way, a required argument added…) must be deliberate. The rule: each breaking change that
graphql-core's `find_breaking_changes` finds between `schema/released/<last version>.graphql`
and the live schema has a subject (`Type.field` for a field, an argument or an input field;
`Enum.VALUE` for an enum value; the type for a type, a union or an interface it no longer has;
`@directive` for a directive) that appears, in backticks, in the CHANGELOG's [Unreleased]
section, e.g. "`Query.recap` is nullable". `find_dangerous_changes` (an optional argument added,
an enum value added…) are reported too, for information: they break no valid query.

A release commits its SDL as `schema/released/<version>.graphql`; the newest one is compared.
`python -m schema.evolution` prints the changes, and exits 1 on any breaking change not listed;
`tests/schema/test_evolution.py` runs the same check in CI.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    BreakingChange,
    BreakingChangeType,
    DangerousChange,
    DangerousChangeType,
    GraphQLSchema,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
)

RELEASED = Path(__file__).with_name("released")
CHANGELOG = Path(__file__).resolve().parent.parent / "CHANGELOG.md"
UNRELEASED = "## [Unreleased]"

_DOTTED = re.compile(r"[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*")
_DIRECTIVE = re.compile(r"@[_A-Za-z][_0-9A-Za-z]*")
_NAME = re.compile(r"^(?:Standard scalar )?([_A-Za-z][_0-9A-Za-z]*)")
_VERSION = re.compile(r"^\d+(\.\d+)*$")
# Changes whose words end with the type they change (a union, or the type implementing an interface).
_ABOUT_THE_LAST_NAME = frozenset(
    {
        BreakingChangeType.TYPE_REMOVED_FROM_UNION,
        DangerousChangeType.TYPE_ADDED_TO_UNION,
        DangerousChangeType.IMPLEMENTED_INTERFACE_ADDED,
    }
)


@dataclass(frozen=True, slots=True)
class Change:
    """One change between two schemas: graphql-core's kind and words, and what it is about."""

    kind: str
    description: str
    subject: str

    @classmethod
    def of(cls, change: BreakingChange | DangerousChange) -> Change:
        return cls(kind=change.type.name, description=change.description, subject=subject_of(change))


def subject_of(change: BreakingChange | DangerousChange) -> str:
    """What a change is about, as the CHANGELOG names it: `Type.field`, `Enum.VALUE`, `Type` or `@directive`."""
    words = change.description
    directive = _DIRECTIVE.search(words)
    if directive is not None:
        return directive.group(0)
    dotted = _DOTTED.search(words)
    if dotted is not None:
        return dotted.group(0)
    if change.type in _ABOUT_THE_LAST_NAME:
        return words.rstrip(".").split()[-1]  # "Member was removed from union type Union.", "I added to … by Type."
    name = _NAME.match(words)
    return name.group(1) if name is not None else words


def last_release(folder: Path = RELEASED) -> tuple[str, Path]:
    """The newest released SDL: its version and its file."""
    versions = [path for path in folder.glob("*.graphql") if _VERSION.match(path.stem)]
    if not versions:
        raise FileNotFoundError(f"no released SDL (schema/released/<version>.graphql) in {folder}")
    newest = max(versions, key=lambda path: tuple(int(part) for part in path.stem.split(".")))
    return newest.stem, newest


def breaking_changes(released: GraphQLSchema, live: GraphQLSchema) -> list[Change]:
    return [Change.of(change) for change in find_breaking_changes(released, live)]


def dangerous_changes(released: GraphQLSchema, live: GraphQLSchema) -> list[Change]:
    return [Change.of(change) for change in find_dangerous_changes(released, live)]


def unreleased_section(changelog: str) -> str:
    """The text of the CHANGELOG's [Unreleased] section (empty when it has none)."""
    start = changelog.find(UNRELEASED)
    if start < 0:
        return ""
    body = changelog[start + len(UNRELEASED) :]
    following = re.search(r"^## \[", body, flags=re.MULTILINE)
    return body[: following.start()] if following else body


def is_listed(change: Change, section: str) -> bool:
    """True when the change's subject appears in backticks in `section` (alone, or with its arguments)."""
    return re.search(rf"`{re.escape(change.subject)}(`|\()", section) is not None


def unlisted(changes: Sequence[Change], changelog: str) -> list[Change]:
    """The breaking `changes` the CHANGELOG's [Unreleased] section does not name."""
    section = unreleased_section(changelog)
    return [change for change in changes if not is_listed(change, section)]


def check(live: GraphQLSchema, released_sdl: str, changelog: str) -> tuple[list[Change], list[Change], list[Change]]:
    """(breaking changes, those the CHANGELOG does not list, dangerous changes) from `released_sdl` to `live`."""
    released = build_schema(released_sdl)
    breaking = breaking_changes(released, live)
    return breaking, unlisted(breaking, changelog), dangerous_changes(released, live)


def main() -> int:
    """Print the changes since the last release; 1 if a breaking change is not in the CHANGELOG."""
    from schema.executable import schema  # only here: the rules above need no schema built

    version, path = last_release()
    breaking, missing, dangerous = check(
        schema._schema, path.read_text(encoding="utf-8"), CHANGELOG.read_text(encoding="utf-8")
    )
    print(f"Changes since {version} ({path.name}):")
    for change in breaking:
        mark = "listed" if change not in missing else "NOT LISTED in CHANGELOG.md [Unreleased]"
        print(f"  breaking  {change.subject}: {change.description} ({mark})")
    for change in dangerous:
        print(f"  dangerous {change.subject}: {change.description}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
