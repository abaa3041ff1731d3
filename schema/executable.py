"""The executable schema: `RecapSchema` and the one `schema` object built from it.

One per process, since Strawberry binds the types to the schema that holds them. Limits come
with each request's context, so this one schema serves apps with different settings. Validated
queries run from plans (`schema.execution`): the first time through Strawberry's pipeline with
the plan in graphql-core's place, after that straight from the plan.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from schema.errors import (
    MaskUnexpectedErrors,
    client_error_code,
    in_plain_words,
    is_unexpected,
    masked,
    request_id_of,
    suggestions_shown,
    with_code,
)
from schema.execution import PlanOperations, answer_from_plan
from schema.limits.cost_report import ReportCost
from schema.limits.document_cache import DocumentCache
from schema.limits.enforcement import EnforceLimits, label_limit, without_suggestions
from schema.query import Query
from schema.types.scalars import Date

logger = logging.getLogger("recapql.graphql")


class RecapSchema(strawberry.Schema):
    """A schema that logs bugs with their traceback, and gives every client error its code, in plain words.

    Strawberry hands `process_errors` every error once, at the stage that found it: parse errors
    are `GraphQLSyntaxError`s, validation errors come before execution began (the execution
    context has no result yet), and the rest come from execution (variables, resolvers).

    `execute` and `execute_sync` answer a query they have planned before from its plan, with the
    answer Strawberry's own pipeline gives (`schema.execution.plans`), and run the rest as
    Strawberry does.
    """

    async def execute(  # Strawberry's signature
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        planned = self._from_plan(
            query, variable_values, context_value, root_value, operation_name, allowed_operation_types,
            operation_extensions,
        )  # fmt: skip
        if planned is not None:
            return planned
        return await super().execute(
            query, variable_values, context_value, root_value, operation_name, allowed_operation_types,
            operation_extensions,
        )  # fmt: skip

    def execute_sync(  # Strawberry's signature
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        planned = self._from_plan(
            query, variable_values, context_value, root_value, operation_name, allowed_operation_types,
            operation_extensions,
        )  # fmt: skip
        if planned is not None:
            return planned
        return super().execute_sync(
            query, variable_values, context_value, root_value, operation_name, allowed_operation_types,
            operation_extensions,
        )  # fmt: skip

    def _from_plan(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None,
        context_value: Any | None,
        root_value: Any | None,
        operation_name: str | None,
        allowed_operation_types: Iterable[OperationType] | None,
        operation_extensions: dict[str, Any] | None,
    ) -> ExecutionResult | None:
        """The answer of a kept plan; None when Strawberry's own pipeline must run (no plan, or not a query)."""
        if not _queries_allowed(allowed_operation_types):
            return None
        return answer_from_plan(
            self, query, variable_values, context_value, root_value, operation_name, operation_extensions
        )

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        request_id = request_id_of(execution_context)
        executed = execution_context is not None and execution_context.result is not None
        for error in errors:
            if is_unexpected(error):
                original = error.original_error
                logger.error(
                    "unexpected error (request id %s): %s",
                    request_id,
                    original,
                    exc_info=original,
                    extra={"request_id": request_id},
                )
                # MaskUnexpectedErrors replaces it for the client; this covers the one path it
                # never sees (an exception escaping validation, after which Strawberry skips the
                # extensions' last steps): the client still reads no Python.
                stand_in = masked(error, request_id)
                error.message, error.extensions = stand_in.message, stand_in.extensions
                continue
            label_limit(error)
            with_code(error, client_error_code(error, executed=executed))
            if not suggestions_shown(execution_context):
                error.message = without_suggestions(error.message)
            error.message = in_plain_words(error.message)
            logger.debug("request error: %s", error.message, extra={"request_id": request_id})


schema = RecapSchema(
    query=Query,
    extensions=[
        # First: the limits set the parse options and validation rules the cache below keys on.
        EnforceLimits,
        DocumentCache,
        MaskUnexpectedErrors,
        # `extensions.cost` on every answer, cached ones included (schema/limits/cost_report.py).
        ReportCost,
        # Last: validated queries run from plans in graphql-core's place (schema/execution/).
        PlanOperations,
    ],
    # Strawberry's Date with refusals in plain words (schema/types/scalars.py).
    scalar_overrides={datetime.date: Date},
)


def _queries_allowed(allowed: Iterable[OperationType] | None) -> bool:
    """Plans are of queries only; a request that may not run one goes to Strawberry, which refuses it."""
    return allowed is None or OperationType.QUERY in allowed
