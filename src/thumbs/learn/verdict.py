"""Training the verdict (and the stars): the recipe of the default model, on any labelled reviews.

:func:`train_verdict` turns token lists, labels and (optionally) ratings into the
verdict's :class:`~thumbs.pipeline.scorers.LinearScorer` and the stars'
:class:`~thumbs.pipeline.scorers.StarWeights`, under a :class:`VerdictRecipe`:
NBSVM over uni- to trigrams seen in at least two reviews, negation marked
(:mod:`thumbs.text.negation`), an n-gram where the review turns or in its last
sentence counted 1.5 times (:mod:`thumbs.text.emphasis`), each review's row divided
by the square root of its number of n-grams (counted as at least 100), the n-grams
without a word of a general opinion lexicon held back by a prior and the lexicon's
valences transferred (:mod:`thumbs.learn.lexicon`), C chosen by 3-fold
cross-validation inside the training reviews, the probability calibrated (Platt) on
that cross-validation's held-out decisions. :mod:`thumbs.learn.training` calls it
for the default model and for a user's table; ``benchmarks/levers.py`` varies the
recipe lever by lever.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from thumbs.errors import ThumbsError
from thumbs.features.index import NgramIndex
from thumbs.features.vectorizer import NgramVectorizer
from thumbs.learn.calibration import fit_platt_slope, presence
from thumbs.learn.lexicon import lexicon_prior, lexicon_weights, opinion_lexicon
from thumbs.learn.nbsvm import NBSVM
from thumbs.learn.stars import StarRegressor
from thumbs.pipeline.scorers import LinearScorer, StarWeights
from thumbs.text.negation import NEGATION_RULES

Progress = Callable[[str], None]

#: The verdict's features: uni- to trigrams in at least two training reviews, negation marked.
VERDICT_NGRAMS = (1, 3)
VERDICT_MIN_DF = 2
#: An n-gram at an emphasized place (after "but", in the last sentence) counts 1 + this: +0.2 points on the
#: development split of aclImdb train, +0.5 on polarity v2.0 (0.5 beat 1.0; docs/reproduction.md).
VERDICT_EMPHASIS = 0.5
#: Divide each review's row by the square root of its number of n-grams: worth +1 point on polarity v2.0, whose
#: reviews are twice as long as aclImdb's (docs/verdict.md).
VERDICT_LENGTH_NORM = True
#: A row counts as at least as many n-grams as this percentile of the training reviews hold (about 100 for
#: aclImdb train), so a one-line review is scored on the scale the probability was calibrated on instead of
#: being read as surer than any review it was trained on. The norm divides the n-grams' sum, not the bias,
#: so a higher floor pulls a short review's score toward the bias; on a table of short texts the floor is
#: low and the norm is the plain one.
NORM_FLOOR_PERCENTILE = 1.0
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

    >>> VerdictRecipe().emphasis, VerdictRecipe(length_norm=False).c_grid
    (0.5, (1.0, 3.0, 10.0))
    """

    negation: int = NEGATION_RULES
    emphasis: float = VERDICT_EMPHASIS
    length_norm: bool = VERDICT_LENGTH_NORM
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
            index, np.zeros(index.n_features), 0.0, emphasis=self.emphasis, length_norm=float(self.length_norm)
        )

    def with_floor(self, scorer: LinearScorer, tokens: Sequence[Sequence[str]]) -> LinearScorer:
        """``scorer`` with its norm's floor set from ``tokens`` (:data:`NORM_FLOOR_PERCENTILE`), if it has a norm."""
        if not self.length_norm:
            return scorer
        rows, _ = scorer.index.present(tokens)
        counts = np.bincount(rows, minlength=len(tokens))
        floor = float(np.percentile(counts, NORM_FLOOR_PERCENTILE)) if len(counts) else 1.0
        return dataclasses.replace(scorer, length_norm=max(floor, 1.0))

    def transfer(self, names: Sequence[str], sentence_polarity: LinearScorer | None) -> np.ndarray | None:
        """Weight vectors over the features ``names`` learned elsewhere, whose weights the verdict's SVM learns.

        The opinion lexicon's valences (``lexicon_transfer``: a word weighs its valence, in a negation's
        scope the opposite) and the sentence polarity model's weights (``sentence_transfer``: NBSVM on
        rt-polarity's snippets, matched n-gram by n-gram). None when there are none.
        """
        vectors = []
        if self.lexicon_transfer:
            vectors.append(_by_name(names, lexicon_weights(opinion_lexicon())))
        if self.sentence_transfer and sentence_polarity is not None:
            columns = np.arange(sentence_polarity.index.n_features)
            weights = dict(zip(sentence_polarity.index.feature_names(columns), sentence_polarity.coef.tolist()))
            vectors.append(_by_name(names, weights))
        return np.vstack(vectors) if vectors else None

    def prior(self, names: Sequence[str]) -> np.ndarray | None:
        """The lexicon prior of each feature (named ``names``), or None when it is 1 for all."""
        if self.lexicon_prior_other == 1.0:
            return None
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
    template = recipe.with_floor(recipe.scorer(tokens, min_df), tokens)
    X = template.values_matrix(tokens)
    names = template.index.feature_names(np.arange(template.index.n_features))  # once: a million n-grams
    prior = recipe.prior(names)
    transfer = recipe.transfer(names, sentence_polarity)
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
        "length_norm": template.length_norm,
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
