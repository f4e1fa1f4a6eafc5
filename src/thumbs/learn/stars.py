"""Stars: a review's rating on its site's scale, from its n-grams and its polarity.

Ratings are bimodal in the aclImdb corpus (1-4 and 7-10: it has no 5s or 6s)
and, in general, a reviewer first decides for or against a film and then how
strongly. A single regression line through both camps pulls every review toward
the middle (a ridge regression on tf-idf bigrams: mean absolute error about 1.6
stars on aclImdb test). :class:`StarRegressor` follows the two decisions instead:

* one ridge regression per camp, each trained on that camp's reviews only, on
  presence features scaled to unit length;
* the estimate is the mixture ``p * f_pos(x) + (1 - p) * f_neg(x)``, with ``p``
  the calibrated probability that the review is positive (from the polarity
  model), each ``f`` clipped to the range of ratings its camp was trained on.

Every part is linear in the presence features, so a saved model is just weight
vectors (see :mod:`thumbs.pipeline.model`).

Example
-------
>>> import numpy as np, scipy.sparse as sp
>>> X = sp.csr_matrix(np.array([[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1]], dtype=float))
>>> ratings = np.array([10.0, 8.0, 1.0, 3.0])
>>> model = StarRegressor(alpha=0.1).fit(X, ratings, positive=ratings > 5)
>>> model.predict(X, p_positive=np.array([1.0, 1.0, 0.0, 0.0])).round(1).tolist()
[9.7, 8.3, 1.3, 2.7]
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge
from sklearn.preprocessing import normalize

from thumbs.learn.calibration import presence


def unit_rows(X: sp.csr_matrix) -> sp.csr_matrix:
    """Presence rows scaled to unit length: each present feature weighs ``1 / sqrt(nnz)``."""
    return normalize(presence(sp.csr_matrix(X)))


class StarRegressor(RegressorMixin, BaseEstimator):
    """Rating = P(positive)-weighted mix of two per-camp ridge regressions.

    Parameters
    ----------
    alpha:
        Ridge regularization of each camp's regression.

    Attributes
    ----------
    coef_: shape ``(2, n_features)``: row 0 the negative camp's weights, row 1 the positive's,
        over unit-length presence rows.
    intercept_: shape ``(2,)``.
    range_: shape ``(2, 2)``: each camp's lowest and highest training rating (the clip bounds).
    n_features_in_: width of the training matrix.
    """

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = alpha

    def fit(self, X: sp.csr_matrix | ArrayLike, ratings: ArrayLike, positive: ArrayLike) -> StarRegressor:
        """Fit each camp's regression on its reviews; returns ``self``.

        ``positive`` marks the reviews of the positive camp (e.g. the polarity labels).
        """
        if not float(self.alpha) > 0:
            raise ValueError(f"alpha must be > 0, got {self.alpha!r}")
        X = sp.csr_matrix(X)
        ratings = np.asarray(ratings, dtype=np.float64)
        positive = np.asarray(positive, dtype=bool)
        if X.shape[0] != len(ratings) or len(ratings) != len(positive):
            raise ValueError("X, ratings and positive must have the same number of rows")
        if not np.all(np.isfinite(ratings)):
            raise ValueError("ratings must be finite numbers")
        if positive.all() or not positive.any():
            raise ValueError("stars need reviews of both camps (positive and negative)")
        rows = unit_rows(X)
        self.coef_ = np.zeros((2, X.shape[1]))
        self.intercept_ = np.zeros(2)
        self.range_ = np.zeros((2, 2))
        for camp, mask in enumerate((~positive, positive)):
            ridge = Ridge(alpha=float(self.alpha)).fit(rows[mask], ratings[mask])
            self.coef_[camp] = ridge.coef_
            self.intercept_[camp] = ridge.intercept_
            self.range_[camp] = ratings[mask].min(), ratings[mask].max()
        self.n_features_in_ = X.shape[1]
        return self

    def camp_ratings(self, X: sp.csr_matrix | ArrayLike) -> NDArray[np.float64]:
        """Each camp's clipped estimate, shape ``(n_samples, 2)``."""
        raw = np.asarray(unit_rows(sp.csr_matrix(X)) @ self.coef_.T) + self.intercept_
        return np.clip(raw, self.range_[:, 0], self.range_[:, 1])

    def predict(self, X: sp.csr_matrix | ArrayLike, p_positive: ArrayLike) -> NDArray[np.float64]:
        """The mixture ``p * positive camp + (1 - p) * negative camp``."""
        p = np.asarray(p_positive, dtype=np.float64)
        camps = self.camp_ratings(X)
        return p * camps[:, 1] + (1.0 - p) * camps[:, 0]
