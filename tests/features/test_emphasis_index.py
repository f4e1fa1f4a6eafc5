"""NgramIndex's negation rules and emphasis on token ids agree with thumbs.text, token by token.

The references are the vectorizer (thumbs.text.negation.mark_negation, then every
n-gram) and thumbs.text.emphasis.emphasized; the index must give the same columns,
and flag a feature as emphasized exactly when one of its occurrences starts at an
emphasized token, whether it reads token lists or texts, known tokens or not.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thumbs.features.emphasis import emphasized_positions
from thumbs.features.index import (
    DOCUMENT_SEPARATOR,
    NEGATION_RULES,
    NEGATION_TO_PUNCTUATION,
    NO_NEGATION,
    RULE_WORDS,
    NgramIndex,
)
from thumbs.features.int_sets import members
from thumbs.features.ngrams import NGRAM_JOINER
from thumbs.features.vectorizer import NgramVectorizer
from thumbs.text.emphasis import TURN_WORDS, emphasized, is_sentence_end
from thumbs.text.negation import CONTRAST_WORDS, NEGATION_PREFIX, NEGATION_WORDS, NOT_NEGATING_NEXT, mark_negation
from thumbs.text.tokens import is_punctuation, tokenize

NGRAMS = (1, 3)
VOCABULARY = ["not", "no", "never", "n't", "nothing", "but", "however", "yet", "though", "still", "except"]
VOCABULARY += ["only", "just", "doubt", ".", "!", "?!", "...", ",", "good", "bad", "film", "fine"]

documents = st.lists(st.lists(st.sampled_from(VOCABULARY), max_size=14), min_size=1, max_size=4)


def _fitted(train: Sequence[Sequence[str]]) -> tuple[NgramVectorizer, NgramIndex]:
    vectorizer = NgramVectorizer(ngram_range=NGRAMS, negation=True).fit([list(doc) for doc in train])
    return vectorizer, NgramIndex.from_vocabulary(vectorizer.vocabulary_, ngram_range=NGRAMS, negation=True)


def _reference(vocabulary: dict[str, int], tokens: Sequence[str]) -> list[tuple[int, str, bool]]:
    """``(start, n-gram, emphasized)`` of each feature occurrence in ``tokens``: mark_negation, n-grams, emphasized."""
    marked, flags = mark_negation(tokens), emphasized(tokens)
    found = []
    for n in range(NGRAMS[0], NGRAMS[1] + 1):
        for start in range(len(tokens) - n + 1):
            gram = NGRAM_JOINER.join(marked[start : start + n])
            if gram in vocabulary:
                found.append((start, gram, flags[start]))
    return sorted(found)


def _present_reference(vocabulary: dict[str, int], docs: Sequence[Sequence[str]]) -> list[tuple[int, int, bool]]:
    """``(row, column, any occurrence emphasized)`` of each distinct feature of each document, sorted."""
    pairs: dict[tuple[int, int], bool] = {}
    for row, tokens in enumerate(docs):
        for _, gram, flag in _reference(vocabulary, tokens):
            key = (row, vocabulary[gram])
            pairs[key] = pairs.get(key, False) or flag
    return sorted((row, column, flag) for (row, column), flag in pairs.items())


def _check(vectorizer: NgramVectorizer, index: NgramIndex, docs: list[list[str]]) -> None:
    vocabulary = vectorizer.vocabulary_
    texts = [" ".join(doc) for doc in docs]
    tokenized = [tokenize(text) for text in texts]
    for given_docs, read_as in ((docs, docs), (texts, tokenized)):
        expected = vectorizer.transform(read_as).toarray()
        assert np.array_equal(index.presence_matrix(given_docs).toarray(), expected)
        rows, columns, flags = index.present_emphasized(given_docs)
        assert np.array_equal(expected[rows, columns], np.ones(len(rows)))  # the same pairs as present()
        assert list(zip(rows.tolist(), columns.tolist(), flags.tolist())) == _present_reference(vocabulary, read_as)
    for tokens in [*docs, *tokenized]:
        columns, starts = index.occurrences(tokens)
        occurrences = sorted(zip(starts.tolist(), index.feature_names(columns)))
        assert occurrences == [(start, gram) for start, gram, _ in _reference(vocabulary, tokens)]
        columns, starts, flags = index.emphasized_occurrences(tokens)
        found = sorted(zip(starts.tolist(), index.feature_names(columns), flags.tolist()))
        assert found == _reference(vocabulary, tokens)


@settings(max_examples=100, deadline=None)
@given(documents)
def test_index_of_the_documents_gives_the_vectorizers_columns_and_emphasis(docs: list[list[str]]) -> None:
    vectorizer, index = _fitted([*docs, ["film"]])  # never an empty vocabulary
    _check(vectorizer, index, docs)


@settings(max_examples=80, deadline=None)
@given(documents, documents)
def test_documents_with_tokens_training_never_saw(train: list[list[str]], docs: list[list[str]]) -> None:
    vectorizer, index = _fitted([*train, ["film"]])
    _check(vectorizer, index, docs)


def test_unseen_rule_words_and_sentence_ends_keep_their_roles() -> None:
    # training saw none of "still", "however", "only", "!" nor "?!?!"
    vectorizer, index = _fitted([["not", "dull", "film", ".", "fine"], ["a", "dull", "film"]])
    assert RULE_WORDS <= set(index.tokens)
    assert "!" not in index.tokens and "?!?!" not in index.tokens
    docs = [
        ["not", "dull", "however", "fine"],  # "however" ends the scope: "fine", not "NOT_fine"
        ["not", "only", "dull"],  # no scope opens: "dull", not "NOT_dull"
        ["a", "dull", "film", "?!?!", "fine"],  # an unknown sentence end: "fine" is the last sentence
        ["dull", "still", "fine", "film", "."],  # "still" turns: "fine film" is emphasized
        ["not", "dull", "?!?!", "fine"],  # an unknown sentence end ends the scope too
    ]
    _check(vectorizer, index, docs)
    rows, columns, flags = index.present_emphasized(docs)
    named = {(r, name): f for r, name, f in zip(rows.tolist(), index.feature_names(columns), flags.tolist())}
    assert (0, "fine") in named and (0, "NOT_fine") not in named
    assert (1, "dull") in named and (1, "NOT_dull") not in named
    assert named[(2, "fine")] and not named[(2, "a dull film")]
    assert named[(3, "fine")] and not named[(3, "dull")]
    assert named[(4, "fine")]
    # the text path reads an unseen "!" as a sentence end: the last sentence starts after it
    rows, columns, flags = index.present_emphasized(["a dull film ! fine", "a dull film , fine"])
    named = {(r, name): f for r, name, f in zip(rows.tolist(), index.feature_names(columns), flags.tolist())}
    assert named[(0, "fine")] and not named[(0, "dull")]
    assert not named[(1, "fine")]


def _old_mark_negation(tokens: Sequence[str]) -> list[str]:
    """thumbs 0.1's rule: after a negation word, every token up to the next punctuation is negated."""
    marked, negating = [], False
    for token in tokens:
        if is_punctuation(token):
            negating = False
            marked.append(token)
        elif negating:
            marked.append(NEGATION_PREFIX + token)
        else:
            marked.append(token)
            negating = token in NEGATION_WORDS
    return marked


def _unigram_index(negation: bool | int) -> NgramIndex:
    """An index of every token of VOCABULARY and its negated form, as unigrams."""
    words = sorted({*VOCABULARY, *(NEGATION_PREFIX + w for w in VOCABULARY if not is_punctuation(w))})
    return NgramIndex.from_vocabulary({w: i for i, w in enumerate(words)}, ngram_range=(1, 1), negation=negation)


def _names(index: NgramIndex, tokens: Sequence[str]) -> list[str]:
    return [index.tokens[i] for i in index.token_ids(tokens)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), max_size=25))
def test_token_ids_negate_by_the_index_rules(tokens: list[str]) -> None:
    assert _names(_unigram_index(True), tokens) == mark_negation(tokens)
    assert _names(_unigram_index(NEGATION_TO_PUNCTUATION), tokens) == _old_mark_negation(tokens)
    assert _names(_unigram_index(False), tokens) == tokens


def test_legacy_index_keeps_the_scope_to_the_next_punctuation() -> None:
    legacy = _unigram_index(NEGATION_TO_PUNCTUATION)
    for index in (legacy, NgramIndex.from_arrays(legacy.to_arrays())):
        assert index.negation == NEGATION_TO_PUNCTUATION
        assert _names(index, "not never good . fine".split()) == ["not", "NOT_never", "NOT_good", ".", "fine"]
        assert _names(index, "not only good but bad".split()) == ["not", "NOT_only", "NOT_good", "NOT_but", "NOT_bad"]
    # today's rules on the same tokens
    assert _names(_unigram_index(True), "not never good . fine".split()) == ["not", "NOT_never", "good", ".", "fine"]


def test_saved_negation_numbers() -> None:
    arrays = _unigram_index(True).to_arrays()
    assert int(arrays["shape"][1]) == NEGATION_RULES
    assert int(_unigram_index(False).to_arrays()["shape"][1]) == NO_NEGATION
    # a file made before 0.2 recorded negation as 1: it loads with the old scope
    old = dict(arrays, shape=np.array([arrays["shape"][0], 1, arrays["shape"][2]], dtype=np.int64))
    loaded = NgramIndex.from_arrays(old)
    assert loaded.negation == NEGATION_TO_PUNCTUATION
    assert _names(loaded, "no doubt good , fine".split()) == ["no", "NOT_doubt", "NOT_good", ",", "fine"]


@pytest.mark.parametrize("negation", [7, 3, -1])
def test_unknown_negation_rules_are_refused(negation: int) -> None:
    with pytest.raises(ValueError, match="negation rules"):
        _unigram_index(negation)
    arrays = _unigram_index(True).to_arrays()
    arrays["shape"] = np.array([arrays["shape"][0], negation, arrays["shape"][2]], dtype=np.int64)
    with pytest.raises(ValueError, match="negation rules"):
        NgramIndex.from_arrays(arrays)


def test_rule_words_are_in_every_new_index() -> None:
    assert RULE_WORDS == CONTRAST_WORDS | NOT_NEGATING_NEXT | TURN_WORDS
    index = NgramIndex.from_vocabulary({"film": 0}, ngram_range=(1, 1), negation=False)
    assert RULE_WORDS <= set(index.tokens)
    assert index.presence_matrix([["but", "film", "still"]]).toarray().tolist() == [[1.0]]


# --- the vectorized emphasis itself ------------------------------------------------------


def _positions(reviews: Sequence[Sequence[str]]) -> list[bool]:
    """emphasized_positions of the reviews' tokens with a separator between two reviews (the stream's end is one)."""
    stream = [t for review in reviews for t in (*review, DOCUMENT_SEPARATOR)][:-1]
    separator = np.array([t == DOCUMENT_SEPARATOR for t in stream], dtype=bool)
    word = np.array([not is_punctuation(t) for t in stream], dtype=bool) & ~separator
    turn = np.array([t in TURN_WORDS for t in stream], dtype=bool)
    sentence_end = np.array([is_sentence_end(t) for t in stream], dtype=bool) & ~separator
    return [bool(f) for f in emphasized_positions(word, turn, sentence_end, separator)]


def _each_reviews_emphasis(reviews: Sequence[Sequence[str]]) -> list[bool]:
    return [f for review in reviews for f in (*emphasized(review), False)][:-1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from([*VOCABULARY, "?", ";"]), max_size=12), min_size=1, max_size=5))
def test_emphasized_positions_of_a_stream_are_each_reviews_emphasis(reviews: list[list[str]]) -> None:
    assert _positions(reviews) == _each_reviews_emphasis(reviews)


def test_emphasized_positions_of_nothing() -> None:
    empty = np.zeros(0, dtype=bool)
    assert emphasized_positions(empty, empty, empty, empty).tolist() == []


@pytest.mark.parametrize(
    "reviews",
    [
        [["a", "fun", "but", "dull", "film"]],  # no sentence end in the whole stream
        [["fun", "but", "dull"], ["a", "film", ","]],
        [[",", ";"]],  # no word in the whole stream
        [[".", "!"], []],
        [[]],
    ],
)
def test_emphasized_positions_of_streams_without_sentence_ends_or_words(reviews: list[list[str]]) -> None:
    assert _positions(reviews) == _each_reviews_emphasis(reviews)


def test_present_emphasized_of_a_review_without_sentence_end() -> None:
    _, index = _fitted([["a", "fun", "but", "dull", "film", "."]])
    for docs in (["a fun but dull film"], [["a", "fun", "but", "dull", "film"]]):
        rows, columns, flags = index.present_emphasized(docs)
        named = dict(zip(index.feature_names(columns), flags.tolist()))
        assert named["dull film"] and named["film"] and not named["fun"] and not named["a fun but"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-50, 50), max_size=30), st.lists(st.integers(-50, 50), max_size=30))
def test_members_is_isin(values: list[int], of: list[int]) -> None:
    sorted_of = np.unique(np.array(of, dtype=np.int64))
    found = members(np.array(values, dtype=np.int64), sorted_of)
    assert found.dtype == np.bool_ and found.tolist() == np.isin(values, sorted_of).tolist()
