"""``POST /v1/summarize`` through FastAPI's TestClient, with the shipped default model.

A small table of reviews of three films (written for these tests) is summarized film by film:
the counts, the order (most reviewed first), the failed reviews, the aspects, the months; the
limits and the 422s are the batch route's. The answer is what :func:`thumbs.summarize` gives for
the same rows, and the OpenAPI example has the shape of a real answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

import thumbs
from thumbs.pipeline.model import Model
from thumbs.server import ServerSettings, create_app
from thumbs.server.schemas import MAX_BATCH_REVIEWS, MAX_FILM_CHARS, Summarize
from thumbs.server.summary_schemas import SUMMARY_EXAMPLE, FilmSummaryOut

#: Three films: Vertigo loved (its music especially), Cats hated, Heat once and undated.
TABLE: list[dict[str, Any]] = [
    {
        "film": "Vertigo",
        "text": "A haunting, gorgeous masterpiece. The music is superb.",
        "id": "v1",
        "date": "2024-03-02",
    },
    {"film": "Vertigo", "text": "Wonderful film, and the score is beautiful.", "id": "v2", "date": "2024-03-17"},
    {"film": "Vertigo", "text": "I loved every minute; the music is wonderful.", "id": "v3", "date": "2024-04-01"},
    {"film": "Vertigo", "text": "A brilliant, moving film with superb acting.", "id": "v4", "date": "2024-04-20"},
    {"film": "Cats", "text": "A dull, ugly mess. The music is awful and the acting is wooden.", "id": "c1"},
    {"film": "Cats", "text": "Boring, stupid and a total waste of time.", "id": "c2"},
    {"film": "Cats", "text": "   ", "id": "c3"},  # blank: counted, as failed
    {"film": "Heat", "text": "Tense, gripping and superbly acted.", "id": "h1"},
]


@pytest.fixture(scope="module")
def client(model: Model) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(), model=model)) as test_client:
        yield test_client


def _films(client: TestClient, reviews: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    response = client.post("/v1/summarize", json={"reviews": reviews})
    assert response.status_code == 200, response.text
    return {film["group"]: film for film in response.json()["films"]}


# --- the answer ------------------------------------------------------------------------------


def test_each_film_is_summarized_most_reviewed_first(client: TestClient) -> None:
    response = client.post("/v1/summarize", json={"reviews": TABLE})
    assert response.status_code == 200
    films = response.json()["films"]
    assert [f["group"] for f in films] == ["Vertigo", "Cats", "Heat"]
    vertigo, cats, heat = films
    assert (vertigo["reviews"], vertigo["failed"]) == (4, 0)
    assert (cats["reviews"], cats["failed"]) == (3, 1)  # the blank review counts, as failed
    assert (heat["reviews"], heat["failed"]) == (1, 0)
    assert vertigo["share_positive"]["value"] > 0.8 > 0.2 > cats["share_positive"]["value"]
    for film in films:
        share = film["share_positive"]
        assert 0 <= share["low"] <= share["value"] <= share["high"] <= 1
        assert film["method"] == "sld"
        assert sum(film["histogram"]) == film["reviews"] - film["failed"]
    assert vertigo["stars"]["mean"] > 7 > 4 > cats["stars"]["mean"]


def test_aspects_quotes_and_months(client: TestClient) -> None:
    films = _films(client, TABLE)
    music = {a["aspect"]: a for a in films["Vertigo"]["aspects"]}["music"]
    assert music["reviews"] == 3 and music["share_positive"]["value"] == 1.0
    assert {q["review_id"] for q in music["quotes"]} <= {"v1", "v2", "v3"}
    cats_music = {a["aspect"]: a for a in films["Cats"]["aspects"]}["music"]
    assert cats_music["share_positive"]["value"] == 0.0
    assert [(m["month"], m["reviews"]) for m in films["Vertigo"]["months"]] == [("2024-03", 2), ("2024-04", 2)]
    assert films["Cats"]["months"] == [] and films["Heat"]["months"] == []


def test_the_answer_is_what_thumbs_summarize_gives(client: TestClient, model: Model) -> None:
    expected = thumbs.summarize(TABLE, by="film", id="id", date="date", model=model)
    response = client.post("/v1/summarize", json={"reviews": TABLE})
    assert response.json() == {"films": [film.to_dict() for film in expected]}


def test_reviews_without_id_are_numbered_and_a_blank_film_is_no_group(client: TestClient) -> None:
    reviews = [
        {"film": "Vertigo", "text": "The music is superb."},
        {"film": "", "text": "The music is gorgeous."},
    ]
    films = _films(client, reviews)
    assert set(films) == {"Vertigo", "(no group)"}
    quotes = {a["aspect"]: a for a in films["Vertigo"]["aspects"]}["music"]["quotes"]
    assert [q["review_id"] for q in quotes] == ["1"]


@pytest.mark.parametrize("text", ["", "   ", "?!…", None, 42, ["a list"], {"an": "object"}])
def test_an_unreadable_review_counts_as_failed_in_its_film(client: TestClient, text: Any) -> None:
    reviews = [{"film": "Heat", "text": "Tense and gripping."}, {"film": "Heat", "text": text}]
    heat = _films(client, reviews)["Heat"]
    assert (heat["reviews"], heat["failed"]) == (2, 1)
    assert sum(heat["histogram"]) == 1


def test_a_film_of_only_failed_reviews_is_still_200(client: TestClient) -> None:
    cats = _films(client, [{"film": "Cats", "text": ""}, {"film": "Cats", "text": None}])["Cats"]
    assert (cats["reviews"], cats["failed"]) == (2, 2)
    assert cats["stars"] == {"mean": None, "low": None, "high": None}
    assert cats["share_positive"] == {"value": 0.0, "low": 0.0, "high": 1.0}


def test_an_unreadable_date_is_left_out_of_the_months(client: TestClient) -> None:
    reviews = [
        {"film": "Heat", "text": "Tense and gripping.", "date": "1995-12-15"},
        {"film": "Heat", "text": "Superbly acted.", "date": "sometime in the nineties"},
    ]
    heat = _films(client, reviews)["Heat"]
    assert heat["reviews"] == 2 and [(m["month"], m["reviews"]) for m in heat["months"]] == [("1995-12", 1)]


# --- limits and 422s ----------------------------------------------------------------------------


def test_the_batch_limit_holds(client: TestClient) -> None:
    review = {"film": "Heat", "text": "Tense."}
    assert client.post("/v1/summarize", json={"reviews": [review] * MAX_BATCH_REVIEWS}).status_code == 200
    response = client.post("/v1/summarize", json={"reviews": [review] * (MAX_BATCH_REVIEWS + 1)})
    assert response.status_code == 422
    assert response.json()["error"].startswith("reviews:")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"reviews": []}, "reviews"),
        ({}, "reviews"),
        ({"reviews": "Vertigo"}, "reviews"),
        ({"reviews": [{"text": "Superb."}]}, "reviews.0.film"),
        ({"reviews": [{"film": "Vertigo"}]}, "reviews.0.text"),
        ({"reviews": [{"film": 7, "text": "Superb."}]}, "reviews.0.film"),
        ({"reviews": [{"film": "x" * (MAX_FILM_CHARS + 1), "text": "Superb."}]}, "reviews.0.film"),
        ({"reviews": [{"film": "Vertigo", "text": "Superb.", "id": 3}]}, "reviews.0.id"),
        ({"reviews": [{"film": "Vertigo", "text": "Superb.", "date": 20240317}]}, "reviews.0.date"),
        ({"reviews": [{"film": "Vertigo", "text": "Superb.", "stars": 9}]}, "reviews.0.stars"),
        ({"reviews": [], "by": "film"}, "reviews"),
        ([{"film": "Vertigo", "text": "Superb."}], "body"),
    ],
)
def test_a_body_that_is_not_a_table_of_reviews_is_422(client: TestClient, body: Any, where: str) -> None:
    response = client.post("/v1/summarize", json=body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["error"].startswith(f"{where}:") or problem["error"].startswith("body")
    assert ".".join(str(p) for p in problem["detail"][0]["loc"][1:]) in (where, "")


def test_a_body_that_is_not_json_is_refused(client: TestClient) -> None:
    response = client.post("/v1/summarize", content=b"film,text\nVertigo,Superb.", headers={"content-type": "text/csv"})
    assert response.status_code == 415
    assert "error" in response.json()


def test_the_key_guards_the_route(model: Model) -> None:
    with TestClient(create_app(ServerSettings(api_key="s3cret"), model=model)) as keyed:
        body = {"reviews": TABLE[:1]}
        assert keyed.post("/v1/summarize", json=body).status_code == 401
        answer = keyed.post("/v1/summarize", json=body, headers={"Authorization": "Bearer s3cret"})
        assert answer.status_code == 200 and answer.json()["films"][0]["group"] == "Vertigo"


# --- the OpenAPI document -----------------------------------------------------------------------


def test_the_route_and_its_examples_are_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    route = schema["paths"]["/v1/summarize"]["post"]
    assert {"200", "413", "415", "422"} <= set(route["responses"])
    components = schema["components"]["schemas"]
    assert components["Summarize"]["examples"] and components["FilmSummaries"]["examples"] == [SUMMARY_EXAMPLE]
    assert set(components["SummaryReview"]["properties"]) == {"text", "film", "id", "date"}


def _shape(value: Any) -> Any:
    """Keys and types, not values (a float and an int are both numbers; None stands for anything)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return "number" if isinstance(value, int | float) and not isinstance(value, bool) else type(value).__name__


def test_the_openapi_example_is_the_answer_to_the_request_example(client: TestClient) -> None:
    request = Summarize.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]
    real = client.post("/v1/summarize", json=request).json()
    assert [f["group"] for f in real["films"]] == [f["group"] for f in SUMMARY_EXAMPLE["films"]]
    for example, answer in zip(SUMMARY_EXAMPLE["films"], real["films"], strict=True):
        assert set(example) == set(answer) == set(FilmSummaryOut.model_fields)
        assert _shape(example["share_positive"]) == _shape(answer["share_positive"])
        assert _shape(example["stars"]) == _shape(answer["stars"])
        assert (example["reviews"], example["failed"]) == (answer["reviews"], answer["failed"])
        for key in ("aspects", "praised", "criticized", "months"):
            if example[key] and answer[key]:
                assert _shape(example[key][0]) == _shape(answer[key][0])
        FilmSummaryOut.model_validate(example)  # the declared response model takes it
