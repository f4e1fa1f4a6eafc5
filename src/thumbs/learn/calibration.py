"""Calibration: from linear decision values to probabilities, by Platt's sigmoid.

Two fits, for two uses:

* :class:`PlattScaler` (slope and offset, Platt's (1999) smoothed targets,
  L-BFGS; one-vs-rest and renormalized for more than two classes) is the
  ``predict_proba`` of :class:`~thumbs.learn.svm.LinearSVM` and
  :class:`~thumbs.learn.nbsvm.NBSVM`, as scikit-learn's ``SVC`` does it: the
  offset corrects a biased threshold, so near the boundary the more probable
  class can differ from ``predict``.
* :func:`fit_platt_slope` (slope only, offset 0) calibrates the scorers of a
  saved model (:mod:`thumbs.learn.training`: the verdict and sentence
  polarity). With no offset, P > 0.5 exactly when the score is positive, so a
  verdict and its confidence never disagree.

:func:`out_of_fold_decisions` gives the held-out decision values Platt
recommends fitting on (in-sample SVM margins are overconfident). The 0/1
:func:`presence` features every model reads live here too.

Example:

>>> import numpy as np
>>> scores = np.array([-2.0, -1.0, 1.0, 2.0])
>>> scaler = PlattScaler().fit(scores, np.array([0, 0, 1, 1]), n_classes=2)
>>> proba = scaler.predict_proba(scores)
>>> proba.shape, bool(np.allclose(proba.sum(axis=1), 1.0))
((4, 2), True)
>>> bool(proba[3, 1] > 0.5 > proba[0, 1])
True
>>> fit_platt_slope(scores, np.array([False, False, True, True]))[1]
0.0
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import minimize, minimize_scalar
from scipy.special import expit
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import StratifiedKFold

__all__ = [
    "CALIBRATION_FOLDS",
    "PlattScaler",
    "fit_platt",
    "fit_platt_slope",
    "out_of_fold_decisions",
    "presence",
]

#: Folds used to collect out-of-fold decision values for Platt scaling.
CALIBRATION_FOLDS = 3


def presence(X: sp.csr_matrix) -> sp.csr_matrix:
    """Return 0/1 presence features: 1.0 wherever ``X`` is non-zero.

    >>> import scipy.sparse as sp
    >>> presence(sp.csr_matrix([[0.0, 3.0, 1.0]])).toarray()
    array([[0., 1., 1.]])
    """
    X_bin = sp.csr_matrix(X, dtype=np.float64, copy=True)
    X_bin.eliminate_zeros()
    X_bin.data[:] = 1.0
    return X_bin


def _fit_sigmoid(scores: NDArray[np.float64], is_pos: NDArray[np.bool_]) -> tuple[float, float]:
    """Fit ``P(pos | f) = expit(a * f + b)`` by Platt's method.

    Uses Platt's smoothed targets ``(N+ + 1) / (N+ + 2)`` and ``1 / (N- + 2)``
    (which keep the fit finite on separable data) and minimizes the
    cross-entropy with L-BFGS on the exact gradient.
    """
    n_pos = float(np.count_nonzero(is_pos))
    n_neg = float(is_pos.size - n_pos)
    target = np.where(is_pos, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))
    # Standardize scores for a well-conditioned problem, undo afterwards.
    center = float(scores.mean()) if scores.size else 0.0
    spread = float(scores.std()) if scores.size else 0.0
    spread = spread if spread > 0.0 else 1.0
    f = (scores - center) / spread

    def loss_and_grad(params: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        z = params[0] * f + params[1]
        loss = float(np.sum(target * np.logaddexp(0.0, -z) + (1.0 - target) * np.logaddexp(0.0, z)))
        dz = expit(z) - target
        return loss, np.array([float(dz @ f), float(dz.sum())])

    start = np.array([0.0, float(np.log((n_pos + 1.0) / (n_neg + 1.0)))])
    result = minimize(loss_and_grad, start, jac=True, method="L-BFGS-B")
    a, b = (float(v) for v in result.x)
    return a / spread, b - a * center / spread


def fit_platt_slope(decision: NDArray[np.float64], is_positive: NDArray[np.bool_]) -> tuple[float, float]:
    """Platt's sigmoid ``P = 1 / (1 + exp(-a * score))`` with the offset fixed at 0: ``(a, 0.0)``.

    Fitting only the slope keeps the probability on the label's side
    (P > 0.5 exactly when the score is positive), so a verdict and its
    confidence never disagree. ``a`` minimizes the mean log loss against the
    plain 0/1 labels ``is_positive`` (no smoothed targets) and is kept
    positive: bounded Brent over ``log a`` in ``[-8, 8]``. Fit it on held-out
    decision values.

    >>> a, b = fit_platt_slope(np.array([-2.0, -1.0, 0.5, 1.0, 2.0]), np.array([False, True, False, True, True]))
    >>> round(a, 3), b
    (0.795, 0.0)
    """
    sign = np.where(is_positive, 1.0, -1.0)

    def log_loss(log_slope: float) -> float:
        return float(np.mean(np.logaddexp(0.0, -np.exp(log_slope) * decision * sign)))

    best = minimize_scalar(log_loss, bounds=(-8.0, 8.0), method="bounded")
    return float(np.exp(best.x)), 0.0


class PlattScaler:
    """Turn linear decision values into probabilities (Platt scaling).

    Binary problems (``decision`` 1-D, scoring class index 1) get one sigmoid;
    multi-class problems (``decision`` of shape ``(n, n_classes)``, one-vs-rest
    scores) get one sigmoid per class, and each row is divided by its sum, as
    scikit-learn's ``CalibratedClassifierCV`` does.
    """

    def fit(self, decision: NDArray[np.float64], y_index: NDArray[np.intp], n_classes: int) -> PlattScaler:
        """Fit the sigmoid(s) on ``decision`` against true class indices ``y_index``."""
        decision = np.asarray(decision, dtype=np.float64)
        y_index = np.asarray(y_index)
        if n_classes == 2:
            if decision.ndim != 1:
                raise ValueError("binary decision values must be 1-D")
            params = [_fit_sigmoid(decision, y_index == 1)]
        else:
            if decision.ndim != 2 or decision.shape[1] != n_classes:
                raise ValueError(f"expected decision values of shape (n, {n_classes})")
            params = [_fit_sigmoid(decision[:, k], y_index == k) for k in range(n_classes)]
        self.n_classes_ = n_classes
        self.a_ = np.array([p[0] for p in params])
        self.b_ = np.array([p[1] for p in params])
        return self

    def predict_proba(self, decision: NDArray[np.float64]) -> NDArray[np.float64]:
        """Probabilities of shape ``(n, n_classes)``; each row sums to 1."""
        decision = np.asarray(decision, dtype=np.float64)
        if self.n_classes_ == 2:
            pos = expit(self.a_[0] * decision + self.b_[0])
            return np.column_stack([1.0 - pos, pos])
        proba = expit(decision * self.a_ + self.b_)
        total = proba.sum(axis=1, keepdims=True)
        uniform = np.full_like(proba, 1.0 / self.n_classes_)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0.0, proba / total, uniform)


class _ProbabilityEstimator(Protocol):
    classes_: NDArray[Any]

    def decision_function(self, X: Any) -> NDArray[np.float64]: ...


def out_of_fold_decisions(
    estimator: BaseEstimator,
    X: sp.csr_matrix,
    y: NDArray[Any],
    *,
    random_state: int | None,
    n_splits: int = CALIBRATION_FOLDS,
) -> NDArray[np.float64] | None:
    """Decision values for every row of ``X`` from a model that never saw it.

    Clones ``estimator`` with ``probability=False``, fits it on each training
    fold of a shuffled, stratified ``n_splits``-fold split seeded with
    ``random_state``, and scores the held-out fold. Uses fewer folds when the
    rarest class has fewer than ``n_splits`` members; returns ``None`` when it
    has only one (no split can put it on both sides).
    """
    _, counts = np.unique(y, return_counts=True)
    folds = min(n_splits, int(counts.min()))
    if folds < 2:
        return None
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    out: NDArray[np.float64] | None = None
    for train, test in splitter.split(np.zeros(len(y)), y):
        model = clone(estimator).set_params(probability=False).fit(X[train], y[train])
        scores = np.asarray(model.decision_function(X[test]), dtype=np.float64)
        if out is None:
            out = np.empty((len(y), *scores.shape[1:]), dtype=np.float64)
        out[test] = scores
    return out


def fit_platt(
    estimator: _ProbabilityEstimator,
    X: sp.csr_matrix,
    y: NDArray[Any],
    *,
    probability: bool,
    random_state: int | None,
) -> PlattScaler:
    """Fit a :class:`PlattScaler` for an already fitted ``estimator``.

    With ``probability=True`` the sigmoid is fitted on out-of-fold decision
    values (:func:`out_of_fold_decisions`), otherwise on the fitted model's own
    training decision values, which is cheap but overconfident.
    """
    y_index = np.searchsorted(estimator.classes_, y)
    decision = None
    if probability:
        decision = out_of_fold_decisions(estimator, X, y, random_state=random_state)
    if decision is None:
        decision = np.asarray(estimator.decision_function(X), dtype=np.float64)
    return PlattScaler().fit(decision, y_index, n_classes=len(estimator.classes_))
