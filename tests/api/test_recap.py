"""The recap itself and its topics over HTTP."""

from __future__ import annotations

from tests.support.api import Gql


def test_the_recap_describes_the_event(gql: Gql) -> None:
    data = gql(
        "{ recap { title event city country startDate endDate verdict takeaways changes { date description } } }"
    )
    recap = data["recap"]
    assert recap["event"] == "KubeCon + CloudNativeCon Europe 2018"
    assert (recap["city"], recap["country"]) == ("Copenhagen", "Denmark")
    assert (recap["startDate"], recap["endDate"]) == ("2018-05-01", "2018-05-04")
    assert recap["verdict"] == "It was a great conference with fantastic content and speakers."
    assert recap["changes"] == [{"date": "2018-05-11", "description": "The first release"}]
    assert any("35 minute session limit" in takeaway for takeaway in recap["takeaways"])


def test_the_lost_top_three_is_null(gql: Gql) -> None:
    assert gql("{ recap { topThree { title } } }") == {"recap": {"topThree": None}}


def test_topics_list_their_sessions_and_projects(gql: Gql) -> None:
    data = gql("{ topics { name sessions { slug } projects { slug } } }")
    topics = {topic["name"]: topic for topic in data["topics"]}
    assert {"slug": "serverless-wg-bof"} in topics["serverless"]["sessions"]
    assert {"slug": "openfaas"} in topics["serverless"]["projects"]
    assert all(topic["sessions"] or topic["projects"] for topic in data["topics"])


def test_a_topic_is_found_case_insensitively(gql: Gql) -> None:
    data = gql('{ topic(name: "Chaos Engineering") { name description } missing: topic(name: "blockchain") { name } }')
    assert data["topic"]["name"] == "chaos engineering"
    assert data["missing"] is None
