"""Evaluating a trained analysis model: the shipped default, or any model file.

``thumbs evaluate --dataset NAME --model default`` (or ``--model FILE.thumbs``)
scores a finished model, not a recipe trained fold by fold:

* aclImdb: the model is tested on the 25,000 *test* reviews (the default model
  was trained on *train* only): accuracy, the expected calibration error of its
  probabilities, and the mean absolute error and Pearson r of its stars;
* polarity v2.0: all 2,000 reviews, zero-shot (never trained on): accuracy and ECE;
* mr and subj: these are the corpora the default model's *sentence* models
  learn from, so testing the shipped model on them would test it on its own
  training data. Instead the sentence model's recipe is cross-validated, fold by
  fold, as the issue's protocol asks: the very training function of the default
  recipe (:mod:`thumbs.learn.sentence_models`) runs on each fold's training part
  and the scorer it returns is tested on the rest (mr: sentence polarity, NBSVM
  uni+bigrams stacked with aclImdb *train*'s naive Bayes ratios and an opinion
  lexicon; subj: subjectivity, naive Bayes uni+bigrams with a stack over the two).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from thumbs.corpora import Document, load_corpus
from thumbs.errors import ThumbsError
from thumbs.evaluation.cross_validation import ScorerTrainer, cross_validate_scorer, labels_of
from thumbs.evaluation.metrics import expected_calibration_error, rating_errors
from thumbs.evaluation.predictions import FoldPredictions, PredictionCollector, top_ngrams
from thumbs.evaluation.protocols import EvaluationProtocol
from thumbs.evaluation.results import ResultRow
from thumbs.pipeline.model import Model, load_model
from thumbs.pipeline.scorers import LinearScorer, rate
from thumbs.text.documents import flatten, tokenize_documents

#: The default model's sentence model that each sentence corpus cross-validates.
SENTENCE_RECIPES = {"mr": "sentence-polarity", "subj": "subjectivity"}
#: What each of them is, as the evaluation's note says.
SENTENCE_RECIPE_DESCRIPTIONS = {
    "sentence-polarity": "NBSVM uni+bigrams stacked with aclImdb train's naive Bayes ratios and the opinion lexicon",
    "subjectivity": "naive Bayes uni+bigrams, alpha chosen inside, the two orders weighed by a stack",
}


def is_model_reference(name: str) -> bool:
    """``default``, or a path to a model file, rather than a recipe name."""
    return name == "default" or name.endswith(".thumbs")


def trained_on(manifest: Mapping[str, Any], documents: Sequence[Document]) -> str | None:
    """The name under which ``manifest`` records ``documents`` as training data, or None.

    Two checksums are compared: :func:`~thumbs.learn.training.documents_sha256` (ids, labels,
    ratings and texts in order: what every model file records in ``manifest["data"]``, the shipped
    one included) and :func:`~thumbs.learn.training.texts_sha256` (the texts alone, in any order:
    ``manifest["texts"]``, recorded by models trained since), so a reordered or relabelled copy of
    the training table is caught too. A subset or superset of it is not.
    """
    from thumbs.learn.training import documents_sha256, texts_sha256

    for key, checksum in (
        ("data", lambda: documents_sha256(documents)),
        ("texts", lambda: texts_sha256(d.text for d in documents)),
    ):
        recorded = manifest.get(key)
        if isinstance(recorded, Mapping) and recorded:
            found = checksum()
            for data_name, value in recorded.items():
                if value == found:
                    return str(data_name)
    return None


def check_trained_data(
    name: str, dataset: str, documents: Sequence[Document], model: Model, allow_trained_data: bool
) -> bool:
    """Whether ``model`` was trained on ``documents``; refuses (one line) unless ``allow_trained_data``."""
    found = trained_on(model.manifest, documents)
    if found is None:
        return False
    if not allow_trained_data:
        shown = "the default model" if name == "default" else Path(name).name
        raise ThumbsError(
            f"{shown} was trained on {dataset} (its manifest records this data as {found!r}): its accuracy there "
            "measures memory, not judgement; evaluate on data it never saw, or pass --allow-trained-data"
        )
    return True


def evaluate_model(
    name: str,
    dataset: str,
    documents: Sequence[Document],
    protocol: EvaluationProtocol,
    jobs: int = 1,
    collector: PredictionCollector | None = None,
    allow_trained_data: bool = False,
    data_dir: str | Path | None = None,
) -> tuple[ResultRow, str]:
    """One result row for the model ``name`` on ``documents``, and a note saying what was measured.

    With ``collector``, the per-document predictions are kept there too, and the
    model's label function (:meth:`~thumbs.pipeline.model.Model.predict`) is handed over.
    A model whose manifest says it was trained on the tested documents is refused
    (:func:`check_trained_data`) unless ``allow_trained_data``; then the row says
    ``trained_on_this_data``. mr and subj cross-validate the sentence model's recipe
    instead (:func:`sentence_trainer`; mr reads aclImdb train from ``data_dir``).
    """
    start = time.perf_counter()
    if dataset in SENTENCE_RECIPES:
        recipe = SENTENCE_RECIPES[dataset]
        train = sentence_trainer(dataset, data_dir, jobs)
        tokens = [flatten(s) for s in tokenize_documents([d.text for d in documents], jobs)]
        row = cross_validate_scorer(name, train, tokens, labels_of(documents), protocol, collector)
        row = dataclasses.replace(row, seconds=round(time.perf_counter() - start, 2))
        return (
            row,
            f"{name} on {dataset}: its sentence model's recipe ({recipe}: {SENTENCE_RECIPE_DESCRIPTIONS[recipe]}) "
            f"trained and tested fold by fold, {protocol.description}",
        )
    model = load_model(None if name == "default" else Path(name))
    tested = [d for d in documents if d.split != "train"]
    if not tested:
        raise ThumbsError(f"{dataset} holds no documents to test {name} on (only a train split)")
    seen = check_trained_data(name, dataset, tested, model, allow_trained_data)
    scores, probability, stars = model.rate([d.text for d in tested])
    truth = _is_positive([str(d.label) for d in tested])
    accuracy = float(np.mean((scores > 0) == truth))
    ratings = np.array([np.nan if d.rating is None else d.rating for d in tested], dtype=np.float64)
    mae = pearson = None
    rated = bool(len(ratings)) and not np.isnan(ratings).any()
    if rated:
        mae, pearson = rating_errors(stars, ratings)
    if collector is not None:
        collector.add(
            verdict_predictions(
                name, model.verdict, truth, scores, probability, stars, ratings if rated else None, collector.top_ngrams
            )
        )
        collector.predictor(name, model.predict)
    row = ResultRow(
        model=name,
        input="full",
        accuracy=accuracy,
        std=None,
        seconds=round(time.perf_counter() - start, 2),
        n_documents=len(tested),
        ece=expected_calibration_error(probability, truth),
        stars_mae=mae,
        stars_pearson=pearson,
        trained_on_this_data=seen,
    )
    what = "the test split" if len(tested) < len(documents) else f"all {len(tested):,} documents"
    if seen:
        what += ", which it was TRAINED ON (--allow-trained-data): the accuracy says nothing about new reviews"
    elif len(tested) == len(documents):
        what += ", never trained on"
    return row, f"{name} on {dataset}: the trained model tested once on {what}"


def sentence_trainer(dataset: str, data_dir: str | Path | None = None, jobs: int = 1) -> ScorerTrainer:
    """The default recipe's training function of the sentence model that ``dataset`` (mr or subj) trains.

    For mr it holds the review prior, learned once here from aclImdb *train* (read from
    ``data_dir``; its test split is never read), and the opinion lexicon: both come from
    other data than mr, so every fold may use them.
    """
    from thumbs.learn.lexicon import opinion_lexicon
    from thumbs.learn.sentence_models import lexicon_weights, review_prior, train_polarity, train_subjectivity

    if dataset == "subj":
        return train_subjectivity
    if dataset != "mr":
        raise ThumbsError(f"{dataset} trains no sentence model: choose one of {', '.join(SENTENCE_RECIPES)}")
    reviews = load_corpus("imdb", data_dir, splits=("train",))
    tokens = [flatten(s) for s in tokenize_documents([d.text for d in reviews], jobs)]
    prior = review_prior(tokens, np.array([d.label == "positive" for d in reviews]))
    lexicon = lexicon_weights(opinion_lexicon())

    def train(sentences: Sequence[Sequence[str]], is_positive: np.ndarray) -> LinearScorer:
        return train_polarity(sentences, is_positive, prior, lexicon)

    return train


def _is_positive(labels: Sequence[str]) -> np.ndarray:
    """The corpora's ``positive``/``negative``, or a table's two values read as training reads them (pos/neg, 1/0)."""
    if set(labels) <= {"positive", "negative"}:
        return np.array([label == "positive" for label in labels])
    from thumbs.learn.training import positive_labels

    return positive_labels(labels)


def verdict_predictions(
    name: str,
    verdict: LinearScorer,
    is_positive: np.ndarray,
    scores: np.ndarray,
    probability: np.ndarray,
    stars: np.ndarray | None,
    ratings: np.ndarray | None,
    top: int,
) -> FoldPredictions:
    """A trained verdict's predictions on one test split, with its strongest n-grams of each side."""
    as_label = np.array(["negative", "positive"])
    return FoldPredictions(
        name,
        ("negative", "positive"),
        as_label[np.asarray(is_positive, dtype=int)],
        as_label[(scores > 0).astype(int)],
        np.asarray(scores, dtype=np.float64),
        np.asarray(probability, dtype=np.float64),
        stars,
        ratings,
        ngrams=top_ngrams(verdict.coef, ("negative", "positive"), verdict.index.feature_names, top),
    )


def held_out_metrics(model_name: str, data_dir: str | Path | None = None) -> dict[str, dict[str, float]]:
    """The figures a model's manifest records: aclImdb test and polarity v2.0 (zero-shot)."""
    from thumbs.corpora import load_corpus
    from thumbs.evaluation.protocols import TrainTestProtocol

    metrics: dict[str, dict[str, float]] = {}
    for dataset, splits in (("imdb", ("test",)), ("polarity", None)):
        documents = load_corpus(dataset, data_dir, splits=splits)
        protocol = TrainTestProtocol(tuple(False for _ in documents), "held out")
        row, _ = evaluate_model(model_name, dataset, documents, protocol)
        figures = {
            "accuracy": row.accuracy,
            "ece": row.ece,
            "stars_mae": row.stars_mae,
            "stars_pearson": row.stars_pearson,
        }
        metrics["imdb-test" if dataset == "imdb" else dataset] = {
            k: round(float(v), 4) for k, v in figures.items() if v is not None
        }
    return metrics


def evaluate_stars_recipe(
    documents: Sequence[Document],
    protocol: EvaluationProtocol,
    jobs: int = 1,
    collector: PredictionCollector | None = None,
) -> tuple[ResultRow, str]:
    """The default recipe's verdict and stars, trained and tested fold by fold on a user's rated table.

    Labels must be two values, one positive and one negative; every document needs a rating.
    With ``collector``, each fold's predictions are kept there too.
    """
    from thumbs.learn.training import base_sentence_polarity, positive_labels
    from thumbs.learn.verdict import train_verdict

    sentence_polarity = base_sentence_polarity(load_model())  # as `thumbs train --data` takes the default model's

    start = time.perf_counter()
    is_positive = positive_labels([str(d.label) for d in documents])
    ratings = np.array([d.rating for d in documents], dtype=np.float64)
    tokens = [flatten(s) for s in tokenize_documents([d.text for d in documents], jobs)]
    accuracies: list[float] = []
    errors: list[float] = []
    predicted = np.zeros(len(documents))
    for train, test in protocol.splits(is_positive):
        verdict, stars, _ = train_verdict(
            [tokens[i] for i in train], is_positive[train], ratings[train], sentence_polarity=sentence_polarity
        )
        assert stars is not None
        scores, probability, predicted[test] = rate(verdict, stars, [tokens[i] for i in test])
        accuracies.append(float(np.mean((scores > 0) == is_positive[test])))
        errors.append(expected_calibration_error(probability, is_positive[test]))
        if collector is not None:
            collector.add(
                verdict_predictions(
                    "default",
                    verdict,
                    is_positive[test],
                    scores,
                    probability,
                    predicted[test],
                    ratings[test],
                    collector.top_ngrams,
                )
            )
    mae, pearson = rating_errors(predicted, ratings)
    row = ResultRow(
        model="default",
        input="full",
        accuracy=float(np.mean(accuracies)),
        std=float(np.std(accuracies)),
        seconds=round(time.perf_counter() - start, 2),
        fold_accuracies=tuple(round(a, 4) for a in accuracies),
        n_documents=len(documents),
        ece=float(np.mean(errors)),
        stars_mae=mae,
        stars_pearson=pearson,
    )
    return (
        row,
        f"default: the default recipe's verdict and stars trained per fold ({protocol.description}); stars on the table's own scale",
    )
