"""A request's own aspects (``"aspects": {"name": ["term", ...]}``) on the analyze, batch and summarize routes.

The reviews are written for these tests. They check that the user's aspects come back in the
results next to the built-in ones, that a bad ``aspects`` is a 422 with one line (the aspects
file's rules, and the server's limits), that the models built for them are cached in a bounded
LRU keyed by a canonical form, and that concurrent requests with different aspects, micro-batched
together, never share a model call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

pytest.importorskip("fastapi")
import httpx
from fastapi.testclient import TestClient

from thumbs.pipeline.analysis import Analysis
from thumbs.pipeline.model import Model
from thumbs.server import ServerSettings, create_app
from thumbs.server.aspects import (
    MAX_ASPECT_NAME_CHARS,
    MAX_ASPECT_TERMS,
    MAX_REQUEST_ASPECTS,
    MAX_TERM_CHARS,
    AspectModels,
    request_aspects,
)

#: A user's aspects: a character and the 3D.
MINE = {"Hannibal": ["hannibal", "lecter"], "3d": ["the 3d", "3-d"]}
REVIEW = "Hannibal is chilling and brilliant. The 3D is an awful, blurry mess. The acting is superb."


@pytest.fixture(scope="module")
def client(model: Model) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(), model=model)) as test_client:
        yield test_client


def _aspects(result: dict[str, Any]) -> dict[str, float]:
    return {a["aspect"]: a["polarity"] for a in result["aspects"]}


# --- the routes take them --------------------------------------------------------------------------


def test_analyze_judges_the_users_aspects_beside_the_built_in_ones(client: TestClient) -> None:
    plain = client.post("/v1/analyze", json={"text": REVIEW}).json()
    assert set(_aspects(plain)) == {"acting"}

    response = client.post("/v1/analyze", json={"text": REVIEW, "aspects": MINE})
    assert response.status_code == 200, response.text
    judged = _aspects(response.json())
    assert set(judged) == {"Hannibal", "3d", "acting"}
    assert judged["Hannibal"] > 0 > judged["3d"]
    # everything else is the same analysis
    assert response.json()["probability"] == plain["probability"]
    assert response.json()["stars"] == plain["stars"]


def test_a_users_term_is_taken_from_a_built_in_aspect(client: TestClient) -> None:
    text = "The camera work is breathtaking."
    assert set(_aspects(client.post("/v1/analyze", json={"text": text}).json())) == {"visuals"}
    mine = client.post("/v1/analyze", json={"text": text, "aspects": {"camera": ["camera", "camera work"]}})
    assert set(_aspects(mine.json())) == {"camera"}


def test_the_file_form_with_terms_is_taken_too(client: TestClient) -> None:
    response = client.post("/v1/analyze", json={"text": REVIEW, "aspects": {"Hannibal": {"terms": ["lecter"]}}})
    assert response.status_code == 200
    assert "Hannibal" not in _aspects(response.json())  # "lecter" is not in this review
    response = client.post("/v1/analyze", json={"text": REVIEW, "aspects": {"Hannibal": {"terms": ["hannibal"]}}})
    assert "Hannibal" in _aspects(response.json())


def test_the_batch_route_judges_them_in_every_review(client: TestClient) -> None:
    reviews = [{"text": REVIEW, "id": "a"}, {"text": "Lecter is a bore.", "id": "b"}, {"text": "   ", "id": "c"}]
    response = client.post("/v1/analyze/batch", json={"reviews": reviews, "aspects": MINE})
    assert response.status_code == 200, response.text
    a, b, c = response.json()["results"]
    assert {"Hannibal", "3d"} <= set(_aspects(a))
    assert _aspects(b)["Hannibal"] < 0
    assert c["error"] is not None


def test_summarize_lists_the_users_aspects_per_film(client: TestClient) -> None:
    reviews = [
        {"film": "Silence", "text": "Hannibal is chilling and brilliant.", "id": "s1"},
        {"film": "Silence", "text": "Lecter is magnificent, a superb villain.", "id": "s2"},
        {"film": "Avatar", "text": "The 3D is an awful, blurry mess.", "id": "a1"},
    ]
    plain = client.post("/v1/summarize", json={"reviews": reviews}).json()["films"]
    assert not {a["aspect"] for f in plain for a in f["aspects"]} & set(MINE)

    response = client.post("/v1/summarize", json={"reviews": reviews, "aspects": MINE})
    assert response.status_code == 200, response.text
    films = {f["group"]: {a["aspect"]: a for a in f["aspects"]} for f in response.json()["films"]}
    assert films["Silence"]["Hannibal"]["reviews"] == 2
    assert films["Silence"]["Hannibal"]["share_positive"]["value"] == 1.0
    assert {q["review_id"] for q in films["Silence"]["Hannibal"]["quotes"]} == {"s1", "s2"}
    assert films["Avatar"]["3d"]["share_positive"]["value"] == 0.0


def test_the_openapi_document_describes_the_field(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("Review", "Batch", "Summarize"):
        field = schemas[name]["properties"]["aspects"]
        assert f"At most {MAX_REQUEST_ASPECTS} aspects" in field["description"], name


# --- bad aspects: a 422 with one line ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("aspects", "says"),
    [
        ({}, 'give at least one aspect, as {"name": ["term", ...]}'),
        ({"villain": []}, "aspect 'villain' has no terms: give it at least one word that names it"),
        ({"villain": ["   "]}, "aspect 'villain' has no terms"),
        ({"villain": ["the villain", 3]}, "aspect 'villain' needs a list of terms (strings)"),
        ({"villain": "the villain"}, "aspect 'villain' needs a list of terms (strings)"),
        ({"villain": {"words": ["x"]}}, "aspect 'villain' needs a list of terms (strings)"),
        ({"": ["x"]}, "an aspect's name is empty"),
        ({f"a{k}": ["x"] for k in range(MAX_REQUEST_ASPECTS + 1)}, f"at most {MAX_REQUEST_ASPECTS} aspects"),
        ({"villain": [f"t{k}" for k in range(MAX_ASPECT_TERMS + 1)]}, f"at most {MAX_ASPECT_TERMS}"),
        ({"villain": ["x" * (MAX_TERM_CHARS + 1)]}, f"a term over {MAX_TERM_CHARS} characters"),
        ({"v" * (MAX_ASPECT_NAME_CHARS + 1): ["x"]}, f"name is over {MAX_ASPECT_NAME_CHARS} characters"),
        (["villain"], "aspects: Input should be a valid dictionary"),
    ],
)
@pytest.mark.parametrize("route", ["/v1/analyze", "/v1/analyze/batch", "/v1/summarize"])
def test_bad_aspects_are_a_422_with_one_line(client: TestClient, route: str, aspects: Any, says: str) -> None:
    body: dict[str, Any] = {"text": "A fine film."}
    if route == "/v1/analyze/batch":
        body = {"reviews": [body]}
    elif route == "/v1/summarize":
        body = {"reviews": [{**body, "film": "F"}]}
    response = client.post(route, json={**body, "aspects": aspects})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error.startswith("aspects: ")
    assert says in error
    assert "\n" not in error and "(and" not in error  # one problem, one line


def test_request_aspects_canonical_form() -> None:
    one = request_aspects({"b": ["y", "x", "y"], "a": ["z"]})
    assert one == (("b", ("x", "y")), ("a", ("z",)))
    assert request_aspects({"b": {"terms": ["x", "y"]}, "a": ["z"]}) == one  # term order and form do not matter
    assert request_aspects({"a": ["z"], "b": ["x", "y"]}) != one  # aspect order does: the first claims a shared term


# --- the cache ---------------------------------------------------------------------------------------


def test_the_model_cache_is_a_bounded_lru(model: Model) -> None:
    models = AspectModels(model, size=2)
    assert models.get(None) == (model, models.batcher)  # no aspects: the server's own model, nothing built
    a, b, c = (request_aspects({name: [name]}) for name in ("alpha", "beta", "gamma"))
    first = models.get(a)
    assert models.get(request_aspects({"alpha": ["alpha", "alpha"]})) is first  # the same canonical key
    models.get(b)
    assert models.get(a) is first  # a is now the most recently used
    models.get(c)  # evicts b
    assert len(models) == 2 and models.built == 3
    assert models.get(a) is first
    models.get(b)  # built again
    assert models.built == 4 and len(models) == 2
    judged = [j.aspect for j in first[0].analyze("The alpha is wonderful.").aspects]
    assert judged == ["alpha"]


def test_the_server_builds_a_model_once_per_set_of_aspects(model: Model) -> None:
    with TestClient(create_app(ServerSettings(), model=model)) as client:
        models: AspectModels = client.app.state.models  # type: ignore[attr-defined]
        for _ in range(3):
            client.post("/v1/analyze", json={"text": REVIEW, "aspects": MINE})
            client.post("/v1/analyze", json={"text": REVIEW, "aspects": dict(reversed(list(MINE.items())))})
            client.post("/v1/summarize", json={"reviews": [{"text": REVIEW, "film": "F"}], "aspects": MINE})
        client.post("/v1/analyze", json={"text": REVIEW})
        assert models.built == 2  # MINE, and MINE in the other order


def test_concurrent_requests_with_different_aspects_never_share_a_model_call(model: Model) -> None:
    """Reviews that arrive together are micro-batched, but only with those asking for the same aspects."""
    app = create_app(ServerSettings(), model=model)
    models: AspectModels = app.state.models
    # The same term under two names: a review judged by the other request's model would show the other name.
    asks = {"villain": {"villain": ["the count"]}, "hero": {"hero": ["the count"]}, None: None}
    calls: list[tuple[str | None, int]] = []
    for name, aspects in asks.items():
        judge, batcher = models.get(request_aspects(aspects) if aspects else None)
        inner = batcher.analyze_batch

        def recording(
            texts: Sequence[object], ids: Sequence[str | None], inner: Any = inner, name: str | None = name
        ) -> list[Analysis]:
            calls.append((name, len(texts)))
            for id in ids:
                assert id is not None and id.startswith(f"{name}-"), (name, id)
            return list(inner(texts, ids))

        batcher.analyze_batch = recording

    async def main() -> list[tuple[str | None, dict[str, Any]]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:

            async def one(name: str | None, k: int) -> tuple[str | None, dict[str, Any]]:
                body: dict[str, Any] = {
                    "text": f"The count is a superb, chilling villain. Review {k}.",
                    "id": f"{name}-{k}",
                }
                if asks[name] is not None:
                    body["aspects"] = asks[name]
                response = await http.post("/v1/analyze", json=body)
                assert response.status_code == 200, response.text
                return name, response.json()

            return await asyncio.gather(*(one(name, k) for k in range(12) for name in asks))

    answers = asyncio.run(main())
    assert len(answers) == 36
    for name, result in answers:
        assert result["id"].startswith(f"{name}-")
        judged = {a["aspect"] for a in result["aspects"]}
        if name is None:
            assert not judged & {"villain", "hero"}
        else:
            assert name in judged and not judged & ({"villain", "hero"} - {name})
    assert sum(n for _, n in calls) == 36
    assert any(n > 1 for _, n in calls), calls  # they did arrive together, and were batched by aspects
    assert models.built == 2
