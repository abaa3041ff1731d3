"""Executing validated operations from plans: graphql-core's answers, with the per-field decisions made once.

Holds the compiler (`compiler.py`, `completion.py`: an operation into closures), the run of a plan
(`run.py`), and the plans kept per document and store (`plans.py`, with the `PlanOperations`
extension that makes them). Imports graphql-core, Strawberry and `schema`; never `recapql`.
"""

from __future__ import annotations

from schema.execution.plans import PLANS, PlanOperations, answer_from_plan

__all__ = ["PLANS", "PlanOperations", "answer_from_plan"]
