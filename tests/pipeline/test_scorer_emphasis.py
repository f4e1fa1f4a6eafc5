"""Emphasis and length norm in LinearScorer and the verdict, and stars kept on the verdict's side of 5.5."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.tiny_model import tiny_model
from thumbs.features.index import NgramIndex
from thumbs.features.ngrams import NGRAM_JOINER
from thumbs.features.vectorizer import NgramVectorizer
from thumbs.pipeline.model import Model
from thumbs.pipeline.scorers import STARS_MARGIN, STARS_MIDDLE, LinearScorer, StarWeights, row_norms
from thumbs.pipeline.stars import Stars
from thumbs.pipeline.verdict import Verdict
from thumbs.text.emphasis import emphasized
from thumbs.text.negation import mark_negation
from thumbs.text.tokens import tokenize

TRAIN = [
    "Not bad at all, but the ending drags. Still, a fine film!",
    "A dull film. The cast is fine but the plot is not.",
    "Never boring; not only funny but wise. Loved it.",
    "The plot is thin. However, the cast is great!",
]
TEXTS = [
    *TRAIN,
    "A fine cast. But the film is dull, not funny.",
    "Loved it. Not dull at all.",
    "Zyzzyva qwerty. Unseen words only!",
    "Fine. Fine. Fine but dull.",
]
#: Positive and negative reviews written for the tiny model, each with a sentence end.
REVIEWS = [
    "A wonderful film. The acting is superb, but the ending is weak.",
    "I loved it. Brilliant and funny, though a bit long.",
    "A dull film. The story is boring but the cast is fine.",
    "Awful and tedious. I hated every minute.",
    "Not bad at all. Never boring, a gem!",
    "Superb cast. Dreadful script. Avoid it.",
]
LOWEST_POSITIVE = STARS_MIDDLE + STARS_MARGIN  # 5.6
HIGHEST_NEGATIVE = STARS_MIDDLE - STARS_MARGIN  # 5.4


def _scorer(emphasis: float, length_norm: bool) -> LinearScorer:
    tokens = [tokenize(text) for text in TRAIN]
    vectorizer = NgramVectorizer(ngram_range=(1, 3), negation=True).fit(tokens)
    index = NgramIndex.from_vocabulary(vectorizer.vocabulary_, ngram_range=(1, 3), negation=True)
    # weights a float32 holds exactly, so that a saved scorer gives the same scores
    coef = np.random.default_rng(3).normal(0, 1, index.n_features).astype(np.float32).astype(np.float64)
    return LinearScorer(index, coef, 0.25, (1.3, -0.1), emphasis, length_norm)


def _present(scorer: LinearScorer, tokens: Sequence[str]) -> dict[int, bool]:
    """Each feature column present in ``tokens``, and whether one of its occurrences starts at an emphasized token."""
    names = scorer.index.feature_names(np.arange(scorer.index.n_features))
    column = {name: c for c, name in enumerate(names)}
    marked, flags = mark_negation(tokens), emphasized(tokens)
    present: dict[int, bool] = {}
    for n in (1, 2, 3):
        for start in range(len(tokens) - n + 1):
            c = column.get(NGRAM_JOINER.join(marked[start : start + n]))
            if c is not None:
                present[c] = present.get(c, False) or flags[start]
    return present


def _manual_contributions(scorer: LinearScorer, tokens: Sequence[str]) -> dict[int, float]:
    present = _present(scorer, tokens)
    norm = math.sqrt(len(present)) if scorer.length_norm and present else 1.0
    return {c: scorer.coef[c] * (1 + scorer.emphasis * flag) / norm for c, flag in present.items()}


def _manual_score(scorer: LinearScorer, tokens: Sequence[str]) -> float:
    return sum(_manual_contributions(scorer, tokens).values()) + scorer.intercept


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize(("emphasis", "length_norm"), [(0.0, False), (0.5, False), (0.0, True), (0.5, True), (2, True)])
def test_scores_are_the_manual_sum(emphasis: float, length_norm: bool) -> None:
    scorer = _scorer(emphasis, length_norm)
    tokens = [tokenize(text) for text in TEXTS]
    manual = [_manual_score(scorer, t) for t in tokens]
    for scores in (scorer.scores(TEXTS), scorer.scores(tokens)):
        assert all(_close(s, m) for s, m in zip(scores.tolist(), manual, strict=True))
    # one review as a list of one sentence: the same score
    for text, m in zip(TEXTS, manual):
        assert _close(float(scorer.sentence_scores([tokenize(text)])[0]), m)
    # several sentences: each scored as a review of its own
    sentences = [tokenize(s) for s in ("A dull film.", "But the cast is fine!", "Not bad", "")]
    assert np.allclose(scorer.sentence_scores(sentences), [_manual_score(scorer, s) for s in sentences], atol=1e-12)


def test_emphasis_and_norm_change_the_scores() -> None:
    plain, emphasized_normed = _scorer(0.0, False).scores(TEXTS), _scorer(0.5, True).scores(TEXTS)
    assert not np.allclose(plain, emphasized_normed)
    # emphasis alone: an n-gram only in the last sentence weighs 1.5 times its coefficient
    scorer = _scorer(0.5, False)
    contributions = _manual_contributions(scorer, tokenize("The plot is thin. Dull"))
    column = scorer.index.feature_names(np.arange(scorer.index.n_features)).index("dull")
    assert contributions[column] == pytest.approx(1.5 * scorer.coef[column])


def test_contributions_plus_intercept_are_the_total() -> None:
    scorer = _scorer(0.5, True)
    rows, columns, flags = scorer.present(TEXTS)
    contributions = scorer.contributions(rows, columns, len(TEXTS), flags)
    totals = np.bincount(rows, weights=contributions, minlength=len(TEXTS)) + scorer.intercept
    assert np.allclose(totals, scorer.total(rows, columns, len(TEXTS), flags), rtol=0, atol=1e-12)
    for row, tokens in enumerate(tokenize(t) for t in TEXTS):
        manual = _manual_contributions(scorer, tokens)
        got = dict(zip(columns[rows == row].tolist(), contributions[rows == row].tolist()))
        assert got.keys() == manual.keys() and all(_close(got[c], manual[c]) for c in got)


def test_row_norms() -> None:
    assert row_norms(np.array([0, 0, 0, 0, 2], dtype=np.int64), 4).tolist() == [2.0, 1.0, 1.0, 1.0]
    assert row_norms(np.zeros(0, dtype=np.int64), 2).tolist() == [1.0, 1.0]


@pytest.mark.parametrize(("emphasis", "length_norm"), [(0.5, True), (0.25, False), (0.0, True)])
def test_saved_scorer_keeps_emphasis_and_norm(emphasis: float, length_norm: bool) -> None:
    scorer = _scorer(emphasis, length_norm)
    arrays = scorer.to_arrays()
    assert arrays["scalars"].tolist() == [0.25, 1.3, -0.1, emphasis, float(length_norm)]
    again = LinearScorer.from_arrays(arrays)
    assert (again.emphasis, again.length_norm) == (emphasis, length_norm)
    assert again.intercept == 0.25 and again.calibration == (1.3, -0.1)
    assert np.array_equal(again.scores(TEXTS), scorer.scores(TEXTS))


def test_a_file_with_three_scalars_loads_without_emphasis_or_norm() -> None:
    arrays = _scorer(0.5, True).to_arrays()
    arrays["scalars"] = arrays["scalars"][:3]
    old = LinearScorer.from_arrays(arrays)
    assert old.emphasis == 0.0 and not old.length_norm
    assert np.allclose(old.scores(TEXTS), _scorer(0.0, False).scores(TEXTS), rtol=0, atol=1e-12)


def test_a_review_without_sentence_end_is_scored_with_emphasis() -> None:
    # no token of the batch ends a sentence (or none is a word): emphasis must still score it, as its turns only
    scorer = _scorer(0.5, True)
    for texts in (["a fine film but dull"], ["..."], [","]):
        assert _close(float(scorer.scores(texts)[0]), _manual_score(scorer, tokenize(texts[0])))
    assert _close(float(scorer.sentence_scores([["not", "bad"]])[0]), _manual_score(scorer, ["not", "bad"]))


# --- stars on the verdict's side -----------------------------------------------------------


WEIGHTS = StarWeights(np.zeros((2, 1)), np.array([3.0, 8.0]), np.array([[1.0, 4.0], [7.0, 10.0]]))


@pytest.mark.parametrize(
    ("p", "positive", "stars"),
    [
        (0.95, False, 5.4),  # P says positive, the verdict negative: the stars stay below the middle
        (1.0, False, 5.4),
        (0.05, True, 5.6),  # and the other way round
        (0.0, True, 5.6),
        (0.5, True, 5.6),  # 5.5 sits on neither side
        (0.5, False, 5.4),
        (0.9, True, 7.5),  # stars already on the verdict's side are kept
        (0.1, False, 3.5),
    ],
)
def test_mix_keeps_stars_on_the_verdicts_side(p: float, positive: bool, stars: float) -> None:
    got = WEIGHTS.mix(np.zeros((1, 2)), np.array([3]), np.array([p]), np.array([positive]))
    assert got.tolist() == [stars]


def test_mix_clips_to_the_scale_before_siding() -> None:
    wide = StarWeights(np.zeros((2, 1)), np.array([-5.0, 20.0]), np.array([[-10.0, 0.0], [10.0, 30.0]]))
    got = wide.mix(np.zeros((2, 2)), np.array([1, 1]), np.array([1.0, 0.0]), np.array([True, False]))
    assert got.tolist() == [10.0, 1.0]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-50, 50), st.floats(-50, 50), st.integers(0, 9), st.floats(0, 1)), min_size=1, max_size=8
    )
)
def test_mix_sides_property(rows: list[tuple[float, float, int, float]]) -> None:
    sums = np.array([[a, b] for a, b, _, _ in rows])
    present = np.array([n for _, _, n, _ in rows])
    p = np.array([q for _, _, _, q in rows])
    up = WEIGHTS.mix(sums, present, p, np.ones(len(rows), dtype=bool))
    down = WEIGHTS.mix(sums, present, p, np.zeros(len(rows), dtype=bool))
    assert (up >= LOWEST_POSITIVE).all() and (down <= HIGHEST_NEGATIVE).all()
    assert ((up >= 1) & (up <= 10) & (down >= 1) & (down <= 10)).all()
    assert np.array_equal(np.round(up, 1), up) and np.array_equal(np.round(down, 1), down)
    # the unsided stars are on one side at most: one of the two is the margin itself
    assert ((up == LOWEST_POSITIVE) | (down == HIGHEST_NEGATIVE)).all()


# --- the verdict of a model with emphasis and length norm ----------------------------------


def _with(model: Model, scorer: LinearScorer | None = None, stars: StarWeights | None = None) -> Model:
    replaced = {"verdict": Verdict(scorer) if scorer else None, "stars": Stars(stars) if stars is not None else None}
    return Model([replaced.get(c.name) or c for c in model.components], model.manifest)


@pytest.fixture(scope="module")
def model() -> Model:
    base = tiny_model()
    return _with(base, dataclasses.replace(base.verdict, emphasis=0.5, length_norm=True))


def test_the_tiny_model_scores_with_emphasis_and_norm(model: Model) -> None:
    assert model.verdict.emphasis == 0.5 and model.verdict.length_norm is True
    plain = _with(model, dataclasses.replace(model.verdict, emphasis=0.0, length_norm=False))
    assert not np.allclose(model.rate(REVIEWS)[0], plain.rate(REVIEWS)[0])


@pytest.mark.parametrize("text", REVIEWS)
def test_evidence_adds_up_to_the_score(model: Model, text: str) -> None:
    result = model.analyze(text, evidence_size=None)
    assert result.error is None and result.score is not None and result.evidence is not None
    bias = result.evidence.bias
    assert math.isclose(sum(e.contribution for e in result.evidence.ngrams) + bias, result.score, abs_tol=1e-9)
    assert math.isclose(sum(s.contribution for s in result.sentences), result.score - bias, abs_tol=1e-9)
    # each n-gram's contribution is its weight, times 1.5 where emphasized, over the review's norm
    scorer = model.verdict
    manual = _manual_contributions(scorer, tokenize(text))
    names = dict(zip(scorer.index.feature_names(list(manual)), manual.values()))
    assert {e.ngram: pytest.approx(e.contribution, abs=1e-12) for e in result.evidence.ngrams} == names
    # rate gives the same numbers
    scores, probability, stars = model.rate([text])
    assert math.isclose(float(scores[0]), result.score, abs_tol=1e-9)
    assert math.isclose(float(scorer.scores([text])[0]), result.score, abs_tol=1e-9)
    assert round(float(probability[0]), 4) == result.probability and float(stars[0]) == result.stars


def test_a_saved_model_keeps_emphasis_and_norm(model: Model, tmp_path: Path) -> None:
    model.save(tmp_path / "emphasis.thumbs")
    loaded = Model.from_file(tmp_path / "emphasis.thumbs")
    assert (loaded.verdict.emphasis, loaded.verdict.length_norm) == (0.5, True)
    # weights are saved as float32: the scores agree to float32's precision, with emphasis and norm applied
    assert np.allclose(loaded.rate(REVIEWS)[0], model.rate(REVIEWS)[0], rtol=0, atol=1e-5)
    plain = dataclasses.replace(loaded.verdict, emphasis=0.0, length_norm=False)
    assert not np.allclose(loaded.rate(REVIEWS)[0], plain.scores(REVIEWS), rtol=0, atol=1e-3)
    assert [a.label for a in loaded.analyze_batch(REVIEWS)] == [a.label for a in model.analyze_batch(REVIEWS)]


def test_a_review_without_sentence_end_is_analyzed(model: Model) -> None:
    result = model.analyze("A wonderful film", evidence_size=None)
    assert result.error is None and result.score is not None
    assert math.isclose(float(model.rate(["A wonderful film"])[0][0]), result.score, abs_tol=1e-9)


def _assert_sided(model: Model) -> list[str]:
    labels = []
    scores, _, stars = model.rate(REVIEWS)
    for text, score, star in zip(REVIEWS, scores.tolist(), stars.tolist()):
        result = model.analyze(text)
        assert result.stars == star
        assert result.label == ("positive" if score > 0 else "negative")
        if result.label == "positive":
            assert star >= LOWEST_POSITIVE
        else:
            assert star <= HIGHEST_NEGATIVE
        labels.append(result.label)
    return labels


def test_stars_of_the_model_stay_on_the_verdicts_side(model: Model) -> None:
    labels = _assert_sided(model)
    assert {"positive", "negative"} <= set(labels)  # both sides are tried


@pytest.mark.parametrize(("camp", "positive_stars", "negative_stars"), [(2.0, 5.6, 2.0), (9.0, 9.0, 5.4)])
def test_star_weights_that_disagree_with_the_verdict_are_sided(
    model: Model, camp: float, positive_stars: float, negative_stars: float
) -> None:
    n_features = model.stars.coef.shape[1]
    flat = StarWeights(np.zeros((2, n_features)), np.array([camp, camp]), np.array([[1.0, 10.0], [1.0, 10.0]]))
    sided = _with(model, stars=flat)
    labels = _assert_sided(sided)
    scores, _, stars = sided.rate(REVIEWS)
    expected = [positive_stars if label == "positive" else negative_stars for label in labels]
    assert stars.tolist() == expected
