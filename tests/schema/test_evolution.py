"""Schema evolution: no breaking change since the last release unless the CHANGELOG's [Unreleased] names it.

The released SDL is `schema/released/<version>.graphql` (0.1.0: the schema as it landed at commit
6e25281, before there was a release tag); the rule is in `schema/evolution.py`.
"""

from __future__ import annotations

import pytest
from graphql import (
    DocumentNode,
    ObjectTypeDefinitionNode,
    build_ast_schema,
    build_schema,
    parse,
    print_ast,
)

from schema import schema
from schema.evolution import (
    CHANGELOG,
    Change,
    breaking_changes,
    check,
    dangerous_changes,
    last_release,
    main,
    unlisted,
    unreleased_section,
)

CHANGES = CHANGELOG.read_text(encoding="utf-8")


def _released() -> str:
    return last_release()[1].read_text(encoding="utf-8")


def _without_field(sdl: str, type_name: str, field_name: str) -> str:
    """`sdl` with one field of one object type planted out, as a careless edit would."""
    document = parse(sdl)
    definitions = []
    for definition in document.definitions:
        if isinstance(definition, ObjectTypeDefinitionNode) and definition.name.value == type_name:
            fields = tuple(field for field in definition.fields or () if field.name.value != field_name)
            assert len(fields) == len(definition.fields or ()) - 1, f"{type_name}.{field_name} is not there"
            definition = ObjectTypeDefinitionNode(
                name=definition.name,
                description=definition.description,
                interfaces=definition.interfaces,
                directives=definition.directives,
                fields=fields,
            )
        definitions.append(definition)
    return print_ast(DocumentNode(definitions=tuple(definitions)))


def test_the_last_release_is_0_1_0_as_it_landed() -> None:
    version, path = last_release()
    assert (version, path.name) == ("0.1.0", "0.1.0.graphql")
    released = build_schema(_released())
    # What 0.1.0 was: one recap, no `recaps`, a non-null `recap`, topics without ids.
    assert "recaps" not in released.query_type.fields  # type: ignore[union-attr]  # it has a query type
    assert str(released.query_type.fields["recap"].type) == "Recap!"  # type: ignore[union-attr]


def test_the_live_schema_breaks_nothing_the_changelog_does_not_list() -> None:
    breaking, missing, dangerous = check(schema._schema, _released(), CHANGES)
    assert missing == [], "breaking changes not named in CHANGELOG.md [Unreleased]: " + "; ".join(
        change.description for change in missing
    )
    # The two the CHANGELOG already names, each with its `Type.field`.
    assert {"Query.recap", "Topic.description"} <= {change.subject for change in breaking}
    # For information, as the check prints them (`python -m schema.evolution`): nothing a valid query breaks on.
    subjects = {change.subject for change in dangerous}
    assert {"SessionFilter.kinds", "ProjectFilter.categories", "Query.sessions", "Topic"} <= subjects


def test_a_planted_removal_fails_the_check_until_the_changelog_names_it() -> None:
    planted = build_ast_schema(parse(_without_field(schema.as_str(), "Session", "title")))
    breaking, missing, _ = check(planted, _released(), CHANGES)
    assert [(change.kind, change.subject) for change in missing] == [("FIELD_REMOVED", "Session.title")]
    assert missing[0].description == "Field Session.title was removed."
    # Named in the [Unreleased] section (in backticks), it passes; named anywhere else, it does not.
    listed = CHANGES.replace("## [Unreleased]\n", "## [Unreleased]\n\n### Removed\n- `Session.title`: use `name`.\n", 1)
    assert unlisted(breaking, listed) == []
    elsewhere = CHANGES + "\n## [0.0.1]\n\n- `Session.title` was nothing then.\n"
    assert unlisted(breaking, elsewhere) == missing


@pytest.mark.parametrize(
    ("old", "new", "subject"),
    [
        ("type Query { a: Int b: Int }", "type Query { a: Int }", "Query.b"),
        ("type Query { a(x: Int): Int }", "type Query { a: Int }", "Query.a"),
        ("type Query { a: Int }", "type Query { a(x: Int!): Int }", "Query.a"),
        ("type Query { a: E } enum E { X Y }", "type Query { a: E } enum E { X }", "E.Y"),
        ("type Query { a: Int } type T { b: Int }", "type Query { a: Int }", "T"),
        (
            "type Query { u: U } union U = A | B type A { a: Int } type B { b: Int }",
            "type Query { u: U } union U = A type A { a: Int } type B { b: Int }",
            "U",
        ),
        (
            "type Query { a: T } interface I { i: Int } type T implements I { i: Int }",
            "type Query { a: T } interface I { i: Int } type T { i: Int }",
            "T",
        ),
        (
            "type Query { a(f: F): Int } input F { x: Int }",
            "type Query { a(f: F): Int } input F { x: Int y: Int! }",
            "F.y",
        ),
        ("directive @d on FIELD type Query { a: Int }", "type Query { a: Int }", "@d"),
    ],
    ids=["field", "argument", "required-argument", "enum-value", "type", "union", "interface", "input", "directive"],
)
def test_each_kind_of_breaking_change_has_the_subject_the_changelog_names(old: str, new: str, subject: str) -> None:
    [change] = breaking_changes(build_schema(old), build_schema(new))
    assert change.subject == subject
    assert unlisted([change], f"## [Unreleased]\n- `{subject}` changed.\n") == []
    assert unlisted([change], "## [Unreleased]\n- nothing about it.\n") == [change]


def test_dangerous_changes_are_reported_with_their_subject() -> None:
    old = build_schema("type Query { a: E } enum E { X } union U = A type A { a: Int } interface I { i: Int }")
    new = build_schema(
        "type Query { a(x: Int): E } enum E { X Y } union U = A | B type A { a: Int } type B { b: Int }"
        " interface I { i: Int } type C implements I { i: Int }"
    )
    assert {change.subject for change in dangerous_changes(old, new)} == {"Query.a", "E.Y", "U"}


def test_the_unreleased_section_ends_at_the_next_release() -> None:
    text = "# Changelog\n\n## [Unreleased]\n- `A.b` is new\n\n## [0.1.0] - 2026-01-01\n- `C.d`\n"
    assert unreleased_section(text) == "\n- `A.b` is new\n\n"
    assert unreleased_section("# Changelog\n") == ""
    assert "`Query.recap`" in unreleased_section(CHANGES)


def test_the_module_s_own_command_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main() == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Changes since 0.1.0 (0.1.0.graphql):\n")
    assert "  breaking  Query.recap: Field Query.recap changed type from Recap! to Recap. (listed)\n" in printed


def test_a_change_is_plain_data() -> None:
    change = Change(kind="FIELD_REMOVED", description="Field A.b was removed.", subject="A.b")
    assert unlisted([change], "## [Unreleased]\n- `A.b(x:)` went away\n") == []
