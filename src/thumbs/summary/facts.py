"""What a summary keeps of one review: its verdict, its aspects' clauses and its strongest phrases.

A film's summary never needs a review's sentences, spans or n-grams: :class:`ReviewFacts` is
the little a :class:`~thumbs.summary.tallies.FilmTally` reads of an analysis. It is made three
ways, and all three fold the same:

* from an :class:`~thumbs.pipeline.analysis.Analysis` (:func:`facts_of`), as a summary runs;
* from its own JSON object (:meth:`ReviewFacts.from_dict`), the line ``thumbs summarize`` keeps
  per review in its journal, so that ``--resume`` folds the finished reviews again without
  analyzing them again;
* from a line of ``thumbs analyze --json`` (:func:`facts_from_analysis_json`), so that reviews
  analyzed once are summarized without being analyzed twice.

>>> from thumbs.pipeline.analysis import Analysis
>>> facts = facts_of(Analysis(id="7", label="positive", probability=0.9, stars=8.0, score=1.0))
>>> facts.positive, ReviewFacts.from_dict(facts.to_dict()) == facts
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from thumbs.errors import ThumbsError
from thumbs.pipeline.analysis import Analysis

#: A review's phrase is counted as praise or criticism when it pushes at least this share of its
#: review's strongest phrase: the few that carry the verdict, not the words around them ("is a").
PHRASE_SHARE = 0.25
#: The keys of a line of ``thumbs analyze --json`` that a summary needs (the others may be absent).
ANALYSIS_KEYS = ("id", "label", "probability", "stars", "error")

#: One aspect judged in a review: (aspect, the clause's polarity, the clause's words).
Judgement = tuple[str, float, str]


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    """The part of one review's analysis that a film summary folds; ``error`` set: a failed review.

    ``phrases`` are the phrases that carry the verdict (see :data:`PHRASE_SHARE`), casefolded,
    each with the sign of its push: +1 praise, -1 criticism.
    """

    id: str | None
    error: str | None = None
    positive: bool = False
    probability: float | None = None
    stars: float | None = None
    aspects: tuple[Judgement, ...] = ()
    phrases: tuple[tuple[str, int], ...] = ()

    @property
    def failed(self) -> bool:
        """No verdict to count: the review could not be read or analyzed."""
        return self.error is not None or self.probability is None or self.stars is None

    def to_dict(self) -> dict[str, Any]:
        """This review's facts as one JSON object (a line of ``thumbs summarize``'s journal)."""
        return {
            "id": self.id,
            "error": self.error,
            "positive": self.positive,
            "probability": self.probability,
            "stars": self.stars,
            "aspects": [list(judgement) for judgement in self.aspects],
            "phrases": [list(phrase) for phrase in self.phrases],
        }

    def to_row(self) -> dict[str, Any]:
        """The same object: a journal keeps facts whatever the summary's output format."""
        return self.to_dict()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReviewFacts:
        """The facts :meth:`to_dict` wrote."""
        return cls(
            id=data.get("id"),
            error=data.get("error"),
            positive=bool(data.get("positive")),
            probability=data.get("probability"),
            stars=data.get("stars"),
            aspects=tuple((str(a), float(p), str(c)) for a, p, c in data.get("aspects") or ()),
            phrases=tuple((str(text), int(sign)) for text, sign in data.get("phrases") or ()),
        )


#: The names :meth:`ReviewFacts.to_dict` writes, in order (the journal's columns).
FACT_KEYS = ("id", "error", "positive", "probability", "stars", "aspects", "phrases")


def facts_of(analysis: Analysis) -> ReviewFacts:
    """What a summary keeps of ``analysis``."""
    phrases = () if analysis.evidence is None else analysis.evidence.phrases
    return ReviewFacts(
        id=analysis.id,
        error=analysis.error,
        positive=analysis.label == "positive",
        probability=analysis.probability,
        stars=analysis.stars,
        aspects=tuple((a.aspect, a.polarity, a.clause.text) for a in analysis.aspects),
        phrases=_verdict_phrases((p.text, p.contribution) for p in phrases),
    )


def facts_from_analysis_json(data: Mapping[str, Any], where: str = "this line") -> ReviewFacts:
    """What a summary keeps of one line of ``thumbs analyze --json`` (a JSON object, parsed).

    Raises a one-line :class:`~thumbs.errors.ThumbsError` when ``data`` is not such a line.
    """
    missing = [key for key in ANALYSIS_KEYS if key not in data]
    if missing:
        raise ThumbsError(
            f"{where} is not a line of `thumbs analyze --json` (it has no {', '.join(map(repr, missing))}): "
            "pass --text-column to summarize a table of reviews"
        )
    try:
        evidence = data.get("evidence") or {}
        phrases = ((str(p["text"]), float(p["contribution"])) for p in evidence.get("phrases") or ())
        aspects = tuple(
            (str(a["aspect"]), float(a["polarity"]), str(a["clause"]["text"])) for a in data.get("aspects") or ()
        )
        return ReviewFacts(
            id=None if data["id"] is None else str(data["id"]),
            error=data["error"],
            positive=data["label"] == "positive",
            probability=None if data["probability"] is None else float(data["probability"]),
            stars=None if data["stars"] is None else float(data["stars"]),
            aspects=aspects,
            phrases=_verdict_phrases(phrases),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ThumbsError(
            f"{where} is a damaged `thumbs analyze --json` line ({type(exc).__name__}: {exc}): analyze the reviews again"
        ) from None


def _verdict_phrases(phrases: Iterable[tuple[str, float]]) -> tuple[tuple[str, int], ...]:
    """The phrases that carry the verdict: words (not a comma), at least a share of the strongest's push."""
    pushes = list(phrases)
    strongest = max((abs(push) for _, push in pushes), default=0.0)
    return tuple(
        (" ".join(text.casefold().split()), 1 if push > 0 else -1)
        for text, push in pushes
        if abs(push) >= PHRASE_SHARE * strongest and push != 0 and any(c.isalpha() for c in text)
    )
