"""What sessions point at: the `Project`, `Recommendation` and `Topic` types.

Built from store records by `from_record`, as the sessions are (`sessions.py`, which imports this
module); their fields that point back at sessions, and at the recap, name those types lazily and
build them through `links.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
from strawberry import relay

from resolvers import projects, recommendations, sessions, topics
from schema.context import Info, index_of, node_key, node_object
from schema.types.enums import ProjectCategory, RecommendationKind
from schema.types.links import RecapOfNode, SessionOfNode, recap_of, session_from, sessions_from
from schema.types.object_cache import built
from schema.types.provenance import Missing, Source, note_source, note_text, record_missing, record_source
from store import RecapIndex
from store.records import Project as ProjectRecord
from store.records import Recommendation as RecommendationRecord
from store.records import Topic as TopicRecord

_NOT_GIVEN = "Null when the recap does not give it (the source's links were stripped)."
TOPIC_NODES = (
    "The topics the {what} covers as `Topic` objects, in the order of `topics` (their names alone): each with its "
    "`id`, description, sessions and projects."
)


def _description_source(root: Project | Topic) -> Source | None:
    return Source.maybe(note_source(root.record.description), root.recap_slug)


def _reason_source(root: Recommendation) -> Source | None:
    return Source.maybe(note_source(root.record.reason), root.recap_slug)


@strawberry.type(description="A project, tool, service, Kubernetes feature or specification the recap mentions.")
class Project(relay.Node):
    slug: str = strawberry.field(description="A stable, URL-friendly key, e.g. `linkerd`; unique within its recap.")
    name: str = strawberry.field(description="The project's name, spelt as the project spells it.")
    written_as: str | None = strawberry.field(
        description="How the recap writes the name, where that differs from `name` (a typo, another form); else null."
    )
    category: ProjectCategory = strawberry.field(description="What sort of thing it is.")
    description: str | None = strawberry.field(description="What it is, in one line, as the recap presents it.")
    description_source: Source | None = strawberry.field(
        resolver=_description_source,
        description="Where the description comes from (`quote` null: the curator's words); null without one.",
    )
    topics: list[str] = strawberry.field(
        description="Topic names the project belongs to (see `Query.topics`; `topicNodes` gives the topics themselves)."
    )
    url: str | None = strawberry.field(description=f"Where to find the project. {_NOT_GIVEN}")
    source: Source = strawberry.field(
        resolver=record_source, description="Where the recap first names the project, in its own spelling."
    )
    missing: list[Missing] = strawberry.field(
        resolver=record_missing, description="What the recap lost or never gave about the project."
    )
    record: strawberry.Private[ProjectRecord]
    recap_slug: strawberry.Private[str]

    @strawberry.field(description="The sessions that mention the project, in recap order.")
    def sessions(self, info: Info) -> list[SessionOfNode]:
        index = index_of(info, self.recap_slug)
        return sessions_from(sessions.sessions_of_project(index, self.slug), index)

    @strawberry.field(description="The recap's recommendations that point at this project.")
    def recommendations(self, info: Info) -> list[Recommendation]:
        index = index_of(info, self.recap_slug)
        return Recommendation.from_records(recommendations.recommendations_for_project(index, self.slug), index)

    @strawberry.field(description=TOPIC_NODES.format(what="project"))
    def topic_nodes(self, info: Info) -> list[Topic]:
        index = index_of(info, self.recap_slug)
        return Topic.from_records(topics.topics_named(index, self.topics), index)

    @strawberry.field(description="The recap this project belongs to.")
    def recap(self, info: Info) -> RecapOfNode:
        return recap_of(info, self.recap_slug)

    @classmethod
    def from_record(cls, record: ProjectRecord, index: RecapIndex) -> Project:
        return built(record, index, cls._build)

    @classmethod
    def _build(cls, record: ProjectRecord, index: RecapIndex) -> Project:
        return cls(
            slug=record.slug,
            name=record.name,
            written_as=record.written_as,
            category=ProjectCategory(record.category),
            description=note_text(record.description),
            topics=list(record.topics),
            url=record.url,
            record=record,
            recap_slug=index.slug,
        )

    @classmethod
    def from_records(cls, found: Iterable[ProjectRecord], index: RecapIndex) -> list[Project]:
        return [cls.from_record(record, index) for record in found]

    @classmethod
    def resolve_id(cls, root: Project, *, info: Info) -> str:
        return node_key(info, root.recap_slug, root.slug)

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Project | None]:
        return [node_object(info, node_id, projects.get_project, cls.from_record) for node_id in node_ids]


@strawberry.type(
    description="Something the recap recommends: a talk to watch, a read, a project, a practice, a buzzword."
)
class Recommendation(relay.Node):
    slug: str = strawberry.field(
        description="A stable, URL-friendly key, e.g. `read-sre-book`; unique within its recap."
    )
    kind: RecommendationKind = strawberry.field(description="What the recommendation asks the reader to do.")
    title: str = strawberry.field(description="What is recommended; buzzwords exactly as the recap writes them.")
    reason: str | None = strawberry.field(description="Why the recap recommends it.")
    reason_source: Source | None = strawberry.field(
        resolver=_reason_source,
        description="Where the reason comes from (`quote` null: the curator's words); null without a reason.",
    )
    url: str | None = strawberry.field(description=f"Where to find it. {_NOT_GIVEN}")
    source: Source = strawberry.field(
        resolver=record_source,
        description=(
            "Where the recap recommends it: its title's words, or its reason's when the title is the curator's."
        ),
    )
    missing: list[Missing] = strawberry.field(
        resolver=record_missing, description="What the recap lost or never gave about it."
    )
    session_slug: strawberry.Private[str | None]
    project_slug: strawberry.Private[str | None]
    record: strawberry.Private[RecommendationRecord]
    recap_slug: strawberry.Private[str]

    @strawberry.field(description="The session the recommendation points at, if any.")
    def session(self, info: Info) -> SessionOfNode | None:
        index = index_of(info, self.recap_slug)
        record = sessions.get_session(index, self.session_slug) if self.session_slug else None
        return None if record is None else session_from(record, index)

    @strawberry.field(description="The project the recommendation points at, if any.")
    def project(self, info: Info) -> Project | None:
        index = index_of(info, self.recap_slug)
        record = projects.get_project(index, self.project_slug) if self.project_slug else None
        return None if record is None else Project.from_record(record, index)

    @strawberry.field(description="The recap this recommendation belongs to.")
    def recap(self, info: Info) -> RecapOfNode:
        return recap_of(info, self.recap_slug)

    @classmethod
    def from_record(cls, record: RecommendationRecord, index: RecapIndex) -> Recommendation:
        return cls(
            slug=record.slug,
            kind=RecommendationKind(record.kind),
            title=record.title,
            reason=note_text(record.reason),
            url=record.url,
            session_slug=record.session,
            project_slug=record.project,
            record=record,
            recap_slug=index.slug,
        )

    @classmethod
    def from_records(cls, found: Iterable[RecommendationRecord], index: RecapIndex) -> list[Recommendation]:
        return [cls.from_record(record, index) for record in found]

    @classmethod
    def resolve_id(cls, root: Recommendation, *, info: Info) -> str:
        return node_key(info, root.recap_slug, root.slug)

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Recommendation | None]:
        return [node_object(info, node_id, recommendations.get_recommendation, cls.from_record) for node_id in node_ids]


@strawberry.type(description="A subject that sessions and projects are tagged with; `node(id:)` refetches it.")
class Topic(relay.Node):
    slug: str = strawberry.field(
        description=(
            "A URL-friendly key made from the name (`service mesh` → `service-mesh`), unique within its recap; "
            "the topic's `id` is made from it."
        )
    )
    name: str = strawberry.field(
        description='The topic\'s name, e.g. "service mesh"; filters match it case-insensitively.'
    )
    description: str | None = strawberry.field(
        description="What the topic covers; null when the recap names the topic without describing it."
    )
    description_source: Source | None = strawberry.field(
        resolver=_description_source,
        description="Where the description comes from (`quote` null: the curator's words); null without one.",
    )
    record: strawberry.Private[TopicRecord]
    recap_slug: strawberry.Private[str]

    @strawberry.field(description="The sessions on this topic, in recap order.")
    def sessions(self, info: Info) -> list[SessionOfNode]:
        index = index_of(info, self.recap_slug)
        return sessions_from(sessions.sessions_of_topic(index, self.name), index)

    @strawberry.field(description="The projects on this topic, ordered by name.")
    def projects(self, info: Info) -> list[Project]:
        index = index_of(info, self.recap_slug)
        return Project.from_records(projects.projects_of_topic(index, self.name), index)

    @strawberry.field(description="The recap this topic belongs to.")
    def recap(self, info: Info) -> RecapOfNode:
        return recap_of(info, self.recap_slug)

    @classmethod
    def from_record(cls, record: TopicRecord, index: RecapIndex) -> Topic:
        return cls(
            slug=topics.topic_slug(index, record),
            name=record.name,
            description=note_text(record.description),
            record=record,
            recap_slug=index.slug,
        )

    @classmethod
    def from_records(cls, found: Iterable[TopicRecord], index: RecapIndex) -> list[Topic]:
        return [cls.from_record(record, index) for record in found]

    @classmethod
    def resolve_id(cls, root: Topic, *, info: Info) -> str:
        return node_key(info, root.recap_slug, root.slug)

    @classmethod
    def resolve_nodes(  # type: ignore[override]  # one signature for Node's overloads
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Topic | None]:
        return [node_object(info, node_id, topics.get_topic_by_slug, cls.from_record) for node_id in node_ids]
