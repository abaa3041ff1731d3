"""One run of a plan: its errors, kept as graphql-core keeps them, and what every resolver's `info` shares.

graphql-core's `Executor` holds the state of one execution; a plan's closures get this instead,
smaller: the errors found so far with the positions they nulled (graphql-core's
`CollectedErrors`, whose rules it repeats), and the part of `GraphQLResolveInfo` that is the
same for every field of the request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import Any

from graphql import GraphQLError, located_error
from graphql.pyutils import Path
from graphql.pyutils.gather_with_cancel import gather_with_cancel
from graphql.type import GraphQLResolveInfoHelpers
from strawberry.schema.schema import _OperationContextAwareGraphQLResolveInfo

# The `info` Strawberry's own execution context gives resolvers (its `build_resolve_info`):
# graphql-core's fields, the coerced variables as a plain dict, and the operation's extensions.
ResolveInfo = _OperationContextAwareGraphQLResolveInfo
_new_tuple = tuple.__new__


class NotPlannable(Exception):
    """The operation (or a value met while running it) is one a plan does not cover: graphql-core runs it.

    Raised before anything is returned, and never turned into a field error, so the reference
    execution that follows answers as if no plan had been tried.
    """


def new_path(prev: Path | None, key: str | int, typename: str | None) -> Path:
    """`Path(prev, key, typename)` without the named tuple's Python-level `__new__` (one per field and item)."""
    return _new_tuple(Path, (prev, key, typename))


def _track(values: Sequence[Any]) -> None:
    # Plans run only resolvers that are plain functions, so there is no asynchronous work to track.
    if any(isinstance(value, Awaitable) for value in values):
        raise TypeError("A planned execution runs no asynchronous work.")


def _gather(values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
    return gather_with_cancel(*values)


ASYNC_HELPERS = GraphQLResolveInfoHelpers(gather=_gather, track=_track)


class Run:
    """The state of one execution of a plan."""

    __slots__ = ("errors", "info_tail", "positions", "variables")

    def __init__(self, info_tail: tuple[Any, ...], variables: Any) -> None:
        self.errors: list[GraphQLError] = []
        self.positions: set[Path | None] = set()
        # What `GraphQLResolveInfo` holds after `path`: schema, fragments, root value, operation,
        # coerced variables, context, is_awaitable, abort signal, async helpers, operation extensions.
        self.info_tail = info_tail
        self.variables = variables  # graphql-core's VariableValues, for arguments that name variables

    def info(self, head: tuple[Any, ...], path: Path) -> ResolveInfo:
        """The resolve info of a field: `head` is (field name, field nodes, return type, parent type)."""
        return _new_tuple(ResolveInfo, (*head, path, *self.info_tail))

    def field_error(self, raw_error: Exception, nodes: Sequence[Any], path: Path, propagates: bool) -> None:
        """graphql-core's `handle_field_error`: locate the error, then raise it (non-null) or keep it (null)."""
        error = located_error(raw_error, nodes, path.as_list())
        if propagates:
            raise error
        self.add(error, path)

    def add(self, error: GraphQLError, path: Path | None) -> None:
        """graphql-core's `CollectedErrors.add`: no error below a position already nulled."""
        positions = self.positions
        position = path
        while position is not None:
            if position in positions:
                return
            position = position.prev
        if None in positions:
            return
        positions.add(path)
        self.errors.append(error)
