"""Training analysis models: the shipped default, or one on a user's own reviews.

The default recipe learns only from data that is not used to evaluate it:

* the verdict and the stars from aclImdb *train* (25,000 labelled reviews with
  their ratings): NBSVM over uni- to trigrams seen in at least two reviews,
  negation marked (:mod:`thumbs.text.negation`), an n-gram where the review
  turns or in its last sentence counted 1.5 times (:mod:`thumbs.text.emphasis`),
  each review's row divided by the square root of its number of n-grams, the
  n-grams without a word of a general opinion lexicon held back by a prior
  (:mod:`thumbs.learn.lexicon`), C chosen by 3-fold cross-validation inside the
  training set, probabilities calibrated (Platt) on that cross-validation's
  held-out decisions; stars by :class:`~thumbs.learn.stars.StarRegressor`;
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

import dataclasses
import datetime as _dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
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
from thumbs.learn.calibration import fit_platt_slope, presence
from thumbs.learn.lexicon import lexicon_prior, lexicon_weights, opinion_lexicon
from thumbs.learn.nbsvm import NBSVM
from thumbs.learn.sentence_models import review_prior, train_polarity, train_subjectivity
from thumbs.learn.stars import StarRegressor
from thumbs.pipeline.extract import CutSettings
from thumbs.pipeline.model import Model, build_pipeline, load_model
from thumbs.pipeline.scorers import LinearScorer, StarWeights
from thumbs.pipeline.stars import Stars
from thumbs.pipeline.verdict import Verdict
from thumbs.text.documents import flatten, tokenize_documents
from thumbs.text.negation import NEGATION_RULES

#: The verdict's features: uni- to trigrams in at least two training reviews, negation marked.
VERDICT_NGRAMS = (1, 3)
VERDICT_MIN_DF = 2
#: An n-gram at an emphasized place (after "but", in the last sentence) counts 1 + this: +0.2 points on the
#: development split of aclImdb train, +0.5 on polarity v2.0 (0.5 beat 1.0; docs/reproduction.md).
VERDICT_EMPHASIS = 0.5
#: Divide each review's row by the square root of its number of n-grams, counted as at least this many: the
#: shortest aclImdb reviews hold about 100, so a one-line review is scored on the scale the probability was
#: calibrated on rather than read as surer than any long one (its label does not change: a positive
#: number divides its whole score). The norm is worth +1 point on polarity v2.0 (docs/verdict.md).
VERDICT_LENGTH_NORM = 100.0
#: The prior of an n-gram without a word of the opinion lexicon (1 for one with): the share of opinion words
#: among the top-5 evidence n-grams rises from 0.57 to 0.67 on the development split, polarity v2.0 gains
#: 0.5 points, aclImdb loses 0.2 (docs/reproduction.md).
LEXICON_PRIOR_OTHER = 0.7
#: C is chosen from these by 3-fold cross-validation (unit-length rows want a larger C than presence).
VERDICT_C_GRID = (1.0, 3.0, 10.0)
#: NBSVM's interpolation: 1 keeps the SVM's weights (the 0.1 default model's search chose 1 as well).
VERDICT_BETA = 1.0


@dataclass(frozen=True)
class VerdictRecipe:
    """How the verdict is trained: the defaults are the default model's; benchmarks/levers.py varies them.

    >>> VerdictRecipe().emphasis, VerdictRecipe(length_norm=0.0).c_grid
    (0.5, (1.0, 3.0, 10.0))
    """

    negation: int = NEGATION_RULES
    emphasis: float = VERDICT_EMPHASIS
    length_norm: float = VERDICT_LENGTH_NORM
    lexicon_prior_other: float = LEXICON_PRIOR_OTHER
    c_grid: tuple[float, ...] = VERDICT_C_GRID
    lexicon_transfer: bool = True
    sentence_transfer: bool = False

    def scorer(self, tokens: Sequence[Sequence[str]], min_df: int) -> LinearScorer:
        """An untrained scorer (zero weights) over the n-grams of ``tokens``: its index, emphasis and norm.

        With ``lexicon_transfer`` every word of the opinion lexicon (and its ``NOT_`` form) is a
        feature too, seen in the training reviews or not, so that its valence can weigh in.
        """
        vectorizer = NgramVectorizer(ngram_range=VERDICT_NGRAMS, negation=self.negation, min_df=min_df).fit(tokens)
        vocabulary = dict(vectorizer.vocabulary_)
        if self.lexicon_transfer:
            for word in sorted(lexicon_weights(opinion_lexicon())):
                vocabulary.setdefault(word, len(vocabulary))
        low, high = vectorizer.ngram_range
        index = NgramIndex.from_vocabulary(vocabulary, ngram_range=(low, high), negation=self.negation)
        return LinearScorer(
            index, np.zeros(index.n_features), 0.0, emphasis=self.emphasis, length_norm=self.length_norm
        )

    def transfer(self, index: NgramIndex, sentence_polarity: LinearScorer | None) -> np.ndarray | None:
        """Weight vectors over ``index``'s features learned elsewhere, whose weights the verdict's SVM learns.

        The opinion lexicon's valences (``lexicon_transfer``: a word weighs its valence, in a negation's
        scope the opposite) and the sentence polarity model's weights (``sentence_transfer``: NBSVM on
        rt-polarity's snippets, matched n-gram by n-gram). None when there are none.
        """
        names = index.feature_names(np.arange(index.n_features))
        vectors = []
        if self.lexicon_transfer:
            vectors.append(_by_name(names, lexicon_weights(opinion_lexicon())))
        if self.sentence_transfer and sentence_polarity is not None:
            columns = np.arange(sentence_polarity.index.n_features)
            weights = dict(zip(sentence_polarity.index.feature_names(columns), sentence_polarity.coef.tolist()))
            vectors.append(_by_name(names, weights))
        return np.vstack(vectors) if vectors else None

    def prior(self, index: NgramIndex) -> np.ndarray | None:
        """The lexicon prior of each feature of ``index``, or None when it is 1 for all."""
        if self.lexicon_prior_other == 1.0:
            return None
        names = index.feature_names(np.arange(index.n_features))
        return lexicon_prior(names, opinion_lexicon(), self.lexicon_prior_other)


#: Ridge regularization of each camp's star regression.
STARS_ALPHA = 1.0
#: Below this many reviews of either label, C and beta are not searched (a 3-fold search would train on
#: two or three reviews of that label and test on one: its choice is noise) and the probability is not
#: fitted: the verdict uses Wang & Manning's C and beta and :data:`SMALL_TABLE_SLOPE`.
MIN_PER_LABEL_FOR_SEARCH = 5
#: The calibration slope of a verdict trained on too few reviews to fit one: P = sigmoid(score), so an
#: SVM margin of 1 reads as P = 0.73 rather than the near-certainty an in-sample fit would claim.
SMALL_TABLE_SLOPE = 1.0
#: The fewest usable rows a table trains on (at least one of each label among them).
MIN_TRAINING_ROWS = 4
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


def _by_name(names: Sequence[str], weights: Mapping[str, float]) -> np.ndarray:
    """The weight of each named feature (0 where ``weights`` has none)."""
    return np.array([weights.get(name, 0.0) for name in names], dtype=np.float64)


def _index(vectorizer: NgramVectorizer) -> NgramIndex:
    low, high = vectorizer.ngram_range
    return NgramIndex.from_vocabulary(vectorizer.vocabulary_, ngram_range=(low, high), negation=vectorizer.negation)


def _linear(
    vectorizer: NgramVectorizer, coef: np.ndarray, intercept: float, calibration: tuple[float, float]
) -> LinearScorer:
    return LinearScorer(_index(vectorizer), np.asarray(coef, dtype=np.float64).ravel(), float(intercept), calibration)


def train_verdict(
    tokens: Sequence[Sequence[str]],
    is_positive: np.ndarray,
    ratings: np.ndarray | None,
    progress: Progress | None = None,
    recipe: VerdictRecipe = VerdictRecipe(),
    sentence_polarity: LinearScorer | None = None,
) -> tuple[LinearScorer, StarWeights | None, dict[str, Any]]:
    """The document verdict (NBSVM) and, given ratings, the stars, on token lists.

    ``sentence_polarity`` is the sentence polarity model the verdict takes weights from
    (:meth:`VerdictRecipe.transfer`); without it, only the lexicon's.

    Needs at least one review of each label and at least one word in all. With fewer than
    :data:`MIN_PER_LABEL_FOR_SEARCH` reviews of a label, C and beta are fixed and the slope is
    :data:`SMALL_TABLE_SLOPE` (``settings["search"]`` says which was done).
    """
    say = progress or (lambda message: None)
    fewest = min(int(np.count_nonzero(is_positive)), int(np.count_nonzero(~is_positive)))
    if fewest == 0:
        raise ThumbsError("training needs both positive and negative reviews: add reviews of the missing label")
    say(f"verdict: features of {len(tokens):,} reviews")
    if not any(tokens):
        raise ThumbsError("no review has any words to learn from: check the text column")
    min_df = VERDICT_MIN_DF if len(tokens) >= 1000 else 1
    template = recipe.scorer(tokens, min_df)
    X = template.values_matrix(tokens)
    prior = recipe.prior(template.index)
    transfer = recipe.transfer(template.index, sentence_polarity)
    labels = np.where(is_positive, "positive", "negative")
    search = fewest >= MIN_PER_LABEL_FOR_SEARCH
    if search:
        say(f"verdict: NBSVM on {X.shape[1]:,} n-grams (C by 3-fold CV)")
        nbsvm = NBSVM(C="auto", beta=VERDICT_BETA, c_grid=recipe.c_grid, values="given")
        nbsvm.fit(X, labels, prior=prior, transfer=transfer)
        held_out = nbsvm.cv_decision_ if nbsvm.cv_decision_ is not None else nbsvm.decision_function(X)
        calibration = fit_platt_slope(held_out, is_positive)
    else:
        say(f"verdict: NBSVM on {X.shape[1]:,} n-grams (too few reviews to search C: fixed)")
        middle = recipe.c_grid[len(recipe.c_grid) // 2]
        nbsvm = NBSVM(C=middle, beta=VERDICT_BETA, values="given").fit(X, labels, prior=prior, transfer=transfer)
        calibration = (SMALL_TABLE_SLOPE, 0.0)
    verdict = dataclasses.replace(
        template,
        coef=np.asarray(nbsvm.coef_[0], dtype=np.float64),
        intercept=float(nbsvm.intercept_[0]),
        calibration=calibration,
    )
    settings = {
        "search": "C by 3-fold CV" if search else f"fixed: fewer than {MIN_PER_LABEL_FOR_SEARCH} of a label",
        "C": nbsvm.C_,
        "beta": nbsvm.beta_,
        "ngram_range": list(VERDICT_NGRAMS),
        "min_df": min_df,
        "n_features": int(X.shape[1]),
        "negation_rules": recipe.negation,
        "emphasis": recipe.emphasis,
        "length_norm": recipe.length_norm,
        "lexicon_prior_other": recipe.lexicon_prior_other,
        "transfer_weights": nbsvm.transfer_weights_[0].round(4).tolist(),
        "transferred": (["lexicon"] if recipe.lexicon_transfer else [])
        + (["sentence_polarity"] if recipe.sentence_transfer and sentence_polarity is not None else []),
    }
    X = presence(X)  # the stars read presence
    stars = None
    if ratings is not None:
        say("stars: ridge regression per camp")
        regressor = StarRegressor(alpha=STARS_ALPHA).fit(X, ratings, positive=is_positive)
        stars = StarWeights(regressor.coef_, regressor.intercept_, regressor.range_)
        settings["stars_alpha"] = STARS_ALPHA
    return verdict, stars, settings


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
