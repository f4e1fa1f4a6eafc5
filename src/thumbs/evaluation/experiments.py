"""Experiments: which rows each dataset's evaluation has, and running them.

This is what ``thumbs evaluate`` calls. It loads a corpus (or a user's table),
picks the protocol the corpus is evaluated by, tokenizes once, and collects
the rows of :mod:`thumbs.evaluation.cross_validation` and, for polarity v2.0, of
:mod:`thumbs.evaluation.extracts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from thumbs.corpora import Document, load_corpus
from thumbs.corpora.labelled import read_table
from thumbs.errors import ThumbsError
from thumbs.evaluation.cross_validation import ProgressCallback, evaluate_full, labels_of
from thumbs.evaluation.extracts import evaluate_extracts, sentence_probabilities, train_subjectivity
from thumbs.evaluation.predictions import PredictionCollector
from thumbs.evaluation.protocols import EvaluationProtocol, FoldProtocol, KFoldProtocol, TrainTestProtocol
from thumbs.evaluation.results import EvaluationReport
from thumbs.evaluation.trained_model import (
    check_trained_data,
    evaluate_model,
    evaluate_stars_recipe,
    is_model_reference,
)
from thumbs.learn.recipes import get_recipe
from thumbs.parallel import default_jobs
from thumbs.pipeline.model import load_model
from thumbs.text.documents import flatten, tokenize_documents

#: The models each dataset is evaluated with when ``--model`` is not given.
DEFAULT_MODELS: dict[str, tuple[str, ...]] = {
    "polarity": ("nb", "svm", "nbsvm-uni", "nbsvm"),
    "imdb": ("nb", "svm", "nbsvm"),
    "mr": ("nb", "svm", "nbsvm-uni", "nbsvm"),
    "subj": ("nb", "svm", "nbsvm-uni", "nbsvm"),
    "table": ("nb", "svm", "nbsvm"),
}
#: Models whose subjective-extract rows are run on polarity v2.0 (Pang & Lee used NB).
EXTRACT_MODELS = ("nb",)
DATASETS = ("polarity", "imdb", "mr", "subj")


def corpus_protocol(dataset: str, documents: Sequence[Document], folds: int) -> EvaluationProtocol:
    """The standard protocol of each corpus (see ../shared/data/README.md)."""
    if dataset == "polarity":
        return FoldProtocol(
            tuple(int(d.fold) for d in documents if d.fold is not None),
            "Pang & Lee's 10 folds (fold k = files cv[100k..100k+99])",
        )
    if dataset == "imdb":
        return TrainTestProtocol(
            tuple(d.split == "train" for d in documents),
            "official split: train on train/ (25,000), test once on test/ (25,000)",
        )
    return KFoldProtocol(k=folds)


def _evaluate(
    dataset: str,
    documents: Sequence[Document],
    protocol: EvaluationProtocol,
    models: Sequence[str],
    *,
    extracts: bool,
    data_dir: str | Path | None,
    jobs: int,
    progress: ProgressCallback | None,
    collector: PredictionCollector | None = None,
    allow_trained_data: bool = False,
) -> EvaluationReport:
    trained = [name for name in models if is_model_reference(name)]
    recipes = [get_recipe(name) for name in models if not is_model_reference(name)]
    labels = labels_of(documents)
    notes: list[str] = []
    model_rows = []
    for name in trained:
        if progress:
            progress(f"{name}: the trained model")
        row, note = evaluate_model(
            name, dataset, documents, protocol, jobs, collector, allow_trained_data, data_dir=data_dir
        )
        model_rows.append(row)
        notes.append(note)
    if not recipes:
        return EvaluationReport(dataset, protocol.description, tuple(model_rows), tuple(notes))
    if progress:
        progress(f"tokenizing {len(documents):,} documents")
    sentences = tokenize_documents([d.text for d in documents], jobs)
    tokens = [flatten(s) for s in sentences]
    rows = model_rows + evaluate_full(recipes, tokens, labels, protocol, progress, collector)
    if extracts:
        if progress:
            progress("training the sentence subjectivity classifier on subj")
        classifier = train_subjectivity(load_corpus("subj", data_dir), jobs)
        probabilities = sentence_probabilities(classifier, sentences)
        splits = protocol.splits(labels)
        for recipe in recipes:
            if recipe.name in EXTRACT_MODELS:
                extract_rows, extract_notes = evaluate_extracts(
                    recipe, sentences, labels, splits, probabilities, progress, collector
                )
                rows += extract_rows
                notes += extract_notes
    counts = dict(zip(*np.unique(labels, return_counts=True), strict=True))
    notes.insert(0, "documents per label: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    return EvaluationReport(dataset, protocol.description, tuple(rows), tuple(notes))


def evaluate_corpus(
    dataset: str,
    *,
    models: Sequence[str] | None = None,
    data_dir: str | Path | None = None,
    folds: int = 10,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    collector: PredictionCollector | None = None,
    extracts: bool = True,
    documents: Sequence[Document] | None = None,
    allow_trained_data: bool = False,
) -> EvaluationReport:
    """Evaluate models on one of the corpora by its standard protocol.

    ``collector`` keeps every model's per-document predictions (for reports and
    benchmarks); ``extracts=False`` leaves out polarity's subjective-extract rows;
    ``documents`` evaluates on these documents of the corpus (e.g. a subset)
    instead of loading all of it. A trained model (``default`` or a ``.thumbs`` file)
    is refused on documents its manifest says it was trained on, unless
    ``allow_trained_data`` (then its row says ``trained_on_this_data``).
    """
    if dataset not in DATASETS:
        raise ThumbsError(f"unknown dataset {dataset!r}: choose one of {', '.join(DATASETS)}")
    if documents is None:
        if progress:
            progress(f"loading {dataset}")
        documents = load_corpus(dataset, data_dir)
    chosen = list(models or DEFAULT_MODELS[dataset])
    return _evaluate(
        dataset,
        documents,
        corpus_protocol(dataset, documents, folds),
        chosen,
        extracts=extracts and dataset == "polarity",
        data_dir=data_dir,
        jobs=jobs or default_jobs(),
        progress=progress,
        collector=collector,
        allow_trained_data=allow_trained_data,
    )


def evaluate_table(
    path: str | Path,
    *,
    text_column: str,
    label_column: str,
    rating_column: str | None = None,
    id_column: str | None = None,
    models: Sequence[str] | None = None,
    folds: int = 10,
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    collector: PredictionCollector | None = None,
    allow_trained_data: bool = False,
) -> tuple[EvaluationReport, list[str]]:
    """Evaluate models on a user's labelled table by stratified k-fold; also return skip notices.

    With ``rating_column``, the ``default`` row (the default recipe's verdict and stars,
    trained per fold) also reports the stars' mean absolute error and Pearson r. A
    ``.thumbs`` model trained on this table is refused before any work, unless
    ``allow_trained_data`` (see :func:`~thumbs.evaluation.trained_model.check_trained_data`).
    """
    table = read_table(
        path, text_column=text_column, label_column=label_column, rating_column=rating_column, id_column=id_column
    )
    skipped = [f"row {s.row} skipped: {s.reason}" for s in table.skipped]
    documents = [d for d in table.documents if rating_column is None or d.rating is not None]
    if not documents:
        raise ThumbsError(f"{path}: no usable rows (every row lacks a text, a label or a rating)")
    chosen = list(models or (("default",) if rating_column else DEFAULT_MODELS["table"]))
    for name in chosen:
        if name != "default" and is_model_reference(name):  # on a table, `default` is the recipe, trained per fold
            check_trained_data(name, Path(path).name, documents, load_model(Path(name)), allow_trained_data)
    protocol = KFoldProtocol(k=folds)
    rated_rows, notes = [], []
    if "default" in chosen:
        if rating_column is None:
            raise ThumbsError("--model default on your own table needs --rating-column (it measures the stars too)")
        chosen.remove("default")
        if progress:
            progress("default: verdict and stars, fold by fold")
        row, note = evaluate_stars_recipe(documents, protocol, jobs or default_jobs(), collector)
        rated_rows.append(row)
        notes.append(note)
    if chosen:
        report = _evaluate(
            Path(path).name,
            documents,
            protocol,
            chosen,
            extracts=False,
            data_dir=None,
            jobs=jobs or default_jobs(),
            progress=progress,
            collector=collector,
            allow_trained_data=allow_trained_data,
        )
        rated_rows += list(report.results)
        notes += list(report.notes)
    return EvaluationReport(Path(path).name, protocol.description, tuple(rated_rows), tuple(notes)), skipped
