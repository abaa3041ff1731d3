"""The schema: its committed SDL is current, it keeps the API contract, and GraphiQL documents everything."""

from __future__ import annotations

from typing import get_args

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
)

from schema import SDL_PATH, schema
from schema.types.enums import (
    OrderDirection,
    ProjectCategory,
    ProjectOrderField,
    RecommendationKind,
    SessionKind,
    SessionOrderField,
)
from store.records import ProjectCategory as StoreProjectCategory
from store.records import RecommendationKind as StoreRecommendationKind
from store.records import SessionKind as StoreSessionKind

# The names other tools depend on (the foundation issue's contract): add more, rename none.
CONTRACT = {
    "Query": {
        "recap": [],
        "days": [],
        "day": ["date"],
        "sessions": ["filter", "first", "after"],
        "session": ["slug"],
        "projects": ["filter", "first", "after"],
        "project": ["slug"],
        "recommendations": ["kind"],
        "search": ["query", "first", "types"],
        "searchResults": ["query", "types", "recap", "first", "after"],
        "node": ["id"],
        "nodes": ["ids"],
    },
    "Recap": {"title", "event", "city", "country", "startDate", "endDate", "verdict", "changes"},
    "Change": {"date", "description"},
    "Day": {"id", "date", "title", "sessions"},
    "Session": {
        *("id", "slug", "title", "kind", "day", "summary", "takeaways", "topics", "verdict"),
        *("projects", "recommendations"),
    },
    "Project": {"id", "slug", "name", "description", "sessions", "recommendations"},
    "Recommendation": {"id", "kind", "title", "reason", "session", "project"},
    "SearchHit": {"score", "node"},
    "SessionFilter": {"day", "kind", "topic", "project", "text"},
    "ProjectFilter": {"topic", "text"},
    "SessionConnection": {"edges", "nodes", "pageInfo", "totalCount"},
    "ProjectConnection": {"edges", "nodes", "pageInfo", "totalCount"},
    "PageInfo": {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"},
}
# The second contract (orders, any-of filters, facets, explained search, topics as nodes): the
# same rule, names added to the types above or new.
SECOND_CONTRACT: dict[str, set[str]] = {
    "SessionOrder": {"field", "direction"},
    "ProjectOrder": {"field", "direction"},
    "SessionFilter": {"kinds", "topics", "projects", "days"},
    "ProjectFilter": {"categories", "topics"},
    "SessionConnection": {"facets"},
    "ProjectConnection": {"facets"},
    "SessionFacets": {"kinds", "topics", "days", "projects"},
    "ProjectFacets": {"categories", "topics"},
    "FacetValue": {"value", "count"},
    "SearchHit": {"matches"},
    "SearchMatch": {"field", "snippet", "highlights"},
    "SearchHitConnection": {"edges", "nodes", "pageInfo", "totalCount"},
    "Topic": {"id", "slug", "name"},
}


def test_the_committed_sdl_matches_the_schema() -> None:
    committed = SDL_PATH.read_text(encoding="utf-8")
    assert committed == schema.as_str() + "\n", "schema/schema.graphql is stale: run `recapql export-schema`"


def test_the_api_contract_is_kept() -> None:
    types = schema._schema.type_map
    for name, fields in CONTRACT.items():
        if isinstance(fields, dict):
            query = types[name]
            assert isinstance(query, GraphQLObjectType)
            for field, arguments in fields.items():
                assert set(arguments) <= set(query.fields[field].args), field
        else:
            object_type = types[name]
            assert isinstance(object_type, GraphQLObjectType | GraphQLInputObjectType)
            assert set(fields) <= set(object_type.fields), name
    for name, names in SECOND_CONTRACT.items():
        object_type = types[name]
        assert isinstance(object_type, GraphQLObjectType | GraphQLInputObjectType)
        assert names <= set(object_type.fields), name
    for owner in ("Query", "Recap"):
        owner_type = types[owner]
        assert isinstance(owner_type, GraphQLObjectType)
        assert {"sessions", "projects", "search", "searchResults"} <= set(owner_type.fields), owner
        assert "orderBy" in owner_type.fields["sessions"].args
        assert "orderBy" in owner_type.fields["projects"].args
    query_type = types["Query"]
    assert isinstance(query_type, GraphQLObjectType)
    assert query_type.fields["sessions"].args["first"].default_value == 20
    assert str(query_type.fields["node"].type) == "Node"
    union = types["SearchResult"]
    assert isinstance(union, GraphQLUnionType)
    assert {member.name for member in union.types} == {"Session", "Project", "Recommendation"}
    for node_type in ("Day", "Session", "Project", "Recommendation", "Topic"):
        node = types[node_type]
        assert isinstance(node, GraphQLObjectType)
        assert [interface.name for interface in node.interfaces] == ["Node"]


def test_orders_default_to_today_s_orders_in_github_s_shape() -> None:
    sdl = schema.as_str()
    for owner in ("Query", "Recap"):
        type_ = schema._schema.type_map[owner]
        assert isinstance(type_, GraphQLObjectType)
        sessions, projects = type_.fields["sessions"].args["orderBy"], type_.fields["projects"].args["orderBy"]
        assert (str(sessions.type), str(projects.type)) == ("SessionOrder", "ProjectOrder")
    assert sdl.count("orderBy: SessionOrder = { field: RECAP, direction: ASC }") == 2
    assert sdl.count("orderBy: ProjectOrder = { field: NAME, direction: ASC }") == 2
    assert [value.name for value in OrderDirection] == ["ASC", "DESC"]
    assert [value.name for value in SessionOrderField] == ["RECAP", "TITLE", "DAY"]
    assert [value.name for value in ProjectOrderField] == ["NAME", "SESSION_COUNT"]
    query = schema._schema.type_map["Query"]
    assert isinstance(query, GraphQLObjectType)
    assert str(query.fields["nodes"].type) == "[Node]!"


def test_enums_match_the_store_values() -> None:
    assert [kind.value for kind in SessionKind] == list(get_args(StoreSessionKind))
    assert [kind.value for kind in RecommendationKind] == list(get_args(StoreRecommendationKind))
    assert [category.value for category in ProjectCategory] == list(get_args(StoreProjectCategory))


def test_every_type_field_argument_and_value_has_a_description() -> None:
    undocumented = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not graphql_type.description:
            undocumented.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    undocumented.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        undocumented.append(f"{name}.{field_name}({arg_name})")
        if isinstance(graphql_type, GraphQLEnumType):
            undocumented += [f"{name}.{value}" for value, item in graphql_type.values.items() if not item.description]
    assert undocumented == []
