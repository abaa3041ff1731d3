"""The Recap type: one write-up of one event, with everything it holds, and its change history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import strawberry
from strawberry import relay

from resolvers import recaps, sessions
from resolvers.pagination import Page, paginate
from schema.context import Info, index_of, store_of
from schema.types import surface
from schema.types.arguments import (
    SEARCH_DESCRIPTION,
    SEARCH_RESULTS_DESCRIPTION,
    After,
    DayDate,
    First,
    OfKind,
    ProjectConditions,
    ProjectOrdering,
    ProjectSlug,
    SearchAfter,
    SearchFirst,
    SearchTypes,
    SearchWords,
    SessionConditions,
    SessionOrdering,
    SessionSlug,
    TopicName,
)
from schema.types.connections import ProjectConnection, SessionConnection, connection
from schema.types.inputs import DEFAULT_PROJECT_ORDER, DEFAULT_SESSION_ORDER
from schema.types.projects import Project, Recommendation, Topic
from schema.types.provenance import Document, Missing, Note, Source
from schema.types.search import SearchHit, SearchHitConnection
from schema.types.sessions import Day, Session
from store import RecapIndex, records


@strawberry.type(description="One entry of the recap's change history.")
class Change:
    date: datetime.date = strawberry.field(description="When the change was published.")
    description: str = strawberry.field(description="What changed, as the recap words it.")


@strawberry.type(description="A session the recap's text places in its Top 3.")
class TopThreeMention:
    session: Session = strawberry.field(description="The session.")
    place: int | None = strawberry.field(description="Its place in the Top 3, when the text gives one; else null.")
    source: Source = strawberry.field(description="The words that place it there.")


@strawberry.type(
    description=(
        "A conference recap: which event it covers, what the author made of it, and its days, sessions, "
        "projects, recommendations and topics."
    )
)
class Recap(relay.Node):
    slug: str = strawberry.field(description="The recap's key among the store's recaps, e.g. `kubecon-eu-2018`.")
    title: str = strawberry.field(description="The recap's title.")
    event: str = strawberry.field(description="The event the recap covers.")
    city: str = strawberry.field(description="Where the event took place.")
    country: str = strawberry.field(description="The country the city is in.")
    start_date: datetime.date = strawberry.field(description="The event's first day.")
    end_date: datetime.date = strawberry.field(description="The event's last day.")
    timezone: str | None = strawberry.field(
        description="The event's time zone (IANA, e.g. `Europe/Copenhagen`); null when the recap does not give it."
    )
    author: str | None = strawberry.field(description="Who wrote the recap; null when it does not say.")
    verdict: str | None = strawberry.field(description="The author's overall verdict on the event.")
    verdict_source: Source | None = strawberry.field(
        description="Where the verdict comes from (`quote` null: the curator's words); null without a verdict."
    )
    notes: list[Note] = strawberry.field(
        description="The recap's notes on the event as a whole, each with where it comes from."
    )
    takeaways: list[str] = strawberry.field(
        description="The author's notes on the event as a whole, one fact each.",
        deprecation_reason="Use `notes`, which says where each note comes from; `takeaways` is their text alone.",
    )
    changes: list[Change] = strawberry.field(description="The recap's change history, oldest first.")
    source: Source = strawberry.field(description="Where the recap starts: its title in the document it rests on.")
    missing: list[Missing] = strawberry.field(
        description="What the recap lost or never gave (its links, its Top 3 list…), as data, not only in descriptions."
    )
    documents: list[Document] = strawberry.field(
        description="The texts the recap's facts rest on: the recap file, and the original it quotes, if any."
    )
    top_three_slugs: strawberry.Private[tuple[str, ...] | None]
    mentions: strawberry.Private[tuple[records.TopThreeMention, ...]]

    @strawberry.field(
        description=(
            "The three videos the recap names as its highlights; null when the recap gives no such list "
            "(the KubeCon recap's list is empty in its source: its entries were lost), rather than guessed."
        )
    )
    def top_three(self, info: Info) -> list[Session] | None:
        if self.top_three_slugs is None:
            return None
        index = self._index(info)
        return [
            Session.from_record(record, index)
            for slug in self.top_three_slugs
            if (record := sessions.get_session(index, slug))
        ]

    @strawberry.field(
        description=(
            "Sessions the recap's text places in its Top 3, where the list itself does not say so (the KubeCon recap's "
            "list is lost, but its text later names its best talk), with the words that say so."
        )
    )
    def top_three_mentions(self, info: Info) -> list[TopThreeMention]:
        index = self._index(info)
        found = []
        for mention in self.mentions:
            record = sessions.get_session(index, mention.session)
            if record is not None:
                found.append(
                    TopThreeMention(
                        session=Session.from_record(record, index),
                        place=mention.place,
                        source=Source.from_record(mention.source, index.slug),
                    )
                )
        return found

    @strawberry.field(description="Every day of the event, ordered by date, each with its sessions.")
    def days(self, info: Info) -> list[Day]:
        return surface.day_list([self._index(info)])

    @strawberry.field(description="The day with this date, or null if the event had none.")
    def day(self, info: Info, date: DayDate) -> Day | None:
        return surface.day_of(self._index(info), date)

    @strawberry.field(
        description="The recap's sessions in recap order (or `orderBy`'s), optionally filtered, one page at a time."
    )
    def sessions(
        self,
        info: Info,
        filter_: SessionConditions = None,
        first: First = 20,
        after: After = None,
        order_by: SessionOrdering = DEFAULT_SESSION_ORDER,
    ) -> SessionConnection:
        return surface.session_page([self._index(info)], filter_, first, after, order_by)

    @strawberry.field(description="The session with this slug, or null if there is none.")
    def session(self, info: Info, slug: SessionSlug) -> Session | None:
        return surface.session_of(self._index(info), slug)

    @strawberry.field(
        description="The recap's projects by name (or as `orderBy` says), optionally filtered, one page at a time."
    )
    def projects(
        self,
        info: Info,
        filter_: ProjectConditions = None,
        first: First = 20,
        after: After = None,
        order_by: ProjectOrdering = DEFAULT_PROJECT_ORDER,
    ) -> ProjectConnection:
        return surface.project_page([self._index(info)], filter_, first, after, order_by)

    @strawberry.field(description="The project with this slug, or null if there is none.")
    def project(self, info: Info, slug: ProjectSlug) -> Project | None:
        return surface.project_of(self._index(info), slug)

    @strawberry.field(description="The recap's recommendations in recap order, optionally of one kind.")
    def recommendations(self, info: Info, kind: OfKind = None) -> list[Recommendation]:
        return surface.recommendation_list([self._index(info)], kind)

    @strawberry.field(description="The recap's topics, ordered by name, with their sessions and projects.")
    def topics(self, info: Info) -> list[Topic]:
        return surface.topic_list([self._index(info)])

    @strawberry.field(description="The topic with this name (case-insensitive), or null if there is none.")
    def topic(self, info: Info, name: TopicName) -> Topic | None:
        return surface.topic_of(self._index(info), name)

    @strawberry.field(description=SEARCH_DESCRIPTION + " Only this recap.")
    def search(
        self, info: Info, query: SearchWords, first: SearchFirst = 10, types: SearchTypes = None
    ) -> list[SearchHit]:
        return surface.search_hits([self._index(info)], query, first, types)

    @strawberry.field(description=SEARCH_RESULTS_DESCRIPTION + " Only this recap.")
    def search_results(
        self,
        info: Info,
        query: SearchWords,
        types: SearchTypes = None,
        first: SearchFirst = 10,
        after: SearchAfter = None,
    ) -> SearchHitConnection:
        return surface.search_results([self._index(info)], query, types, first, after)

    def _index(self, info: Info) -> RecapIndex:
        return index_of(info, self.slug)

    @classmethod
    def from_index(cls, index: RecapIndex) -> Recap:
        record = index.recap
        return cls(
            slug=record.slug,
            title=record.title,
            event=record.event,
            city=record.city,
            country=record.country,
            start_date=record.start_date,
            end_date=record.end_date,
            timezone=record.timezone,
            author=record.author,
            verdict=record.verdict.text if record.verdict else None,
            verdict_source=Source.maybe(record.verdict.source if record.verdict else None, record.slug),
            notes=[Note.from_record(note, record.slug) for note in record.notes],
            takeaways=[note.text for note in record.notes],
            changes=[Change(date=change.date, description=change.description) for change in record.changes],
            source=Source.from_record(record.source, record.slug),
            missing=Missing.from_records(record.missing),
            documents=[Document.from_record(document, record.slug) for document in index.documents],
            top_three_slugs=record.top_three,
            mentions=record.top_three_mentions,
        )

    @classmethod
    def resolve_id(cls, root: Recap, *, info: Info) -> str:
        return root.slug

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Recap | None]:
        store = store_of(info)
        found = [store.by_slug.get(node_id) for node_id in node_ids]
        return [None if index is None else cls.from_index(index) for index in found]


@strawberry.type(description="A page of recaps, the newest event first, with cursors to fetch the next one.")
class RecapConnection(relay.Connection[Recap]):
    total_count: int = strawberry.field(description="How many recaps the store holds.")
    nodes: list[Recap] = strawberry.field(description="The recaps of this page, without their edges.")


def recap_page(info: Info, first: int | None, after: str | None) -> RecapConnection:
    page: Page[RecapIndex] = paginate(recaps.list_recaps(store_of(info)), first=first, after=after)
    return connection(RecapConnection, page, Recap.from_index)
