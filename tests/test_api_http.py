"""The HTTP surface: GET and POST queries, GraphiQL, health, and errors without stack traces."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_a_get_query_answers_json(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": "{ days { date } }"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert len(response.json()["data"]["days"]) == 4


def test_a_post_query_with_variables_and_operation_name(client: TestClient) -> None:
    response = client.post(
        "/graphql",
        json={
            "query": "query A { recap { city } } query B($slug: String!) { session(slug: $slug) { title } }",
            "variables": {"slug": "openstack-sig-deep-dive"},
            "operationName": "B",
        },
    )
    assert response.json() == {"data": {"session": {"title": "OpenStack SIG Deep Dive"}}}


def test_a_browser_gets_graphiql(client: TestClient) -> None:
    response = client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


def test_the_home_page_leads_to_graphiql(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code in (302, 307)
    assert response.headers["location"].endswith("/graphql")


def test_health_reports_the_loaded_store(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["store"]["sessions"] == 24
    assert len(body["store"]["version"]) == 16


def test_a_malformed_query_gets_a_graphql_error_naming_the_problem(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ days { date "})
    body = response.json()
    assert body["errors"][0]["message"] == "Syntax Error: Expected Name, found <EOF>."
    assert body["errors"][0]["locations"] == [{"line": 1, "column": 15}]


def test_an_unknown_field_gets_a_graphql_error(client: TestClient) -> None:
    body = client.post("/graphql", json={"query": "{ speakers { name } }"}).json()
    assert body["errors"][0]["message"].startswith("Cannot query field 'speakers' on type 'Query'.")


def test_errors_carry_no_stack_trace(client: TestClient) -> None:
    body = client.post("/graphql", json={"query": '{ node(id: "!!") { id } }'}).json()
    assert "Traceback" not in str(body)
    assert set(body["errors"][0]) <= {"message", "locations", "path"}
