"""Execution time without HTTP: `schema.execute_sync` with `Context(store=...)`, one call at a time.

Calls cycle through the workload's bodies in the order the load generator sends them, so a
miss workload misses recapql's in-process memos here as it does over HTTP (its bodies outnumber
what the memos keep).
"""

from __future__ import annotations

import json
import statistics
import time
from itertools import cycle, islice

from workloads import Workload

from schema import Context, schema
from store import Store

WARM_UP = 5


def execution_ms(workload: Workload, store: Store, calls: int) -> float:
    """Median milliseconds of one execution, over `calls` calls after a few to warm up."""
    context = Context(store=store)
    requests = [json.loads(body) for body in workload.bodies]

    def execute(request: dict[str, object]) -> None:
        variables = request.get("variables")
        result = schema.execute_sync(
            str(request["query"]),
            variable_values=variables if isinstance(variables, dict) else None,
            context_value=context,
        )
        if result.errors:
            raise RuntimeError(f"{workload.title} fails in-process: {result.errors}")

    for request in requests[-WARM_UP:]:
        execute(request)
    times = []
    for request in islice(cycle(requests), calls):
        started = time.perf_counter_ns()
        execute(request)
        times.append(time.perf_counter_ns() - started)
    return round(statistics.median(times) / 1e6, 3)
