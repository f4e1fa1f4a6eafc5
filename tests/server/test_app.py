"""The HTTP API (``thumbs serve``) through FastAPI's TestClient, with the shipped default model.

Every route, every documented error (401, 413, 415, 422, 404, 405), the API
key, CORS, the access log, and the promise that the API answers exactly
what ``thumbs analyze --json`` prints for the same text. The reviews are
written for these tests.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.result_keys import ANALYSIS_KEYS

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from thumbs.pipeline.model import Model
from thumbs.server import ServerSettings, create_app
from thumbs.server.guards import ACCESS_LOGGER, MAX_BODY_BYTES
from thumbs.server.schemas import MAX_BATCH_REVIEWS

POSITIVE = (
    "A wonderful, moving film. The acting is superb and I loved every minute of it. "
    "Easily the best picture I have seen this year."
)
NEGATIVE = "A dull, boring mess. The plot is stupid and the acting is awful. A total waste of time."


@pytest.fixture(scope="module")
def client(model: Model) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(), model=model)) as test_client:
        yield test_client


def keyed_client(model: Model, key: str = "s3cret") -> TestClient:
    return TestClient(create_app(ServerSettings(api_key=key), model=model))


# --- the routes --------------------------------------------------------------------------


def test_analyze_one_review(client: TestClient) -> None:
    response = client.post("/v1/analyze", json={"text": POSITIVE, "id": "r1"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ANALYSIS_KEYS
    assert body["id"] == "r1" and body["label"] == "positive" and body["error"] is None
    assert 0.5 < body["probability"] <= 1 and 1 <= body["stars"] <= 10
    assert len(body["sentences"]) == 3 and any(s["in_extract"] for s in body["sentences"])
    assert client.post("/v1/analyze", json={"text": NEGATIVE}).json()["label"] == "negative"


@pytest.mark.e2e
def test_results_equal_the_cli_json_for_the_same_text(client: TestClient, tmp_path: Path) -> None:
    review = tmp_path / "review.txt"
    review.write_text(POSITIVE, encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "thumbs", "analyze", str(review), "--json", "--jobs", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    from_cli = json.loads(cli.stdout.splitlines()[0])
    from_api = client.post("/v1/analyze", json={"text": POSITIVE, "id": from_cli["id"]}).json()
    assert from_api == from_cli


def test_batch_keeps_order_and_marks_unreadable_reviews(client: TestClient, model: Model) -> None:
    reviews = [
        {"text": NEGATIVE, "id": "a"},
        {"text": POSITIVE},
        {"text": "?!", "id": "c"},
        {"text": POSITIVE, "id": "d"},
    ]
    response = client.post("/v1/analyze/batch", json={"reviews": reviews})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == ["a", None, "c", "d"]
    assert [r["label"] for r in results] == ["negative", "positive", None, "positive"]
    assert "punctuation" in results[2]["error"]
    # the same numbers as the analysis core, review by review
    assert results[0] == model.analyze(NEGATIVE, id="a").to_dict()
    assert results[1] == results[3] | {"id": None}


def test_single_reviews_analyzed_together_equal_one_by_one(client: TestClient, model: Model) -> None:
    # Concurrent single requests are micro-batched; each must still get its own analysis.
    from concurrent.futures import ThreadPoolExecutor

    texts = [POSITIVE, NEGATIVE, "Great fun.", "Not good at all, sadly.", POSITIVE + " But too long."] * 4
    with ThreadPoolExecutor(8) as pool:
        bodies = list(
            pool.map(
                lambda k: client.post("/v1/analyze", json={"text": texts[k], "id": str(k)}).json(), range(len(texts))
            )
        )
    assert bodies == [model.analyze(t, id=str(k)).to_dict() for k, t in enumerate(texts)]


def test_health_and_model(client: TestClient, model: Model) -> None:
    health = client.get("/v1/health").json()
    assert health["status"] == "ok" and health["model"] == model.manifest["recipe"]
    manifest = client.get("/v1/model").json()
    assert manifest == json.loads(json.dumps(model.manifest))
    assert {"recipe", "data", "metrics"} <= set(manifest)


def test_openapi_and_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/v1/analyze", "/v1/analyze/batch", "/v1/health", "/v1/model"} <= set(schema["paths"])
    analyze = schema["paths"]["/v1/analyze"]["post"]
    assert {"200", "400", "413", "415", "422", "500"} <= set(analyze["responses"])
    assert "401" not in analyze["responses"]  # an open server never asks for a key
    assert "Analysis" in schema["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs/assets/swagger-ui-bundle.js" in docs.text


def test_web_page_and_its_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for asset in ("/static/app.js", "/static/style.css"):
        assert asset in page.text
        assert client.get(asset).status_code == 200


# --- errors: one JSON line, the right status, never a trace ------------------------------


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "empty"),
        ({"text": 42}, "valid string"),
        ({"text": None}, "valid string"),
        ({}, "text"),
        ({"text": "fine", "extra": 1}, "extra"),
        ([1, 2], "valid dictionary"),
    ],
)
def test_bad_review_is_422_with_one_line(client: TestClient, body: object, where: str) -> None:
    response = client.post("/v1/analyze", json=body)
    assert response.status_code == 422
    problem = response.json()
    assert where in problem["error"] and "\n" not in problem["error"]
    assert problem["detail"] and "Traceback" not in response.text


def test_review_with_only_punctuation_is_422(client: TestClient) -> None:
    response = client.post("/v1/analyze", json={"text": "!!! ..."})
    assert response.status_code == 422 and "punctuation" in response.json()["error"]


def test_malformed_json_and_missing_body_are_422(client: TestClient) -> None:
    bad = client.post("/v1/analyze", content=b'{"text": ', headers={"content-type": "application/json"})
    assert bad.status_code == 422 and "not valid JSON" in bad.json()["error"]
    missing = client.post("/v1/analyze", headers={"content-type": "application/json"})
    assert missing.status_code == 422 and "no body" in missing.json()["error"]


def test_too_many_reviews_is_422(client: TestClient) -> None:
    reviews = [{"text": "Great."}] * (MAX_BATCH_REVIEWS + 1)
    response = client.post("/v1/analyze/batch", json={"reviews": reviews})
    assert response.status_code == 422 and "reviews" in response.json()["error"]
    assert client.post("/v1/analyze/batch", json={"reviews": []}).status_code == 422


def test_wrong_content_type_is_415(client: TestClient) -> None:
    for headers in ({"content-type": "text/plain"}, {"content-type": "application/x-www-form-urlencoded"}, {}):
        response = client.post("/v1/analyze", content=json.dumps({"text": POSITIVE}), headers=headers)
        assert response.status_code == 415 and "Content-Type: application/json" in response.json()["error"]
    charset = client.post(
        "/v1/analyze",
        content=json.dumps({"text": POSITIVE}),
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert charset.status_code == 200


def test_body_over_one_megabyte_is_413(client: TestClient) -> None:
    big = json.dumps({"text": "good " * (MAX_BODY_BYTES // 5 + 10)})
    response = client.post("/v1/analyze", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "limit" in response.json()["error"]


def test_streamed_body_over_the_limit_is_413(client: TestClient) -> None:
    # No Content-Length: the limit is enforced while the body arrives.
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(20):
            yield b"x" * 100_000
        yield b'"}'

    response = client.post("/v1/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_unknown_route_and_wrong_method(client: TestClient) -> None:
    missing = client.get("/v2/analyze")
    assert missing.status_code == 404 and "/v1" in missing.json()["error"]
    wrong = client.get("/v1/analyze")
    assert wrong.status_code == 405 and "GET" in wrong.json()["error"]


def test_an_internal_failure_is_500_without_a_trace(model: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(model, "analyze_batch", broken)
    with TestClient(create_app(ServerSettings(), model=model), raise_server_exceptions=False) as failing:
        response = failing.post("/v1/analyze", json={"text": POSITIVE})
    assert response.status_code == 500
    assert response.json() == {"error": "internal error: the server log has the details"}
    assert "secret" not in response.text and "Traceback" not in response.text


# --- API key, CORS, access log -------------------------------------------------------------


def test_api_key_is_required_when_set(model: Model) -> None:
    with keyed_client(model) as keyed:
        for headers, start in (
            ({}, "missing API key"),
            ({"Authorization": "Bearer "}, "missing API key"),
            ({"Authorization": "Bearer wrong"}, "invalid API key"),
            ({"Authorization": "s3cret"}, "invalid API key"),
            ({"Authorization": "Basic s3cret"}, "invalid API key"),
        ):
            response = keyed.post("/v1/analyze", json={"text": POSITIVE}, headers=headers)
            assert response.status_code == 401, headers
            assert response.json()["error"].startswith(start) and "Authorization: Bearer" in response.json()["error"]
            assert response.headers["www-authenticate"] == "Bearer"
        assert keyed.get("/v1/model").status_code == 401
        good = {"Authorization": "Bearer s3cret"}
        assert keyed.post("/v1/analyze", json={"text": POSITIVE}, headers=good).status_code == 200
        assert keyed.get("/v1/health").status_code == 200  # public: a proxy's health check has no key
        assert keyed.get("/").status_code == 200  # the page itself is public; it asks for the key


def test_api_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THUMBS_API_KEY", "from-env")
    monkeypatch.setenv("THUMBS_CORS_ORIGINS", "https://a.example, https://b.example")
    settings = ServerSettings.from_environment()
    assert settings.api_key == "from-env" and settings.cors_origins == ("https://a.example", "https://b.example")
    monkeypatch.setenv("THUMBS_API_KEY", "")
    assert ServerSettings.from_environment().api_key is None


def test_cors_is_off_unless_an_origin_is_given(client: TestClient, model: Model) -> None:
    origin = {"Origin": "https://reviews.example"}
    assert "access-control-allow-origin" not in client.get("/v1/health", headers=origin).headers
    with TestClient(create_app(ServerSettings(cors_origins=("https://reviews.example",)), model=model)) as open_to:
        response = open_to.get("/v1/health", headers=origin)
        assert response.headers["access-control-allow-origin"] == "https://reviews.example"
        other = open_to.get("/v1/health", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_access_log_is_one_json_line_per_request(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        client.post("/v1/analyze", json={"text": POSITIVE})
        client.post("/v1/analyze", content="x", headers={"content-type": "text/plain"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == ACCESS_LOGGER]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("POST", "/v1/analyze", 200),
        ("POST", "/v1/analyze", 415),
    ]
    assert all(line["ms"] >= 0 and "time" in line for line in lines)
