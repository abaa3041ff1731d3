"""One field of a plan: a closure that resolves it on its parent and completes the value, as graphql-core does.

graphql-core's `execute_field` looks up the field, builds its `info`, reads its arguments,
calls its resolver and completes the value, and turns any exception into a located error, on
every field of every object. A field here is the same steps with what does not change between
requests settled when the plan is made:

- `__typename` is the parent type's name (graphql-core's resolver for it returns exactly that);
- a Strawberry field without a resolver is an attribute read (what Strawberry's `_get_basic_result`
  does through `StrawberryConfig.default_resolver`, `getattr`), and needs no `info`;
- a resolver without field extensions or exception handlers, whose arguments (if any) are plain
  `str`, `int`, `float` or `bool` values, is called as Strawberry's wrapper would call it (`self`,
  `root`, `info` as its signature asks, the arguments by their Python names), without the
  wrapper's argument conversion and extension chain, which have nothing to do for it. Strawberry
  0.341 runs `get_arguments`, `convert_arguments` and a `reduce` over the (empty) extensions on
  every call: a third of executing a `session(slug:)` lookup. Its compiled resolvers
  (strawberry-graphql/strawberry#1853) and the overhead work for no-argument resolvers (#4620)
  are still open;
- any other field goes through its resolver as graphql-core calls it (Strawberry's wrapper
  converts the arguments), with the arguments read once when they name no variable.

A leaf value of the type its scalar would return unchanged (a `str` for `String` and `ID`, a
`bool` for `Boolean`, a 32-bit `int` for `Int`), or a list of them, is taken as it is; anything
else, and every error, runs graphql-core's own completion steps (`schema.execution.completion`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLString,
    get_argument_values,
    is_non_null_type,
)
from graphql.type.introspection import TypeNameMetaFieldDef
from strawberry.types.base import StrawberryMaybe, StrawberryOptional
from strawberry.types.field import StrawberryField

from schema.execution.completion import Complete, Site, completer, needs_info
from schema.execution.run import NotPlannable, Run, new_path

# execute(source, parent_path, run): the field's completed value (None where it failed).
Execute = Callable[[Any, Any, Run], Any]
_INT_RANGE = range(-(2**31), 2**31)
_UNCHANGED: dict[Any, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool, GraphQLInt: int}
_PLAIN_SCALARS = frozenset({str, int, float, bool})


def plan_field(
    site: Site,
    response_name: str,
    field_def: GraphQLField,
    static_args: dict[str, Any] | None,
    strawberry: Any,
) -> Execute:
    """The closure for one field (`static_args`: None when they must be read per request)."""
    return_type = field_def.type
    complete = completer(return_type, site)
    propagates = site.error_propagation and is_non_null_type(return_type)
    shape = _Shape(site, response_name, return_type, complete, propagates)
    if field_def is TypeNameMetaFieldDef:
        return shape.constant(site.parent_type.name)
    resolve = field_def.resolve
    definition = field_def.extensions.get("strawberry-definition")
    if (
        getattr(resolve, "__name__", None) == "_get_basic_result"
        and isinstance(definition, StrawberryField)
        and definition.is_basic_field
        and strawberry.config.default_resolver is getattr
    ):
        return shape.attribute(definition.python_name)
    if resolve is None:
        raise NotPlannable(f"{site.parent_type}.{site.field_name} has no resolver of its own")
    read_args: Callable[[Run], dict[str, Any]]
    if static_args is None:
        node = site.nodes[0]

        def read_args(run: Run) -> dict[str, Any]:
            return get_argument_values(field_def, node, run.variables, None, False)

    else:
        read_args = lambda run: static_args  # noqa: E731  # read once, when the plan was made
    if isinstance(definition, StrawberryField) and _direct_call_fits(resolve, definition, strawberry):
        names = _unconverted_arguments(definition, strawberry)
        if names is not None:
            info_class = strawberry.config.info_class
            return shape.direct(definition, info_class, read_args if names else None, names)
    return shape.resolved(resolve, read_args)


def _direct_call_fits(resolve: Any, definition: StrawberryField, strawberry: Any) -> bool:
    if getattr(resolve, "__name__", None) != "_resolver":
        return False
    resolver = definition.base_resolver
    return (
        resolver is not None
        and not definition.extensions
        and not definition.is_async
        and not strawberry.exception_handlers
        and type(definition).get_result is StrawberryField.get_result
        and callable(resolver.wrapped_func)
    )


def _unconverted_arguments(definition: StrawberryField, strawberry: Any) -> tuple[tuple[str, str], ...] | None:
    """(GraphQL name, Python name) of each argument, when Strawberry would pass every one on unchanged; else None.

    Strawberry's `convert_argument` returns a value of a scalar it knows (`str`, `int`, `float`,
    `bool`), or None, as it is; lists (copied), enums, IDs, input objects and `Maybe` it builds
    anew, and such fields keep going through its wrapper.
    """
    names = []
    for argument in definition.arguments:
        argument_type = argument.type
        if isinstance(argument_type, StrawberryMaybe):
            return None
        if isinstance(argument_type, StrawberryOptional):
            argument_type = argument_type.of_type
        if argument_type not in _PLAIN_SCALARS or argument.python_name is None:
            return None
        names.append((strawberry.config.name_converter.from_argument(argument), argument.python_name))
    return tuple(names)


def _fast_leaf(return_type: GraphQLOutputType) -> tuple[type | None, bool]:
    """The Python type a leaf (or list of leaves) of `return_type` passes through unchanged, and whether a list."""
    named = _nullable(return_type)
    listed = isinstance(named, GraphQLList)
    if isinstance(named, GraphQLList):
        named = _nullable(named.of_type)
    if isinstance(named, GraphQLList):
        return None, False
    # graphql-core's own scalars only (by identity): another scalar of the same name may coerce differently.
    return _UNCHANGED.get(named), listed


def _nullable(type_: GraphQLOutputType) -> GraphQLOutputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


class _Shape:
    """The closures one field can become, sharing what they all need."""

    def __init__(
        self, site: Site, name: str, return_type: GraphQLOutputType, complete: Complete, propagates: bool
    ) -> None:
        self.site, self.name, self.return_type = site, name, return_type
        self.complete, self.propagates = complete, propagates
        self.head = (site.field_name, site.nodes, return_type, site.parent_type)
        self.info_needed = needs_info(return_type)

    def constant(self, value: str) -> Execute:
        def execute_constant(source: Any, parent_path: Any, run: Run) -> Any:
            return value

        return execute_constant

    def attribute(self, attribute: str) -> Execute:
        name, typename, nodes = self.name, self.site.parent_type.name, self.site.nodes
        complete, propagates, head = self.complete, self.propagates, self.head
        unchanged, listed = _fast_leaf(self.return_type)
        info_needed = self.info_needed

        def finish(value: Any, parent_path: Any, run: Run) -> Any:
            path = new_path(parent_path, name, typename)
            info = run.info(head, path) if info_needed else None
            try:
                return complete(value, path, run, info)
            except NotPlannable:
                raise
            except Exception as raw_error:
                return run.field_error(raw_error, nodes, path, propagates)

        def execute_attribute(source: Any, parent_path: Any, run: Run) -> Any:
            try:
                value = getattr(source, attribute)
            except Exception as raw_error:
                return run.field_error(raw_error, nodes, new_path(parent_path, name, typename), propagates)
            if unchanged is None:
                return finish(value, parent_path, run)
            if listed:
                kind = type(value)
                if kind is list or kind is tuple:
                    for item in value:
                        if type(item) is not unchanged or (unchanged is int and item not in _INT_RANGE):
                            break
                    else:
                        return list(value)  # graphql-core answers a new list of the same items
                return finish(value, parent_path, run)
            if type(value) is unchanged and (unchanged is not int or value in _INT_RANGE):
                return value
            return finish(value, parent_path, run)

        return execute_attribute

    def direct(
        self,
        definition: StrawberryField,
        info_class: Callable[..., Any],
        read_args: Callable[[Run], dict[str, Any]] | None,
        names: tuple[tuple[str, str], ...],
    ) -> Execute:
        """The resolver called as Strawberry's `get_arguments` and `get_result` would call it, arguments renamed."""
        resolver = definition.base_resolver
        assert resolver is not None  # checked by _direct_call_fits
        function = cast(Callable[..., Any], resolver.wrapped_func)
        takes_self = resolver.self_parameter is not None
        by_name = [p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p is not None]
        info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None

        def call(source: Any, raw_info: Any, run: Run) -> Any:
            kwargs: dict[str, Any] = {}
            if read_args is not None:
                args = read_args(run)
                for graphql_name, python_name in names:
                    if graphql_name in args:
                        kwargs[python_name] = args[graphql_name]
            for name in by_name:
                kwargs[name] = source
            if info_name is not None:
                kwargs[info_name] = info_class(_raw_info=raw_info, _field=definition)
            return function(source, **kwargs) if takes_self else function(**kwargs)

        return self._calling(call)

    def resolved(self, resolve: Callable[..., Any], read_args: Callable[[Run], dict[str, Any]]) -> Execute:
        def call_resolver(source: Any, raw_info: Any, run: Run) -> Any:
            return resolve(source, raw_info, **read_args(run))

        name, typename, nodes = self.name, self.site.parent_type.name, self.site.nodes
        complete, propagates, head = self.complete, self.propagates, self.head

        def execute_resolved(source: Any, parent_path: Any, run: Run) -> Any:
            path = new_path(parent_path, name, typename)
            info = run.info(head, path)
            try:
                return complete(call_resolver(source, info, run), path, run, info)
            except NotPlannable:
                raise
            except Exception as raw_error:
                return run.field_error(raw_error, nodes, path, propagates)

        return execute_resolved

    def _calling(self, call: Callable[[Any, Any, Run], Any]) -> Execute:
        name, typename, nodes = self.name, self.site.parent_type.name, self.site.nodes
        complete, propagates, head = self.complete, self.propagates, self.head

        def execute_called(source: Any, parent_path: Any, run: Run) -> Any:
            path = new_path(parent_path, name, typename)
            info = run.info(head, path)
            try:
                return complete(call(source, info, run), path, run, info)
            except NotPlannable:
                raise
            except Exception as raw_error:
                return run.field_error(raw_error, nodes, path, propagates)

        return execute_called
