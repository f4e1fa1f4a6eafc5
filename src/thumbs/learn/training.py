"""Training analysis models: the shipped default, or one on a user's own reviews.

The default recipe learns only from data that is not used to evaluate it:

* the verdict and the stars from aclImdb *train* (25,000 labelled reviews with
  their ratings): NBSVM over uni- to trigrams seen in at least two reviews,
  negation marked, C and beta chosen by 3-fold cross-validation inside the
  training set, probabilities calibrated (Platt) on that cross-validation's
  held-out decisions; stars by :class:`~thumbs.learn.stars.StarRegressor`;
* sentence subjectivity from rotten_imdb (subj), naive Bayes on unigrams as in
  Pang & Lee 2004;
* sentence polarity from rt-polarity (mr), NBSVM on uni- and bigrams.

aclImdb *test* and polarity v2.0 are never read here. A user's table trains
the verdict and the stars on its rows and keeps the default model's sentence
models (a table of whole reviews says nothing about single sentences).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from thumbs import __version__
from thumbs.checksums import stream_sha256
from thumbs.corpora import Document, load_corpus
from thumbs.corpora.tables import read_table
from thumbs.errors import ThumbsError
from thumbs.features.index import NgramIndex
from thumbs.features.vectorizer import NgramVectorizer
from thumbs.learn.calibration import fit_platt_slope
from thumbs.learn.nbsvm import NBSVM
from thumbs.learn.stars import StarRegressor
from thumbs.learn.subjectivity import SubjectivityClassifier
from thumbs.pipeline.extract import CutSettings
from thumbs.pipeline.model import Model, build_pipeline, load_model
from thumbs.pipeline.scorers import LinearScorer, StarWeights
from thumbs.pipeline.stars import Stars
from thumbs.pipeline.verdict import Verdict
from thumbs.text.documents import flatten, tokenize_documents

#: The verdict's features: uni- to trigrams in at least two training reviews, negation marked.
VERDICT_NGRAMS = (1, 3)
VERDICT_MIN_DF = 2
#: Sentence polarity features (rt-polarity snippets are short: bigrams suffice).
SENTENCE_NGRAMS = (1, 2)
#: Ridge regularization of each camp's star regression.
STARS_ALPHA = 1.0
#: Label values read as "positive" / "negative" in a user's table.
POSITIVE_NAMES = frozenset({"positive", "pos", "1", "true", "yes", "+", "good"})
NEGATIVE_NAMES = frozenset({"negative", "neg", "0", "-1", "false", "no", "-", "bad"})

Progress = Callable[[str], None]


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


def _linear(
    vectorizer: NgramVectorizer, coef: np.ndarray, intercept: float, calibration: tuple[float, float]
) -> LinearScorer:
    low, high = vectorizer.ngram_range
    index = NgramIndex.from_vocabulary(vectorizer.vocabulary_, ngram_range=(low, high), negation=vectorizer.negation)
    return LinearScorer(index, np.asarray(coef, dtype=np.float64).ravel(), float(intercept), calibration)


def train_verdict(
    tokens: Sequence[Sequence[str]],
    is_positive: np.ndarray,
    ratings: np.ndarray | None,
    progress: Progress | None = None,
) -> tuple[LinearScorer, StarWeights | None, dict[str, Any]]:
    """The document verdict (NBSVM) and, given ratings, the stars, on token lists."""
    say = progress or (lambda message: None)
    say(f"verdict: features of {len(tokens):,} reviews")
    min_df = VERDICT_MIN_DF if len(tokens) >= 1000 else 1
    vectorizer = NgramVectorizer(ngram_range=VERDICT_NGRAMS, negation=True, min_df=min_df)
    X = vectorizer.fit_transform(tokens)
    say(f"verdict: NBSVM on {X.shape[1]:,} n-grams (C and beta by 3-fold CV)")
    labels = np.where(is_positive, "positive", "negative")
    nbsvm = NBSVM(C="auto", beta="auto").fit(X, labels)
    held_out = nbsvm.cv_decision_ if nbsvm.cv_decision_ is not None else nbsvm.decision_function(X)
    verdict = _linear(vectorizer, nbsvm.coef_[0], nbsvm.intercept_[0], fit_platt_slope(held_out, is_positive))
    settings = {
        "C": nbsvm.C_,
        "beta": nbsvm.beta_,
        "ngram_range": list(VERDICT_NGRAMS),
        "min_df": min_df,
        "n_features": int(X.shape[1]),
    }
    stars = None
    if ratings is not None:
        say("stars: ridge regression per camp")
        regressor = StarRegressor(alpha=STARS_ALPHA).fit(X, ratings, positive=is_positive)
        stars = StarWeights(regressor.coef_, regressor.intercept_, regressor.range_)
        settings["stars_alpha"] = STARS_ALPHA
    return verdict, stars, settings


def train_sentence_models(
    subj: Sequence[Document], mr: Sequence[Document], progress: Progress | None = None
) -> tuple[LinearScorer, LinearScorer]:
    """Subjectivity (labels ``subjective``/``objective``) and sentence polarity (``positive``/``negative``) scorers."""
    say = progress or (lambda message: None)
    say(f"subjectivity: naive Bayes on {len(subj):,} sentences")
    subj_tokens = [flatten(s) for s in tokenize_documents([d.text for d in subj])]
    classifier = SubjectivityClassifier().fit(subj_tokens, [str(d.label) for d in subj])
    nb = classifier.model_
    sign = 1.0 if nb.classes_[1] == "subjective" else -1.0
    subjectivity = _linear(
        classifier.vectorizer_, sign * nb.coef_[0], sign * nb.intercept_[0], (1.0 / classifier.temperature, 0.0)
    )
    say(f"sentence polarity: NBSVM on {len(mr):,} sentences")
    mr_tokens = [flatten(s) for s in tokenize_documents([d.text for d in mr])]
    vectorizer = NgramVectorizer(ngram_range=SENTENCE_NGRAMS, negation=True)
    X = vectorizer.fit_transform(mr_tokens)
    is_positive = np.array([d.label == "positive" for d in mr])
    nbsvm = NBSVM(C="auto", beta="auto").fit(X, np.where(is_positive, "positive", "negative"))
    held_out = nbsvm.cv_decision_ if nbsvm.cv_decision_ is not None else nbsvm.decision_function(X)
    polarity = _linear(vectorizer, nbsvm.coef_[0], nbsvm.intercept_[0], fit_platt_slope(held_out, is_positive))
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
    tokens = [flatten(s) for s in tokenize_documents([d.text for d in reviews], jobs=jobs)]
    is_positive = np.array([d.label == "positive" for d in reviews])
    if any(d.rating is None for d in reviews):
        raise ThumbsError("the default recipe needs a rating for every review (for the stars)")
    ratings = np.array([d.rating for d in reviews], dtype=np.float64)
    verdict, stars, settings = train_verdict(tokens, is_positive, ratings, progress)
    subjectivity, polarity = train_sentence_models(subj, mr, progress)
    data = {"reviews": documents_sha256(reviews), "subj": documents_sha256(subj), "mr": documents_sha256(mr)}
    assert stars is not None
    components = build_pipeline(
        subjectivity=subjectivity, cut=CutSettings(), sentence_polarity=polarity, verdict=verdict, stars=stars
    )
    return Model(components, _manifest(recipe, data, settings))


def train_default(data_dir: str | Path | None = None, jobs: int = 1, progress: Progress | None = None) -> Model:
    """Train the default recipe from the corpora (aclImdb train, subj, mr); never reads aclImdb test."""
    say = progress or (lambda message: None)
    say("loading aclImdb train, rotten_imdb and rt-polarity")
    train = load_corpus("imdb", data_dir, splits=("train",))
    model = train_model(train, load_corpus("subj", data_dir), load_corpus("mr", data_dir), jobs=jobs, progress=progress)
    model.manifest["data"] = {"imdb-train": model.manifest["data"].pop("reviews"), **model.manifest["data"]}
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
    if unknown or len(values) != 2:
        raise ThumbsError(
            f"labels must be two values, one positive and one negative (positive/negative, pos/neg, 1/0); "
            f"found {', '.join(sorted(values)[:5])}"
        )
    return np.array([str(v).strip().lower() in POSITIVE_NAMES for v in labels])


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
    if len(documents) < 4:
        raise ThumbsError(f"{path} has {len(documents)} usable rows: training needs at least 4")
    ratings = np.array([d.rating for d in documents], dtype=np.float64) if rating_column else None
    if label_column:
        is_positive = positive_labels([str(d.label) for d in documents])
    else:
        assert ratings is not None
        is_positive = ratings > (ratings.min() + ratings.max()) / 2.0
    if is_positive.all() or not is_positive.any():
        raise ThumbsError("training needs both positive and negative reviews")
    tokens = [flatten(s) for s in tokenize_documents([d.text for d in documents], jobs=jobs)]
    verdict, stars, settings = train_verdict(tokens, is_positive, ratings, progress)
    base = base or load_model()
    if stars is None:  # no ratings to learn from (the base model's stars index other features)
        stars = StarWeights(
            np.zeros((2, verdict.index.n_features)), np.array([2.5, 8.5]), np.array([[1.0, 4.0], [7.0, 10.0]])
        )
        settings["stars"] = "none (no rating column): 2.5 or 8.5 by the verdict's probability"
    manifest = _manifest(
        "table", {Path(path).name: documents_sha256(documents), **base.manifest.get("data", {})}, settings
    )
    manifest["sentence_models_from"] = base.manifest.get("recipe")
    components = [
        Verdict(verdict) if c.name == "verdict" else Stars(stars) if c.name == "stars" else c for c in base.components
    ]
    return Model(components, manifest), len(table.skipped)


def _manifest(recipe: str, data: dict[str, str], settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "recipe": recipe,
        "thumbs_version": __version__,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "data": data,
        "settings": settings,
        "metrics": {},
    }
