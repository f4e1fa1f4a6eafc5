"""Multinomial naive Bayes on presence features, Pang & Lee's baseline.

Pang, Lee & Vaithyanathan (2002) and Pang & Lee (2004) classify movie reviews
with naive Bayes over unigram *presence* (a word counts once per document
however often it occurs). :class:`NaiveBayes` fits that model in the linear
form of :class:`~thumbs.learn.base.LinearClassifier`: for two classes
``coef_`` holds the per-feature log ratio
``log P(w | classes_[1]) - log P(w | classes_[0])`` and ``intercept_`` the log
prior ratio, so the decision value is the log-odds of ``classes_[1]`` and
splits exactly into per-feature contributions.

Example:

>>> import numpy as np
>>> X = np.array([[2, 0, 1], [1, 0, 0], [0, 1, 1], [0, 3, 0]])
>>> y = np.array(["positive", "positive", "negative", "negative"])
>>> nb = NaiveBayes().fit(X, y)
>>> nb.predict(np.array([[1, 0, 0], [0, 1, 0]])).tolist()
['positive', 'negative']
>>> bool(np.allclose(nb.decision_function(X), (X > 0) @ nb.coef_[0] + nb.intercept_[0]))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.special import softmax
from sklearn.utils.validation import check_non_negative

from thumbs.learn.base import LinearClassifier, validate_fit_input
from thumbs.learn.calibration import presence

__all__ = ["NaiveBayes"]


class NaiveBayes(LinearClassifier):
    """Multinomial naive Bayes with Laplace/Lidstone smoothing.

    Parameters
    ----------
    alpha:
        Additive smoothing added to every feature count of every class
        (``alpha=1`` is Laplace smoothing, as in Pang & Lee). Must be > 0 so
        that every log-probability is finite.
    binary:
        If True (the default, as in the paper), count each feature at most once
        per document (presence); otherwise use the raw counts in ``X``.

    Attributes
    ----------
    classes_: the sorted class labels.
    feature_log_prob_: ``log P(w | c)``, shape ``(n_classes, n_features)``.
    class_log_prior_: ``log P(c)`` from the training class frequencies.
    coef_, intercept_: the linear form of :meth:`decision_function`. Binary:
        shape ``(1, n_features)`` / ``(1,)``, the log ratio of ``classes_[1]``
        over ``classes_[0]`` (the decision is the log-odds of ``classes_[1]``).
        Multi-class: ``feature_log_prob_`` / ``class_log_prior_`` (the decision
        is the joint log-likelihood ``log P(c) + log P(x | c)`` up to a
        per-document constant).
    n_features_in_: width of the training matrix.

    Example:

    >>> import numpy as np
    >>> X = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 1]])
    >>> y = np.array(["1", "1", "2", "2", "3"])
    >>> NaiveBayes().fit(X, y).predict_proba(X).shape
    (5, 3)
    """

    def __init__(self, alpha: float = 1.0, binary: bool = True) -> None:
        self.alpha = alpha
        self.binary = binary

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags

    def _features(self, X: sp.csr_matrix) -> sp.csr_matrix:
        return presence(X) if self.binary else X

    def fit(self, X: ArrayLike | sp.spmatrix, y: ArrayLike) -> NaiveBayes:
        """Estimate smoothed class-conditional feature probabilities and priors.

        ``X`` is a (sparse) document-term count matrix, ``y`` the labels.
        Raises :class:`ValueError` on empty or negative input, mismatched
        lengths, fewer than two classes, or ``alpha <= 0``.
        """
        if not float(self.alpha) > 0.0:
            raise ValueError(f"alpha must be > 0, got {self.alpha!r}")
        X_checked, y_checked = validate_fit_input(self, X, y)
        check_non_negative(X_checked, "NaiveBayes (input X)")
        X_feat = self._features(X_checked)
        y_index = np.searchsorted(self.classes_, y_checked)
        n_classes = len(self.classes_)
        # One-hot class membership (n_classes x n_docs) times X gives the
        # per-class feature totals in one sparse product.
        membership = sp.csr_matrix(
            (np.ones(len(y_index)), (y_index, np.arange(len(y_index)))),
            shape=(n_classes, len(y_index)),
        )
        counts = np.asarray((membership @ X_feat).todense(), dtype=np.float64) + float(self.alpha)
        self.feature_log_prob_ = np.log(counts) - np.log(counts.sum(axis=1, keepdims=True))
        class_count = np.bincount(y_index, minlength=n_classes).astype(np.float64)
        self.class_log_prior_ = np.log(class_count) - np.log(class_count.sum())
        if n_classes == 2:
            self.coef_ = (self.feature_log_prob_[1] - self.feature_log_prob_[0])[np.newaxis, :]
            self.intercept_ = np.array([self.class_log_prior_[1] - self.class_log_prior_[0]])
        else:
            self.coef_ = self.feature_log_prob_.copy()
            self.intercept_ = self.class_log_prior_.copy()
        return self

    def predict_log_proba(self, X: ArrayLike | sp.spmatrix) -> NDArray[np.float64]:
        """Log posterior ``log P(c | x)``, shape ``(n_samples, n_classes)``."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            scores = np.column_stack([np.zeros_like(scores), scores])
        return scores - np.logaddexp.reduce(scores, axis=1, keepdims=True)

    def predict_proba(self, X: ArrayLike | sp.spmatrix) -> NDArray[np.float64]:
        """Posterior ``P(c | x)`` under the model: a softmax of the decision, no Platt sigmoid."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            scores = np.column_stack([np.zeros_like(scores), scores])
        return softmax(scores, axis=1)
