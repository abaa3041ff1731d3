"""Thousands of queries generated from the schema answer from their plans exactly as graphql-core does.

hypothesis-graphql writes queries with literal arguments only; here each argument of a generated
query may instead become a variable of the argument's own type, sent with the literal's value (or,
for a nullable argument, left out of the variables, so the field sees no argument at all). A plan
reads such arguments per request, where a literal is read once when the plan is made: both paths
are covered. Each query runs three ways (`tests/support/execution.py`) and must give the same
bytes: data, errors with their paths and codes, and `extensions.cost`.

On the embedded store and on a generated one (`seed.synthetic`), derandomized and with no example
database, so each run asks the same queries; the sizes keep the file near two minutes on a
2-core machine.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLArgument,
    NameNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    is_non_null_type,
    parse_type,
    print_ast,
    value_from_ast_untyped,
    visit,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries
from strawberry.relay import to_base64

from schema import Context, schema
from seed import DEFAULT_SEED
from seed.recap_format.reader import read_recap
from seed.synthetic import synthetic_dataset
from store import Dataset, Store, write_dataset
from store.topic_slugs import slugify
from tests.support.execution import run_three_ways

pytestmark = pytest.mark.slow

EMBEDDED_EXAMPLES = 2_500
GENERATED_STORE_EXAMPLES = 1_200


def _keys(dataset: Dataset) -> tuple[list[str], list[str]]:
    """Strings and global ids the embedded store (and the generated one's numbering) knows."""
    topics = [slugify(topic.name) for topic in dataset.topics]
    keyed = [
        *(("Recap", dataset.recap.slug),),
        *(("Day", day.date.isoformat()) for day in dataset.days),
        *(("Topic", topic) for topic in topics),
        *(("Session", record.slug) for record in dataset.sessions),
        *(("Project", record.slug) for record in dataset.projects),
        *(("Recommendation", record.slug) for record in dataset.recommendations),
        *(("Session", f"synthetic-session-{number}") for number in (0, 1, 7)),
        *(("Project", f"synthetic-project-{number}") for number in (0, 1, 7)),
    ]
    words = [
        *(key for _, key in keyed),
        *(topic.name for topic in dataset.topics),
        *("kubernetes", "helm security", "service mesh", "Kubernetes"),
    ]
    return words, [to_base64(type_name, key) for type_name, key in keyed]


EMBEDDED = read_recap(DEFAULT_SEED).dataset
WORDS, GLOBAL_IDS = _keys(EMBEDDED)


def _text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(WORDS), st.text(max_size=12).filter(lambda text: "\x00" not in text))


SCALARS = {
    # Mostly days and keys the stores have, so that lookups, filters and nodes find something now and then.
    "Date": st.one_of(
        st.sampled_from([day.date.isoformat() for day in EMBEDDED.days]),
        st.dates().map(lambda day: day.isoformat()),
    ).map(nodes.String),
    "String": _text().map(nodes.String),
    "ID": st.one_of(st.sampled_from(GLOBAL_IDS), _text()).map(nodes.String),
}
DOCUMENTS = queries(schema._schema, custom_scalars=SCALARS, allow_x00=False, print_ast=lambda tree: tree)


class _Arguments(Visitor):
    """Every argument of a document with the schema's definition of it, in document order."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.found: list[tuple[ArgumentNode, GraphQLArgument]] = []

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        argument = self.type_info.get_argument()
        if argument is not None:
            self.found.append((node, argument))


class _Hoisted(Visitor):
    """Replaces the chosen arguments' literals with variables and declares them on the operation."""

    def __init__(self, chosen: dict[int, tuple[str, str]]) -> None:
        super().__init__()
        self.chosen = chosen  # id(argument node) -> (variable name, its type)

    def enter_argument(self, node: ArgumentNode, *_: Any) -> ArgumentNode | None:
        hoisted = self.chosen.get(id(node))
        if hoisted is None:
            return None
        return ArgumentNode(name=node.name, value=VariableNode(name=NameNode(value=hoisted[0])))

    def leave_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> OperationDefinitionNode:
        definitions = tuple(
            VariableDefinitionNode(
                variable=VariableNode(name=NameNode(value=name)), type=parse_type(type_name), directives=()
            )
            for name, type_name in self.chosen.values()
        )
        return OperationDefinitionNode(
            operation=node.operation,
            name=node.name,
            variable_definitions=definitions,
            directives=node.directives,
            selection_set=node.selection_set,
        )


@st.composite
def with_variables(draw: st.DrawFn) -> tuple[str, dict[str, Any] | None]:
    """A generated query, some of its arguments sent as variables (values from the literals)."""
    document: DocumentNode = draw(DOCUMENTS)
    type_info = TypeInfo(schema._schema)
    arguments = _Arguments(type_info)
    visit(document, TypeInfoVisitor(type_info, arguments))
    chosen: dict[int, tuple[str, str]] = {}
    variables: dict[str, Any] = {}
    for index, (node, argument) in enumerate(arguments.found):
        way = draw(st.sampled_from(["literal", "variable", "variable", "left out"]))
        if way == "literal" or (way == "left out" and is_non_null_type(argument.type)):
            continue
        name = f"v{index}"
        chosen[id(node)] = (name, str(argument.type))
        if way == "variable":
            variables[name] = value_from_ast_untyped(node.value)
    if not chosen:
        return print_ast(document), None
    return print_ast(visit(document, _Hoisted(chosen))), variables


def _executed(answer: bytes) -> bool:
    body = orjson.loads(answer)
    return body["data"] is not None or any("path" in error for error in body.get("errors", ()))


def _assert_same(query: str, variables: dict[str, Any] | None, context: Context) -> None:
    answers = run_three_ways(query, variables, context)
    assert answers.first == answers.reference, (query, variables)
    assert answers.kept == answers.reference, (query, variables)
    # Every query that executes runs from a plan (variables only in arguments: nothing refuses one).
    assert answers.planned is _executed(answers.reference), (query, variables)


@pytest.fixture(scope="module")
def context(store: Store) -> Context:
    return Context(store=store, request_id="req-generated")


@pytest.fixture(scope="module")
def generated_context(tmp_path_factory: pytest.TempPathFactory) -> Context:
    path = tmp_path_factory.mktemp("generated") / "store.json"
    write_dataset(path, synthetic_dataset(3000, 600))
    return Context(store=Store.open(path), request_id="req-generated-store")


_SETTINGS = {"derandomize": True, "database": None, "deadline": None, "suppress_health_check": list(HealthCheck)}


@settings(max_examples=EMBEDDED_EXAMPLES, **_SETTINGS)  # type: ignore[arg-type]
@given(case=with_variables())
def test_generated_queries_with_variables_answer_as_graphql_core_does(
    case: tuple[str, dict[str, Any] | None], context: Context
) -> None:
    _assert_same(*case, context)


@settings(max_examples=GENERATED_STORE_EXAMPLES, **_SETTINGS)  # type: ignore[arg-type]
@given(case=with_variables())
def test_generated_queries_on_a_generated_store_answer_as_graphql_core_does(
    case: tuple[str, dict[str, Any] | None], generated_context: Context
) -> None:
    _assert_same(*case, generated_context)


def test_variables_are_really_generated() -> None:
    """The strategy above sends arguments as variables, and leaves some out (or the cases above prove less)."""
    seen: list[tuple[str, dict[str, Any] | None]] = []

    @settings(max_examples=200, **_SETTINGS)  # type: ignore[arg-type]
    @given(case=with_variables())
    def collect(case: tuple[str, dict[str, Any] | None]) -> None:
        seen.append(case)

    collect()
    with_values = [variables for _, variables in seen if variables]
    assert len(with_values) > 20
    left_out = [query for query, variables in seen if "$v" in query and not variables]
    assert any("$v" in query for query, _ in seen)
    assert left_out or any(
        query.count("$v") > 2 * len(variables or {}) for query, variables in seen
    )  # some declared variable had no value
