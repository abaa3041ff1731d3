"""`extensions.cost` on every answer: what the cost limit priced the operation at, and the limit.

`{"cost": {"estimated": N, "maximum": M}}`: N is the cost `schema.limits.cost` computes for the
operation that runs (the cost limit's own number, with the answering store's fan-outs), M the
request's `max_cost`. A client sees how close a query is to the limit before it is refused, and
a refused one says by how much it went over. A document that does not parse, or names no
operation that would run, prices nothing: N is 0 (as in the endpoint's own refusals before
GraphQL runs: a document too long, a persisted query not found).

A cached answer carries the numbers it was made with: the response cache keys answers by the
store's version (so its fan-outs), the document and the operation, and each app, with its one
`max_cost`, has its own cache; variables change no cost (a variable is priced by its default).
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import OperationDefinitionNode, get_operation_ast
from strawberry.extensions import SchemaExtension

from schema.limits.cost import OperationCost
from schema.limits.enforcement import Limits
from store.store import Store

logger = logging.getLogger("recapql.graphql")


class ReportCost(SchemaExtension):
    """Adds `cost: {estimated, maximum}` to the answer's `extensions` (requests with recapql's context only)."""

    def get_results(self) -> dict[str, Any]:
        execution_context = self.execution_context
        limits = getattr(execution_context.context, "limits", None)
        store = getattr(execution_context.context, "store", None)
        if not isinstance(limits, Limits) or not isinstance(store, Store):
            return {}
        estimated = 0
        document = execution_context.graphql_document
        operation = get_operation_ast(document, execution_context.operation_name) if document is not None else None
        if document is not None and isinstance(operation, OperationDefinitionNode):
            pricing = OperationCost(execution_context.schema._schema, document, store.fan_outs)
            try:
                estimated = pricing.of_operation(operation)
            except Exception:  # a bug of ours: logged, and no reason to lose the answer over it
                logger.exception("pricing the operation for extensions.cost failed")
        return {"cost": {"estimated": estimated, "maximum": limits.max_cost}}
