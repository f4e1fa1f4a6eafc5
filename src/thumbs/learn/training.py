"""Training analysis models: the shipped default, or one on a user's own reviews.

The default recipe learns only from data that is not used to evaluate it:

* the verdict and the stars from aclImdb *train* (25,000 labelled reviews with
  their ratings), by :func:`thumbs.learn.verdict.train_verdict` (NBSVM over
  uni- to trigrams with negation scope, emphasis, a length norm and an opinion
  lexicon; stars by :class:`~thumbs.learn.stars.StarRegressor`);
* sentence subjectivity from rotten_imdb (subj), naive Bayes on uni- and bigrams,
  the two orders weighed by a stack (:func:`~thumbs.learn.sentence_models.train_subjectivity`);
* sentence polarity from rt-polarity (mr), NBSVM on uni- and bigrams stacked with
  naive Bayes log-count ratios of aclImdb train's n-grams and an opinion lexicon
  (:func:`~thumbs.learn.sentence_models.train_polarity`).

aclImdb *test* and polarity v2.0 are never read here. A user's table trains
the verdict and the stars on its rows and keeps the default model's sentence
models (a table of whole reviews says nothing about single sentences).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from thumbs.checksums import stream_sha256
from thumbs.corpora import Document, load_corpus
from thumbs.corpora.labelled import read_table
from thumbs.errors import ThumbsError
from thumbs.learn.lexicon import lexicon_weights, opinion_lexicon
from thumbs.learn.sentence_models import review_prior, train_polarity, train_subjectivity
from thumbs.learn.verdict import (
    Progress,
    train_verdict,
)
from thumbs.pipeline.extract import CutSettings
from thumbs.pipeline.model import Model, build_pipeline, load_model
from thumbs.pipeline.scorers import LinearScorer, StarWeights
from thumbs.pipeline.stars import Stars
from thumbs.pipeline.verdict import Verdict
from thumbs.text.documents import flatten, tokenize_documents
from thumbs.version import __version__

#: The fewest usable rows a table trains on (at least one of each label among them).
MIN_TRAINING_ROWS = 4
#: Label values read as "positive" / "negative" in a user's table.
POSITIVE_NAMES = frozenset({"positive", "pos", "1", "true", "yes", "+", "good"})
NEGATIVE_NAMES = frozenset({"negative", "neg", "0", "-1", "false", "no", "-", "bad"})


def documents_sha256(documents: Sequence[Document]) -> str:
    """A checksum of exactly what was trained on (ids, labels, ratings and texts, in order).

    Each document is hashed as ``id 0x1F label 0x1F rating 0x1F text 0x1E`` (UTF-8). A model's
    manifest records these checksums, so the layout never changes. It lives here, beside the
    manifest it is written into, rather than in :mod:`thumbs.corpora`: only training records
    what it read, and the test that checks the shipped manifest recomputes it from here.
    """
    return stream_sha256(
        piece
        for d in documents
        for piece in (
            f"{d.id}\x1f{d.label}\x1f{d.rating}\x1f".encode(),
            d.text.encode("utf-8", "surrogatepass"),
            b"\x1e",
        )
    )


def texts_sha256(texts: Iterable[str]) -> str:
    """A checksum of a set of texts alone, in any order: ids, labels and ratings are left out.

    The sha256 of each text (UTF-8) is taken, the digests are sorted and hashed together, so a
    reordered, relabelled or re-numbered copy of a table has the same checksum; a copy with one text
    changed, added or removed does not. Models record it per data set in ``manifest["texts"]`` so that
    ``thumbs evaluate`` can tell when it is asked to test a model on what it was trained on.

    >>> texts_sha256(["b", "a"]) == texts_sha256(["a", "b"]) != texts_sha256(["a"])
    True
    """
    digests = sorted(hashlib.sha256(t.encode("utf-8", "surrogatepass")).digest() for t in texts)
    return stream_sha256(iter(digests))


def train_sentence_models(
    subj: Sequence[Document],
    mr: Sequence[Document],
    progress: Progress | None = None,
    *,
    prior: Mapping[str, float] | None = None,
) -> tuple[LinearScorer, LinearScorer]:
    """Subjectivity (labels ``subjective``/``objective``) and sentence polarity (``positive``/``negative``) scorers.

    ``prior`` is the review prior the sentence polarity model is stacked with:
    :func:`~thumbs.learn.sentence_models.review_prior` of aclImdb *train* (the verdict's
    reviews, never a test split). Without it, polarity is stacked with the opinion lexicon only
    (1.6 points lower on mr's 10-fold cross-validation).
    """
    say = progress or (lambda message: None)
    say(f"subjectivity: naive Bayes on uni- and bigrams of {len(subj):,} sentences")
    subj_tokens = [flatten(s) for s in tokenize_documents([d.text for d in subj])]
    subjectivity = train_subjectivity(subj_tokens, np.array([d.label == "subjective" for d in subj]))
    say(f"sentence polarity: NBSVM on {len(mr):,} sentences, stacked with the review prior and the opinion lexicon")
    mr_tokens = [flatten(s) for s in tokenize_documents([d.text for d in mr])]
    is_positive = np.array([d.label == "positive" for d in mr])
    polarity = train_polarity(mr_tokens, is_positive, prior, lexicon_weights(opinion_lexicon()))
    return subjectivity, polarity


def train_model(
    reviews: Sequence[Document],
    subj: Sequence[Document],
    mr: Sequence[Document],
    *,
    recipe: str = "default",
    jobs: int = 1,
    progress: Progress | None = None,
) -> Model:
    """A full analysis model from labelled reviews (with ratings), subjectivity and sentence-polarity data."""
    if progress:
        progress(f"tokenizing {len(reviews):,} reviews")
    tokens = [flatten(s) for s in tokenize_documents([d.text for d in reviews], jobs=jobs)]
    is_positive = np.array([d.label == "positive" for d in reviews])
    if any(d.rating is None for d in reviews):
        raise ThumbsError("the default recipe needs a rating for every review (for the stars)")
    ratings = np.array([d.rating for d in reviews], dtype=np.float64)
    prior = review_prior(tokens, is_positive)  # aclImdb train's naive Bayes ratios: what polarity is stacked with
    subjectivity, polarity = train_sentence_models(subj, mr, progress, prior=prior)
    verdict, stars, settings = train_verdict(tokens, is_positive, ratings, progress, sentence_polarity=polarity)
    sets = {"reviews": reviews, "subj": subj, "mr": mr}
    data = {key: documents_sha256(value) for key, value in sets.items()}
    texts = {key: texts_sha256(d.text for d in value) for key, value in sets.items()}
    assert stars is not None
    components = build_pipeline(
        subjectivity=subjectivity, cut=CutSettings(), sentence_polarity=polarity, verdict=verdict, stars=stars
    )
    return Model(components, _manifest(recipe, data, settings, texts))


def train_default(data_dir: str | Path | None = None, jobs: int = 1, progress: Progress | None = None) -> Model:
    """Train the default recipe from the corpora (aclImdb train, subj, mr); never reads aclImdb test."""
    say = progress or (lambda message: None)
    say("loading aclImdb train, rotten_imdb and rt-polarity")
    train = load_corpus("imdb", data_dir, splits=("train",))
    model = train_model(train, load_corpus("subj", data_dir), load_corpus("mr", data_dir), jobs=jobs, progress=progress)
    for key in ("data", "texts"):
        model.manifest[key] = {"imdb-train": model.manifest[key].pop("reviews"), **model.manifest[key]}
    return model


def positive_labels(labels: Sequence[str]) -> np.ndarray:
    """Which labels of a user's table mean "positive", as booleans (case and spaces ignored).

    The table must use exactly two values, one of :data:`POSITIVE_NAMES` and one of
    :data:`NEGATIVE_NAMES`; anything else is refused with a :class:`~thumbs.errors.ThumbsError`
    naming the values found. Training on a table and evaluating the default recipe on one
    read labels the same way through this.

    >>> positive_labels(["pos", "NEG", " pos "]).tolist()
    [True, False, True]
    """
    values = {str(v).strip().lower() for v in labels}
    unknown = values - POSITIVE_NAMES - NEGATIVE_NAMES
    found = ", ".join(repr(v) for v in sorted(values)[:5]) + (", ..." if len(values) > 5 else "")
    if len(values) == 1 and not unknown:
        raise ThumbsError(
            f"every label is {found}: training needs both positive and negative reviews (add the missing label)"
        )
    if unknown or len(values) != 2:
        hint = " (ratings? pass that column as --rating-column)" if _numbers(values) and len(values) > 2 else ""
        raise ThumbsError(
            f"labels must be two values, one positive and one negative (positive/negative, pos/neg, 1/0); "
            f"found {len(values)}: {found}{hint}"
        )
    return np.array([str(v).strip().lower() in POSITIVE_NAMES for v in labels])


def _numbers(values: Iterable[str]) -> bool:
    """Whether every value reads as a number (a rating column given as the label column)."""
    try:
        return all(float(v) == float(v) for v in values)
    except ValueError:
        return False


def train_table(
    path: str | Path,
    *,
    text_column: str,
    label_column: str | None = None,
    rating_column: str | None = None,
    id_column: str | None = None,
    base: Model | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> tuple[Model, int]:
    """Train the verdict (and, with ratings, the stars) on a user's table; returns the model and rows skipped.

    Without a label column, a review is positive when its rating is above the
    middle of the ratings' range. The sentence models come from ``base`` (the
    default model when None).
    """
    if label_column is None and rating_column is None:
        raise ThumbsError("training needs --label-column, --rating-column or both")
    table = read_table(
        path, text_column=text_column, label_column=label_column, rating_column=rating_column, id_column=id_column
    )
    documents = [d for d in table.documents if rating_column is None or d.rating is not None]
    name = Path(path).name
    if not documents:
        first = f" (row {table.skipped[0].row}: {table.skipped[0].reason})" if table.skipped else ""
        raise ThumbsError(
            f"{name}: every row was skipped{first}: each row needs a text and a "
            f"{'label' if label_column else 'numeric rating'}; check the column names and the file"
        )
    if len(documents) < MIN_TRAINING_ROWS:
        raise ThumbsError(
            f"{name} has {len(documents)} usable rows ({len(table.skipped)} skipped): "
            f"training needs at least {MIN_TRAINING_ROWS}, with both positive and negative reviews"
        )
    ratings = np.array([d.rating for d in documents], dtype=np.float64) if rating_column else None
    if label_column:
        is_positive = positive_labels([str(d.label) for d in documents])
    else:
        assert ratings is not None
        if ratings.min() == ratings.max():
            raise ThumbsError(
                f"every rating in {name} is {ratings[0]:g}: without --label-column, reviews above the middle "
                "of the ratings are positive, so the ratings must differ"
            )
        is_positive = ratings > (ratings.min() + ratings.max()) / 2.0
    if is_positive.all() or not is_positive.any():
        raise ThumbsError(
            f"every usable row of {name} is {'positive' if is_positive.all() else 'negative'}: "
            "training needs both positive and negative reviews"
        )
    if progress:
        progress(f"tokenizing {len(documents):,} reviews")
    tokens = [flatten(s) for s in tokenize_documents([d.text for d in documents], jobs=jobs)]
    base = base or load_model()
    verdict, stars, settings = train_verdict(
        tokens, is_positive, ratings, progress, sentence_polarity=base_sentence_polarity(base)
    )
    if stars is None:  # no ratings to learn from (the base model's stars index other features)
        stars = StarWeights(
            np.zeros((2, verdict.index.n_features)), np.array([2.5, 8.5]), np.array([[1.0, 4.0], [7.0, 10.0]])
        )
        settings["stars"] = "none (no rating column): 2.5 or 8.5 by the verdict's probability"
    manifest = _manifest(
        "table",
        {name: documents_sha256(documents), **base.manifest.get("data", {})},
        settings,
        {name: texts_sha256(d.text for d in documents), **base.manifest.get("texts", {})},
    )
    manifest["sentence_models_from"] = base.manifest.get("recipe")
    components = [
        Verdict(verdict) if c.name == "verdict" else Stars(stars) if c.name == "stars" else c for c in base.components
    ]
    return Model(components, manifest), len(table.skipped)


def base_sentence_polarity(model: Model) -> LinearScorer | None:
    """The sentence polarity scorer of ``model`` (what a table's verdict takes weights from), if it has one."""
    if "sentence_polarity" not in model.pipe_names:
        return None
    scorer = getattr(model.get("sentence_polarity"), "scorer", None)
    return scorer if isinstance(scorer, LinearScorer) else None


def _manifest(recipe: str, data: dict[str, str], settings: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """A new model's manifest: ``data`` holds :func:`documents_sha256`, ``texts`` :func:`texts_sha256` per data set."""
    return {
        "recipe": recipe,
        "thumbs_version": __version__,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "data": data,
        "texts": texts,
        "settings": settings,
        "metrics": {},
    }
