"""The Recap type: the write-up as a whole, and its change history."""

from __future__ import annotations

import datetime

import strawberry

from resolvers import sessions
from schema.context import Info, store_of
from schema.types import Session
from store import records


@strawberry.type(description="One entry of the recap's change history.")
class Change:
    date: datetime.date = strawberry.field(description="When the change was published.")
    description: str = strawberry.field(description="What changed, as the recap words it.")


@strawberry.type(description="The conference recap itself: which event it covers and what the author made of it.")
class Recap:
    title: str = strawberry.field(description="The recap's title.")
    event: str = strawberry.field(description="The event the recap covers.")
    city: str = strawberry.field(description="Where the event took place.")
    country: str = strawberry.field(description="The country the city is in.")
    start_date: datetime.date = strawberry.field(description="The event's first day.")
    end_date: datetime.date = strawberry.field(description="The event's last day.")
    verdict: str | None = strawberry.field(description="The author's overall verdict on the event.")
    takeaways: list[str] = strawberry.field(description="The author's notes on the event as a whole, one fact each.")
    changes: list[Change] = strawberry.field(description="The recap's change history, oldest first.")
    top_three_slugs: strawberry.Private[tuple[str, ...] | None]

    @strawberry.field(
        description=(
            "The three videos the recap names as its highlights. The source's list is empty "
            "(its entries were lost), so this is null: not given, rather than guessed."
        )
    )
    def top_three(self, info: Info) -> list[Session] | None:
        if self.top_three_slugs is None:
            return None
        store = store_of(info)
        return [
            Session.from_record(record)
            for slug in self.top_three_slugs
            if (record := sessions.get_session(store, slug))
        ]

    @classmethod
    def from_record(cls, record: records.Recap) -> Recap:
        return cls(
            title=record.title,
            event=record.event,
            city=record.city,
            country=record.country,
            start_date=record.start_date,
            end_date=record.end_date,
            verdict=record.verdict,
            takeaways=list(record.takeaways),
            changes=[Change(date=change.date, description=change.description) for change in record.changes],
            top_three_slugs=record.top_three,
        )
