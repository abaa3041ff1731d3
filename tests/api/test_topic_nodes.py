"""Topics as nodes: slugs, ids refetched by `node(id:)` and `nodes(ids:)`, topics as objects of sessions, projects."""

from __future__ import annotations

import base64

from starlette.testclient import TestClient

from store import RecapIndex
from store.topic_slugs import slugify
from tests.support.api import Gql

KUBECON = "kubecon-eu-2018"
EXAMPLE = "example-conf-2025"
NODES = """
query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename
    id
    ... on Topic { slug name recap { slug } }
    ... on Session { slug }
    ... on Day { date }
  }
}
"""


def _id(key: str) -> str:
    return base64.b64encode(key.encode()).decode()


def test_a_topic_s_slug_is_made_from_its_name_and_its_id_from_the_slug(gql: Gql, index: RecapIndex) -> None:
    topics = gql("{ topics { id slug name } }")["topics"]
    assert {"id": _id("Topic:service-mesh"), "slug": "service-mesh", "name": "service mesh"} in topics
    assert [topic["slug"] for topic in topics] == [slugify(topic.name) for topic in index.topics]
    assert len({topic["slug"] for topic in topics}) == len(topics)
    assert all(topic["id"] == _id(f"Topic:{topic['slug']}") for topic in topics)


def test_slugs_are_url_friendly_and_never_empty() -> None:
    assert slugify("Chaos Engineering") == "chaos-engineering"
    assert slugify("CI/CD & GitOps!") == "ci-cd-gitops"
    assert slugify("Sécurité") == "securite"
    assert slugify("日本") == "topic"


def test_every_topic_refetches_by_node_and_nodes(gql: Gql) -> None:
    topics = gql("{ topics { id name } }")["topics"]
    for topic in topics[:5]:
        node = gql("query($id: ID!) { node(id: $id) { id ... on Topic { name } } }", {"id": topic["id"]})["node"]
        assert node == topic
    found = gql(NODES, {"ids": [topic["id"] for topic in topics]})["nodes"]
    assert [(node["__typename"], node["id"], node["name"]) for node in found] == [
        ("Topic", topic["id"], topic["name"]) for topic in topics
    ]


def test_nodes_mixes_types_keeps_the_order_and_gives_null_for_what_is_not_there(gql: Gql) -> None:
    session = gql('{ session(slug: "serverless-wg-bof") { id } }')["session"]["id"]
    day = gql('{ day(date: "2018-05-02") { id } }')["day"]["id"]
    ids = [
        _id("Topic:security"),
        session,
        _id("Topic:no-such-topic"),
        day,
        _id("Session:no-such-session"),
        _id("Source:not-a-node"),  # a type without ids: names nothing
        session,
    ]
    found = gql(NODES, {"ids": ids})["nodes"]
    assert [node and node["__typename"] for node in found] == ["Topic", "Session", None, "Day", None, None, "Session"]
    assert found[0]["slug"] == "security"
    assert found[1] == found[6]
    assert gql(NODES, {"ids": []}) == {"nodes": []}


def test_nodes_takes_at_most_100_ids(client: TestClient, gql: Gql) -> None:
    assert len(gql(NODES, {"ids": [_id("Topic:security")] * 100})["nodes"]) == 100
    body = client.post("/graphql", json={"query": NODES, "variables": {"ids": [_id("Topic:security")] * 101}}).json()
    [error] = body["errors"]
    assert error["message"] == "Argument 'ids' must hold at most 100 ids, got 101"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["data"] is None


def test_other_recaps_topics_have_ids_with_their_recap(two: Gql) -> None:
    topics = two("{ topics { id slug recap { slug } } }")["topics"]
    ids = {(topic["recap"]["slug"], topic["slug"]): topic["id"] for topic in topics}
    assert ids[(KUBECON, "security")] == _id("Topic:security")  # the default recap's: as on a store of one
    assert ids[(EXAMPLE, "security")] == _id(f"Topic:{EXAMPLE}/security")
    found = two(NODES, {"ids": [ids[(EXAMPLE, "platforms")], ids[(KUBECON, "security")], _id("Topic:nowhere/x")]})
    assert [node and (node["recap"]["slug"], node["slug"]) for node in found["nodes"]] == [
        (EXAMPLE, "platforms"),
        (KUBECON, "security"),
        None,
    ]
    assert two("query($id: ID!) { node(id: $id) { id } }", {"id": ids[(EXAMPLE, "platforms")]})["node"] == {
        "id": ids[(EXAMPLE, "platforms")]
    }


def test_sessions_and_projects_reach_their_topics_as_objects(gql: Gql, two: Gql) -> None:
    for data in (gql, two):
        sessions = data("{ sessions(first: 100) { nodes { topics topicNodes { name id } } } }")["sessions"]["nodes"]
        projects = data("{ projects(first: 100) { nodes { topics topicNodes { name id } } } }")["projects"]["nodes"]
        for item in sessions + projects:
            assert [topic["name"].casefold() for topic in item["topicNodes"]] == [
                name.casefold() for name in item["topics"]
            ]
    linkerd = gql('{ project(slug: "linkerd") { topicNodes { slug sessions { slug } } } }')["project"]
    mesh = next(topic for topic in linkerd["topicNodes"] if topic["slug"] == "service-mesh")
    assert {"slug": "evolving-systems-design-from-unreliable-rpc-to-resilience-with-linkerd"} in mesh["sessions"]
