"""The HTTP API's request and response bodies.

Requests are pydantic models, so FastAPI validates them at the boundary and
documents them in ``/openapi.json``. Responses reuse the analysis core's own
dataclasses (:class:`thumbs.pipeline.analysis.Analysis` and its parts): the API's
result *is* one line of ``thumbs analyze --json``, declared once. A film summary's JSON form is declared
in :mod:`thumbs.server.summary_schemas`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, WithJsonSchema, field_validator

from thumbs.pipeline.analysis import Analysis
from thumbs.server.aspects import (
    MAX_ASPECT_NAME_CHARS,
    MAX_ASPECT_TERMS,
    MAX_REQUEST_ASPECTS,
    MAX_TERM_CHARS,
    Canonical,
    request_aspects,
)
from thumbs.summary.run import NO_GROUP
from thumbs.text.review import MAX_REVIEW_CHARS, review_problem

#: Most reviews one batch request may carry.
MAX_BATCH_REVIEWS = 1000
#: Longest id accepted, in characters.
MAX_ID_CHARS = 256
#: Longest film name accepted by the summary route, in characters.
MAX_FILM_CHARS = 256
#: Longest date accepted by the summary route, in characters.
MAX_DATE_CHARS = 64

#: The text of :data:`ANALYSIS_EXAMPLE` (the offsets in it count code points, as Python's ``str`` does).
EXAMPLE_TEXT = "The acting was wonderful, but the plot was a mess. I didn't like the ending at all."
#: One result as the API sends it, for the OpenAPI document: every field of the 0.2 contract
#: (:mod:`thumbs.pipeline.analysis`), written by hand; ``text[start:end]`` of each sentence and
#: of each phrase's spans gives their words back (``tests/server/test_web.py`` checks both, and
#: that its keys are those of a real result).
ANALYSIS_EXAMPLE: dict[str, Any] = {
    "id": "r1",
    "label": "negative",
    "probability": 0.19,
    "stars": 3.4,
    "score": -0.54,
    "coverage": 1.0,
    "warnings": [],
    "sentences": [
        {
            "text": "The acting was wonderful, but the plot was a mess.",
            "start": 0,
            "end": 50,
            "subjectivity": 0.91,
            "polarity": -0.35,
            "in_extract": True,
            "contribution": -0.05,
        },
        {
            "text": "I didn't like the ending at all.",
            "start": 51,
            "end": 83,
            "subjectivity": 0.87,
            "polarity": -0.72,
            "in_extract": True,
            "contribution": -0.41,
        },
    ],
    "evidence": {
        "bias": -0.08,
        "phrases": [
            {
                "text": "didn't like",
                "spans": [[53, 64]],
                "sentence": 1,
                "contribution": -0.41,
                "features": ["did n't", "NOT_like"],
            },
            {"text": "a mess", "spans": [[43, 49]], "sentence": 0, "contribution": -0.37, "features": ["a mess"]},
            {"text": "wonderful", "spans": [[15, 24]], "sentence": 0, "contribution": 0.32, "features": ["wonderful"]},
        ],
        "ngrams": [
            {"ngram": "a mess", "contribution": -0.37},
            {"ngram": "wonderful", "contribution": 0.32},
            {"ngram": "did n't", "contribution": -0.23},
            {"ngram": "NOT_like", "contribution": -0.18},
        ],
        "sentences": [
            {"index": 1, "text": "I didn't like the ending at all.", "contribution": -0.41},
            {"index": 0, "text": "The acting was wonderful, but the plot was a mess.", "contribution": -0.05},
        ],
    },
    "error": None,
    "aspects": [
        {
            "aspect": "acting",
            "polarity": 0.56,
            "term": {"text": "acting", "spans": [[4, 10]]},
            "clause": {"text": "The acting was wonderful", "spans": [[0, 24]]},
            "sentence": 0,
        },
        {
            "aspect": "story",
            "polarity": -0.91,
            "term": {"text": "plot", "spans": [[34, 38]]},
            "clause": {"text": "the plot was a mess", "spans": [[30, 49]]},
            "sentence": 0,
        },
        {
            "aspect": "story",
            "polarity": -0.39,
            "term": {"text": "ending", "spans": [[69, 75]]},
            "clause": {"text": "I didn't like the ending at all", "spans": [[51, 82]]},
            "sentence": 1,
        },
    ],
}


#: What ``aspects`` takes, for the OpenAPI document.
ASPECTS_DESCRIPTION = (
    "Your own aspects, judged besides the built-in ones, as `thumbs analyze --aspects FILE` takes them: "
    '`{"name": ["term", ...]}` (a character, an actor, "the 3D"). A term of yours is yours: a built-in '
    f"aspect with the same term gives it up. At most {MAX_REQUEST_ASPECTS} aspects of at most "
    f"{MAX_ASPECT_TERMS} terms, names up to {MAX_ASPECT_NAME_CHARS} characters, terms up to "
    f"{MAX_TERM_CHARS}; an aspect without a term that has a word, or a term that is not a string, is a 422."
)


#: The terms of one aspect, as the OpenAPI document declares them.
_TERMS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string", "maxLength": MAX_TERM_CHARS},
    "minItems": 1,
    "maxItems": MAX_ASPECT_TERMS,
}
#: ``aspects`` as the OpenAPI document declares it: what :func:`thumbs.server.aspects.request_aspects`
#: takes, except what JSON Schema cannot say (a term with a word). The field is checked by that
#: function, not by pydantic's reading of this schema, so that a mistake is one line saying what to fix.
ASPECTS_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {
            "type": "object",
            "minProperties": 1,
            "maxProperties": MAX_REQUEST_ASPECTS,
            "propertyNames": {"minLength": 1, "maxLength": MAX_ASPECT_NAME_CHARS},
            "additionalProperties": {
                "anyOf": [
                    _TERMS_SCHEMA,
                    {"type": "object", "properties": {"terms": _TERMS_SCHEMA}, "required": ["terms"]},
                ]
            },
        },
        {"type": "null"},
    ]
}


class WithAspects(BaseModel):
    """A request that may add its own aspects (``aspects``), checked as an aspects file is."""

    aspects: Annotated[dict[str, Any] | None, WithJsonSchema(ASPECTS_SCHEMA)] = Field(
        default=None,
        description=ASPECTS_DESCRIPTION,
        examples=[{"Hannibal": ["hannibal", "lecter"], "3d": ["the 3d", "3-d"]}],
    )

    @field_validator("aspects")
    @classmethod
    def _aspects_readable(cls, aspects: dict[str, Any] | None) -> dict[str, Any] | None:
        """:func:`thumbs.server.aspects.request_aspects`'s rules: a 422 with its one line."""
        if aspects is not None:
            request_aspects(aspects)
        return aspects

    def canonical_aspects(self) -> Canonical | None:
        """The aspects in canonical form (the key of :class:`thumbs.server.aspects.AspectModels`), or None."""
        return None if self.aspects is None else request_aspects(self.aspects)


class Review(WithAspects):
    """One review to analyze: its text and, optionally, your id for it (echoed back)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"text": "A moving, beautifully acted film.", "id": "r1"}]}
    )

    text: StrictStr = Field(
        min_length=1, description="The review: raw text (HTML breaks, curly quotes) or tokenized text."
    )
    id: Annotated[StrictStr, Field(max_length=MAX_ID_CHARS)] | None = Field(
        default=None, description="Your id for the review, returned in the result."
    )

    @field_validator("text")
    @classmethod
    def _readable(cls, text: str) -> str:
        """The one rule of :func:`thumbs.text.review.review_problem` (blank, too long): a 422 naming it."""
        problem = review_problem(text)
        if problem is not None:
            raise ValueError(problem)
        return text


class BatchReview(BaseModel):
    """One review of a batch. Its ``text`` is checked by the analysis, not here: an unreadable one gets an error result."""

    model_config = ConfigDict(extra="forbid")

    text: Any = Field(
        description=(
            "The review, a string. A value that cannot be read (empty, blank, not a string, over "
            f"{MAX_REVIEW_CHARS:,} characters, only punctuation) does not fail the batch: its result has `error` set."
        ),
        examples=["A moving, beautifully acted film."],
    )
    id: Annotated[StrictStr, Field(max_length=MAX_ID_CHARS)] | None = Field(
        default=None, description="Your id for the review, returned in the result."
    )


class Batch(WithAspects):
    """Up to :data:`MAX_BATCH_REVIEWS` reviews, analyzed in one request; results come back in the same order.

    A batch that is not a list, is empty or too long, or has an item that is not
    ``{"text": ..., "id": ...}`` is refused whole (422); a review whose text cannot
    be read gets its own result with ``error`` set, and the others are analyzed.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reviews": [{"text": "A moving film.", "id": "r1"}]}]}
    )

    reviews: list[BatchReview] = Field(
        min_length=1, max_length=MAX_BATCH_REVIEWS, description=f"1 to {MAX_BATCH_REVIEWS} reviews."
    )


class BatchResults(BaseModel):
    """The analyses of a batch, in input order. A review that cannot be analyzed has ``error`` set."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"results": [ANALYSIS_EXAMPLE]}]})

    results: list[Analysis]


class SummaryReview(BaseModel):
    """One review to summarize: its text, the film it reviews and, optionally, an id and a date."""

    model_config = ConfigDict(extra="forbid")

    text: Any = Field(
        description=(
            "The review, a string. A value that cannot be read (empty, blank, not a string, over "
            f"{MAX_REVIEW_CHARS:,} characters, only punctuation) does not fail the request: it counts "
            "as failed in its film."
        ),
        examples=["A haunting, gorgeous film; the music is superb."],
    )
    film: Annotated[StrictStr, Field(max_length=MAX_FILM_CHARS)] = Field(
        description=f"The film (or any group) the review is about; an empty one is the group `{NO_GROUP}`.",
        examples=["Vertigo"],
    )
    id: Annotated[StrictStr, Field(max_length=MAX_ID_CHARS)] | None = Field(
        default=None, description="Your id for the review, named by its quotes (default: its 1-based position)."
    )
    date: Annotated[StrictStr, Field(max_length=MAX_DATE_CHARS)] | None = Field(
        default=None,
        description=(
            "When the review was written, year and month first (`2024-03`, `2024-03-17`): "
            "the film's `months` count the dated reviews. One that cannot be read is left out of them."
        ),
        examples=["2024-03-17"],
    )


class Summarize(WithAspects):
    """Up to :data:`MAX_BATCH_REVIEWS` reviews of any number of films, summarized film by film.

    A body that is not a list of 1 to 1000 ``{"text", "film", "id", "date"}`` objects is refused
    whole (422); a review whose text cannot be read counts as failed in its film.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reviews": [
                        {"text": "A haunting, gorgeous film; the music is superb.", "film": "Vertigo", "id": "r1"},
                        {"text": "Slow, but the music is wonderful.", "film": "Vertigo", "id": "r2"},
                        {"text": "A dull, lifeless mess.", "film": "Cats", "id": "r3", "date": "2019-12-20"},
                    ]
                }
            ]
        },
    )

    reviews: list[SummaryReview] = Field(
        min_length=1, max_length=MAX_BATCH_REVIEWS, description=f"1 to {MAX_BATCH_REVIEWS} reviews."
    )


class Health(BaseModel):
    """The server is up and its model is loaded."""

    status: str = Field(examples=["ok"])
    version: str = Field(description="The thumbs version serving.")
    model: str | None = Field(description="The loaded model's recipe.")


class Problem(BaseModel):
    """Every error response: one line saying what went wrong and how to fix it."""

    error: str
    detail: list[dict[str, Any]] | None = Field(
        default=None, description="For 422: each invalid field, with its location and message."
    )


__all__ = [
    "ANALYSIS_EXAMPLE",
    "ASPECTS_DESCRIPTION",
    "EXAMPLE_TEXT",
    "MAX_BATCH_REVIEWS",
    "MAX_FILM_CHARS",
    "Batch",
    "BatchResults",
    "BatchReview",
    "Health",
    "Problem",
    "Review",
    "Summarize",
    "SummaryReview",
    "WithAspects",
]
