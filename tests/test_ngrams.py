"""The compiled n-gram index gives exactly the vectorizer's columns, fast."""

from __future__ import annotations

import numpy as np
import pytest

from thumbs.features import NgramVectorizer
from thumbs.ngrams import KeyTable, NgramIndex
from thumbs.text import tokenize

TRAIN = [
    "It wasn't good, but the cast isn't bad at all.",
    "Never a dull moment; nothing here is boring.",
    "A fine film. Not a fine ending, though!",
    "I've seen worse... and I've seen better.",
    "She said: \"no way\" and left.",
]
TEST = [
    "Not bad, not bad at all: a fine film.",
    "Nothing dull here.\nNever boring!",
    "Completely unseen words: zyzzyva qwertyuiop.",
    "",
    "wasn't it fine? it was n't fine .",
]


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (1, 3)])
@pytest.mark.parametrize("negation", [False, True])
def test_index_matches_the_vectorizer(ngram_range: tuple[int, int], negation: bool) -> None:
    vectorizer = NgramVectorizer(ngram_range=ngram_range, negation=negation).fit([tokenize(t) for t in TRAIN])
    index = NgramIndex.from_vocabulary(vectorizer.vocabulary_, ngram_range=ngram_range, negation=negation)
    expected = vectorizer.transform([tokenize(t) for t in TEST]).toarray()
    assert np.array_equal(index.presence_matrix([tokenize(t) for t in TEST]).toarray(), expected)
    # the text path (chunk memo) gives the same matrix, twice (memo cold, then warm)
    assert np.array_equal(index.presence_matrix(TEST).toarray(), expected)
    assert np.array_equal(index.presence_matrix(TEST).toarray(), expected)
    # and it survives a round trip through plain arrays
    again = NgramIndex.from_arrays(index.to_arrays())
    assert np.array_equal(again.presence_matrix(TEST).toarray(), expected)


def test_occurrences_name_the_ngrams_where_they_start() -> None:
    vectorizer = NgramVectorizer(ngram_range=(1, 2), negation=True).fit([["not", "a", "good", "film"]])
    index = NgramIndex.from_vocabulary(vectorizer.vocabulary_, ngram_range=(1, 2), negation=True)
    columns, starts = index.occurrences(["a", "good", ".", "not", "a", "good", "film"])
    found = sorted(zip(starts.tolist(), index.feature_names(columns)))
    # training saw only the negated forms: the plain "a good" before the period matches nothing
    assert found == [
        (3, "not"), (3, "not NOT_a"), (4, "NOT_a"), (4, "NOT_a NOT_good"),
        (5, "NOT_good"), (5, "NOT_good NOT_film"), (6, "NOT_film"),
    ]


def test_key_table_finds_every_key_and_nothing_else() -> None:
    rng = np.random.default_rng(0)
    keys = np.unique(rng.integers(0, 2**62, 5000))
    values = np.arange(len(keys))
    table = KeyTable(keys, values)
    assert np.array_equal(table.lookup(keys), values)
    others = rng.integers(0, 2**62, 5000)
    others = others[~np.isin(others, keys)]
    assert (table.lookup(others) == -1).all()
