"""benchmarks/evidence.py's measuring functions end to end on a few written reviews, with the default model."""

from __future__ import annotations

import json
from types import ModuleType

import pytest

import thumbs
from tests.helpers.scripts import load_script
from thumbs.corpora import Document
from thumbs.pipeline.model import Model

REVIEWS = [
    "A wonderful, moving film. The cast is superb and I loved every minute of it.",
    "A dull, tedious mess. The script is awful and I hated it.",
    "He moves to Paris and meets her father. It is not a good film, and the acting is terrible.",
    "What a brilliant, charming picture: a joy from start to finish.",
]
LABELS = ["positive", "negative", "negative", "positive"]


@pytest.fixture(scope="module")
def evidence() -> ModuleType:
    return load_script("evidence")


@pytest.fixture(scope="module")
def model() -> Model:
    return thumbs.load_model()


def test_the_lexicon_keeps_words_with_valence_of_one_or_more(evidence: ModuleType) -> None:
    lines = [
        "good\t1.9\t0.9\t[2, 2]\r\n",
        "meh\t-0.5\t0.5\t[0]\n",
        "bad\t-2.5\t0.7\t[-3]\n",
        "edge\t1.0\t0\t[1]\n",
        "\n",
    ]
    assert evidence.parse_lexicon(lines) == frozenset({"good", "bad", "edge"})
    vader = evidence.load_lexicon()
    assert {"good", "bad", "wonderful", "awful"} <= vader
    assert len(vader) > 3000


def test_an_ngram_holds_an_opinion_word_with_or_without_negation(evidence: ModuleType) -> None:
    lexicon = frozenset({"good", "bad"})
    assert evidence.has_opinion_word("good", lexicon)
    assert evidence.has_opinion_word("not NOT_good", lexicon)
    assert evidence.has_opinion_word("a bad film", lexicon)
    assert not evidence.has_opinion_word("goodness me", lexicon)
    assert not evidence.has_opinion_word("NOT_film", lexicon)


def test_shares_are_computed_as_defined_on_a_hand_made_case(evidence: ModuleType) -> None:
    lexicon = frozenset({"good", "bad"})
    ranked = [
        ["good", "the", "NOT_bad", "film", "a", "bad film", "x", "y", "z", "good ."],  # top-5: 2, top-10: 4
        ["the film", "it", "was", "a", "b", "c"],  # top-5: 0, top-10: 0 of 6
        ["bad"],  # top-5 and top-10: 1 of 1
        [],  # no n-grams: left out
    ]
    shares = evidence.opinion_shares(ranked, lexicon, (5, 10))
    assert shares["top5"] == {
        "ngrams": 11,
        "opinion_ngrams": 3,
        "pooled": pytest.approx(3 / 11),
        "mean_per_review": pytest.approx((2 / 5 + 0 + 1) / 3),
    }
    assert shares["top10"] == {
        "ngrams": 17,
        "opinion_ngrams": 5,
        "pooled": pytest.approx(5 / 17),
        "mean_per_review": pytest.approx((4 / 10 + 0 + 1) / 3),
    }


def test_evidence_of_the_default_model_on_written_reviews(evidence: ModuleType, model: Model) -> None:
    lexicon = evidence.load_lexicon()
    result = evidence.measure_evidence(model, REVIEWS, lexicon)
    assert result["reviews"] == len(REVIEWS) and result["failed"] == 0
    for k in (5, 10):
        top = result[f"top{k}"]
        assert 0.0 <= top["pooled"] <= 1.0 and 0.0 <= top["mean_per_review"] <= 1.0
        assert 0 < top["ngrams"] <= k * len(REVIEWS)
    # the same figures by hand from the full evidence (every n-gram, strongest first)
    full = [[e.ngram for e in a.evidence.ngrams] for a in model.analyze_batch(REVIEWS, evidence_size=None)]
    assert result["top5"] == evidence.opinion_shares(full, lexicon, (5,))["top5"]
    assert result["top10"] == evidence.opinion_shares(full, lexicon, (10,))["top10"]
    # these reviews are full of opinion words: some reach the top five
    assert result["top5"]["opinion_ngrams"] > 0


def test_an_unreadable_review_is_counted_not_measured(evidence: ModuleType, model: Model) -> None:
    result = evidence.measure_evidence(model, [REVIEWS[0], "!!! ..."], frozenset({"wonderful"}))
    assert result["reviews"] == 2 and result["failed"] == 1
    assert result["top5"]["ngrams"] == 5


def test_contradictions_on_a_hand_made_case(evidence: ModuleType) -> None:
    labels = ["positive", "positive", "positive", "negative", "negative", "negative", "positive"]
    stars = [5.4, 5.5, 8.0, 5.6, 5.5, 2.0, 1.0]
    assert evidence.contradictions(labels, stars) == (2, 1)


def test_star_checks_count_what_rate_gives(evidence: ModuleType, model: Model) -> None:
    ratings = [10.0, 1.0, 3.0, 9.0]
    result = evidence.star_checks(model, REVIEWS, LABELS, ratings)
    scores, _, stars = model.rate(REVIEWS)
    expected = sum(
        (label == "positive" and s < 5.5) or (label == "negative" and s > 5.5) for label, s in zip(LABELS, stars)
    )
    # the verdict and its stars never disagree: every one is on the verdict's side of 5.5
    assert result["reviews"] == 4 and result["contradictions"] == 0
    assert result["positive_verdict_below_midpoint"] == result["negative_verdict_above_midpoint"] == 0
    assert result["against_reviewer_label"] == expected
    at_midpoint = sum(s == 5.5 for s in stars)
    assert result["at_midpoint"] == at_midpoint
    assert result["stars_side_accuracy"] == pytest.approx(1 - (expected + at_midpoint) / 4)
    assert result["verdict_accuracy"] == pytest.approx(
        sum((s > 0) == (lab == "positive") for s, lab in zip(scores, LABELS)) / 4
    )
    assert 0.0 <= result["verdict_accuracy"] <= 1.0 and 0.0 <= result["stars_side_accuracy"] <= 1.0
    assert result["stars_mae"] >= 0.0 and -1.0 <= result["stars_pearson_r"] <= 1.0
    # flipping every reviewer's label puts each review's stars on the other side of that label
    flipped = ["negative" if label == "positive" else "positive" for label in LABELS]
    off_midpoint = sum(s != 5.5 for s in stars)
    flipped_result = evidence.star_checks(model, REVIEWS, flipped, ratings)
    assert flipped_result["against_reviewer_label"] == off_midpoint - expected
    assert flipped_result["contradictions"] == 0


def test_the_sample_is_seeded_and_drawn_from_the_reviews_sorted_by_id(evidence: ModuleType) -> None:
    documents = [Document(id=f"test/pos/{i}_8", text=f"review {i}", label="positive", rating=8) for i in range(50)]
    first = evidence.sample_documents(documents, seed=3, size=10)
    assert first == evidence.sample_documents(list(reversed(documents)), seed=3, size=10)
    assert len({d.id for d in first}) == 10
    assert first != evidence.sample_documents(documents, seed=4, size=10)
    assert len(evidence.sample_documents(documents, seed=0, size=500)) == 50


def test_a_missing_corpus_is_one_line_and_exit_status_one(
    evidence: ModuleType, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert evidence.main(["--data-dir", str(tmp_path), "--sample", "5"]) == 1
    assert "imdb" in capsys.readouterr().err


def test_the_report_prints_every_figure(evidence: ModuleType) -> None:
    top = {"ngrams": 10, "opinion_ngrams": 4, "pooled": 0.4, "mean_per_review": 0.4}
    result = {
        "model": "default",
        "seed": 0,
        "lexicon_words": 3000,
        "min_valence": 1.0,
        "evidence": {"reviews": 2, "failed": 0, "top5": top, "top10": top, "seconds": 0.1},
        "stars": {
            "reviews": 4,
            "contradictions": 1,
            "positive_verdict_below_midpoint": 1,
            "negative_verdict_above_midpoint": 0,
            "at_midpoint": 0,
            "against_reviewer_label": 0,
            "verdict_accuracy": 1.0,
            "stars_side_accuracy": 0.75,
            "stars_mae": 1.2,
            "stars_pearson_r": 0.9,
            "seconds": 0.1,
        },
    }
    text = evidence.report(result)
    assert "4/10" in text and "40.0%" in text and "contradictions: 1" in text
    json.dumps(result)
