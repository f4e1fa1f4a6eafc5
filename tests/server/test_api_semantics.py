"""What the HTTP API answers, request by request: batches with unreadable reviews, the key before the body, errors.

* a batch gives each unreadable review (blank, empty, not text, too long, only punctuation)
  its own ``error`` and answers the rest with 200, as ``thumbs analyze`` does a table; only a
  body that is not a batch is refused whole (422);
* a single review keeps one error for one review: 422;
* ``/v1/health`` is public and answers HEAD; the key is checked before the body is read or
  parsed, and a missing key and a wrong one get different lines;
* every error of the HTTP layer is the one-line ``{"error": ...}``.

Some requests (a huge declared body, ``Content-Length: abc``) are sent straight to the ASGI
app, which shows exactly what the app reads; the reviews are written for these tests.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import pytest

pytest.importorskip("fastapi")
from fastapi import FastAPI
from fastapi.testclient import TestClient

from thumbs import __version__
from thumbs.pipeline.model import Model
from thumbs.server import ServerSettings, create_app
from thumbs.server.auth import INVALID_KEY, MISSING_KEY
from thumbs.text.review import MAX_REVIEW_CHARS, review_problem

GOOD = "A wonderful, moving film with a superb cast. I loved it."
BAD = "A dull, stupid mess. The acting is awful and the plot is boring."
KEY = "s3cret"


@pytest.fixture(scope="module")
def client(model: Model) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(), model=model)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def keyed(model: Model) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(api_key=KEY), model=model)) as test_client:
        yield test_client


# --- a batch: each unreadable review its own error -----------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "   \n\t ", 42, None, 3.5, True, ["a list"], {"an": "object"}, "?! ..."], ids=repr
)
def test_batch_gives_an_unreadable_review_its_own_error(client: TestClient, model: Model, text: Any) -> None:
    reviews = [{"text": GOOD, "id": "a"}, {"text": text, "id": "b"}, {"text": BAD, "id": "c"}]
    response = client.post("/v1/analyze/batch", json={"reviews": reviews})
    assert response.status_code == 200, response.text
    first, odd, last = response.json()["results"]
    assert first == model.analyze(GOOD, id="a").to_dict() and last == model.analyze(BAD, id="c").to_dict()
    assert odd["id"] == "b" and odd["label"] is None and odd["probability"] is None and odd["stars"] is None
    expected = review_problem(text) or "empty review: it has no words to read, only punctuation"
    assert odd["error"] == expected and "\n" not in odd["error"]


def test_batch_review_too_long_gets_its_own_error(model: Model) -> None:
    # Only a server with a body limit above 1 MB can receive such a review at all.
    settings = ServerSettings(max_body_bytes=3 * MAX_REVIEW_CHARS)
    with TestClient(create_app(settings, model=model)) as roomy:
        long_text = "good " * (MAX_REVIEW_CHARS // 5 + 1)
        reviews = [{"text": long_text}, {"text": GOOD}]
        results = roomy.post("/v1/analyze/batch", json={"reviews": reviews}).json()["results"]
    assert results[0]["error"].startswith("review too long") and results[1]["label"] == "positive"


def test_batch_of_only_unreadable_reviews_is_still_200(client: TestClient) -> None:
    response = client.post("/v1/analyze/batch", json={"reviews": [{"text": ""}, {"text": None}]})
    assert response.status_code == 200
    assert [r["error"] is not None for r in response.json()["results"]] == [True, True]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ([{"text": GOOD}], "body: Input should be a valid dictionary"),
        ({"reviews": {"text": GOOD}}, "reviews"),
        ({"reviews": "text"}, "reviews"),
        ({"reviews": [GOOD]}, "reviews.0"),
        ({"reviews": [{"id": "x"}]}, "reviews.0.text"),
        ({"reviews": [{"text": GOOD, "stars": 3}]}, "reviews.0.stars"),
        ({"reviews": [{"text": GOOD, "id": 7}]}, "reviews.0.id"),
        ({"reviews": []}, "reviews"),
        ({"reviews": [{"text": "Fine."}] * 1001}, "reviews"),
    ],
)
def test_a_body_that_is_not_a_batch_is_422_whole(client: TestClient, body: Any, where: str) -> None:
    response = client.post("/v1/analyze/batch", json=body)
    assert response.status_code == 422
    assert response.json()["error"].startswith(where), response.json()


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("   ", "text: empty review"),
        ("?!", "empty review: it has no words"),
        ("", "text: String should have at least 1"),
    ],
)
def test_one_unreadable_review_is_one_422(client: TestClient, text: str, start: str) -> None:
    response = client.post("/v1/analyze", json={"text": text})
    assert response.status_code == 422 and start in response.json()["error"], response.json()


# --- health, the key before the body -----------------------------------------------------------------


def test_health_is_public_and_answers_head(keyed: TestClient, model: Model) -> None:
    health = keyed.get("/v1/health").json()
    assert health == {"status": "ok", "version": __version__, "model": model.manifest["recipe"]}
    head = keyed.head("/v1/health")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "application/json"


def test_missing_and_invalid_key_are_told_apart(keyed: TestClient) -> None:
    missing = keyed.post("/v1/analyze", json={"text": GOOD})
    invalid = keyed.post("/v1/analyze", json={"text": GOOD}, headers={"Authorization": "Bearer nope"})
    assert (missing.status_code, invalid.status_code) == (401, 401)
    assert missing.json() == {"error": MISSING_KEY} and invalid.json() == {"error": INVALID_KEY}
    assert missing.headers["www-authenticate"] == invalid.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(b'{"text": ', "application/json"), (b"text=hello", "text/plain"), (b"\xff\xfe", "application/json")],
)
def test_the_key_is_checked_before_the_body(keyed: TestClient, content: bytes, content_type: str) -> None:
    # Malformed JSON, a body that is not JSON, bytes that are not UTF-8: with a bad key, all 401.
    for auth in ({}, {"Authorization": "Bearer nope"}):
        response = keyed.post("/v1/analyze", content=content, headers={"content-type": content_type, **auth})
        assert response.status_code == 401, (auth, response.text)
        assert response.headers["connection"] == "close"  # the body was not read: end the connection
    right = keyed.post(
        "/v1/analyze", content=content, headers={"content-type": content_type, "Authorization": f"Bearer {KEY}"}
    )
    assert right.status_code in (400, 415, 422)  # with the key, the body's own error


def test_a_huge_body_with_a_bad_key_is_not_read(model: Model) -> None:
    app = create_app(ServerSettings(api_key=KEY), model=model)
    answer = call_asgi(
        app, "POST", "/v1/analyze/batch", [(b"content-type", b"application/json"), (b"content-length", b"10000000000")]
    )
    assert answer.status == 401 and answer.json() == {"error": MISSING_KEY}
    assert answer.receive_calls == 0  # not a byte of the body was asked for
    assert answer.headers[b"connection"] == b"close"


# --- errors of the HTTP layer: the one-line JSON --------------------------------------------------


def test_content_length_that_is_not_a_number_is_400_json(client: TestClient) -> None:
    answer = call_asgi(
        client.app, "POST", "/v1/analyze", [(b"content-type", b"application/json"), (b"content-length", b"abc")]
    )
    assert answer.status == 400 and answer.json() == {"error": "the Content-Length header is not a number"}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nowhere", 404),
        ("GET", "/v1/nowhere", 404),
        ("GET", "/static/nowhere.js", 404),
        ("GET", "/docs/assets/index.html", 404),
        ("DELETE", "/v1/analyze", 405),
        ("PUT", "/", 405),
        ("POST", "/v1/health", 405),
    ],
)
def test_not_found_and_method_not_allowed_are_one_json_line(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"error"} and "\n" not in response.json()["error"]


# --- an ASGI call with a receive that counts ------------------------------------------------------


@dataclass
class Answer:
    """What the app sent: status, headers, body, and how often it asked for the request's body."""

    status: int = 0
    headers: dict[bytes, bytes] = field(default_factory=dict)
    body: bytes = b""
    receive_calls: int = 0

    def json(self) -> Any:
        return json.loads(self.body)


def call_asgi(app: FastAPI | Any, method: str, path: str, headers: list[tuple[bytes, bytes]]) -> Answer:
    """One request straight into the ASGI app; its body is 1 MB chunks without end, counted."""
    answer = Answer()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> MutableMapping[str, Any]:
        answer.receive_calls += 1
        return {"type": "http.request", "body": b"x" * 1_000_000, "more_body": True}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = dict(message["headers"])
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return answer
