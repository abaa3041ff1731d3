"""What recapql learned about one request: made by the access log, filled by the endpoint, read by both.

One slotted record per request, instead of loose `request.state` attributes read back by string
key: a misspelt field or outcome is a type error, not a silently missing log field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from starlette.types import Scope

# ok: answered by running GraphQL; cached: from the response cache; not_modified: a 304;
# refused: failed before execution (syntax, validation, a limit, a bad HTTP request);
# invalid: a field failed on the client's input (a bad argument); error: a bug of ours;
# disconnected: the client left before its request was read (nginx's 499), not our fault.
Outcome = Literal["ok", "cached", "not_modified", "refused", "invalid", "error", "disconnected"]
CacheResult = Literal["hit", "miss"]
OUTCOMES: tuple[Outcome, ...] = ("ok", "cached", "not_modified", "refused", "invalid", "error", "disconnected")
# The status logged and counted for a client that closed its connection first: nginx's
# "499 Client Closed Request". No response is sent; a 5xx would blame the server.
CLIENT_CLOSED_REQUEST = 499

_KEY = "recapql.facts"


@dataclass(slots=True)
class RequestFacts:
    """One request, as logged and counted. The access log sets the first four and the last two.

    `status` is what was sent: 500 until a response starts (an exception before it is a 500 from
    Starlette), 499 for a client that disconnected first.
    """

    request_id: str
    method: str
    path: str
    client: str | None
    operation: str | None = None
    outcome: Outcome | None = None
    cache: CacheResult | None = None
    limit: str | None = None  # the limit that refused the document (schema.limits.refusals.LimitName)
    status: int = 500
    duration: float = 0.0

    def disconnected(self) -> None:
        """The client left before it could be answered: outcome `disconnected`, status 499."""
        self.outcome = "disconnected"
        self.status = CLIENT_CLOSED_REQUEST

    def attach(self, scope: Scope) -> None:
        """Keep these facts in the request's scope, where `of(scope)` finds them."""
        scope.setdefault("state", {})[_KEY] = self

    @staticmethod
    def of(scope: Scope) -> RequestFacts | None:
        """The facts of the request `scope` belongs to; None outside the access log (an app without it)."""
        found = scope.get("state", {}).get(_KEY)
        return found if isinstance(found, RequestFacts) else None
