"""NBSVM: an SVM over naive-Bayes-scaled presence features (Wang & Manning 2012).

Each presence feature is scaled by its naive Bayes log-count ratio ``r``, a
linear SVM is trained on the scaled features, and its weights are shrunk toward
their mean magnitude by ``beta`` (Wang & Manning, "Baselines and Bigrams", ACL
2012, section 2.3). The result is linear in the presence features themselves, so
this class stores ``coef_ = w' * r``: ``decision_function(X) == presence(X) @
coef_.T + intercept_``, and a decision splits exactly into per-feature
contributions (docs/architecture.md derives it). More than two classes: one
one-vs-rest ``r`` and SVM per class.

Example:

>>> import numpy as np
>>> X = np.array([[2, 0, 1], [1, 0, 0], [0, 1, 1], [0, 3, 0]])
>>> y = np.array(["positive", "positive", "negative", "negative"])
>>> model = NBSVM().fit(X, y)
>>> model.predict(np.array([[1, 0, 0], [0, 1, 0]])).tolist()
['positive', 'negative']
>>> bool(np.allclose(model.decision_function(X), (X > 0) @ model.coef_[0] + model.intercept_[0]))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from sklearn.model_selection import StratifiedKFold

from thumbs.learn.base import LinearClassifier, validate_fit_input
from thumbs.learn.calibration import fit_platt, presence
from thumbs.learn.svm import fit_linear_svc

__all__ = ["NBSVM", "log_count_ratio"]


def log_count_ratio(X_bin: sp.csr_matrix, is_pos: NDArray[np.bool_], alpha: float) -> NDArray[np.float64]:
    """Wang & Manning's ``r = log((p/||p||_1) / (q/||q||_1))``.

    ``p``/``q`` are ``alpha`` plus the column sums of the rows of ``X_bin``
    where ``is_pos`` is True/False.

    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix([[1.0, 0.0], [0.0, 1.0]])
    >>> log_count_ratio(X, np.array([True, False]), alpha=1.0).round(4).tolist()
    [0.6931, -0.6931]
    """
    weights = is_pos.astype(np.float64)
    pos_sum = np.asarray(X_bin.T @ weights).ravel()
    total = np.asarray(X_bin.sum(axis=0)).ravel()
    p = alpha + pos_sum
    q = alpha + (total - pos_sum)
    return np.log(p / p.sum()) - np.log(q / q.sum())


def _scale_columns(X_bin: sp.csr_matrix, r: NDArray[np.float64]) -> sp.csr_matrix:
    """``X_bin.multiply(r)`` for a 0/1 CSR matrix, without a COO round trip."""
    scaled = X_bin.copy()
    scaled.data = r[X_bin.indices]
    return scaled


@dataclass
class _Fit:
    """One binary SVM of an NBSVM: ``r`` (times the prior), its weights ``w``, bias ``b``, transferred vectors' weights."""

    r: NDArray[np.float64]
    w: NDArray[np.float64]
    b: float
    transfer: NDArray[np.float64]


#: Values ``beta="auto"`` chooses from.
BETA_GRID = (0.25, 0.5, 0.75, 1.0)
#: Values ``C="auto"`` chooses from (each costs one SVM fit per fold).
C_GRID = (0.03, 0.1, 0.3, 1.0)
#: Folds of the cross-validation that chooses beta and C.
BETA_FOLDS = 3


def interpolate(w: NDArray[np.float64], beta: float) -> NDArray[np.float64]:
    """Wang & Manning's ``w' = (1 - beta) * mean(|w|) + beta * w``."""
    return (1.0 - beta) * (float(np.abs(w).sum()) / w.size) + beta * w


class NBSVM(LinearClassifier):
    """Naive-Bayes-feature SVM with weight interpolation (Wang & Manning 2012).

    Parameters
    ----------
    alpha:
        Smoothing added to the presence counts ``p`` and ``q`` (must be > 0).
    beta:
        Interpolation weight in ``[0, 1]``: 1 keeps the SVM weights, 0 replaces
        them by their mean magnitude (pure naive Bayes direction). The paper
        uses 0.25. ``"auto"`` chooses it from :data:`BETA_GRID` by 3-fold
        cross-validation on the training data; the SVMs are trained once per
        fold, since beta only rescales their weights afterwards.
    C:
        Inverse regularization strength of the SVM (the paper uses 1).
        ``"auto"`` chooses it from ``c_grid`` in the same cross-validation
        as beta (jointly), which costs one SVM fit per fold and value.
    c_grid:
        The values ``C="auto"`` chooses from (:data:`C_GRID` by default; rows
        scaled to unit length need larger ones).
    values:
        ``"presence"`` (default): the SVM reads 0/1 presence, as in the paper.
        ``"given"``: it reads the matrix's own values (weighted and scaled rows,
        e.g. emphasis and length norm), while ``r`` still counts presence; then
        ``decision_function(X) == X @ coef_.T + intercept_``.
    probability:
        If True, Platt's sigmoid for :meth:`predict_proba` is fitted on
        out-of-fold decision values (3 stratified folds, shuffled with
        ``random_state``; about three extra fits). If False (default) it is
        fitted on the training decision values, which works but gives
        overconfident probabilities.
    random_state:
        Seed for liblinear and the calibration folds.

    Attributes
    ----------
    classes_: the sorted class labels.
    r_: log-count ratios, shape ``(1, n_features)`` for two classes (ratio of
        ``classes_[1]`` over ``classes_[0]``), ``(n_classes, n_features)``
        one-vs-rest otherwise.
    svm_coef_: the SVM weights ``w`` before interpolation (same shape as
        ``r_``), in the ``r``-scaled feature space.
    coef_: the effective linear weights ``w' * r`` in the original presence
        feature space (same shape as ``r_``).
    intercept_: the SVM biases, shape ``(1,)`` or ``(n_classes,)``.
    beta_: the interpolation weight used (``beta``, or the one chosen by ``"auto"``).
    C_: the regularization used (``C``, or the one chosen by ``"auto"``).
    cv_decision_: for two classes with ``C`` or ``beta`` ``"auto"``, the
        out-of-fold decision value of each training row under the chosen
        setting (free by-products of the choice, good for calibrating); else None.
    calibrator_: the fitted :class:`~thumbs.learn.calibration.PlattScaler`.
    n_features_in_: width of the training matrix.

    Example:

    >>> import numpy as np
    >>> X = np.array([[1, 0, 0], [2, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 3]])
    >>> y = np.array(["1", "1", "2", "2", "3", "3"])
    >>> model = NBSVM().fit(X, y)
    >>> model.predict(np.eye(3)).tolist(), model.r_.shape
    (['1', '2', '3'], (3, 3))
    """

    def __init__(
        self,
        alpha: float = 1.0,
        beta: float | str = 0.25,
        C: float | str = 1.0,
        probability: bool = False,
        random_state: int | None = 0,
        c_grid: tuple[float, ...] = C_GRID,
        values: str = "presence",
    ) -> None:
        self.alpha = alpha
        self.beta = beta
        self.C = C
        self.probability = probability
        self.random_state = random_state
        self.c_grid = c_grid
        self.values = values

    def _check_params(self) -> None:
        if not float(self.alpha) > 0.0:
            raise ValueError(f"alpha must be > 0, got {self.alpha!r}")
        if self.beta != "auto" and not 0.0 <= float(self.beta) <= 1.0:
            raise ValueError(f"beta must be in [0, 1], got {self.beta!r}")
        if self.C != "auto" and not float(self.C) > 0.0:
            raise ValueError(f"C must be > 0, got {self.C!r}")
        if self.values not in ("presence", "given"):
            raise ValueError(f"values must be 'presence' or 'given', got {self.values!r}")

    def _features(self, X: sp.csr_matrix) -> sp.csr_matrix:
        """Presence (the paper's features), or with ``values="given"`` the matrix as it is."""
        return X if self.values == "given" else super()._features(X)

    def _fit_one(self, X_bin: sp.csr_matrix, X_feat: sp.csr_matrix, is_pos: NDArray[np.bool_], C: float) -> _Fit:
        """One binary NBSVM before interpolation."""
        r = log_count_ratio(X_bin, is_pos, float(self.alpha)) * self._prior
        scaled = _scale_columns(X_bin, r) if X_feat is X_bin else X_feat @ sp.diags(r)
        if len(self._transfer):  # one more column per transferred weight vector: its sum over the row
            scaled = sp.hstack([scaled, sp.csr_matrix(np.asarray(X_feat @ self._transfer.T))])
        svc = fit_linear_svc(scaled.tocsr(), is_pos.astype(np.intp), C=C, random_state=self.random_state)
        w = np.asarray(svc.coef_, dtype=np.float64).ravel()
        n = len(r)
        return _Fit(r, w[:n], float(svc.intercept_[0]), w[n:])

    def _coef(self, fit: _Fit, beta: float) -> NDArray[np.float64]:
        """The weights of one fit in the original feature space, transferred vectors folded in."""
        return np.asarray(interpolate(fit.w, beta) * fit.r + fit.transfer @ self._transfer, dtype=np.float64)

    def _targets(self, y: NDArray[Any]) -> list[NDArray[np.bool_]]:
        if len(self.classes_) == 2:
            return [y == self.classes_[1]]
        return [y == label for label in self.classes_]

    def _choose(self, X_bin: sp.csr_matrix, X_feat: sp.csr_matrix, y: NDArray[Any]) -> tuple[float, float]:
        """``(C, beta)``: the given values, or for ``"auto"`` the pair of the
        grids with the best 3-fold cross-validated accuracy on the training data."""
        c_grid = tuple(self.c_grid) if self.C == "auto" else (float(self.C),)
        beta_grid = BETA_GRID if self.beta == "auto" else (float(self.beta),)
        self.cv_decision_ = None
        if len(c_grid) == 1 and len(beta_grid) == 1:
            return c_grid[0], beta_grid[0]
        folds = StratifiedKFold(n_splits=BETA_FOLDS, shuffle=True, random_state=self.random_state)
        correct = np.zeros((len(c_grid), len(beta_grid)))
        held_out = np.zeros((len(c_grid), len(beta_grid), len(y)))
        for train, test in folds.split(np.zeros(len(y)), y):
            for i, C in enumerate(c_grid):
                fold_bin = X_bin[train]
                fold_feat = fold_bin if X_feat is X_bin else X_feat[train]
                fits = [self._fit_one(fold_bin, fold_feat, is_pos[train], C) for is_pos in self._targets(y)]
                for j, beta in enumerate(beta_grid):
                    coef = np.vstack([self._coef(fit, beta) for fit in fits])
                    scores = np.asarray(X_feat[test] @ coef.T) + np.array([fit.b for fit in fits])
                    if len(self.classes_) == 2:
                        held_out[i, j, test] = scores[:, 0]
                        predicted = self.classes_[(scores[:, 0] > 0).astype(np.intp)]
                    else:
                        predicted = self.classes_[np.argmax(scores, axis=1)]
                    correct[i, j] += np.sum(predicted == y[test])
        best_c, best_beta = np.unravel_index(int(np.argmax(correct)), correct.shape)
        if len(self.classes_) == 2:
            self.cv_decision_ = held_out[best_c, best_beta]
        return float(c_grid[best_c]), float(beta_grid[best_beta])

    def fit(
        self,
        X: ArrayLike | sp.spmatrix,
        y: ArrayLike,
        prior: ArrayLike | None = None,
        transfer: ArrayLike | None = None,
    ) -> NBSVM:
        """Fit ``r``, the SVM(s) and the Platt calibration; returns ``self``.

        ``prior`` (one positive number per feature, default all 1) multiplies
        ``r``: the SVM's L2 penalty on a feature's weight is divided by its
        prior squared, so a feature with prior 1 may take a weight that one with
        prior 0.7 pays twice as much for. It is how a general opinion lexicon
        (:mod:`thumbs.learn.lexicon`) favours opinion words over plot words.

        ``transfer`` (shape ``(k, n_features)``) holds weight vectors learned
        elsewhere, over the same features (an opinion lexicon's valences,
        another corpus's model): each adds one column, its sum over the row,
        whose weight the SVM learns, and is then folded into ``coef_``, so the
        decision stays ``features(X) @ coef_ + intercept_``. ``transfer_weights_``
        holds what each was given.

        Raises :class:`ValueError` on empty input, mismatched lengths, fewer
        than two classes, a prior of the wrong length or not positive, or
        out-of-range hyper-parameters.
        """
        self._check_params()
        X_checked, y_checked = validate_fit_input(self, X, y)
        self._prior = np.ones(X_checked.shape[1]) if prior is None else np.asarray(prior, dtype=np.float64)
        if self._prior.shape != (X_checked.shape[1],) or not np.all(self._prior > 0):
            raise ValueError(f"prior must hold one positive number per feature ({X_checked.shape[1]})")
        n_features = X_checked.shape[1]
        self._transfer = np.zeros((0, n_features)) if transfer is None else np.atleast_2d(np.asarray(transfer, float))
        if self._transfer.shape[1] != n_features or not np.all(np.isfinite(self._transfer)):
            raise ValueError(f"transfer must hold finite weight vectors over the {n_features} features")
        X_bin = presence(X_checked)
        X_feat = X_bin if self.values == "presence" else X_checked
        self.C_, self.beta_ = self._choose(X_bin, X_feat, y_checked)
        fits = [self._fit_one(X_bin, X_feat, is_pos, self.C_) for is_pos in self._targets(y_checked)]
        self.r_ = np.vstack([fit.r for fit in fits])
        self.svm_coef_ = np.vstack([fit.w for fit in fits])
        self.coef_ = np.vstack([self._coef(fit, self.beta_) for fit in fits])
        self.intercept_ = np.array([fit.b for fit in fits], dtype=np.float64)
        self.transfer_weights_ = np.vstack([fit.transfer for fit in fits])
        self.calibrator_ = fit_platt(
            self,
            X_checked,
            y_checked,
            probability=bool(self.probability),
            random_state=self.random_state,
        )
        return self
