"""What a summary keeps of a review: the same facts from an analysis, from its JSON line, and from the journal."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thumbs.errors import ThumbsError
from thumbs.pipeline.model import Model, load_model
from thumbs.summary.facts import ReviewFacts, facts_from_analysis_json, facts_of

REVIEWS = [
    "The acting is superb, but the story is a mess.",
    "A haunting, gorgeous film: the score is unforgettable and the pacing never drags.",
    "Dreadful. The jokes fall flat, the CGI is a nightmare and it is far too long.",
    "",
]


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


def test_an_analysis_and_its_json_line_give_the_same_facts(model: Model) -> None:
    for analysis in model.analyze_batch(REVIEWS, [str(i) for i in range(len(REVIEWS))]):
        facts = facts_of(analysis)
        line = json.loads(json.dumps(analysis.to_dict()))
        assert facts_from_analysis_json(line) == facts
        assert ReviewFacts.from_dict(json.loads(json.dumps(facts.to_dict()))) == facts
    judged = facts_of(model.analyze(REVIEWS[0]))
    assert {aspect for aspect, _, _ in judged.aspects} >= {"acting", "story"}
    assert judged.phrases and all(sign in (1, -1) and text == text.casefold() for text, sign in judged.phrases)
    assert facts_of(model.analyze(REVIEWS[3], id="3")).failed


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=20), st.floats(-5, 5, allow_nan=False, allow_subnormal=False)),
        max_size=12,
    )
)
def test_only_the_phrases_that_carry_the_verdict_are_kept(pushes: list[tuple[str, float]]) -> None:
    line = {"id": "1", "label": "positive", "probability": 0.8, "stars": 7.0, "error": None}
    line["evidence"] = {"phrases": [{"text": text, "contribution": push} for text, push in pushes]}
    kept = facts_from_analysis_json(line).phrases
    strongest = max((abs(push) for _, push in pushes), default=0.0)
    expected = [
        (" ".join(text.casefold().split()), 1 if push > 0 else -1)
        for text, push in pushes
        if push != 0 and abs(push) >= 0.25 * strongest and any(c.isalpha() for c in text)
    ]
    assert list(kept) == expected


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ({"id": "1", "text": "Fine."}, "not a line of `thumbs analyze --json`"),
        ({"id": "1", "label": "positive", "probability": "high", "stars": 7.0, "error": None}, "damaged"),
        ({"id": "1", "label": "positive", "probability": 0.9, "stars": 7.0, "error": None, "aspects": [{}]}, "damaged"),
    ],
)
def test_a_line_that_is_not_an_analysis_is_refused_in_one_line(line: dict[str, object], says: str) -> None:
    with pytest.raises(ThumbsError, match=says):
        facts_from_analysis_json(line, "analyzed.jsonl line 3")
