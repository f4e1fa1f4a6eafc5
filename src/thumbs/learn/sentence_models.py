"""The default model's two sentence models, each trained to one :class:`~thumbs.pipeline.scorers.LinearScorer`.

Both are small stacks whose second stage is folded into the n-gram weights before they
are saved, so a sentence's score stays the sum of the weights of its n-grams plus a bias
(one lookup per n-gram, and every n-gram's share of it is exact):

* **subjectivity** (:func:`train_subjectivity`, from subj): naive Bayes over unigram and
  bigram presence (Wang & Manning's MNB-bi), its smoothing ``alpha`` chosen from
  :data:`SUBJECTIVITY_ALPHAS` by 5-fold cross-validation inside the training sentences.
  A logistic regression then weighs the unigrams' and the bigrams' log-ratio sums apart
  (naive Bayes counts a bigram's evidence twice, once more in its two unigrams) and sets the
  bias; it is fitted on the same out-of-fold sums, so its probability is calibrated.
* **sentence polarity** (:func:`train_polarity`, from mr): NBSVM over unigrams and bigrams,
  negation marked, C and beta chosen by 3-fold cross-validation inside the training
  sentences, plus two priors learned elsewhere: naive Bayes log-count ratios of uni- to
  trigrams over labelled reviews (:func:`review_prior`: aclImdb *train*, never its test)
  and a general opinion lexicon (:func:`lexicon_weights`). A logistic regression on the
  NBSVM's out-of-fold decision and the two prior sums weighs the three; the sentence model
  knows the priors' n-grams too, so a sentence's words never seen in mr still count.

Nothing here reads an evaluation set: :mod:`thumbs.evaluation.trained_model` cross-validates
these very functions, training them on each fold's training part only.

>>> weights = lexicon_weights({"superb": 0.8, "dull": -0.5})
>>> weights["superb"], weights["NOT_superb"], weights["dull"]
(0.8, -0.8, -0.5)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from thumbs.errors import ThumbsError
from thumbs.features.index import NgramIndex
from thumbs.features.ngrams import NGRAM_JOINER
from thumbs.features.vectorizer import NgramVectorizer
from thumbs.learn.lexicon import lexicon_weights
from thumbs.learn.nb import NaiveBayes
from thumbs.learn.nbsvm import NBSVM, log_count_ratio
from thumbs.pipeline.scorers import LinearScorer

__all__ = [
    "MIN_PER_LABEL",
    "lexicon_weights",
    "review_prior",
    "train_polarity",
    "train_subjectivity",
]

#: A sentence's n-grams after a turn word ("but", "however", ...) count 1 + this in its polarity
#: (:mod:`thumbs.text.emphasis`): the clause after the turn is the one the writer means. mr 10-fold 0.8121 -> 0.8156
#: with 1.0 (`thumbs evaluate --dataset mr --model default`; the one value tried, applied when scoring only).
POLARITY_EMPHASIS = 1.0
#: Subjectivity features: unigrams and bigrams, no negation marking (it cost 0.5 point on subj).
SUBJECTIVITY_NGRAMS = (1, 2)
#: Naive Bayes smoothing values the subjectivity model chooses from, by cross-validation inside its training data.
SUBJECTIVITY_ALPHAS = (0.1, 0.25, 0.5, 1.0)
#: Folds of that inner cross-validation (also the folds whose held-out sums the stack is fitted on).
INNER_FOLDS = 5
#: n-grams the sentence polarity NBSVM learns from mr (snippets are short: trigrams added nothing).
POLARITY_NGRAMS = (1, 2)
#: n-grams of the review prior.
PRIOR_NGRAMS = (1, 3)
#: The review prior keeps n-grams in at least this many reviews: on aclImdb train about 314,000
#: n-grams, which keeps the sentence polarity model near 4 MB (a model file holds about 10 bytes an n-gram).
PRIOR_MIN_DF = 5
#: Smoothing of the review prior's log-count ratios (Laplace, as NBSVM's ``r``).
PRIOR_ALPHA = 1.0
#: Inverse regularization of the stacks' logistic regressions (2 or 3 inputs, thousands of sentences:
#: barely regularized).
STACK_C = 100.0
#: With fewer sentences than this of a label, nothing is chosen or stacked (3 per inner fold at least):
#: subjectivity is naive Bayes with :data:`SMALL_ALPHA`, polarity NBSVM with :data:`SMALL_C` and
#: :data:`SMALL_BETA` alone (the priors need held-out sentences to be weighed), P = sigmoid(score).
MIN_PER_LABEL = 15
#: Laplace smoothing, Wang & Manning's C and beta: the fixed settings of too few sentences.
SMALL_ALPHA = 1.0
SMALL_C = 1.0
SMALL_BETA = 0.25


def _fewest(flags: NDArray[np.bool_]) -> int:
    return min(int(np.count_nonzero(flags)), int(np.count_nonzero(~flags)))


def _searched(tokens: Sequence[Sequence[str]], flags: NDArray[np.bool_], what: str, labels: str) -> bool:
    """Whether there are enough sentences of each label to choose settings and fit the stack (else: fixed)."""
    if len(tokens) != len(flags):
        raise ValueError(f"{len(tokens)} sentences but {len(flags)} labels")
    if _fewest(flags) == 0:
        raise ThumbsError(f"{what} needs sentences of both labels ({labels})")
    return _fewest(flags) >= MIN_PER_LABEL


def _stack(features: NDArray[np.float64], flags: NDArray[np.bool_]) -> tuple[NDArray[np.float64], float]:
    """Weights and bias of the logistic regression of ``flags`` on the columns of ``features``."""
    stacker = LogisticRegression(C=STACK_C, max_iter=1000).fit(features, flags)
    return np.asarray(stacker.coef_[0], dtype=np.float64), float(stacker.intercept_[0])


def _orders(vocabulary: Mapping[str, int]) -> NDArray[np.int64]:
    """The length (1 for unigrams, 2 for bigrams, ...) of each column's n-gram."""
    orders = np.zeros(len(vocabulary), dtype=np.int64)
    for gram, column in vocabulary.items():
        orders[column] = gram.count(NGRAM_JOINER) + 1
    return orders


def _scorer(
    vocabulary: Mapping[str, int], ngram_range: tuple[int, int], negation: bool, coef: NDArray[np.float64], bias: float
) -> LinearScorer:
    index = NgramIndex.from_vocabulary(vocabulary, ngram_range=ngram_range, negation=negation)
    return LinearScorer(index, np.asarray(coef, dtype=np.float64), float(bias), (1.0, 0.0))


def _order_sums(X: sp.csr_matrix, coef: NDArray[np.float64], orders: NDArray[np.int64]) -> NDArray[np.float64]:
    """Per sentence, the sum of ``coef`` over its unigrams, over its bigrams, ... (one column per order)."""
    return np.column_stack([X @ np.where(orders == n, coef, 0.0) for n in range(1, int(orders.max()) + 1)])


def train_subjectivity(tokens: Sequence[Sequence[str]], is_subjective: NDArray[np.bool_]) -> LinearScorer:
    """P(opinion) of a sentence: naive Bayes on uni- and bigrams, alpha chosen inside, orders weighed by a stack.

    ``tokens`` are the training sentences' tokens, ``is_subjective`` their labels. The
    scorer's probability (calibration ``(1, 0)``) is that of the stack, fitted on held-out sums.
    With fewer than :data:`MIN_PER_LABEL` sentences of a label, naive Bayes alone, with fixed smoothing.
    """
    flags = np.asarray(is_subjective, dtype=bool)
    search = _searched(tokens, flags, "the subjectivity model", "subjective and objective")
    vectorizer = NgramVectorizer(ngram_range=SUBJECTIVITY_NGRAMS, negation=False)
    X = vectorizer.fit_transform(tokens)
    if not search:
        nb = NaiveBayes(alpha=SMALL_ALPHA).fit(X, flags)
        return _scorer(vectorizer.vocabulary_, SUBJECTIVITY_NGRAMS, False, nb.coef_[0], nb.intercept_[0])
    orders = _orders(vectorizer.vocabulary_)
    folds = list(StratifiedKFold(n_splits=INNER_FOLDS, shuffle=True, random_state=0).split(np.zeros(len(flags)), flags))
    best: tuple[float, float, NDArray[np.float64]] | None = None
    for alpha in SUBJECTIVITY_ALPHAS:
        held_out = np.zeros((len(flags), int(orders.max())))
        for train, test in folds:
            nb = NaiveBayes(alpha=alpha).fit(X[train], flags[train])
            held_out[test] = _order_sums(X[test], nb.coef_[0], orders)
        weights, bias = _stack(held_out, flags)
        accuracy = float(np.mean((held_out @ weights + bias > 0) == flags))
        if best is None or accuracy > best[0]:
            best = (accuracy, alpha, held_out)
    assert best is not None
    _, alpha, held_out = best
    weights, bias = _stack(held_out, flags)
    nb = NaiveBayes(alpha=alpha).fit(X, flags)
    coef = nb.coef_[0] * weights[orders - 1]
    return _scorer(vectorizer.vocabulary_, SUBJECTIVITY_NGRAMS, False, coef, bias)


def review_prior(
    tokens: Sequence[Sequence[str]], is_positive: NDArray[np.bool_], min_df: int = PRIOR_MIN_DF
) -> dict[str, float]:
    """``{n-gram: naive Bayes log-count ratio}`` of labelled reviews (uni- to trigrams, negation marked).

    Only n-grams in at least ``min_df`` reviews are kept, so the n-grams are closed under
    sub-n-grams. For the default model: aclImdb *train* (never its test split).
    """
    flags = np.asarray(is_positive, dtype=bool)
    if len(tokens) != len(flags):
        raise ValueError(f"{len(tokens)} reviews but {len(flags)} labels")
    if _fewest(flags) == 0:
        raise ThumbsError("the review prior needs both positive and negative reviews")
    vectorizer = NgramVectorizer(ngram_range=PRIOR_NGRAMS, negation=True, min_df=min(min_df, len(tokens)))
    try:
        X = vectorizer.fit_transform(tokens)
    except ValueError:  # no n-gram in min_df reviews: nothing to learn from
        return {}
    r = log_count_ratio(X, flags, PRIOR_ALPHA)
    return {gram: float(r[column]) for gram, column in vectorizer.vocabulary_.items()}


def train_polarity(
    tokens: Sequence[Sequence[str]],
    is_positive: NDArray[np.bool_],
    prior: Mapping[str, float] | None = None,
    lexicon: Mapping[str, float] | None = None,
) -> LinearScorer:
    """Sentence polarity: NBSVM on the sentences, stacked with the sum of ``prior`` and of ``lexicon`` weights.

    ``prior`` and ``lexicon`` map n-grams (``NOT_``-marked where negated) to weights learned
    elsewhere: :func:`review_prior` and :func:`lexicon_weights`. Either may be None or empty;
    then the stack weighs what is left. The scorer's features are the sentences' uni- and
    bigrams and the n-grams of both maps; its probability (calibration ``(1, 0)``) is the
    stack's, fitted on the NBSVM's held-out decisions. With fewer than :data:`MIN_PER_LABEL`
    sentences of a label, the NBSVM alone, with fixed settings.
    """
    flags = np.asarray(is_positive, dtype=bool)
    labels = np.where(flags, "positive", "negative")
    if not _searched(tokens, flags, "the sentence polarity model", "positive and negative"):
        vectorizer = NgramVectorizer(ngram_range=POLARITY_NGRAMS, negation=True)
        small = NBSVM(C=SMALL_C, beta=SMALL_BETA).fit(vectorizer.fit_transform(tokens), labels)
        return _scorer(vectorizer.vocabulary_, POLARITY_NGRAMS, True, small.coef_[0], small.intercept_[0])
    own = NgramVectorizer(ngram_range=POLARITY_NGRAMS, negation=True).fit(tokens).vocabulary_
    priors = [dict(p) for p in (prior, lexicon) if p]
    grams = set(own).union(*priors)
    vocabulary = {gram: column for column, gram in enumerate(sorted(grams))}
    high = max(gram.count(NGRAM_JOINER) + 1 for gram in vocabulary)
    index = NgramIndex.from_vocabulary(vocabulary, ngram_range=(1, high), negation=True)
    X = index.presence_matrix(tokens)
    columns = np.array([vocabulary[gram] for gram in sorted(own)], dtype=np.int64)
    nbsvm = NBSVM(C="auto", beta="auto").fit(X[:, columns], labels)
    assert nbsvm.cv_decision_ is not None  # C and beta were chosen by cross-validation
    vectors = []
    for known in priors:
        vector = np.zeros(len(vocabulary))
        for gram, weight in known.items():
            vector[vocabulary[gram]] = weight
        vectors.append(vector)
    held_out = np.column_stack([nbsvm.cv_decision_, *(X @ v for v in vectors)])
    weights, bias = _stack(held_out, flags)
    coef = np.zeros(len(vocabulary))
    coef[columns] = weights[0] * nbsvm.coef_[0]
    for weight, vector in zip(weights[1:], vectors, strict=True):
        coef += weight * vector
    return LinearScorer(
        index, coef, float(weights[0] * nbsvm.intercept_[0] + bias), (1.0, 0.0), emphasis=POLARITY_EMPHASIS
    )
