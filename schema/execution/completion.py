"""Completing a resolved value as graphql-core does, with the type's questions answered once per field.

graphql-core's `Executor.complete_value` asks of every value what the field's type is: non-null?
list? leaf? abstract? object? Here a field's type becomes a chain of closures when the plan is
compiled, and each value runs down its chain. Each closure is one branch of graphql-core 3.3's
`complete_value` family, with the same checks in the same order and the same messages, so a value
completes to the same data or fails with the same error (`tests/schema/test_execution_equivalence.py`).

What is left out is what cannot happen in a plan: awaitables and async iterables (a plan is made
only when every resolver, type resolver and `is_type_of` is a plain function; graphql-core's
awaitable checks would all answer no) and `@stream`/`@defer` (the schema has neither).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLAbstractType,
    GraphQLError,
    GraphQLLeafType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.execution.executor import default_type_resolver, invalid_return_type_error
from graphql.pyutils import Path, Undefined, inspect, is_iterable

from schema.execution.run import NotPlannable, Run, new_path

# complete(result, path, run, info): the completed value, or an exception (a field error).
Complete = Callable[[Any, Path, Run, Any], Any]
# selection(source, path, run): the object's fields, completed.
Selection = Callable[[Any, Path | None, Run], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Site:
    """The field a value is completed for, and how to plan the objects below it."""

    schema: GraphQLSchema
    parent_type: GraphQLObjectType
    field_name: str
    details: list[FieldDetails]
    nodes: list[Any]
    error_propagation: bool
    plan_selection: Callable[[GraphQLObjectType, list[FieldDetails]], Selection]


def completer(return_type: GraphQLOutputType, site: Site) -> Complete:
    """graphql-core's `complete_value` for values of `return_type` at `site`."""
    if is_non_null_type(return_type):
        inner = _nullable(return_type.of_type, site)
        message = f"Cannot return null for non-nullable field {site.parent_type}.{site.field_name}."

        def complete_non_null(result: Any, path: Path, run: Run, info: Any) -> Any:
            if isinstance(result, Exception):
                raise result
            completed = inner(result, path, run, info)
            if completed is None:
                raise TypeError(message)
            return completed

        return complete_non_null
    return _nullable(return_type, site)


def needs_info(return_type: GraphQLOutputType) -> bool:
    """Whether completing a value of `return_type` reads the field's `info` (type resolvers, `is_type_of`)."""
    while is_non_null_type(return_type) or is_list_type(return_type):
        return_type = return_type.of_type
    if is_abstract_type(return_type):
        return True
    return is_object_type(return_type) and return_type.is_type_of is not None


def _nullable(return_type: GraphQLOutputType, site: Site) -> Complete:
    specific = _specific(return_type, site)

    def complete_nullable(result: Any, path: Path, run: Run, info: Any) -> Any:
        if isinstance(result, Exception):
            raise result
        if result is None or result is Undefined:
            return None
        return specific(result, path, run, info)

    return complete_nullable


def _specific(return_type: GraphQLOutputType, site: Site) -> Complete:
    if is_list_type(return_type):
        return _list(return_type.of_type, site)
    if is_leaf_type(return_type):
        return _leaf(return_type)
    if is_abstract_type(return_type):
        return _abstract(return_type, site)
    if is_object_type(return_type):
        return _object(return_type, site)
    raise NotPlannable(f"no completion for {inspect(return_type)}")


def _list(item_type: GraphQLOutputType, site: Site) -> Complete:
    item_propagates = site.error_propagation and is_non_null_type(item_type)
    nodes = site.nodes
    message = f"Expected Iterable, but did not find one for field '{site.parent_type}.{site.field_name}'."
    objects = _non_null_object(item_type, site)

    def iterable(result: Any) -> Any:
        kind = type(result)
        if kind is not list and kind is not tuple:
            if hasattr(result, "__aiter__"):  # graphql-core would iterate it asynchronously
                raise NotPlannable("an async iterable")
            if not is_iterable(result):
                raise GraphQLError(message)
        return result

    if objects is None:
        return _any_list(completer(item_type, site), iterable, nodes, item_propagates)
    null_message, object_type, is_type_of, selection = objects
    details = site.details

    # The common list, [Object!]: the item's non-null, nullable and object steps in the loop itself.
    def complete_object_list(result: Any, path: Path, run: Run, info: Any) -> list[Any]:
        completed: list[Any] = []
        append = completed.append
        for index, item in enumerate(iterable(result)):
            item_path = new_path(path, index, None)
            try:
                if isinstance(item, Exception):
                    raise item
                if item is None or item is Undefined:
                    raise TypeError(null_message)
                if is_type_of is not None and not is_type_of(item, info):
                    raise invalid_return_type_error(object_type, item, details)
                append(selection(item, item_path, run))
            except NotPlannable:
                raise
            except Exception as raw_error:
                run.field_error(raw_error, nodes, item_path, item_propagates)
                append(None)
        return completed

    return complete_object_list


def _any_list(complete_item: Complete, iterable: Callable[[Any], Any], nodes: list[Any], propagates: bool) -> Complete:
    def complete_list(result: Any, path: Path, run: Run, info: Any) -> list[Any]:
        completed: list[Any] = []
        append = completed.append
        for index, item in enumerate(iterable(result)):
            item_path = new_path(path, index, None)
            try:
                append(complete_item(item, item_path, run, info))
            except NotPlannable:
                raise
            except Exception as raw_error:
                run.field_error(raw_error, nodes, item_path, propagates)
                append(None)
        return completed

    return complete_list


def _non_null_object(item_type: GraphQLOutputType, site: Site) -> tuple[str, GraphQLObjectType, Any, Selection] | None:
    """For items of a non-null object type: what completing one takes; else None."""
    if not is_non_null_type(item_type) or not is_object_type(item_type.of_type):
        return None
    object_type: GraphQLObjectType = item_type.of_type
    message = f"Cannot return null for non-nullable field {site.parent_type}.{site.field_name}."
    return message, object_type, object_type.is_type_of, site.plan_selection(object_type, site.details)


def _leaf(return_type: GraphQLLeafType) -> Complete:
    coerce = return_type.coerce_output_value

    def complete_leaf(result: Any, path: Path, run: Run, info: Any) -> Any:
        coerced = coerce(result)
        if coerced is Undefined or coerced is None:
            raise TypeError(
                f"Expected `{inspect(return_type)}.coerce_output_value({inspect(result)})` to return "
                f"non-nullable value, returned: {inspect(coerced)}"
            )
        return coerced

    return complete_leaf


def _object(object_type: GraphQLObjectType, site: Site) -> Complete:
    selection = site.plan_selection(object_type, site.details)
    is_type_of = object_type.is_type_of
    details = site.details
    if is_type_of is None:

        def complete_object(result: Any, path: Path, run: Run, info: Any) -> dict[str, Any]:
            return selection(result, path, run)

        return complete_object

    def complete_checked_object(result: Any, path: Path, run: Run, info: Any) -> dict[str, Any]:
        if not is_type_of(result, info):
            raise invalid_return_type_error(object_type, result, details)
        return selection(result, path, run)

    return complete_checked_object


def _abstract(abstract_type: GraphQLAbstractType, site: Site) -> Complete:
    resolve_type = abstract_type.resolve_type or default_type_resolver
    schema = site.schema
    by_name = {possible.name: _object(possible, site) for possible in schema.get_possible_types(abstract_type)}

    def complete_abstract(result: Any, path: Path, run: Run, info: Any) -> Any:
        runtime_name = resolve_type(result, info, abstract_type)
        runtime_type = _valid_runtime_type(schema, runtime_name, abstract_type, site, info, result)
        return by_name[runtime_type.name](result, path, run, info)

    return complete_abstract


def _valid_runtime_type(
    schema: GraphQLSchema,
    runtime_name: Any,
    abstract_type: GraphQLAbstractType,
    site: Site,
    info: Any,
    result: Any,
) -> GraphQLObjectType:
    """graphql-core's `Executor.ensure_valid_runtime_type`, with its messages."""
    nodes: Sequence[Any] = site.nodes
    if runtime_name is None:
        raise GraphQLError(
            f"Abstract type '{abstract_type}' must resolve to an Object type at runtime for field "
            f"'{info.parent_type}.{info.field_name}'. Either the '{abstract_type}' type should provide a "
            "'resolve_type' function or each possible type should provide an 'is_type_of' function.",
            nodes,
        )
    if hasattr(runtime_name, "__await__"):
        raise NotPlannable("an asynchronous type resolver")
    if not isinstance(runtime_name, str):
        raise GraphQLError(
            f"Abstract type '{abstract_type}' must resolve to an Object type at runtime for field "
            f"'{info.parent_type}.{info.field_name}' with value {inspect(result)}, received "
            f"'{inspect(runtime_name)}', which is not a valid Object type name.",
            nodes,
        )
    runtime_type = schema.get_type(runtime_name)
    if runtime_type is None:
        raise GraphQLError(
            f"Abstract type '{abstract_type}' was resolved to a type '{runtime_name}' that does not exist "
            "inside the schema.",
            nodes,
        )
    if not is_object_type(runtime_type):
        raise GraphQLError(
            f"Abstract type '{abstract_type}' was resolved to a non-object type '{runtime_name}'.", nodes
        )
    if not schema.is_sub_type(abstract_type, runtime_type):
        raise GraphQLError(f"Runtime Object type '{runtime_type}' is not a possible type for '{abstract_type}'.", nodes)
    return runtime_type
