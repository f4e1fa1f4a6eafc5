"""The result of analyzing one review: frozen dataclasses with ``to_dict()``.

These are the public contract: the CLI's ``--json`` lines, the CSV/Parquet
columns and (later) the HTTP API's bodies are made from them and nothing else.

Fields of :class:`Analysis` (JSON names):

``id``
    the caller's id for the review, or null;
``label``
    ``"positive"`` or ``"negative"``;
``probability``
    calibrated P(positive) (Platt scaling on held-out decisions);
``stars``
    estimated rating on IMDb's 1-10 scale, one decimal;
``score``
    the polarity model's decision value (positive means positive);
``sentences``
    each sentence with ``text``, ``subjectivity`` (P(opinion rather than
    plot)), ``polarity`` (its own score from -1, negative, to +1, positive,
    by the sentence polarity model), ``in_extract`` (kept by the Pang & Lee
    minimum cut) and ``contribution`` (its share of ``score``);
``evidence``
    ``bias``, the ``ngrams`` and the ``sentences`` (``index``, ``text``) that
    pushed the verdict most, each with its signed ``contribution``; the
    contributions of *all* n-grams (or of all sentences) plus ``bias`` add up
    to ``score``;
``error``
    null, or one line saying why this review could not be analyzed (then the
    other fields are null): a reason of :func:`thumbs.text.review.review_problem`
    (not text, too long, not UTF-8, empty, no words), worded the same on every path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

#: Flat columns of one analysis in CSV / Parquet output, in order.
ROW_COLUMNS: tuple[str, ...] = (
    "id",
    "label",
    "probability",
    "stars",
    "score",
    "n_sentences",
    "extract",
    "top_positive",
    "top_negative",
    "error",
)
#: How many n-grams of each sign the flat row lists.
ROW_NGRAMS = 5


@dataclass(frozen=True, slots=True)
class SentenceAnalysis:
    """One sentence of a review and what the sentence models make of it."""

    text: str
    subjectivity: float
    polarity: float
    in_extract: bool
    contribution: float


@dataclass(frozen=True, slots=True)
class NgramEvidence:
    """An n-gram present in the review and its signed share of the decision score."""

    ngram: str
    contribution: float


@dataclass(frozen=True, slots=True)
class SentenceEvidence:
    """A sentence (by its position in ``sentences``) and its signed share of the decision score."""

    index: int
    text: str
    contribution: float


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why the verdict: the bias, and the n-grams and sentences that pushed it most (largest |contribution| first)."""

    bias: float
    ngrams: tuple[NgramEvidence, ...]
    sentences: tuple[SentenceEvidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Analysis:
    """How the writer of one review judged the film. See the module docstring for the fields."""

    id: str | None
    label: str | None
    probability: float | None
    stars: float | None
    score: float | None
    sentences: tuple[SentenceAnalysis, ...] = ()
    evidence: Evidence | None = None
    error: str | None = None

    @classmethod
    def failed(cls, id: str | None, error: str) -> Analysis:
        """The result for a review that could not be analyzed."""
        return cls(id=id, label=None, probability=None, stars=None, score=None, error=error)

    @property
    def extract(self) -> tuple[SentenceAnalysis, ...]:
        """The sentences the minimum cut kept: the review's subjective part."""
        return tuple(s for s in self.sentences if s.in_extract)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of this analysis (one line of ``thumbs analyze --json``).

        Built field by field: the same dict as :func:`dataclasses.asdict`, which
        deep-copies every value and took a fifth of an HTTP request's time.
        """
        evidence = self.evidence
        return {
            **self._verdict(),
            "sentences": [
                {
                    "text": s.text,
                    "subjectivity": s.subjectivity,
                    "polarity": s.polarity,
                    "in_extract": s.in_extract,
                    "contribution": s.contribution,
                }
                for s in self.sentences
            ],
            "evidence": None
            if evidence is None
            else {
                "bias": evidence.bias,
                "ngrams": [{"ngram": e.ngram, "contribution": e.contribution} for e in evidence.ngrams],
                "sentences": [
                    {"index": e.index, "text": e.text, "contribution": e.contribution} for e in evidence.sentences
                ],
            },
            "error": self.error,
        }

    def _verdict(self) -> dict[str, Any]:
        """The fields both the JSON object and the flat row start with."""
        return {
            "id": self.id,
            "label": self.label,
            "probability": self.probability,
            "stars": self.stars,
            "score": self.score,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def to_row(self) -> dict[str, Any]:
        """Flat values for :data:`ROW_COLUMNS` (CSV / Parquet)."""
        ngrams = self.evidence.ngrams if self.evidence else ()
        positive = [e.ngram for e in ngrams if e.contribution > 0][:ROW_NGRAMS]
        negative = [e.ngram for e in ngrams if e.contribution < 0][:ROW_NGRAMS]
        ok = self.error is None
        return {
            **self._verdict(),
            "n_sentences": len(self.sentences) if ok else None,
            "extract": " ".join(s.text for s in self.extract) if ok else None,
            "top_positive": "; ".join(positive) if ok else None,
            "top_negative": "; ".join(negative) if ok else None,
            "error": self.error,
        }


__all__ = ["ROW_COLUMNS", "Analysis", "Evidence", "NgramEvidence", "SentenceAnalysis", "SentenceEvidence"]
