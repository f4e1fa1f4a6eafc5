"""Evidence as phrases of the review: exact, in the review's own words, found where they are.

Every review here is written for these tests (no corpus text); the corpus check reads
aclImdb at test time when ``THUMBS_DATA`` is set.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import thumbs
from thumbs import Analysis
from thumbs.corpora import load_corpus
from thumbs.pipeline.phrases import phrase_table, strongest_by_group, token_contributions

REVIEWS = [
    "I didn't love it. The story never grabbed me and I checked my watch twice.",
    "Not bad at all.",
    "The trailer promised a sharp thriller, but the film is a slog.",
    "A moving film.<br /><br />A masterpiece of quiet acting, and a score I keep humming.",
    "It wasn’t “great” — but I’d watch it again… honestly!",
    "Great cast, great director, great budget. Terrible movie.",
    "i did n't like it . `` great '' , they said . it was n't .",
    "Dull &amp; lifeless.\r\nA waste of <i>two</i> hours. 2/10",
    "The actors 🎬 were superb, the plot was thin. Café scenes were lovely.",
    "½ star. Dreadful. 1/10",
    "A ¼ of it was great, ½bad, ¾ good.",
    "Dreadful. I give it &frac12; out of 10, and the &frac34;-hour cut is worse.",
]
#: What the tokenizer writes that a reader never should see in a phrase.
INTERNAL_MARKS = ("NOT_",)


def _all_phrases(text: str) -> Analysis:
    return thumbs.load_model().analyze(text, evidence_size=None)


def _check_phrases(text: str, analysis: Analysis) -> None:
    assert analysis.evidence is not None and analysis.score is not None
    phrases = analysis.evidence.phrases
    total = analysis.evidence.bias + math.fsum(p.contribution for p in phrases)
    assert total == pytest.approx(analysis.score, abs=1e-9)
    covered: list[tuple[int, int]] = []
    for phrase in phrases:
        assert phrase.contribution != 0
        assert phrase.spans and phrase.text == " ".join(text[a:b] for a, b in phrase.spans)
        assert not any(mark in phrase.text for mark in INTERNAL_MARKS), phrase.text
        sentence = analysis.sentences[phrase.sentence]
        for a, b in phrase.spans:
            assert sentence.start <= a < b <= sentence.end
            assert "<" not in text[a:b] and "\n" not in text[a:b]
        covered.extend(phrase.spans)
    covered.sort()
    assert all(b <= c for (_, b), (c, _) in zip(covered, covered[1:])), "phrases overlap"


@pytest.mark.parametrize("text", REVIEWS)
def test_phrases_add_up_and_read_as_written(text: str) -> None:
    _check_phrases(text, _all_phrases(text))


def test_phrases_are_listed_strongest_first_and_cut_to_the_evidence_size() -> None:
    text = REVIEWS[3]
    listed = thumbs.load_model().analyze(text, evidence_size=3).evidence
    assert listed is not None and len(listed.phrases) == 3
    strengths = [abs(p.contribution) for p in listed.phrases]
    assert strengths == sorted(strengths, reverse=True)
    every = _all_phrases(text).evidence
    assert every is not None and listed.phrases == every.phrases[:3]


def test_contractions_and_curly_quotes_come_back_as_written() -> None:
    text = "I didn’t like it, and it wasn't funny."
    words = " ".join(p.text for p in _all_phrases(text).evidence.phrases)  # type: ignore[union-attr]
    assert "n’t" not in words.replace("didn’t", "") and "n't" not in words.replace("wasn't", "")


def test_phrase_features_are_the_models_ngrams_behind_it() -> None:
    analysis = _all_phrases("A masterpiece of quiet acting.")
    assert analysis.evidence is not None
    names = {n.ngram for n in analysis.evidence.ngrams}
    for phrase in analysis.evidence.phrases:
        assert phrase.features and set(phrase.features) <= names


def test_json_and_row_carry_phrases() -> None:
    analysis = thumbs.load_model().analyze("A moving, beautifully acted film. The ending was a mess.")
    data = analysis.to_dict()
    first = data["evidence"]["phrases"][0]
    assert set(first) == {"text", "spans", "sentence", "contribution", "features"}
    assert all(isinstance(span, list) and len(span) == 2 for span in first["spans"])
    row = analysis.to_row()
    assert row["top_positive"] and all(
        part in {p.text for p in analysis.evidence.phrases}  # type: ignore[union-attr]
        for part in row["top_positive"].split("; ")
    )


WORDS = ["good", "bad", "not", "film", "great", "boring", "but", "the", "acting", "never", "I", "didn't", "love"]
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(
        [
            ".",
            ",",
            "!",
            "<br />",
            "&amp;",
            "“",
            "”",
            "’",
            "…",
            "\r\n",
            "  ",
            "é",
            "e\u0301",
            "🎬",
            "½",
            "¾4",
            "&frac12;",
        ]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, min_size=1, max_size=30))
def test_phrases_add_up_on_any_mix_of_words_and_markup(pieces: list[str]) -> None:
    text = " ".join(pieces)
    analysis = _all_phrases(text)
    if analysis.error is None:
        _check_phrases(text, analysis)


def test_token_contributions_split_each_part_over_its_tokens() -> None:
    values = token_contributions(4, np.array([0, 1]), np.array([2, 4]), np.array([1.0, -0.3]))
    assert values.tolist() == pytest.approx([0.5, 0.4, -0.1, -0.1])
    assert values.sum() == pytest.approx(0.7)


def test_quiet_tokens_do_not_join_phrases() -> None:
    # tokens: strong+, quiet+, strong+ in one sentence: the quiet one stands alone
    table = phrase_table(
        values=np.array([1.0, 0.01, 1.0]),
        sentence_of_token=np.zeros(3, dtype=np.int64),
        doc_of_token=np.zeros(3, dtype=np.int64),
        n_docs=1,
    )
    assert table.first.tolist() == [0, 1, 2]
    assert table.contribution.sum() == pytest.approx(2.01)


@pytest.mark.data
def test_phrases_add_up_on_real_reviews(require_corpus: Callable[[str], Path]) -> None:
    documents = load_corpus("imdb", require_corpus("imdb"), splits=("test",))[:150]
    model = thumbs.load_model()
    for document, analysis in zip(documents, model.analyze_batch([d.text for d in documents], evidence_size=None)):
        _check_phrases(document.text, analysis)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from([0.0, 0.5, -0.5, 1.0, -2.0, 0.25])), max_size=40),
    st.sampled_from([None, 1, 2, 3, 10]),
)
def test_strongest_by_group_is_a_stable_sort_of_each_group(items: list[tuple[int, float]], size: int | None) -> None:
    items.sort(key=lambda item: item[0])
    groups = np.array([g for g, _ in items], dtype=np.int64)
    values = np.array([v for _, v in items])
    got = strongest_by_group(values, groups, 6, size)
    for g in range(6):
        own = [i for i, (group, _) in enumerate(items) if group == g]
        expected = sorted(own, key=lambda i: -abs(values[i]))[:size]
        assert got[g].tolist() == expected


@pytest.mark.parametrize("size", [-1, -10, True])
def test_a_negative_evidence_size_is_refused(size: int) -> None:
    with pytest.raises(thumbs.ThumbsError, match="evidence_size"):
        thumbs.load_model().analyze("A fine film.", evidence_size=size)


def test_evidence_size_zero_lists_nothing_but_keeps_the_score() -> None:
    analysis = thumbs.load_model().analyze("A fine film.", evidence_size=0)
    assert analysis.evidence is not None and analysis.evidence.phrases == () and analysis.evidence.ngrams == ()
    assert analysis.score is not None
