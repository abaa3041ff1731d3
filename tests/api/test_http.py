"""GraphQL over HTTP (graphql/graphql-over-http): one test per rule, plus GraphiQL, health and request ids."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from recapql.pages.static_files import static_url
from tests.support.api import ClientWith

NEW = "application/graphql-response+json"
LEGACY = "application/json"
DAYS = "{ days { date } }"
BROKEN = "{ days { date "


def _post(client: TestClient, body: Any, accept: str | None = None, **headers: str) -> Any:
    if accept is not None:
        headers["accept"] = accept
    return client.post("/graphql", json=body, headers=headers)


def test_a_get_query_answers_json(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": DAYS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
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
    assert response.json()["data"] == {"session": {"title": "OpenStack SIG Deep Dive"}}


def test_clients_that_accept_graphql_response_json_get_it(client: TestClient) -> None:
    response = _post(client, {"query": DAYS}, accept=f"{NEW}, {LEGACY};q=0.9")
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{NEW}; charset=utf-8"


@pytest.mark.parametrize("accept", [None, "*/*", LEGACY, "application/*", f"{LEGACY}, {NEW};q=0.5"])
def test_legacy_clients_get_application_json(client: TestClient, accept: str | None) -> None:
    response = _post(client, {"query": DAYS}, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{LEGACY}; charset=utf-8"


@pytest.mark.parametrize("accept", ["text/html", "application/xml", f"{NEW};q=0, {LEGACY};q=0"])
def test_nothing_acceptable_is_406(client: TestClient, accept: str) -> None:
    response = _post(client, {"query": DAYS}, accept=accept)
    assert response.status_code == 406
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        (BROKEN, None, "Syntax Error: Expected Name, found <EOF>."),
        ("{ speakers { name } }", None, "Cannot query field 'speakers' on type 'Query'."),
        ("query($d: Date!) { day(date: $d) { title } }", {"d": "May the 1st"}, "Variable '$d' has invalid value"),
        ("query($d: Date!) { day(date: $d) { title } }", None, "Variable '$d' has invalid value: Expected a value"),
    ],
    ids=["parse", "validation", "coercion", "missing-variable"],
)
def test_request_errors_are_400_without_data_for_graphql_response_json(
    client: TestClient, query: str, variables: dict[str, str] | None, message: str
) -> None:
    response = _post(client, {"query": query, "variables": variables}, accept=NEW)
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["message"].startswith(message)


def test_request_errors_stay_200_for_legacy_json_clients(client: TestClient) -> None:
    response = _post(client, {"query": BROKEN}, accept=LEGACY)
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["message"] == "Syntax Error: Expected Name, found <EOF>."
    assert body["errors"][0]["locations"] == [{"line": 1, "column": 15}]


def test_a_field_error_during_execution_is_200_with_data(client: TestClient) -> None:
    response = _post(client, {"query": '{ node(id: "!!") { id } recap { city } }'}, accept=NEW)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"node": None, "recap": {"city": "Copenhagen"}}
    assert body["errors"][0]["path"] == ["node"]


def test_an_error_reaching_the_root_is_still_200_with_data_null(client: TestClient) -> None:
    response = _post(client, {"query": "{ sessions(first: 0) { totalCount } }"}, accept=NEW)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["path"] == ["sessions"]


@pytest.mark.parametrize("body", [b"{not json", b'{"query": "{ days { date } }"', b"\xff\xfe"])
def test_a_malformed_json_body_is_400_with_a_graphql_shaped_error(client: TestClient, body: bytes) -> None:
    response = client.post("/graphql", content=body, headers={"content-type": LEGACY})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(LEGACY)
    assert response.json()["errors"][0]["message"].startswith("The request body is not valid JSON")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([{"query": DAYS}], "Batched requests are not supported: send one operation per request."),
        ("{ days { date } }", "The request body must be a JSON object."),
        ({"query": 1}, "'query' must be a string or null."),
        ({"query": DAYS, "variables": [1]}, "'variables' must be an object or null."),
        ({"query": DAYS, "operationName": 2}, "'operationName' must be a string or null."),
        ({"variables": {}}, "No GraphQL query found in the request."),
    ],
)
def test_a_malformed_request_is_400(client: TestClient, body: Any, message: str) -> None:
    response = _post(client, body, accept=NEW)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}


def test_a_mutation_over_get_is_405_allowing_post(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": "mutation { days { date } }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["message"] == "Mutation operations are not allowed over GET: use POST."


def test_a_mutation_over_post_is_refused_by_validation(client: TestClient) -> None:
    response = _post(client, {"query": "mutation { days { date } }"}, accept=NEW)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "The mutation operation is not supported by the schema."


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_unknown_methods_are_405_with_allow(client: TestClient, method: str) -> None:
    response = client.request(method, "/graphql", json={"query": DAYS})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/graphql"])
def test_an_unsupported_content_type_is_415(client: TestClient, content_type: str) -> None:
    response = client.post("/graphql", content=DAYS, headers={"content-type": content_type})
    assert response.status_code == 415
    assert response.json()["errors"][0]["message"] == (
        f"Unsupported content type {content_type!r}: send the request as application/json."
    )


def test_a_body_over_the_limit_is_413(client_with: ClientWith) -> None:
    with client_with(max_body_bytes=200) as client:
        response = _post(client, {"query": DAYS, "variables": {"padding": "x" * 300}})
        chunked = client.post(
            "/graphql", content=iter([b'{"query": "', b"x" * 300, b'"}']), headers={"content-type": LEGACY}
        )
    for refused in (response, chunked):
        assert refused.status_code == 413
        assert refused.json()["errors"][0]["message"] == "The request body is larger than the maximum of 200 bytes."


def test_a_browser_gets_graphiql(client: TestClient) -> None:
    response = client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


def test_without_graphiql_a_browser_gets_a_404_explaining_why(client_with: ClientWith) -> None:
    with client_with(env="production") as client:
        response = client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "GraphiQL is not enabled here: send a query."


def test_health_reports_the_loaded_store(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["store"]["sessions"] == 24
    assert len(body["store"]["version"]) == 16


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    generated = client.post("/graphql", json={"query": DAYS}).headers["x-request-id"]
    assert len(generated) == 16
    assert client.post("/graphql", json={"query": DAYS}).headers["x-request-id"] != generated
    kept = client.get("/healthz", headers={"x-request-id": "trace-42"})
    assert kept.headers["x-request-id"] == "trace-42"
    replaced = client.get("/healthz", headers={"x-request-id": "bad id\twith junk"})
    assert replaced.headers["x-request-id"] != "bad id\twith junk"


def test_errors_carry_no_stack_trace(client: TestClient) -> None:
    body = client.post("/graphql", json={"query": '{ node(id: "!!") { id } }'}).json()
    assert "Traceback" not in str(body)
    assert set(body["errors"][0]) <= {"message", "locations", "path", "extensions"}


def test_websocket_handshakes_are_refused(client: TestClient) -> None:

    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]),
    ):
        pass


SECURITY_HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}


def _every_kind_of_answer(client: TestClient) -> dict[str, Any]:
    etag = client.get("/graphql", params={"query": DAYS}).headers["etag"]
    return {
        "agenda page": client.get("/"),
        "static file": client.get(static_url("agenda/agenda.js")),
        "graphiql": client.get("/graphql", headers={"accept": "text/html"}),
        "get query": client.get("/graphql", params={"query": DAYS}),
        "post query": _post(client, {"query": DAYS}),
        "head query": client.head("/graphql", params={"query": DAYS}),
        "304": client.get("/graphql", params={"query": DAYS}, headers={"if-none-match": etag}),
        "request error": _post(client, {"query": BROKEN}, accept=NEW),
        "405": client.put("/graphql"),
        "406": _post(client, {"query": DAYS}, accept="text/html"),
        "415": client.post("/graphql", content=DAYS, headers={"content-type": "text/plain"}),
        "metrics": client.get("/metrics"),
        "healthz": client.get("/healthz"),
        "readyz": client.get("/readyz"),
        "404": client.get("/no/such/page"),
        "405 on a page": client.post("/healthz"),
    }


def test_every_answer_carries_nosniff_and_a_referrer_policy(client: TestClient) -> None:
    answers = _every_kind_of_answer(client)
    assert answers["304"].status_code == 304
    missing = {
        kind: response.status_code
        for kind, response in answers.items()
        if any(response.headers.get(name) != value for name, value in SECURITY_HEADERS.items())
    }
    assert missing == {}
    # Once each: the middleware does not add what a response already says.
    assert all(len(response.headers.get_list("referrer-policy")) == 1 for response in answers.values())


def test_a_413_carries_them_too(client_with: ClientWith) -> None:
    with client_with(max_body_bytes=10) as client:
        response = _post(client, {"query": DAYS})
    assert response.status_code == 413
    assert {name: response.headers[name] for name in SECURITY_HEADERS} == SECURITY_HEADERS


def test_head_is_answered_as_get_without_a_body(client: TestClient) -> None:
    get = client.get("/graphql", params={"query": DAYS})
    head = client.head("/graphql", params={"query": DAYS})
    assert head.status_code == 200
    assert head.content == b""
    different = {"x-request-id"}
    assert {k: v for k, v in head.headers.items() if k not in different} == {
        k: v for k, v in get.headers.items() if k not in different
    }
    assert head.headers["content-length"] == str(len(get.content))


def test_head_revalidates_like_get(client: TestClient) -> None:
    etag = client.get("/graphql", params={"query": DAYS}).headers["etag"]
    head = client.head("/graphql", params={"query": DAYS}, headers={"if-none-match": etag})
    assert head.status_code == 304
    assert head.headers["etag"] == etag


def test_head_refuses_what_get_refuses(client: TestClient) -> None:
    mutation = client.head("/graphql", params={"query": "mutation { days { date } }"})
    assert mutation.status_code == 405
    assert mutation.headers["allow"] == "POST"
    assert mutation.content == b""
    page = client.head("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.content == b""
