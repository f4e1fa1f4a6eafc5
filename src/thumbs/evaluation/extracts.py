"""Subjective extracts: Pang & Lee's (2004) experiment of classifying polarity on
the opinion sentences of a review alone.

1. A :class:`~thumbs.learn.subjectivity.SubjectivityClassifier` trained on the
   subj corpus gives each sentence of a review P(subjective).
2. An extractor keeps some sentences: the minimum cut
   (:class:`~thumbs.learn.mincut.MinCutExtractor`), or the paper's baselines,
   the N most subjective, the first N or the last N sentences.
3. A polarity classifier is trained and tested on the extracts, fold by fold.

The minimum cut's association (decay function, distance ``T``, strength) is
chosen by cross-validation inside each training part (nested: the test fold
never takes part in choosing), over :data:`MINCUT_GRID`.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from thumbs.corpora import Document
from thumbs.errors import ThumbsError
from thumbs.evaluation.cross_validation import ProgressCallback, cross_validate, feature_matrix, summarize
from thumbs.evaluation.predictions import ModelWatch, PredictionCollector
from thumbs.evaluation.protocols import KFoldProtocol
from thumbs.evaluation.results import ResultRow
from thumbs.learn.mincut import MinCutExtractor, first_n, last_n, most_subjective
from thumbs.learn.recipes import Recipe
from thumbs.learn.subjectivity import SubjectivityClassifier
from thumbs.text.documents import flatten, tokenize_documents

#: Sentences kept by the N-sentence baselines (Pang & Lee report N = 15 among others).
BASELINE_SENTENCES = 15
#: Association settings the minimum cut chooses from: (decay, T, strength).
MINCUT_GRID: tuple[tuple[str, int, float], ...] = tuple(
    itertools.product(("const", "exp", "inv_square"), (1, 3, 5), (0.1, 0.2, 0.5, 1.0))
)
#: Inner folds for choosing the minimum cut's setting within a training part.
INNER_FOLDS = 3

Sentences = Sequence[Sequence[str]]
Mask = np.ndarray


def train_subjectivity(documents: Sequence[Document], jobs: int = 1) -> SubjectivityClassifier:
    """Train the sentence subjectivity classifier on the subj corpus' documents."""
    tokens = [flatten(sentences) for sentences in tokenize_documents([d.text for d in documents], jobs)]
    return SubjectivityClassifier().fit(tokens, [str(d.label) for d in documents])


def sentence_probabilities(classifier: SubjectivityClassifier, documents: Sequence[Sentences]) -> list[np.ndarray]:
    """P(subjective) of every sentence, one array per document (one batched call)."""
    every_sentence = [sentence for document in documents for sentence in document]
    probabilities = classifier.predict_proba(every_sentence)
    bounds = np.cumsum([0] + [len(document) for document in documents])
    return [probabilities[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def apply_masks(documents: Sequence[Sentences], masks: Sequence[Mask]) -> tuple[list[list[str]], float]:
    """The extracts' tokens, and the fraction of all words they keep."""
    extracts = [
        [token for sentence, keep in zip(sentences, mask, strict=True) if keep for token in sentence]
        for sentences, mask in zip(documents, masks, strict=True)
    ]
    total = sum(len(sentence) for document in documents for sentence in document)
    return extracts, sum(map(len, extracts)) / max(total, 1)


BASELINES: dict[str, Callable[[np.ndarray], Mask]] = {
    f"most-subjective-{BASELINE_SENTENCES}": lambda p: most_subjective(p, BASELINE_SENTENCES),
    f"first-{BASELINE_SENTENCES}": lambda p: first_n(len(p), BASELINE_SENTENCES),
    f"last-{BASELINE_SENTENCES}": lambda p: last_n(len(p), BASELINE_SENTENCES),
}


Setting = tuple[str, int, float]


def _extract_matrices(
    recipe: Recipe, documents: Sequence[Sentences], probabilities: Sequence[np.ndarray]
) -> list[tuple[Setting, sp.csr_matrix, float]]:
    """Setting, feature matrix and words kept of the minimum-cut extracts, per grid setting.

    A setting whose extracts keep no word at all cannot train a classifier and is left out.
    """
    out = []
    for decay, threshold, strength in MINCUT_GRID:
        extractor = MinCutExtractor(threshold=threshold, decay=decay, strength=strength)  # type: ignore[arg-type]
        extracts, kept = apply_masks(documents, [extractor.extract(p) for p in probabilities])
        if kept > 0:
            out.append(((decay, threshold, strength), feature_matrix(recipe, extracts), kept))
    return out


def _nested_mincut(
    recipe: Recipe,
    matrices: Sequence[tuple[Setting, sp.csr_matrix, float]],
    labels: np.ndarray,
    splits: Sequence[tuple[np.ndarray, np.ndarray]],
    watch: ModelWatch | None = None,
) -> tuple[list[float], list[int]]:
    """Per outer split: choose the grid setting by inner CV on the training part, then test it."""
    accuracies, chosen = [], []
    inner = KFoldProtocol(k=INNER_FOLDS)
    for train, test in splits:
        inner_splits = [(train[a], train[b]) for a, b in inner.splits(labels[train])]
        scores = [np.mean(cross_validate(recipe, matrix, labels, inner_splits)) for _, matrix, _ in matrices]
        best = int(np.argmax(scores))
        chosen.append(best)
        accuracies.extend(cross_validate(recipe, matrices[best][1], labels, [(train, test)], watch))
    return accuracies, chosen


def extract_model_name(model: str, extractor: str) -> str:
    """How a model on extracts is named among collected predictions, e.g. ``nb (extract: mincut)``."""
    return f"{model} (extract: {extractor})"


def evaluate_extracts(
    recipe: Recipe,
    documents: Sequence[Sentences],
    labels: np.ndarray,
    splits: Sequence[tuple[np.ndarray, np.ndarray]],
    probabilities: Sequence[np.ndarray],
    progress: ProgressCallback | None = None,
    collector: PredictionCollector | None = None,
) -> tuple[list[ResultRow], list[str]]:
    """Rows for ``recipe`` on minimum-cut extracts and on the baselines' extracts, and notes.

    With ``collector``, each row's predictions are kept under the name ``extract_model_name(recipe, extractor)``.
    """

    def watch(extractor: str) -> ModelWatch | None:
        return collector.for_model(extract_model_name(recipe.name, extractor)) if collector is not None else None

    rows, notes = [], []
    if progress:
        progress(f"{recipe.name}: minimum-cut extracts over {len(MINCUT_GRID)} settings, nested selection")
    start = time.perf_counter()
    matrices = _extract_matrices(recipe, documents, probabilities)
    if not matrices:
        raise ThumbsError("every minimum-cut setting gave empty extracts: the subjectivity scores are all below 0.5")
    accuracies, chosen = _nested_mincut(recipe, matrices, labels, splits, watch("mincut"))
    kept = float(np.mean([matrices[i][2] for i in chosen]))
    rows.append(
        summarize(
            recipe.name,
            accuracies,
            time.perf_counter() - start,
            len(labels),
            input="extract",
            extractor="mincut",
            words_kept=round(kept, 3),
        )
    )
    settings = sorted({matrices[i][0] for i in chosen})
    notes.append(
        f"minimum cut for {recipe.name}: setting (decay, T, strength) chosen per fold by {INNER_FOLDS}-fold "
        f"inner cross-validation: {', '.join(f'{d}/T={t}/c={c}' for d, t, c in settings)}"
    )
    for name, baseline in BASELINES.items():
        start = time.perf_counter()
        extracts, kept = apply_masks(documents, [baseline(p) for p in probabilities])
        accuracies = cross_validate(recipe, feature_matrix(recipe, extracts), labels, splits, watch(name))
        rows.append(
            summarize(
                recipe.name,
                accuracies,
                time.perf_counter() - start,
                len(labels),
                input="extract",
                extractor=name,
                words_kept=round(kept, 3),
            )
        )
    return rows, notes
