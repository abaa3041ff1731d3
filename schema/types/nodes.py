"""`nodes(ids:)`: many objects refetched by their global ids at once, within a bound."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.relay import GlobalIDValueError

from resolvers.errors import InvalidArgument
from schema.context import Info
from store.fan_outs import NODE_IDS

NodeIds = Annotated[
    list[relay.GlobalID],
    strawberry.argument(description=f"The global ids (each object's `id`) to refetch, at most {NODE_IDS}."),
]


def nodes_of(info: Info, ids: list[relay.GlobalID]) -> list[relay.Node | None]:
    """The object each id names, in the order of `ids`; None where an id names nothing (no such object,
    or a type without ids); more than NODE_IDS ids are refused."""
    if len(ids) > NODE_IDS:
        raise InvalidArgument("ids", f"must hold at most {NODE_IDS} ids, got {len(ids)}")
    positions: defaultdict[type[relay.Node], list[int]] = defaultdict(list)
    for position, global_id in enumerate(ids):
        try:
            positions[global_id.resolve_type(info)].append(position)
        except GlobalIDValueError:
            continue  # a type that is no Node (or none at all): the id names nothing
    found: list[relay.Node | None] = [None] * len(ids)
    for node_type, where in positions.items():
        resolved = node_type.resolve_nodes(info=info, node_ids=[ids[position].node_id for position in where])
        for position, node in zip(where, resolved, strict=True):  # type: ignore[arg-type]  # ours are lists
            found[position] = node
    return found
