"""The HTTP API's film summaries: the response body of ``POST /v1/summarize``.

A film summary's JSON form (:meth:`thumbs.summary.films.FilmSummary.to_dict`, one line of
``thumbs summarize --json``) names its parts differently from the dataclass, so it is declared
here, field by field (:class:`FilmSummaryOut`), for FastAPI to document in ``/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ShareOut(BaseModel):
    """An estimated share of positive reviews and its 95% interval."""

    value: float
    low: float
    high: float


class StarsOut(BaseModel):
    """Mean stars (1 to 10) and the 95% interval of the mean; null when no review of the film could be read."""

    mean: float | None
    low: float | None
    high: float | None


class QuoteOut(BaseModel):
    """A clause of a review (by its id) that judges an aspect, and its polarity (-1 to 1)."""

    review_id: str
    text: str
    polarity: float


class AspectOut(BaseModel):
    """One aspect of a film: the reviews judging it, the share of them positive (Wilson interval), its strongest quotes."""

    aspect: str
    reviews: int
    share_positive: ShareOut
    quotes: list[QuoteOut]


class PhraseCount(BaseModel):
    """A phrase and the number of the film's reviews it decided."""

    phrase: str
    count: int


class MonthOut(BaseModel):
    """A film's dated reviews in one month (``YYYY-MM``)."""

    month: str
    reviews: int
    share_positive: ShareOut
    stars: float


class FilmSummaryOut(BaseModel):
    """What the reviews of one film say: :meth:`thumbs.summary.films.FilmSummary.to_dict`, one line of ``thumbs summarize --json``."""

    group: str = Field(description="The film.")
    reviews: int = Field(description="Its reviews, the failed ones included.")
    failed: int = Field(description="Its reviews that could not be read.")
    share_positive: ShareOut = Field(
        description="The share of its readable reviews that are positive (estimated by `method`) and its 95% interval."
    )
    method: str = Field(
        description="How the share is estimated (`sld`: the maximum-likelihood share of the reviews' probabilities)."
    )
    stars: StarsOut
    histogram: list[int] = Field(description="Its readable reviews by stars, rounded: 1 to 10.")
    aspects: list[AspectOut]
    praised: list[PhraseCount]
    criticized: list[PhraseCount]
    months: list[MonthOut] = Field(description="By month, for the reviews with a readable `date`.")


#: The answer to the request example of :class:`Summarize`, for the OpenAPI document (written
#: by hand from a real one; ``tests/server/test_summarize_route.py`` checks that it has its shape).
SUMMARY_EXAMPLE: dict[str, Any] = {
    "films": [
        {
            "group": "Vertigo",
            "reviews": 2,
            "failed": 0,
            "share_positive": {"value": 1.0, "low": 1.0, "high": 1.0},
            "method": "sld",
            "stars": {"mean": 9.5, "low": 9.21, "high": 9.8},
            "histogram": [0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
            "aspects": [
                {
                    "aspect": "music",
                    "reviews": 2,
                    "share_positive": {"value": 1.0, "low": 0.3424, "high": 1.0},
                    "quotes": [
                        {"review_id": "r2", "text": "the music is wonderful", "polarity": 0.7638},
                        {"review_id": "r1", "text": "the music is superb", "polarity": 0.6915},
                    ],
                },
                {
                    "aspect": "pacing",
                    "reviews": 1,
                    "share_positive": {"value": 0.0, "low": 0.0, "high": 0.7935},
                    "quotes": [{"review_id": "r2", "text": "Slow", "polarity": -0.2724}],
                },
            ],
            "praised": [
                {"phrase": "is superb", "count": 1},
                {"phrase": "a haunting", "count": 1},
                {"phrase": "is wonderful", "count": 1},
            ],
            "criticized": [],
            "months": [],
        },
        {
            "group": "Cats",
            "reviews": 1,
            "failed": 0,
            "share_positive": {"value": 0.0, "low": 0.0, "high": 0.0},
            "method": "sld",
            "stars": {"mean": 2.28, "low": 2.28, "high": 2.28},
            "histogram": [0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
            "aspects": [],
            "praised": [],
            "criticized": [{"phrase": "a dull, lifeless mess", "count": 1}],
            "months": [
                {
                    "month": "2019-12",
                    "reviews": 1,
                    "share_positive": {"value": 0.0, "low": 0.0, "high": 0.0},
                    "stars": 2.28,
                }
            ],
        },
    ]
}


class FilmSummaries(BaseModel):
    """One summary per film, the most reviewed first (ties by name)."""

    model_config = ConfigDict(json_schema_extra={"examples": [SUMMARY_EXAMPLE]})

    films: list[FilmSummaryOut]


__all__ = ["SUMMARY_EXAMPLE", "FilmSummaries", "FilmSummaryOut"]
