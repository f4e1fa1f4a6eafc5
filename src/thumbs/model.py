"""The analysis core: a trained thumbs model, and the one way a review is analyzed.

A :class:`Model` is a pipeline of named components that one review flows
through, in order (like spaCy's):

1. ``sentences``: :func:`thumbs.text.split_sentences` (raw or tokenized text);
2. ``subjectivity``: P(opinion) of each sentence (naive Bayes, trained on subj);
3. ``extract``: Pang & Lee's minimum cut over those probabilities;
4. ``sentence_polarity``: each sentence's own polarity (NBSVM on rt-polarity);
5. ``verdict``: the document's polarity (NBSVM on uni- to trigrams) and its
   calibrated probability, with every n-gram's and sentence's contribution;
6. ``stars``: the rating (:class:`~thumbs.models.stars.StarRegressor`).

Every scorer is linear over n-gram presence, held as a
:class:`LinearScorer` (an :class:`~thumbs.ngrams.NgramIndex` plus weights), so
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

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from thumbs.analysis import ROW_COLUMNS, Analysis, Evidence, NgramEvidence, SentenceAnalysis
from thumbs.errors import ModelFileError, ThumbsError
from thumbs.modelfile import load_model_file, save_model_file
from thumbs.models.mincut import MinCutExtractor
from thumbs.ngrams import NgramIndex
from thumbs.text import split_sentences

#: The default model's file inside the package.
DEFAULT_MODEL_FILE = "default.thumbs"
#: Largest review analyze() accepts, in characters (1 MB of text).
MAX_REVIEW_CHARS = 1_000_000
#: n-grams listed as evidence by default.
EVIDENCE_SIZE = 10
LABELS = ("negative", "positive")
PIPELINE = ("sentences", "subjectivity", "extract", "sentence_polarity", "verdict", "stars")


def _sigmoid(x: NDArray[np.float64] | float) -> Any:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


@dataclass
class LinearScorer:
    """``score = sum of coef over the n-grams present + intercept``, and ``P = sigmoid(a * score + b)``."""

    index: NgramIndex
    coef: NDArray[np.float64]
    intercept: float
    calibration: tuple[float, float] = (1.0, 0.0)

    def scores(self, documents: Sequence[Sequence[str]] | Sequence[str]) -> NDArray[np.float64]:
        """Decision values of token lists (or texts), one per document."""
        if len(documents) == 0:
            return np.zeros(0)
        return np.asarray(self.index.presence_matrix(documents) @ self.coef) + self.intercept

    def probability(self, scores: NDArray[np.float64] | float) -> Any:
        a, b = self.calibration
        return _sigmoid(a * np.asarray(scores) + b)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        arrays = {f"{prefix}.{k}": v for k, v in self.index.to_arrays().items()}
        arrays[f"{prefix}.coef"] = self.coef.astype(np.float32)
        arrays[f"{prefix}.scalars"] = np.array([self.intercept, *self.calibration], dtype=np.float64)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> LinearScorer:
        own = {k[len(prefix) + 1 :]: v for k, v in arrays.items() if k.startswith(prefix + ".")}
        intercept, a, b = (float(v) for v in own["scalars"])
        return cls(NgramIndex.from_arrays(own), own["coef"].astype(np.float64), intercept, (a, b))


@dataclass
class StarWeights:
    """The saved form of a fitted :class:`~thumbs.models.stars.StarRegressor` over the verdict's features."""

    coef: NDArray[np.float64]  # (2, n_features): negative camp, positive camp
    intercept: NDArray[np.float64]  # (2,)
    range: NDArray[np.float64]  # (2, 2)

    def predict(self, columns: NDArray[np.int64], p_positive: float) -> float:
        """Stars of one review from its distinct present feature columns."""
        if len(columns) == 0:
            camps = self.intercept.copy()
        else:
            camps = self.coef[:, columns].sum(axis=1) / math.sqrt(len(columns)) + self.intercept
        camps = np.clip(camps, self.range[:, 0], self.range[:, 1])
        return float(p_positive * camps[1] + (1.0 - p_positive) * camps[0])


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

        The same numbers :meth:`analyze` gives each text, computed from one
        presence matrix.
        """
        texts = _check_texts(texts)
        if not texts:
            return np.zeros(0), np.zeros(0), np.zeros(0)
        X = self.verdict.index.presence_matrix(texts)
        scores = np.asarray(X @ self.verdict.coef) + self.verdict.intercept
        probability = np.asarray(self.verdict.probability(scores), dtype=np.float64)
        present = np.maximum(np.diff(X.indptr), 1).astype(np.float64)
        camps = np.asarray(X @ self.stars.coef.T) / np.sqrt(present)[:, None] + self.stars.intercept
        camps = np.clip(camps, self.stars.range[:, 0], self.stars.range[:, 1])
        stars = probability * camps[:, 1] + (1.0 - probability) * camps[:, 0]
        return scores, probability, np.round(np.clip(stars, 1.0, 10.0), 1)

    # --- the full analysis -------------------------------------------------------------

    def analyze(self, text: str, id: str | None = None, evidence_size: int | None = EVIDENCE_SIZE) -> Analysis:
        """Analyze one review. A review that cannot be read gets an ``error``, never an exception.

        ``evidence_size=None`` lists every n-gram present (their contributions
        plus the bias add up to the score).
        """
        problem = _review_problem(text)
        if problem:
            return Analysis.failed(id, problem)
        sentences = split_sentences(text)
        tokens = [s.tokens for s in sentences]
        flat = [t for sentence in tokens for t in sentence]
        if not flat:
            return Analysis.failed(id, "empty review: it has no words to read")
        # subjectivity and the extract
        subjectivity = np.asarray(self.subjectivity.probability(self.subjectivity.scores(tokens)))
        in_extract = self.extractor.extract(subjectivity)
        sentence_polarity = 2.0 * np.asarray(
            self.sentence_polarity.probability(self.sentence_polarity.scores(tokens))
        ) - 1.0
        # the verdict, and who contributed to it
        columns, starts = self.verdict.index.occurrences(flat)
        distinct = np.unique(columns)
        weights = self.verdict.coef[distinct]
        score = float(weights.sum() + self.verdict.intercept)
        probability = float(self.verdict.probability(score))
        shares = _sentence_shares(columns, starts, [len(t) for t in tokens], self.verdict.coef)
        stars = self.stars.predict(distinct, probability)
        order = np.argsort(-np.abs(weights), kind="stable")
        if evidence_size is not None:
            order = order[:evidence_size]
        names = self.verdict.index.feature_names(distinct[order])
        evidence = Evidence(
            bias=self.verdict.intercept,
            ngrams=tuple(NgramEvidence(n, float(w)) for n, w in zip(names, weights[order])),
        )
        return Analysis(
            id=id,
            label=LABELS[int(score > 0)],
            probability=round(probability, 4),
            stars=round(min(10.0, max(1.0, stars)), 1),
            score=score,
            sentences=tuple(
                SentenceAnalysis(s.text, round(float(p), 4), round(float(q), 4), bool(m), float(c))
                for s, p, q, m, c in zip(sentences, subjectivity, sentence_polarity, in_extract, shares)
            ),
            evidence=evidence,
        )

    def analyze_many(
        self, reviews: Iterable[str | tuple[str | None, str]], jobs: int = 1, chunk_size: int = 64
    ) -> Iterator[Analysis]:
        """Analyze a stream of texts (or ``(id, text)`` pairs), yielding results in input order.

        With ``jobs > 1`` worker processes share the work; memory stays flat on
        endless input. See :mod:`thumbs.batch`.
        """
        from thumbs.batch import analyze_stream

        return analyze_stream(self, reviews, jobs=jobs, chunk_size=chunk_size)

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


def _sentence_shares(
    columns: NDArray[np.int64], starts: NDArray[np.int64], lengths: Sequence[int], coef: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Each sentence's share of the decision score (without the bias).

    A feature counts once per review (presence); its weight is split equally
    among the sentences where an occurrence of it starts, so the shares add up
    to the sum of the weights of the distinct features present.
    """
    n_sentences = len(lengths)
    if len(columns) == 0:
        return np.zeros(n_sentences)
    sentence_of = np.searchsorted(np.cumsum(lengths), starts, side="right")
    pairs = np.unique(columns * n_sentences + sentence_of)
    pair_columns, pair_sentences = np.divmod(pairs, n_sentences)
    _, owners, counts = np.unique(pair_columns, return_inverse=True, return_counts=True)
    return np.bincount(pair_sentences, weights=coef[pair_columns] / counts[owners], minlength=n_sentences)


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
