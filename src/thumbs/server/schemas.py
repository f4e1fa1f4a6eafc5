"""The HTTP API's request and response bodies.

Requests are pydantic models, so FastAPI validates them at the boundary and
documents them in ``/openapi.json``. Responses reuse the analysis core's own
dataclasses (:class:`thumbs.pipeline.analysis.Analysis` and its parts): the API's
result *is* one line of ``thumbs analyze --json``, declared once.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

from thumbs.pipeline.analysis import Analysis

#: Most reviews one batch request may carry.
MAX_BATCH_REVIEWS = 1000
#: Longest id accepted, in characters.
MAX_ID_CHARS = 256


class Review(BaseModel):
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
    def _has_words(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("the review is empty: send some text to analyze")
        return text


class Batch(BaseModel):
    """Up to :data:`MAX_BATCH_REVIEWS` reviews, analyzed in one request; results come back in the same order."""

    model_config = ConfigDict(extra="forbid")

    reviews: list[Review] = Field(
        min_length=1, max_length=MAX_BATCH_REVIEWS, description=f"1 to {MAX_BATCH_REVIEWS} reviews."
    )


class BatchResults(BaseModel):
    """The analyses of a batch, in input order. A review that cannot be analyzed has ``error`` set."""

    results: list[Analysis]


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


__all__ = ["MAX_BATCH_REVIEWS", "Batch", "BatchResults", "Health", "Problem", "Review"]
