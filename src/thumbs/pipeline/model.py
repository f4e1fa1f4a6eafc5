"""The analysis core: a trained thumbs model, and the one way a review is analyzed.

A :class:`Model` is a pipeline of named components that one review flows
through, in order (like spaCy's):

1. ``sentences``: :func:`thumbs.text.sentences.split_sentences` (raw or tokenized text);
2. ``subjectivity``: P(opinion) of each sentence (naive Bayes, trained on subj);
3. ``extract``: Pang & Lee's minimum cut over those probabilities (solved by
   :func:`~thumbs.pipeline.extract.banded_min_cut`, the same cut as the max-flow);
4. ``sentence_polarity``: each sentence's own polarity (NBSVM on rt-polarity);
5. ``verdict``: the document's polarity (NBSVM on uni- to trigrams) and its
   calibrated probability, with every n-gram's and sentence's contribution;
6. ``stars``: the rating (:class:`~thumbs.learn.stars.StarRegressor`).

Every scorer is linear over n-gram presence, held as a
:class:`LinearScorer` (an :class:`~thumbs.features.index.NgramIndex` plus weights), so
the evidence adds up exactly and the model saves as plain arrays
(:mod:`thumbs.modelfile`). The CLI, the Python API, the batch engine and the
server all call :meth:`Model.analyze` (or the label-only :meth:`Model.predict`).

Example
-------
>>> model = load_model()                                   # doctest: +SKIP
>>> model.analyze("A moving, beautifully acted film.").label  # doctest: +SKIP
'positive'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from thumbs.pipeline.analysis import ROW_COLUMNS, Analysis, Evidence, NgramEvidence, SentenceAnalysis, SentenceEvidence
from thumbs.errors import ModelFileError, ThumbsError
from thumbs.pipeline.model_file import load_model_file, save_model_file
from thumbs.pipeline.extract import banded_min_cut
from thumbs.learn.mincut import MinCutExtractor
from thumbs.features.index import DOCUMENT_SEPARATOR, multiplicity
from thumbs.features.index import distinct as unique_ints
from thumbs.pipeline.scorers import LinearScorer, StarWeights, rate
from thumbs.text.sentences import Sentence, split_sentences
from thumbs.text.tokens import is_punctuation

#: The default model's file inside the package.
DEFAULT_MODEL_FILE = "default.thumbs"
#: Largest review analyze() accepts, in characters (1 MB of text).
MAX_REVIEW_CHARS = 1_000_000
#: n-grams listed as evidence by default.
EVIDENCE_SIZE = 10
#: Sentences listed as evidence (every sentence's share is also in ``sentences``).
EVIDENCE_SENTENCES = 3
LABELS = ("negative", "positive")
PIPELINE = ("sentences", "subjectivity", "extract", "sentence_polarity", "verdict", "stars")


class Model:
    """A trained thumbs model: analyze reviews, or just label them.

    Build one with :func:`load_model` or :mod:`thumbs.training`; the
    constructor only stores its parts.
    """

    row_columns = ROW_COLUMNS
    pipeline = PIPELINE

    def __init__(
        self,
        verdict: LinearScorer,
        stars: StarWeights,
        subjectivity: LinearScorer,
        sentence_polarity: LinearScorer,
        extractor: MinCutExtractor,
        manifest: Mapping[str, Any] | None = None,
    ) -> None:
        self.verdict = verdict
        self.stars = stars
        self.subjectivity = subjectivity
        self.sentence_polarity = sentence_polarity
        self.extractor = extractor
        self.manifest = dict(manifest or {})
        self.path: Path | None = None  # the file it was loaded from, if any

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Worker processes reload a model from its file instead of receiving megabytes of pickle."""
        if self.path is not None:
            return (load_model, (str(self.path),))
        return super().__reduce_ex__(protocol)

    # --- the fast path ---------------------------------------------------------------

    def decision_function(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """The verdict's decision values for many texts at once (positive means positive)."""
        texts = _check_texts(texts)
        return self.verdict.scores(texts)

    def predict(self, texts: Sequence[str]) -> list[str]:
        """Labels only (``"positive"``/``"negative"``): the fast path, no sentences, stars or evidence."""
        return [LABELS[int(s > 0)] for s in self.decision_function(texts)]

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Calibrated P(positive) for each text."""
        return np.asarray(self.verdict.probability(self.decision_function(texts)), dtype=np.float64)

    def rate(self, texts: Sequence[str]) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Decision values, calibrated P(positive) and stars of many texts at once (no sentences).

        The same numbers :meth:`analyze` gives each text, in one vectorized pass.
        """
        texts = _check_texts(texts)
        if not texts:
            return np.zeros(0), np.zeros(0), np.zeros(0)
        return rate(self.verdict, self.stars, texts)

    # --- the full analysis -------------------------------------------------------------

    def analyze(self, text: str, id: str | None = None, evidence_size: int | None = EVIDENCE_SIZE) -> Analysis:
        """Analyze one review. A review that cannot be read gets an ``error``, never an exception.

        ``evidence_size=None`` lists every n-gram present (their contributions
        plus the bias add up to the score).
        """
        return self.analyze_batch([text], [id], evidence_size)[0]

    def analyze_batch(
        self,
        texts: Sequence[object],
        ids: Sequence[str | None] | None = None,
        evidence_size: int | None = EVIDENCE_SIZE,
    ) -> list[Analysis]:
        """Analyze several reviews at once: the same results as :meth:`analyze` of each, faster.

        Each model scores the n-grams of the whole batch in one vectorized
        pass; only the sentence split, the minimum cut and the assembling of
        results run review by review.
        """
        ids = list(ids) if ids is not None else [None] * len(texts)
        results: list[Analysis | None] = [None] * len(texts)
        readable: list[tuple[int, list[Sentence]]] = []
        for k, text in enumerate(texts):
            problem = _review_problem(text)
            sentences = split_sentences(text) if problem is None else []  # type: ignore[arg-type]
            if problem is None and all(is_punctuation(t) for s in sentences for t in s.tokens):
                problem = "empty review: it has no words to read, only punctuation"
            if problem is not None:
                results[k] = Analysis.failed(ids[k], problem)
            else:
                readable.append((k, sentences))
        if readable:
            for (k, sentences), analysis in zip(readable, self._analyze_readable([s for _, s in readable], evidence_size)):
                results[k] = dataclasses.replace(analysis, id=ids[k])
        return results  # type: ignore[return-value]

    def _analyze_readable(self, documents: list[list[Sentence]], evidence_size: int | None) -> list[Analysis]:
        sentence_tokens = [s.tokens for sentences in documents for s in sentences]
        subjectivity = np.asarray(self.subjectivity.probability(self.subjectivity.sentence_scores(sentence_tokens)))
        sentence_polarity = 2.0 * np.asarray(
            self.sentence_polarity.probability(self.sentence_polarity.sentence_scores(sentence_tokens))
        ) - 1.0
        verdict = _VerdictBatch(self.verdict, self.stars, documents)
        extractor = self.extractor
        analyses = []
        first_sentence = 0
        for d, sentences in enumerate(documents):
            own = slice(first_sentence, first_sentence + len(sentences))
            first_sentence += len(sentences)
            in_extract = banded_min_cut(subjectivity[own], extractor.threshold, extractor.decay, extractor.strength)
            columns, weights = verdict.features(d)
            order = np.argsort(-np.abs(weights), kind="stable")
            if evidence_size is not None:
                order = order[:evidence_size]
            names = self.verdict.index.feature_names(columns[order])
            shares = verdict.shares[own]
            strongest = np.argsort(-np.abs(shares), kind="stable")[:EVIDENCE_SENTENCES]
            evidence = Evidence(
                bias=self.verdict.intercept,
                ngrams=tuple(NgramEvidence(n, float(w)) for n, w in zip(names, weights[order])),
                sentences=tuple(SentenceEvidence(int(i), sentences[i].text, float(shares[i])) for i in strongest),
            )
            analyses.append(
                Analysis(
                    id=None,
                    label=LABELS[int(verdict.scores[d] > 0)],
                    probability=round(float(verdict.probability[d]), 4),
                    stars=float(verdict.stars[d]),
                    score=float(verdict.scores[d]),
                    sentences=tuple(
                        SentenceAnalysis(s.text, round(float(p), 4), round(float(q), 4), bool(m), float(c))
                        for s, p, q, m, c in zip(
                            sentences, subjectivity[own], sentence_polarity[own], in_extract, verdict.shares[own]
                        )
                    ),
                    evidence=evidence,
                )
            )
        return analyses

    def analyze_many(
        self, reviews: Iterable[str | tuple[str | None, str]], jobs: int = 1, chunk_size: int = 64
    ) -> Iterator[Analysis]:
        """Analyze a stream of texts (or ``(id, text)`` pairs), yielding results in input order.

        With ``jobs > 1`` worker processes share the work; memory stays flat on
        endless input. See :mod:`thumbs.batch`.
        """
        from thumbs.batch.engine import analyze_stream

        return analyze_stream(self, reviews, jobs=jobs, chunk_size=chunk_size)

    def error_result(self, id: str | None, error: str) -> Analysis:
        """The result the batch engine writes for a record it could not read."""
        return Analysis.failed(id, error)

    # --- files ------------------------------------------------------------------------

    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {}
        arrays.update(self.verdict.to_arrays("verdict"))
        arrays.update(self.subjectivity.to_arrays("subjectivity"))
        arrays.update(self.sentence_polarity.to_arrays("sentence_polarity"))
        arrays["stars.coef"] = self.stars.coef.astype(np.float32)
        arrays["stars.intercept"] = self.stars.intercept.astype(np.float64)
        arrays["stars.range"] = self.stars.range.astype(np.float64)
        return arrays

    def save(self, path: str | Path) -> None:
        """Write this model to ``path`` (JSON manifest + arrays, see :mod:`thumbs.modelfile`)."""
        extractor = {
            "threshold": self.extractor.threshold,
            "decay": self.extractor.decay,
            "strength": self.extractor.strength,
        }
        manifest = {**self.manifest, "pipeline": list(PIPELINE), "extractor": extractor}
        save_model_file(path, manifest, self.to_arrays())

    @classmethod
    def from_file(cls, path: str | Path) -> Model:
        manifest, arrays = load_model_file(path)
        try:
            extractor = MinCutExtractor(**manifest["extractor"])
            stars = StarWeights(
                arrays["stars.coef"].astype(np.float64), arrays["stars.intercept"], arrays["stars.range"]
            )
            model = cls(
                LinearScorer.from_arrays(arrays, "verdict"),
                stars,
                LinearScorer.from_arrays(arrays, "subjectivity"),
                LinearScorer.from_arrays(arrays, "sentence_polarity"),
                extractor,
                manifest,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFileError(f"{path} is not a complete thumbs analysis model (missing {exc})") from None
        model.path = Path(path)
        return model

    def __repr__(self) -> str:
        return f"Model(recipe={self.manifest.get('recipe')!r}, features={self.verdict.index.n_features:,})"


def _check_texts(texts: Sequence[str]) -> Sequence[str]:
    if isinstance(texts, str):
        raise ThumbsError("predict() takes a list of texts; for one review use analyze(text) or predict([text])")
    return [t if isinstance(t, str) else str(t) for t in texts]


def _review_problem(text: object) -> str | None:
    """One line saying why ``text`` cannot be analyzed, or None."""
    if not isinstance(text, str):
        return f"not text: got {type(text).__name__}; give the review as a string"
    if len(text) > MAX_REVIEW_CHARS:
        return f"review too long: {len(text):,} characters, the limit is {MAX_REVIEW_CHARS:,}"
    if not text.strip():
        return "empty review: it has no words to read"
    return None


class _VerdictBatch:
    """The verdict of several reviews from one vectorized pass over their n-grams.

    Per review: the distinct features present and their weights (the
    evidence), the decision score, P(positive) and the stars; per sentence, its
    share of its review's score. A feature counts once per review (presence);
    its weight is split equally among the sentences where an occurrence of it
    starts, so a review's shares add up to the sum of its features' weights.
    """

    def __init__(self, verdict: LinearScorer, stars: StarWeights, documents: list[list[Sentence]]) -> None:
        n_features = verdict.index.n_features
        lengths = [[len(s.tokens) for s in sentences] for sentences in documents]
        stream = [t for sentences in documents for t in (*(t for s in sentences for t in s.tokens), DOCUMENT_SEPARATOR)]
        columns, starts = verdict.index.occurrences(stream)
        doc_ends = np.cumsum([sum(ls) + 1 for ls in lengths])
        doc_starts = np.concatenate([[0], doc_ends[:-1]])
        sentence_ends = np.concatenate(
            [start + np.cumsum(ls) for start, ls in zip(doc_starts, lengths)]
        ).astype(np.int64)
        doc_of = np.searchsorted(doc_ends, starts, side="right")
        sentence_of = np.searchsorted(sentence_ends, starts, side="right")
        n_docs, n_sentences = len(documents), len(sentence_ends)
        # distinct (review, feature): the evidence, the score and the stars
        distinct = unique_ints(doc_of * n_features + columns)
        self._docs, self._columns = np.divmod(distinct, n_features)
        self._weights = verdict.coef[self._columns]
        self._bounds = np.searchsorted(self._docs, np.arange(n_docs + 1))
        self.scores = np.bincount(self._docs, weights=self._weights, minlength=n_docs) + verdict.intercept
        self.probability = np.asarray(verdict.probability(self.scores), dtype=np.float64)
        self.stars = stars.predict(self._docs, self._columns, n_docs, self.probability)
        # distinct (sentence, feature): each sentence's share
        pairs = unique_ints(sentence_of * n_features + columns)
        pair_sentences, pair_columns = np.divmod(pairs, n_features)
        pair_docs = np.searchsorted(doc_ends, sentence_ends[pair_sentences] - 1, side="right")
        sentences_with = multiplicity(pair_docs * n_features + pair_columns)
        self.shares = np.bincount(
            pair_sentences, weights=verdict.coef[pair_columns] / sentences_with, minlength=n_sentences
        )

    def features(self, d: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """The distinct features of review ``d`` and their weights."""
        own = slice(self._bounds[d], self._bounds[d + 1])
        return self._columns[own], self._weights[own]


def default_model_path() -> Path:
    """Where the shipped default model lives inside the installed package."""
    return Path(str(resources.files("thumbs").joinpath("data", DEFAULT_MODEL_FILE)))


_LOADED: dict[str, Model] = {}


def load_model(path: str | Path | None = None) -> Model:
    """Load a model file; ``None`` loads the default model shipped with thumbs (cached)."""
    target = default_model_path() if path is None else Path(path)
    key = str(target.resolve()) if target.exists() else str(target)
    if path is None and key in _LOADED:
        return _LOADED[key]
    if path is None and not target.is_file():
        raise ModelFileError(
            f"the default model is missing from this installation ({target}): "
            "reinstall thumbs, or build it with `thumbs train --recipe default --out FILE`"
        )
    model = Model.from_file(target)
    if path is None:
        _LOADED[key] = model
    return model
