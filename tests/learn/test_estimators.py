"""Tests for the linear classifiers in thumbs.models (NB, linear SVM, NBSVM)."""

from __future__ import annotations

import pickle
import warnings
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from thumbs.learn.calibration import PlattScaler, presence
from thumbs.learn.nb import NaiveBayes
from thumbs.learn.nbsvm import BETA_GRID, C_GRID, NBSVM, log_count_ratio
from thumbs.learn.svm import LinearSVM

POS_DOCS = [
    "a wonderful moving film , wonderful acting",
    "brilliant and moving , a great great film",
    "great script and wonderful cast",
    "a brilliant , funny and great movie",
]
NEG_DOCS = [
    "a dull boring film , awful acting",
    "boring and awful , a terrible terrible film",
    "terrible script and dull cast",
    "an awful , dull and boring movie",
]
STAR_DOCS = {
    "1": ["awful terrible mess", "terrible awful waste", "awful waste of time", "a terrible mess"],
    "2": ["dull and boring", "boring dull plot", "mostly dull", "boring mostly"],
    "3": ["good fun enough", "fun and good", "good enough fun", "fun good"],
    "4": [
        "brilliant masterpiece",
        "a brilliant wonderful masterpiece",
        "wonderful brilliant",
        "masterpiece",
    ],
}


def make_estimators() -> list[Any]:
    return [
        NaiveBayes(),
        NaiveBayes(binary=False),
        LinearSVM(),
        LinearSVM(probability=True),
        LinearSVM(normalize=False),
        NBSVM(),
        NBSVM(probability=True),
        NBSVM(C="auto", beta="auto"),
    ]


ESTIMATORS = make_estimators()
IDS = [repr(e) for e in ESTIMATORS]


@pytest.fixture(scope="module")
def binary_data() -> tuple[CountVectorizer, sp.csr_matrix, np.ndarray]:
    vectorizer = CountVectorizer(token_pattern=r"[^ ]+")
    X = vectorizer.fit_transform(POS_DOCS + NEG_DOCS)
    y = np.array(["positive"] * len(POS_DOCS) + ["negative"] * len(NEG_DOCS))
    return vectorizer, sp.csr_matrix(X), y


@pytest.fixture(scope="module")
def star_data() -> tuple[CountVectorizer, sp.csr_matrix, np.ndarray]:
    docs = [d for label in STAR_DOCS for d in STAR_DOCS[label]]
    y = np.array([label for label in STAR_DOCS for _ in STAR_DOCS[label]])
    vectorizer = CountVectorizer(token_pattern=r"[^ ]+")
    return vectorizer, sp.csr_matrix(vectorizer.fit_transform(docs)), y


def linear_form(est: Any, X: sp.csr_matrix) -> np.ndarray:
    """``features(X) @ coef_.T + intercept_`` written out independently."""
    binary = getattr(est, "binary", True)
    X_feat = (X > 0).astype(np.float64) if binary else X.astype(np.float64)
    if getattr(est, "normalize", False):
        X_feat = normalize(X_feat)
    scores = X_feat.toarray() @ est.coef_.T + est.intercept_
    return scores[:, 0] if len(est.classes_) == 2 else scores


# ---------------------------------------------------------------- behaviour


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_fit_returns_self_and_learns_binary(est: Any, binary_data: Any) -> None:
    vectorizer, X, y = binary_data
    model = clone(est)
    assert model.fit(X, y) is model
    assert model.classes_.tolist() == ["negative", "positive"]
    assert model.n_features_in_ == X.shape[1]
    assert (model.predict(X) == y).all()
    new = vectorizer.transform(["a wonderful brilliant film", "a dull awful film"])
    assert model.predict(new).tolist() == ["positive", "negative"]


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_predict_proba_binary(est: Any, binary_data: Any) -> None:
    vectorizer, X, y = binary_data
    model = clone(est).fit(X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (X.shape[0], 2)
    assert np.all((proba >= 0.0) & (proba <= 1.0))
    assert np.allclose(proba.sum(axis=1), 1.0)
    new = vectorizer.transform(["wonderful brilliant great", "dull awful boring"])
    p_new = model.predict_proba(new)
    assert p_new[0, 1] > 0.5 > p_new[1, 1]


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_decision_function_is_exact_linear_form(est: Any, binary_data: Any) -> None:
    vectorizer, X, y = binary_data
    model = clone(est).fit(X, y)
    X_test = sp.vstack([X, vectorizer.transform(["wonderful wonderful film", "unknown words only"])])
    decision = model.decision_function(X_test)
    assert decision.shape == (X_test.shape[0],)
    assert model.coef_.shape == (1, X.shape[1])
    assert model.intercept_.shape == (1,)
    assert np.allclose(decision, linear_form(model, X_test), rtol=1e-12, atol=1e-12)
    # predict is the sign of the decision value: positive means classes_[1]
    assert (model.predict(X_test) == model.classes_[(decision > 0).astype(int)]).all()


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_multiclass(est: Any, star_data: Any) -> None:
    vectorizer, X, y = star_data
    model = clone(est).fit(X, y)
    assert model.classes_.tolist() == ["1", "2", "3", "4"]
    assert (model.predict(X) == y).all()
    decision = model.decision_function(X)
    assert decision.shape == (X.shape[0], 4)
    assert model.coef_.shape == (4, X.shape[1])
    assert np.allclose(decision, linear_form(model, X))
    assert (model.predict(X) == model.classes_[decision.argmax(axis=1)]).all()
    proba = model.predict_proba(X)
    assert proba.shape == (X.shape[0], 4)
    assert np.all((proba >= 0.0) & (proba <= 1.0))
    assert np.allclose(proba.sum(axis=1), 1.0)
    new = vectorizer.transform(["brilliant wonderful masterpiece", "terrible awful mess"])
    assert model.predict(new).tolist() == ["4", "1"]
    assert model.predict_proba(new).argmax(axis=1).tolist() == [3, 0]


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_dense_and_sparse_input_agree(est: Any, binary_data: Any) -> None:
    _, X, y = binary_data
    sparse_model = clone(est).fit(X, y)
    dense_model = clone(est).fit(X.toarray(), y)
    assert np.allclose(sparse_model.coef_, dense_model.coef_)
    assert np.allclose(sparse_model.decision_function(X), dense_model.decision_function(X.toarray()))


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_refit_is_deterministic_and_pickles(est: Any, binary_data: Any) -> None:
    _, X, y = binary_data
    first = clone(est).fit(X, y)
    second = clone(est).fit(X, y)
    assert np.array_equal(first.coef_, second.coef_)
    assert np.array_equal(first.predict_proba(X), second.predict_proba(X))
    restored = pickle.loads(pickle.dumps(first))
    assert np.array_equal(restored.predict_proba(X), first.predict_proba(X))


# ------------------------------------------------------ sklearn conventions


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_clone_and_params_round_trip(est: Any, binary_data: Any) -> None:
    _, X, y = binary_data
    params = est.get_params()
    copy = clone(est)
    assert copy.get_params() == params
    assert type(copy)(**params).get_params() == params
    assert repr(copy) == repr(est)
    fitted = clone(est).fit(X, y)
    assert hasattr(fitted, "coef_") and not hasattr(clone(fitted), "coef_")
    key = "alpha" if "alpha" in params else "C"
    assert clone(est).set_params(**{key: 2.0}).get_params()[key] == 2.0


@pytest.mark.parametrize("cls", [NaiveBayes, LinearSVM, NBSVM])
def test_init_only_stores_params(cls: type) -> None:
    est = cls()
    assert set(vars(est)) == set(est.get_params())
    # even absurd values are accepted by __init__ and rejected by fit
    assert cls(**{k: "nonsense" for k in est.get_params()}).get_params()


# scikit-learn's own checks that we knowingly fail:
# * check_classifiers_train: its data are dense continuous blobs; our models
#   binarize to presence features (NBSVM always), NaiveBayes rejects the negative
#   values, and multi-class one-vs-rest Platt probabilities are renormalized
#   per class, so argmax(predict_proba) can differ from predict on a few rows.
# * check_decision_proba_consistency (NaiveBayes): feeds negative values,
#   ignoring the positive_only tag.
ALLOWED_FAILURES = {"check_classifiers_train", "check_decision_proba_consistency"}


@pytest.mark.parametrize("est", [NaiveBayes(), LinearSVM(), NBSVM()], ids=repr)
def test_sklearn_check_estimator(est: Any) -> None:
    check_estimator = pytest.importorskip("sklearn.utils.estimator_checks").check_estimator
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results = check_estimator(est, on_fail=None)
    except TypeError:  # scikit-learn < 1.6 has no on_fail
        pytest.skip("check_estimator(on_fail=None) needs scikit-learn >= 1.6")
    failed = {r["check_name"] for r in results if r["status"] == "failed"}
    assert failed <= ALLOWED_FAILURES, failed
    assert len(results) > 40


# ----------------------------------------------------------------- bad input


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_bad_input_raises_value_error(est: Any, binary_data: Any) -> None:
    _, X, y = binary_data
    with pytest.raises(ValueError):
        clone(est).fit(X[:0], y[:0])  # empty
    with pytest.raises(ValueError):
        clone(est).fit(X, y[:-1])  # mismatched lengths
    with pytest.raises(ValueError):
        clone(est).fit(X, np.array(["positive"] * X.shape[0]))  # one class
    with pytest.raises(ValueError):
        clone(est).fit(X, np.linspace(0.0, 1.0, X.shape[0]))  # regression target
    with pytest.raises(NotFittedError):
        clone(est).predict(X)
    model = clone(est).fit(X, y)
    with pytest.raises(ValueError):
        model.predict(X[:, :-1])  # wrong width
    with pytest.raises(ValueError):
        model.predict_proba(sp.hstack([X, X]).tocsr())


@pytest.mark.parametrize(
    "est",
    [NaiveBayes(alpha=0.0), NBSVM(alpha=-1.0), NBSVM(beta=1.5), NBSVM(C=0.0), LinearSVM(C=-1.0)],
    ids=repr,
)
def test_bad_hyper_parameters_raise_value_error(est: Any, binary_data: Any) -> None:
    _, X, y = binary_data
    with pytest.raises(ValueError):
        est.fit(X, y)


def test_naive_bayes_rejects_negative_values(binary_data: Any) -> None:
    _, X, y = binary_data
    with pytest.raises(ValueError):
        NaiveBayes().fit(-X, y)


# ------------------------------------------------------------- naive Bayes


def test_naive_bayes_matches_sklearn_log_odds(binary_data: Any) -> None:
    vectorizer, X, y = binary_data
    X_test = vectorizer.transform(["wonderful wonderful film", "dull film", "a"])
    X_bin = (X > 0).astype(np.float64)
    reference = MultinomialNB(alpha=1.0).fit(X_bin, y)
    model = NaiveBayes(alpha=1.0).fit(X, y)
    log_proba = reference.predict_log_proba((X_test > 0).astype(np.float64))
    assert np.allclose(model.decision_function(X_test), log_proba[:, 1] - log_proba[:, 0])
    assert np.allclose(model.predict_proba(X_test), np.exp(log_proba))
    assert np.allclose(model.predict_log_proba(X_test), log_proba)
    assert np.allclose(model.feature_log_prob_, reference.feature_log_prob_)


def test_naive_bayes_binary_flag_changes_counts(binary_data: Any) -> None:
    vectorizer, X, y = binary_data
    doc = vectorizer.transform(["wonderful wonderful wonderful"])
    presence_score = NaiveBayes(binary=True).fit(X, y).decision_function(doc)[0]
    count_model = NaiveBayes(binary=False).fit(X, y)
    count_score = count_model.decision_function(doc)[0]
    assert presence_score != pytest.approx(count_score)
    assert np.allclose(count_score, doc.toarray() @ count_model.coef_[0] + count_model.intercept_[0])


# --------------------------------------------------------------- linear SVM


def test_linear_svm_matches_liblinear_on_presence(binary_data: Any) -> None:
    _, X, y = binary_data
    for scale in (False, True):
        model = LinearSVM(C=0.5, normalize=scale).fit(X, y)
        features = normalize(presence(X)) if scale else presence(X)
        reference = LinearSVC(C=0.5, random_state=0, max_iter=10_000).fit(features, y)
        assert np.allclose(model.coef_, reference.coef_, atol=1e-6)
        assert np.allclose(model.decision_function(X), reference.decision_function(features), atol=1e-6)


def test_probability_true_uses_held_out_calibration(binary_data: Any) -> None:
    _, X, y = binary_data
    in_sample = LinearSVM(probability=False).fit(X, y)
    held_out = LinearSVM(probability=True).fit(X, y)
    assert np.array_equal(in_sample.coef_, held_out.coef_)  # same SVM
    assert not np.allclose(in_sample.calibrator_.a_, held_out.calibrator_.a_)


# --------------------------------------------------------------------- NBSVM


def test_nbsvm_log_count_ratio_by_hand(binary_data: Any) -> None:
    _, X, y = binary_data
    model = NBSVM(alpha=1.0).fit(X, y)
    X_bin = (X > 0).toarray().astype(np.float64)
    p = 1.0 + X_bin[y == "positive"].sum(axis=0)
    q = 1.0 + X_bin[y == "negative"].sum(axis=0)
    r = np.log((p / p.sum()) / (q / q.sum()))
    assert model.r_.shape == (1, X.shape[1])
    assert np.allclose(model.r_[0], r)
    assert np.allclose(log_count_ratio(presence(X), y == "positive", 1.0), r)


def test_nbsvm_interpolation_and_effective_weights(binary_data: Any) -> None:
    _, X, y = binary_data
    beta = 0.25
    model = NBSVM(alpha=1.0, beta=beta, C=1.0).fit(X, y)
    r = model.r_[0]
    X_r = presence(X).multiply(r).tocsr()
    svc = LinearSVC(C=1.0, random_state=0, max_iter=10_000).fit(X_r, (y == "positive").astype(int))
    w = svc.coef_[0]
    assert np.allclose(model.svm_coef_[0], w, atol=1e-6)
    w_bar = np.abs(w).sum() / w.size
    w_interp = (1 - beta) * w_bar + beta * w
    assert np.allclose(model.coef_[0], w_interp * r, atol=1e-6)
    assert np.allclose(model.intercept_, svc.intercept_, atol=1e-6)
    # scoring in the r-scaled space gives the same numbers
    assert np.allclose(model.decision_function(X), X_r @ w_interp + svc.intercept_[0], atol=1e-6)


def test_nbsvm_beta_one_is_plain_svm_on_scaled_features(binary_data: Any) -> None:
    _, X, y = binary_data
    model = NBSVM(beta=1.0).fit(X, y)
    assert np.allclose(model.coef_, model.svm_coef_ * model.r_)


def test_nbsvm_auto_chooses_c_and_beta_from_their_grids(binary_data: Any) -> None:
    _, X, y = binary_data
    fixed = NBSVM(C=0.3, beta=0.5).fit(X, y)
    assert (fixed.C_, fixed.beta_) == (0.3, 0.5)
    auto = NBSVM(C="auto", beta="auto").fit(X, y)
    assert auto.C_ in C_GRID and auto.beta_ in BETA_GRID
    # the final model is the one a fixed (C_, beta_) gives: the choice only picks the setting
    again = NBSVM(C=auto.C_, beta=auto.beta_).fit(X, y)
    assert np.allclose(auto.coef_, again.coef_) and np.allclose(auto.intercept_, again.intercept_)


def test_nbsvm_auto_c_prefers_the_setting_that_generalizes() -> None:
    # Many noise features and one weak signal: strong regularization wins held-out accuracy.
    rng = np.random.default_rng(1)
    n_docs, n_features = 300, 3_000
    y = rng.integers(0, 2, n_docs)
    X = (rng.random((n_docs, n_features)) < 0.02).astype(float)
    X[:, 0] = (rng.random(n_docs) < np.where(y == 1, 0.7, 0.3)).astype(float)
    model = NBSVM(C="auto", beta=1.0).fit(sp.csr_matrix(X), y)
    assert model.C_ == min(C_GRID)


def test_nbsvm_multiclass_has_one_ratio_per_class(star_data: Any) -> None:
    _, X, y = star_data
    model = NBSVM().fit(X, y)
    assert model.r_.shape == (4, X.shape[1])
    for k, label in enumerate(model.classes_):
        assert np.allclose(model.r_[k], log_count_ratio(presence(X), y == label, 1.0))


def test_nbsvm_trains_quickly_on_a_wide_matrix() -> None:
    rng = np.random.default_rng(0)
    n_docs, n_features = 2_000, 200_000
    y = rng.integers(0, 2, n_docs)
    cols = rng.integers(0, n_features, size=(n_docs, 100))
    cols[:, :5] = rng.integers(0, 50, size=(n_docs, 5)) + 50 * y[:, None]  # signal words
    X = sp.csr_matrix(
        (np.ones(cols.size), (np.repeat(np.arange(n_docs), 100), cols.ravel())),
        shape=(n_docs, n_features),
    )
    labels = np.where(y == 1, "positive", "negative")
    model = NBSVM().fit(X, labels)
    assert (model.predict(X) == labels).mean() > 0.99


# --------------------------------------------------------------- Platt scaler


def test_platt_scaler_is_monotone_and_finite_on_separable_scores() -> None:
    scores = np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0])
    scaler = PlattScaler().fit(scores, np.array([0, 0, 0, 1, 1, 1]), n_classes=2)
    grid = np.linspace(-5, 5, 11)
    pos = scaler.predict_proba(grid)[:, 1]
    assert np.all(np.diff(pos) > 0)
    assert np.all(np.isfinite(scaler.a_)) and pos[0] > 0.0 and pos[-1] < 1.0


def test_platt_scaler_multiclass_rows_sum_to_one() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 60)
    scores = rng.normal(size=(60, 3)) + 2.0 * np.eye(3)[y]
    proba = PlattScaler().fit(scores, y, n_classes=3).predict_proba(scores)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert (proba.argmax(axis=1) == y).mean() > 0.6
