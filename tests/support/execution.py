"""One query run the three ways the schema can run it, for the tests that compare them.

graphql-core's own execution (the schema without `PlanOperations`, as Strawberry and graphql-core
ran every query before plans), a plan's first run (through Strawberry's pipeline, in graphql-core's
place) and a kept plan's (straight from `answer_from_plan`). Answers are compared as the bytes a
client gets: `process_result` (data, errors with message, locations, path and extensions, and the
answer's extensions) serialized by orjson, as the endpoint does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from strawberry.http import process_result
from strawberry.types import ExecutionResult

from schema import Context, RecapSchema, schema
from schema.execution import PLANS, PlanOperations


@contextmanager
def graphql_core_only(target: RecapSchema = schema) -> Iterator[None]:
    """Within the block, `target` runs every query as Strawberry and graphql-core do, with no plan."""
    saved = target.extensions
    target.extensions = tuple(extension for extension in saved if extension is not PlanOperations)
    try:
        yield
    finally:
        target.extensions = saved


@dataclass(frozen=True)
class Answers:
    """What a client gets each way, and whether the query had a plan to run from."""

    reference: bytes
    first: bytes
    kept: bytes
    planned: bool


def answered(result: ExecutionResult) -> bytes:
    return orjson.dumps(process_result(result))


def run_three_ways(
    query: str,
    variables: dict[str, Any] | None,
    context: Context,
    operation_name: str | None = None,
    *,
    target: RecapSchema = schema,
    asynchronous: bool = False,
) -> Answers:
    """`query` run by graphql-core, by a new plan, and by the plan kept from that run."""

    def run() -> bytes:
        if asynchronous:
            execution = target.execute(query, variables, context, operation_name=operation_name)
            return answered(asyncio.run(execution))
        return answered(target.execute_sync(query, variables, context, operation_name=operation_name))

    with graphql_core_only(target):
        reference = run()
    PLANS.clear()
    first = run()
    planned = PLANS.get((query, operation_name, context.limits, context.store.version)) is not None
    return Answers(reference, first, run(), planned)
