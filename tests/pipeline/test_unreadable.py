"""One rule for unreadable reviews (thumbs.text.review) on every path of the Model.

The analysis gives an unreadable review its own ``error`` and analyzes the rest; the label-only
path refuses the whole call with one ``ThumbsError`` naming the first unreadable text, instead of
labelling ``None``, ``5`` or ``""`` as it did ("positive", from the bias alone).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.tiny_model import tiny_model
from thumbs.errors import ThumbsError
from thumbs.pipeline.component import LABELS
from thumbs.pipeline.model import Model, load_model
from thumbs.text.review import EMPTY, NO_WORDS, review_problem
from thumbs.text.tokens import is_punctuation, tokenize

GOOD = "A wonderful film with superb acting. I loved it."
BAD = "A dull, boring film. The acting is wooden and awful."

#: Bounded and repeatable: the same 100 examples every run, none replayed from a database.
PROPERTY = settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Texts that sit on the rule's edges: whitespace, punctuation, emoji, markup, surrogates.
EDGE_TEXTS = [
    "",
    " ",
    "\n\t \u3000",
    "...",
    "?!",
    "\U0001f600",
    "\U0001f3ac \u2764\ufe0f",
    "<br />",
    "<b></b>",
    "&amp;",
    "\u2122",
    "caf\udce9",
    "\ud800 good",
    "7/10",
    GOOD,
    BAD,
]

#: Any Python value a caller might pass as a review.
VALUES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=" \t\n.,!?-*\U0001f600\u2764", max_size=8),
    st.sampled_from(EDGE_TEXTS),
    st.sampled_from([GOOD, BAD]),
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
    st.binary(max_size=8),
    st.lists(st.text(max_size=5), max_size=3),
)


@pytest.fixture(scope="module")
def model() -> Model:
    return tiny_model()


def expected_error(value: Any) -> str | None:
    """What the analysis must say of ``value``: the cheap rule, then "no word among its tokens"."""
    problem = review_problem(value)
    if problem is None and all(is_punctuation(t) for t in tokenize(value)):
        return NO_WORDS
    return problem


@PROPERTY
@given(values=st.lists(VALUES, max_size=12))
def test_analyze_batch_gives_one_result_each_and_errors_exactly_the_unreadable(model: Model, values: list[Any]) -> None:
    results = model.analyze_batch(values, [f"r{i}" for i in range(len(values))])
    assert [r.id for r in results] == [f"r{i}" for i in range(len(values))]
    for value, result in zip(values, results, strict=True):
        assert result.error == expected_error(value)
        assert (result.label is None) == (result.error is not None)
    readable = [v for v, r in zip(values, results, strict=True) if r.error is None]
    alone = [model.analyze(v).label for v in readable]
    assert [r.label for r in results if r.error is None] == alone  # the others change nothing


@PROPERTY
@given(values=st.lists(VALUES, max_size=12))
def test_predict_labels_every_readable_list_and_refuses_the_first_unreadable_text(
    model: Model, values: list[Any]
) -> None:
    problems = [(i, review_problem(v)) for i, v in enumerate(values) if review_problem(v) is not None]
    if problems:
        first, reason = problems[0]
        for method in (model.predict, model.predict_proba, model.decision_function, model.rate):
            with pytest.raises(ThumbsError) as exc:
                method(values)
            assert str(exc.value) == f"{method.__name__}() cannot read text {first}: {reason}"
        return
    labels = model.predict(values)
    # the same labels as before the check: the verdict's own scores, unchecked
    assert labels == [LABELS[int(s > 0)] for s in model.verdict.scores(values)]
    analyses = model.analyze_batch(values)
    assert [lab for lab, a in zip(labels, analyses, strict=True) if a.error is None] == [
        a.label for a in analyses if a.error is None
    ]


#: Texts the cheap rule lets through (markup alone among them, which only analyze refuses).
READABLE = st.one_of(
    st.text(max_size=60).filter(lambda t: review_problem(t) is None),
    st.sampled_from([t for t in EDGE_TEXTS if review_problem(t) is None]),
)


@PROPERTY
@given(texts=st.lists(READABLE, max_size=12))
def test_readable_texts_keep_their_labels(model: Model, texts: list[str]) -> None:
    """predict, predict_proba, decision_function and rate give what the verdict gave before the check."""
    scores = model.verdict.scores(texts)  # the scorer alone, unchecked: what predict returned before
    assert model.predict(texts) == [LABELS[int(s > 0)] for s in scores]
    assert np.array_equal(model.decision_function(texts), scores)
    assert np.array_equal(model.predict_proba(texts), model.verdict.probability(scores))
    if texts:
        assert np.array_equal(model.rate(texts)[0], scores)
    analyses = model.analyze_batch(texts)
    for text, label, analysis in zip(texts, model.predict(texts), analyses, strict=True):
        assert analysis.error is None or analysis.error == NO_WORDS  # markup alone: analyze's token check
        assert analysis.error is not None or analysis.label == label, text


@pytest.mark.parametrize(
    ("texts", "says"),
    [
        (["good", None, 5], "text 1: no text (got None)"),
        ([GOOD, 5], "text 1: not a string (got int)"),
        ([b"good"], "text 0: not a string (got bytes)"),
        ([GOOD, BAD, ""], f"text 2: {EMPTY}"),
        (["   "], "text 0: empty review: it has no words to read, only whitespace"),
        ([GOOD, "!!! \U0001f600"], f"text 1: {NO_WORDS}"),
        (["caf\udce9"], "text 0: not UTF-8 text (byte 0xe9)"),
        (["x" * 1_000_001], "text 0: review too long"),
    ],
)
def test_labels_only_refuse_an_unreadable_text_by_position(model: Model, texts: list[Any], says: str) -> None:
    for method in (model.predict, model.predict_proba, model.decision_function, model.rate):
        with pytest.raises(ThumbsError) as exc:
            method(texts)
        assert str(exc.value).startswith(f"{method.__name__}() cannot read {says}")
        assert "\n" not in str(exc.value)


def test_labels_only_still_take_any_iterable_and_refuse_one_string(model: Model) -> None:
    assert model.predict(t for t in (GOOD, BAD)) == model.predict([GOOD, BAD])  # type: ignore[arg-type]
    assert model.predict([]) == [] and model.predict_proba([]).shape == (0,)
    assert [a.shape for a in model.rate([])] == [(0,), (0,), (0,)]
    with pytest.raises(ThumbsError, match=r"predict\(\) takes a list of texts"):
        model.predict(GOOD)
    with pytest.raises(ThumbsError, match=r"rate\(\) takes a list of texts; .* rate\(\[text\]\)"):
        model.rate(GOOD)


def test_markup_alone_is_labelled_by_predict_but_refused_by_analyze(model: Model) -> None:
    """The one case the cheap check leaves to the tokenizer (documented in _check_texts)."""
    assert model.predict(["<br /><br />"]) in (["positive"], ["negative"])
    assert model.analyze("<br /><br />").error == NO_WORDS


ITEMS: list[Any] = [GOOD, None, ("r2", BAD), ("r3", None), 5, b"bytes", "", "  ", "?!", ["r8", GOOD], GOOD]


def check_stream(results: list[Any]) -> None:
    """One result per item of ITEMS, in order, an error exactly where the review is unreadable."""
    assert len(results) == len(ITEMS)
    assert [r.id for r in results] == [None, None, "r2", "r3", None, None, None, None, None, "r8", None]
    assert [i for i, r in enumerate(results) if r.error is None] == [0, 2, 9, 10]
    assert results[1].error == review_problem(None) and results[4].error == review_problem(5)
    assert results[5].error == review_problem(b"bytes") and results[8].error == NO_WORDS
    assert results[0].label == results[10].label == results[9].label


def test_analyze_many_gives_unreadable_items_their_own_error(model: Model) -> None:
    check_stream(list(model.analyze_many(ITEMS, jobs=1, chunk_size=3)))


@pytest.mark.e2e
def test_analyze_many_on_two_workers_gives_unreadable_items_their_own_error() -> None:
    model = load_model()
    results = list(model.analyze_many(ITEMS * 3, jobs=2, chunk_size=2))
    for start in range(0, len(results), len(ITEMS)):
        check_stream(results[start : start + len(ITEMS)])
    assert np.isclose(results[0].probability or 0, model.predict_proba([GOOD])[0], atol=1e-4)
