"""The GraphQL enums: the store's kinds and categories (values exactly the store's strings), orders, search types."""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(description="What kind of session a session is.")
class SessionKind(enum.Enum):
    KEYNOTE = strawberry.enum_value("KEYNOTE", description="A keynote, or a day's block of keynotes.")
    TALK = strawberry.enum_value("TALK", description="A regular conference talk.")
    BOF = strawberry.enum_value("BOF", description="A birds-of-a-feather meeting of a working group.")
    WORKSHOP = strawberry.enum_value("WORKSHOP", description="A hands-on workshop, or a session about running one.")
    LIGHTNING_TALKS = strawberry.enum_value(
        "LIGHTNING_TALKS", description="A series of short talks of about five minutes each."
    )
    DEEP_DIVE = strawberry.enum_value("DEEP_DIVE", description="A deep dive into the work of a special interest group.")


@strawberry.enum(description="What a recommendation asks the reader to do.")
class RecommendationKind(enum.Enum):
    WATCH = strawberry.enum_value("WATCH", description="A recording to watch.")
    READ = strawberry.enum_value("READ", description="A book, post, paper or specification to read.")
    EXPLORE = strawberry.enum_value("EXPLORE", description="A project, tool or resource to look at or try.")
    BUZZWORD = strawberry.enum_value("BUZZWORD", description="A keyword the recap offers to sound smart with.")
    PRACTICE = strawberry.enum_value("PRACTICE", description="A way of working the recap recommends.")


@strawberry.enum(description="What sort of thing a project is.")
class ProjectCategory(enum.Enum):
    PROJECT = strawberry.enum_value("PROJECT", description="An open source project or product.")
    SPECIFICATION = strawberry.enum_value(
        "SPECIFICATION", description="An interface, specification or the body behind one."
    )
    TOOL = strawberry.enum_value("TOOL", description="A command-line tool or test suite.")
    SERVICE = strawberry.enum_value("SERVICE", description="A hosted service or app.")
    FEATURE = strawberry.enum_value("FEATURE", description="A feature or component of Kubernetes itself.")
    UNSPECIFIED = strawberry.enum_value(
        "UNSPECIFIED", description="The recap names it without saying what sort of thing it is."
    )


@strawberry.enum(description="Which way a list is ordered by its `field`.")
class OrderDirection(enum.Enum):
    ASC = strawberry.enum_value("ASC", description="Ascending: A to Z, the earliest first, the fewest first.")
    DESC = strawberry.enum_value("DESC", description="Descending: Z to A, the latest first, the most first.")


@strawberry.enum(description="What sessions can be ordered by.")
class SessionOrderField(enum.Enum):
    RECAP = strawberry.enum_value(
        "RECAP",
        description=(
            "The recap's own order: day by day, as the recap tells them; recap after recap in the order they "
            "were imported. DESC is its exact reverse."
        ),
    )
    TITLE = strawberry.enum_value(
        "TITLE", description="The title, case-insensitively; equal titles in recap order (either direction)."
    )
    DAY = strawberry.enum_value(
        "DAY",
        description=(
            "The date, across every recap listed; sessions of the same date in recap order (either direction)."
        ),
    )


@strawberry.enum(description="What projects can be ordered by.")
class ProjectOrderField(enum.Enum):
    NAME = strawberry.enum_value(
        "NAME",
        description="The name, case-insensitively, then the slug; the same name in several recaps in recap order.",
    )
    SESSION_COUNT = strawberry.enum_value(
        "SESSION_COUNT",
        description=(
            "How many sessions of its recap mention the project; equal counts by name (A to Z in either "
            "direction), then recap order."
        ),
    )


@strawberry.enum(description="What search can find; `types:` limits a search to some of them.")
class SearchType(enum.Enum):
    SESSION = strawberry.enum_value("session", description="Sessions: talks, keynotes, workshops and the like.")
    PROJECT = strawberry.enum_value("project", description="Projects, tools, services and specifications.")
    RECOMMENDATION = strawberry.enum_value("recommendation", description="The recap's recommendations.")
