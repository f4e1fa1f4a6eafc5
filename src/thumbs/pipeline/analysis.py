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
``coverage``
    the share of the review's words (tokens with a letter or digit) that the
    verdict model has a weight for: how much of the review it could read;
``warnings``
    one-line notes on what makes the verdict less sure than its probability
    says (few or no known words, not English, very short, a rating written in
    the text that disagrees with the verdict); empty when there is nothing to say;
``sentences``
    each sentence with ``text``, ``start`` and ``end`` (its offsets in the text
    as the caller gave it), ``subjectivity`` (P(opinion rather than plot)), ``polarity`` (its own score from -1, negative, to +1, positive,
    by the sentence polarity model), ``in_extract`` (kept by the Pang & Lee
    minimum cut) and ``contribution`` (its share of ``score``);
``evidence``
    ``bias``; the ``phrases`` of the review that pushed the verdict most, each
    with its ``text`` as written in the review, its ``spans`` (``[start, end]``
    offsets in the text as given: ``text[start:end]`` gives the words back), the
    ``sentence`` it is in (an index into ``sentences``), its signed
    ``contribution`` and the model's internal ``features`` behind it; the
    ``ngrams`` (those internal features, strongest first) and the ``sentences``
    (``index``, ``text``) that pushed it most. The contributions of *all*
    phrases (or of all n-grams, or of all sentences) plus ``bias`` add up to
    ``score``;
``aspects``
    what the review says of each aspect of the film it judges (acting, story, direction,
    visuals, music, effects, pacing, humor: docs/aspects.md), one item per judging clause:
    ``aspect``, ``polarity`` (-1 to +1, the clause's, by the sentence polarity model), the
    ``term`` that names the aspect and the ``clause`` that judges it (each ``text`` as written
    and ``spans`` in the text as given) and the ``sentence`` index;
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
    "coverage",
    "n_sentences",
    "extract",
    "top_positive",
    "top_negative",
    "warnings",
    "error",
)
#: How many phrases of each sign the flat row lists.
ROW_PHRASES = 5


@dataclass(frozen=True, slots=True)
class SentenceAnalysis:
    """One sentence of a review and what the sentence models make of it."""

    text: str
    subjectivity: float
    polarity: float
    in_extract: bool
    contribution: float
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class NgramEvidence:
    """An n-gram present in the review and its signed share of the decision score."""

    ngram: str
    contribution: float


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words of the review that pushed the verdict together, and their signed share of the decision score.

    A phrase is the overlapping or adjacent occurrences of n-grams whose weights have one
    sign, within one sentence. ``text`` is as the review writes it; ``spans`` are the
    ``(start, end)`` offsets in the text as given of its stretches of words (one, unless
    markup the analysis drops stands between them), so ``text[start:end]`` gives each
    back. ``features`` are the model's internal n-grams behind it; an n-gram that occurs
    in several places gives each place an equal part of its contribution.
    """

    text: str
    spans: tuple[tuple[int, int], ...]
    sentence: int
    contribution: float
    features: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SentenceEvidence:
    """A sentence (by its position in ``sentences``) and its signed share of the decision score."""

    index: int
    text: str
    contribution: float


@dataclass(frozen=True, slots=True)
class Quote:
    """Words of the review as written, and their ``(start, end)`` offsets in the text as given (``text[start:end]``)."""

    text: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class AspectJudgement:
    """What one clause of the review says of one aspect of the film (its acting, its story, its music...).

    ``aspect`` is the aspect's name; ``polarity`` the clause's polarity from -1 (negative) to +1
    (positive), by the sentence polarity model; ``term`` the words that name the aspect and
    ``clause`` the clause that judges it, both as written; ``sentence`` the index of their sentence.
    """

    aspect: str
    polarity: float
    term: Quote
    clause: Quote
    sentence: int


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why the verdict: the bias, and the n-grams and sentences that pushed it most (largest |contribution| first)."""

    bias: float
    ngrams: tuple[NgramEvidence, ...]
    sentences: tuple[SentenceEvidence, ...] = ()
    phrases: tuple[Phrase, ...] = ()


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
    coverage: float | None = None
    warnings: tuple[str, ...] = ()
    aspects: tuple[AspectJudgement, ...] = ()

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

        Built field by field, in the dataclasses' order: the same dict as
        :func:`dataclasses.asdict`, which deep-copies every value and took a fifth of an
        HTTP request's time.
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
                    "start": s.start,
                    "end": s.end,
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
                "phrases": [
                    {
                        "text": p.text,
                        "spans": [list(span) for span in p.spans],
                        "sentence": p.sentence,
                        "contribution": p.contribution,
                        "features": list(p.features),
                    }
                    for p in evidence.phrases
                ],
            },
            "error": self.error,
            "coverage": self.coverage,
            "warnings": list(self.warnings),
            "aspects": [
                {
                    "aspect": a.aspect,
                    "polarity": a.polarity,
                    "term": {"text": a.term.text, "spans": [list(span) for span in a.term.spans]},
                    "clause": {"text": a.clause.text, "spans": [list(span) for span in a.clause.spans]},
                    "sentence": a.sentence,
                }
                for a in self.aspects
            ],
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
        """Flat values for :data:`ROW_COLUMNS` (CSV / Parquet): the phrases as written, ``; ``-joined."""
        phrases = self.evidence.phrases if self.evidence else ()
        positive = [p.text for p in phrases if p.contribution > 0][:ROW_PHRASES]
        negative = [p.text for p in phrases if p.contribution < 0][:ROW_PHRASES]
        ok = self.error is None
        return {
            **self._verdict(),
            "coverage": self.coverage,
            "n_sentences": len(self.sentences) if ok else None,
            "extract": " ".join(s.text for s in self.extract) if ok else None,
            "top_positive": "; ".join(positive) if ok else None,
            "top_negative": "; ".join(negative) if ok else None,
            "warnings": "; ".join(self.warnings) if ok else None,
            "error": self.error,
        }


__all__ = [
    "ROW_COLUMNS",
    "Analysis",
    "AspectJudgement",
    "Evidence",
    "NgramEvidence",
    "Phrase",
    "Quote",
    "SentenceAnalysis",
    "SentenceEvidence",
]
