"""What a pipeline component is, and the reviews it works on.

A :class:`~thumbs.pipeline.model.Model` is an ordered list of components, run
one after the other over one batch of reviews (as spaCy runs a ``Doc`` through
its pipes). A component has a ``name`` (its key in the model file), says which
fields of :class:`Reviews` it ``requires`` and which it ``adds``, and does one
job. To add a stage, write one module with one component class and register it
in :data:`thumbs.pipeline.model.COMPONENTS`.

Every component fills its fields for the whole batch at once (one vectorized
pass where it can); :meth:`Reviews.analyses` then assembles one
:class:`~thumbs.pipeline.analysis.Analysis` per review.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import numpy as np
from numpy.typing import NDArray

from thumbs.features.token_codes import TokenCodes, token_codes
from thumbs.pipeline.analysis import Analysis, AspectJudgement, Evidence, SentenceAnalysis
from thumbs.pipeline.phrases import PhraseTable
from thumbs.text.aspect_terms import AspectTerms
from thumbs.text.offsets import TextOffsets
from thumbs.text.sentences import Sentence

#: The two verdicts, by the sign of the decision score.
LABELS = ("negative", "positive")


@dataclass
class VerdictFindings:
    """The verdict of a batch: per review, per sentence, and per (review, feature) pair.

    ``docs``/``columns``/``weights`` are the distinct features present in each
    review and their weights, sorted by review. ``shares`` is each sentence's share
    of its review's score.
    """

    scores: NDArray[np.float64]
    probability: NDArray[np.float64]
    docs: NDArray[np.int64]
    columns: NDArray[np.int64]
    weights: NDArray[np.float64]
    shares: NDArray[np.float64]
    #: Per review: its words (tokens with a letter or digit), and how many of them have a unigram weight.
    words: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    known: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: The batch's phrases (:mod:`thumbs.pipeline.phrases`), its feature occurrences, and where
    #: each sentence's tokens start in the batch's token stream.
    phrases: PhraseTable | None = None
    #: Every feature occurrence of the batch, sorted by where it starts: starts, ends (exclusive), columns.
    occurrences: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]] = field(
        default_factory=lambda: (np.zeros(0, dtype=np.int64),) * 3
    )
    sentence_starts: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass
class Reviews:
    """The reviews of one call, and what the components have found in them so far.

    ``texts`` are what the caller gave, in order. The ``sentences`` component
    keeps the readable ones: ``positions[d]`` is the caller's index of readable
    review ``d``, and ``failures`` says why each other one could not be read.
    Per-sentence arrays run over the sentences of all readable reviews in order;
    review ``d`` owns ``sentence_bounds[d]:sentence_bounds[d + 1]``.
    """

    texts: Sequence[object]
    evidence_size: int | None = None
    positions: list[int] = field(default_factory=list)
    failures: dict[int, str] = field(default_factory=dict)
    sentences: list[list[Sentence]] = field(default_factory=list)
    sentence_bounds: NDArray[np.int64] = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    subjectivity: NDArray[np.float64] | None = None
    in_extract: NDArray[np.bool_] | None = None
    sentence_polarity: NDArray[np.float64] | None = None
    verdict: VerdictFindings | None = None
    evidence: list[Evidence] | None = None
    stars: NDArray[np.float64] | None = None
    coverage: NDArray[np.float64] | None = None
    warnings: list[tuple[str, ...]] | None = None
    aspects: list[tuple[AspectJudgement, ...]] | None = None
    #: The aspects this call asks for, if not the model's (a user's file): see :mod:`thumbs.pipeline.aspects`.
    aspect_terms: AspectTerms | None = None
    _offsets: dict[int, TextOffsets] = field(default_factory=dict)
    _codes: TokenCodes | None = None

    def keep(self, positions: list[int], sentences: list[list[Sentence]]) -> None:
        """Set the readable reviews (caller positions) and their sentences."""
        self.positions = positions
        self.sentences = sentences
        self.sentence_bounds = np.concatenate([[0], np.cumsum([len(s) for s in sentences])]).astype(np.int64)

    @property
    def all_failed(self) -> bool:
        """Whether no review is left to analyze (every one has failed, or none was given)."""
        return len(self.failures) == len(self.texts)

    def offsets(self, d: int) -> TextOffsets:
        """Where the words of readable review ``d`` are in the text the caller gave (made once, when asked)."""
        found = self._offsets.get(d)
        if found is None:
            from thumbs.text.offsets import TextOffsets

            found = self._offsets[d] = TextOffsets(str(self.texts[self.positions[d]]))
        return found

    def own(self, d: int) -> slice:
        """Review ``d``'s slice of the per-sentence arrays."""
        return slice(int(self.sentence_bounds[d]), int(self.sentence_bounds[d + 1]))

    def token_codes(self) -> TokenCodes:
        """The tokens of every sentence of every readable review, as codes read once for all models."""
        if self._codes is None:
            self._codes = token_codes(self.sentence_tokens())
        return self._codes

    def sentence_tokens(self) -> list[tuple[str, ...]]:
        """The tokens of every sentence of every readable review, in order."""
        return [s.tokens for sentences in self.sentences for s in sentences]

    def analyses(self, ids: Sequence[str | None]) -> list[Analysis]:
        """One result per text given, in order: the assembled findings, or why it failed."""
        results: list[Analysis | None] = [None] * len(self.texts)
        for position, problem in self.failures.items():
            results[position] = Analysis.failed(ids[position], problem)
        columns = self._sentence_columns()
        for d, position in enumerate(self.positions):
            results[position] = self._analysis(d, ids[position], columns)
        return results  # type: ignore[return-value]  # every position is filled

    def _sentence_columns(self) -> tuple[list[float], list[float], list[bool], list[float]]:
        """Every sentence's subjectivity and polarity (rounded), place in the extract and share, as lists.

        Made once for the batch (zeros where no component filled one): per-sentence NumPy
        scalars cost more than the numbers themselves.
        """
        n = int(self.sentence_bounds[-1])
        verdict = self.verdict

        def column(values: NDArray[Any] | None, digits: int | None = None) -> list[Any]:
            if values is None:
                return [0.0] * n
            return list((np.round(values, digits) if digits is not None else values).tolist())

        return (
            column(self.subjectivity, 4),
            column(self.sentence_polarity, 4),
            [bool(m) for m in column(self.in_extract)],
            column(None if verdict is None else verdict.shares),
        )

    def _analysis(
        self, d: int, id: str | None, columns: tuple[list[float], list[float], list[bool], list[float]]
    ) -> Analysis:
        a, b = int(self.sentence_bounds[d]), int(self.sentence_bounds[d + 1])
        sentences = self.sentences[d]
        verdict = self.verdict
        subjectivity, polarity, in_extract, shares = (column[a:b] for column in columns)
        spans = self.offsets(d).spans([s.start for s in sentences], [s.end for s in sentences])
        return Analysis(
            id=id,
            label=None if verdict is None else LABELS[int(verdict.scores[d] > 0)],
            probability=None if verdict is None else round(float(verdict.probability[d]), 4),
            stars=None if self.stars is None else float(self.stars[d]),
            score=None if verdict is None else float(verdict.scores[d]),
            sentences=tuple(
                SentenceAnalysis(s.text, p, q, m, c, start, end)
                for s, p, q, m, c, (start, end) in zip(sentences, subjectivity, polarity, in_extract, shares, spans)
            ),
            evidence=None if self.evidence is None else self.evidence[d],
            coverage=None if self.coverage is None else round(float(self.coverage[d]), 4),
            warnings=() if self.warnings is None else self.warnings[d],
            aspects=() if self.aspects is None else self.aspects[d],
        )


class Component(Protocol):
    """One stage of the analysis: reads some fields of :class:`Reviews`, fills others."""

    #: The component's key in the model file's ``pipeline`` list.
    name: ClassVar[str]
    #: Fields of :class:`Reviews` it reads, which earlier components must add.
    requires: ClassVar[tuple[str, ...]]
    #: Fields of :class:`Reviews` it fills.
    adds: ClassVar[tuple[str, ...]]

    def __call__(self, reviews: Reviews) -> None:
        """Fill :attr:`adds` for every readable review of ``reviews``."""

    def to_arrays(self) -> dict[str, np.ndarray]:
        """What the model file keeps of this component, as plain arrays (names without the prefix)."""

    def settings(self) -> dict[str, Any]:
        """What the model file's manifest keeps of this component (JSON values), by manifest key."""

    @classmethod
    def from_saved(cls, manifest: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Component:
        """Rebuild the component from the manifest and its own arrays (names without the prefix)."""


class BaseComponent(ABC):
    """Defaults for a component that keeps nothing in the model file (override what it keeps)."""

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()
    adds: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def __call__(self, reviews: Reviews) -> None:
        """Fill :attr:`adds` for every readable review of ``reviews``."""

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {}

    def settings(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_saved(cls, manifest: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Any:
        return cls()
