"""The fields that point back against the import order: Strawberry's lazy aliases, and builders that import late.

`recap.py` imports the linked types, and `sessions.py` imports `projects.py`. A field pointing the
other way (any object's `recap`, a project's or topic's sessions, a recommendation's session) names
its type with an alias here, which Strawberry resolves when it builds the schema, and builds its
objects with a function here, which imports the type's module when it is first called.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.context import Info, index_of
from store import RecapIndex
from store.records import Session as SessionRecord

if TYPE_CHECKING:
    from schema.types.recap import Recap
    from schema.types.sessions import Session

RecapOfNode = Annotated["Recap", strawberry.lazy("schema.types.recap")]
SessionOfNode = Annotated["Session", strawberry.lazy("schema.types.sessions")]


def recap_of(info: Info, slug: str) -> Recap:
    """The `Recap` object of the recap `slug`."""
    from schema.types.recap import Recap

    return Recap.from_index(index_of(info, slug))


def session_from(record: SessionRecord, index: RecapIndex) -> Session:
    """`Session.from_record(record, index)`."""
    from schema.types.sessions import Session

    return Session.from_record(record, index)


def sessions_from(found: Iterable[SessionRecord], index: RecapIndex) -> list[Session]:
    """`Session.from_records(found, index)`."""
    from schema.types.sessions import Session

    return Session.from_records(found, index)
