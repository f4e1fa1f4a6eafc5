"""The linear form every thumbs classifier shares, and the checks at its boundary.

:class:`~thumbs.learn.nb.NaiveBayes`, :class:`~thumbs.learn.svm.LinearSVM` and
:class:`~thumbs.learn.nbsvm.NBSVM` differ only in how they learn ``coef_`` and
``intercept_`` (``fit``) and in which features they score (``_features``). What
follows from those - ``decision_function``, ``predict``, Platt-scaled
``predict_proba`` - is written once, in :class:`LinearClassifier`, as
scikit-learn's ``LinearClassifierMixin`` and ``_BaseNB`` do it. For two classes
the decision is 1-D and positive means ``classes_[1]``, so it splits exactly
into per-feature contributions ``features(X) @ coef_[0] + intercept_[0]``.

:func:`validate_fit_input` and :func:`validate_predict_input` check ``X`` and
``y`` where they enter an estimator, so a user mistake (an empty matrix,
mismatched lengths, one class) raises :class:`ValueError` before any work.

Example:

>>> import numpy as np
>>> class Fixed(LinearClassifier):
...     def fit(self, X, y):
...         validate_fit_input(self, X, y)
...         self.coef_, self.intercept_ = np.array([[1.0, -1.0]]), np.array([0.5])
...         return self
>>> model = Fixed().fit(np.eye(2), ["neg", "pos"])
>>> model.decision_function(np.array([[1, 0], [0, 3]])).tolist()
[1.5, -0.5]
>>> model.predict(np.array([[1, 0], [0, 3]])).tolist()
['pos', 'neg']
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from thumbs.learn.calibration import presence

if TYPE_CHECKING:
    from thumbs.learn.calibration import PlattScaler

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _validate_data
except ImportError:  # pragma: no cover - older scikit-learn

    def _validate_data(estimator: Any, /, *args: Any, **kwargs: Any) -> Any:
        return estimator._validate_data(*args, **kwargs)


__all__ = ["LinearClassifier", "validate_fit_input", "validate_predict_input"]


def validate_fit_input(
    estimator: BaseEstimator, X: ArrayLike | sp.spmatrix, y: ArrayLike
) -> tuple[sp.csr_matrix, NDArray[Any]]:
    """Check ``X``/``y`` for ``fit`` and set ``n_features_in_`` and ``classes_``.

    Returns ``X`` as a float64 CSR matrix and ``y`` as a 1-D array. Raises
    :class:`ValueError` for empty input, mismatched lengths, non-finite values,
    non-classification targets or fewer than two classes.
    """
    X_checked, y_checked = _validate_data(estimator, X, y, accept_sparse="csr", dtype=np.float64, reset=True)
    check_classification_targets(y_checked)
    classes = np.unique(y_checked)
    if classes.size < 2:
        raise ValueError(
            f"need at least two classes to train a classifier, got {classes.size} class: {classes.tolist()!r}"
        )
    estimator.classes_ = classes
    return sp.csr_matrix(X_checked), np.asarray(y_checked)


def validate_predict_input(estimator: BaseEstimator, X: ArrayLike | sp.spmatrix) -> sp.csr_matrix:
    """Check that ``estimator`` is fitted and ``X`` has the training width."""
    check_is_fitted(estimator, "coef_")
    X_checked = _validate_data(estimator, X, accept_sparse="csr", dtype=np.float64, reset=False)
    return sp.csr_matrix(X_checked)


class LinearClassifier(ClassifierMixin, BaseEstimator, metaclass=ABCMeta):
    """Base of the linear classifiers over a (sparse) document-term matrix.

    A subclass stores its parameters in ``__init__``, implements ``fit``
    (:func:`validate_fit_input`, then set ``coef_``, ``intercept_`` and, for
    :meth:`predict_proba`, a fitted :class:`~thumbs.learn.calibration.PlattScaler`
    as ``calibrator_``; return ``self``) and overrides :meth:`_features` when
    it scores something other than presence.

    Attributes
    ----------
    classes_: the sorted class labels.
    coef_, intercept_: shape ``(1, n_features)`` / ``(1,)`` for two classes,
        ``(n_classes, n_features)`` / ``(n_classes,)`` otherwise.
    calibrator_: Platt's sigmoid(s) over the decision values.
    n_features_in_: width of the training matrix.
    """

    classes_: NDArray[Any]
    coef_: NDArray[np.float64]
    intercept_: NDArray[np.float64]
    calibrator_: PlattScaler

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    @abstractmethod
    def fit(self, X: ArrayLike | sp.spmatrix, y: ArrayLike) -> Self:
        """Learn ``coef_``, ``intercept_`` (and ``calibrator_``); returns ``self``."""

    def _features(self, X: sp.csr_matrix) -> sp.csr_matrix:
        """What the weights multiply: 0/1 presence of each feature, by default."""
        return presence(X)

    def decision_function(self, X: ArrayLike | sp.spmatrix) -> NDArray[np.float64]:
        """Scores ``features(X) @ coef_.T + intercept_``.

        1-D for two classes (positive means ``classes_[1]``), otherwise shape
        ``(n_samples, n_classes)`` with one score per class.
        """
        X_feat = self._features(validate_predict_input(self, X))
        scores = np.asarray(X_feat @ self.coef_.T) + self.intercept_
        return scores[:, 0] if len(self.classes_) == 2 else scores

    def predict(self, X: ArrayLike | sp.spmatrix) -> NDArray[Any]:
        """Class with the highest decision value."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(np.intp)]
        return self.classes_[np.argmax(scores, axis=1)]

    def predict_proba(self, X: ArrayLike | sp.spmatrix) -> NDArray[np.float64]:
        """Platt-scaled class probabilities, shape ``(n_samples, n_classes)``.

        Rows sum to 1. Platt's sigmoid has its own offset, so for documents
        very close to the decision boundary the more probable class can differ
        from :meth:`predict` (as with scikit-learn's ``SVC``); for more than
        two classes each one-vs-rest score gets its own sigmoid and every row
        is renormalized, with the same caveat.
        """
        check_is_fitted(self, "calibrator_")
        return self.calibrator_.predict_proba(self.decision_function(X))
