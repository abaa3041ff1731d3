"""Relay connections for paginated lists, with `nodes`, `totalCount` and (sessions, projects) `facets` added."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from strawberry import relay

from resolvers.pagination import Page
from schema.types.facets import ProjectFacets, SessionFacets
from schema.types.projects import Project
from schema.types.sessions import Session

N = TypeVar("N")
C = TypeVar("C")


@strawberry.type(description="A page of sessions, with cursors to fetch the next one.")
class SessionConnection(relay.Connection[Session]):
    total_count: int = strawberry.field(description="How many sessions match in all, across every page.")
    nodes: list[Session] = strawberry.field(description="The sessions of this page, without their edges.")
    facets: SessionFacets = strawberry.field(
        description="How many of the sessions that match (all, not this page's) have each kind, topic, day, project."
    )


@strawberry.type(description="A page of projects, with cursors to fetch the next one.")
class ProjectConnection(relay.Connection[Project]):
    total_count: int = strawberry.field(description="How many projects match in all, across every page.")
    nodes: list[Project] = strawberry.field(description="The projects of this page, without their edges.")
    facets: ProjectFacets = strawberry.field(
        description="How many of the projects that match (all of them, not this page's) have each category and topic."
    )


def connection(connection_type: Callable[..., C], page: Page[Any], to_node: Callable[[Any], N], **more: Any) -> C:
    """Build a connection from one page of records, mapping each record to its node (`more`: its other fields)."""
    nodes = [to_node(record) for record in page.items]
    return connection_type(
        edges=[relay.Edge(cursor=cursor, node=node) for cursor, node in zip(page.cursors, nodes, strict=True)],
        page_info=relay.PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
        total_count=page.total_count,
        nodes=nodes,
        **more,
    )
