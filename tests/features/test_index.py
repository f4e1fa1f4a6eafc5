"""The compiled n-gram index gives exactly the vectorizer's columns, fast."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import thumbs.features.index
import thumbs.features.presence
from thumbs.corpora import load_corpus
from thumbs.features.chunk_memo import ChunkMemo
from thumbs.features.hash_tables import KeyTable, PairTable
from thumbs.features.index import NgramIndex
from thumbs.features.vectorizer import NgramVectorizer
from thumbs.text.tokens import tokenize

TRAIN = [
    "It wasn't good, but the cast isn't bad at all.",
    "Never a dull moment; nothing here is boring.",
    "A fine film. Not a fine ending, though!",
    "I've seen worse... and I've seen better.",
    'She said: "no way" and left.',
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
        (3, "not"),
        (3, "not NOT_a"),
        (4, "NOT_a"),
        (4, "NOT_a NOT_good"),
        (5, "NOT_good"),
        (5, "NOT_good NOT_film"),
        (6, "NOT_film"),
    ]


def test_key_table_finds_every_key_and_nothing_else() -> None:
    rng = np.random.default_rng(0)
    keys = np.unique(rng.integers(0, 2**50, 5000))
    values = np.arange(len(keys))
    table = KeyTable(keys, values)
    assert np.array_equal(table.lookup(keys), values)
    others = rng.integers(0, 2**50, 5000)
    others = others[~np.isin(others, keys)]
    assert (table.lookup(others) == -1).all()


def test_key_table_refuses_keys_and_values_that_do_not_fit_together() -> None:
    with pytest.raises(ValueError, match="too large"):
        KeyTable(np.array([2**60]), np.array([2**10]))


def test_pair_table_tells_pairs_apart_and_fills_up_to_its_capacity() -> None:
    rng = np.random.default_rng(1)
    first = rng.integers(0, 50, 3000)  # few distinct firsts: the second key decides
    second = rng.integers(-(2**63), 2**63 - 1, 3000, dtype=np.int64)
    pairs = np.unique(np.stack((first, second), axis=1), axis=0)
    table = PairTable(capacity=len(pairs) - 10)
    values = np.arange(len(pairs))
    assert table.add(pairs[:, 0], pairs[:, 1], values) == len(pairs) - 10
    assert table.add(np.array([99]), np.array([99]), np.array([0])) == 0
    found = table.lookup(pairs[:, 0], pairs[:, 1])
    assert np.array_equal(found[:-10], values[:-10]) and (found[-10:] == -1).all()
    assert (table.lookup(pairs[:, 0], pairs[:, 1] ^ 1) == -1).all()


# --- texts to ids in batches (the label-only path) --------------------------------


TEXT_PIECES = [
    "not",
    "bad",
    "Film",
    "fine",
    "never",
    "boring",
    "zyzzyva",
    "isn't",
    "I've",
    "n't",
    "'s",
    ",",
    ".",
    "!",
    "...",
    ". . .",
    ":",
    "(",
    ")",
    '"',
    "''",
    "``",
    "<br />",
    "&amp;",
    "caf\u00e9",
    "\u2019",
    "\u2014",
    "2.5",
    "u.s.",
    "www.imdb.com",
    "-",
    "--",
    " ",
    " ",
    " ",
    "\n",
    "\t",
    "\x00",
]


def _index(ngram_range: tuple[int, int] = (1, 3)) -> NgramIndex:
    vectorizer = NgramVectorizer(ngram_range=ngram_range, negation=True).fit([tokenize(t) for t in TRAIN])
    return NgramIndex.from_vocabulary(vectorizer.vocabulary_, ngram_range=ngram_range, negation=True)


def _with_memo(index: NgramIndex, memo_size: int | None) -> NgramIndex:
    """``index`` with a chunk memo of ``memo_size`` chunks (None: the default size)."""
    if memo_size is not None:
        index._chunks = ChunkMemo(index._token_id, index._unknown_id, memo_size)
    return index


def _index_of_every_ngram(
    texts: list[str], memo_size: int | None = None, ngram_range: tuple[int, int] = (1, 3)
) -> NgramIndex:
    """An index whose features are every n-gram of ``texts`` (and of TRAIN), negation marked.

    Every token of the texts is known to it, so a text whose tokens or negation scope the
    text path read differently from :func:`tokenize` shows other n-grams in :meth:`NgramIndex.present`.
    """
    vectorizer = NgramVectorizer(ngram_range=ngram_range, negation=True).fit([tokenize(t) for t in [*TRAIN, *texts]])
    index = NgramIndex.from_vocabulary(vectorizer.vocabulary_, ngram_range=ngram_range, negation=True)
    return _with_memo(index, memo_size)


def _assert_present_matches_token_lists(index: NgramIndex, texts: list[str]) -> None:
    rows, columns = index.present(texts)
    expected_rows, expected_columns = index.present([tokenize(t) for t in texts])
    assert np.array_equal(rows, expected_rows) and np.array_equal(columns, expected_columns)


def _assert_texts_read_as_tokenize(index: NgramIndex, texts: list[str], every_ngram: NgramIndex | None = None) -> None:
    """The text path (chunk memo) finds the n-grams of :func:`tokenize` in each text.

    Checked with ``index`` (where some tokens are unknown: they must break n-grams and
    negation scope as tokenize's would) and with an index of every n-gram of the texts
    (``every_ngram``, built when not given), where any token read wrong changes a feature.
    """
    _assert_present_matches_token_lists(index, texts)
    _assert_present_matches_token_lists(every_ngram or _index_of_every_ngram(texts), texts)


@pytest.mark.parametrize("memo_size", [1, 5, 300_000])
def test_texts_read_as_tokenize_whatever_the_memo_holds(memo_size: int) -> None:
    index = _with_memo(_index(), memo_size)
    texts = [*TRAIN, *TEST, "isn't, isn't; (isn't) film. film, film!", "a NUL \x00 here: it reads as a separator"]
    every_ngram = _index_of_every_ngram(texts, memo_size)
    for _ in range(2):  # memo cold, then warm
        _assert_texts_read_as_tokenize(index, texts, every_ngram)


def test_present_cuts_texts_into_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    index = _index()
    texts = [*TRAIN, *TEST] * 7
    expected = index.present([tokenize(t) for t in texts])
    for size in (1, 30, 100, 10_000):
        monkeypatch.setattr(thumbs.features.presence, "TEXT_BATCH_CHARS", size)
        rows, columns = index.present(texts)
        assert np.array_equal(rows, expected[0]) and np.array_equal(columns, expected[1])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TEXT_PIECES), max_size=20).map(" ".join), min_size=1, max_size=5))
def test_texts_read_as_tokenize_property(texts: list[str]) -> None:
    _assert_texts_read_as_tokenize(_index(), texts)


#: Pieces a chunk is glued from: punctuation, words known and unknown, and what keeps a chunk from being
#: put together from its parts (apostrophes, digits, URL starts, letters past ASCII).
CHUNK_PIECES = [
    "(",
    ")",
    ",",
    ".",
    "..",
    "...",
    "!",
    "?",
    '"',
    "-",
    "--",
    "/",
    "&",
    ":",
    ";",
    "*",
    "[",
    "<",
    "#",
    "film",
    "bad",
    "not",
    "never",
    "zyzzyva",
    "qwertyuiopasdfghjkl",
    "www",
    "http",
    "https",
    "'",
    "'s",
    "n't",
    "2",
    "_",
    "\u00e9",
]


def test_chunks_put_together_from_their_parts_keep_the_tokens_of_tokenize() -> None:
    index = _index()
    chunks = [
        "www.,",
        "(www.",
        "www.x",
        "http://",
        "(https:",
        "http:",
        "film.",
        "(film),",
        '"film".',
        "--film--",
        "...film...",
        "film/",
        "&film&",
        "-film",
        "film's",
        "zyzzyva!",
        "(zyzzyva",
        "not.",
        "(never)",
        "bad.film",
        "film--not",
        "bad....film",
        "film).never",
        "www.film.com",
        "film.www.x",
        "2.5",
        "10/10",
        "it's.bad",
        "fist-fight,",
        "a-'b",
        "film's's",
        "(isn't)",
    ]
    texts = [" ".join(chunks), " ".join(reversed(chunks))]
    every_ngram = _index_of_every_ngram(texts)
    for _ in range(2):  # memo cold, then warm
        _assert_texts_read_as_tokenize(index, texts, every_ngram)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(CHUNK_PIECES), min_size=1, max_size=6).map("".join), min_size=1, max_size=8))
def test_chunks_glued_from_punctuation_and_words_read_as_tokenize(chunks: list[str]) -> None:
    index = _index()
    texts = [" ".join(chunks), " ".join(reversed(chunks))]
    every_ngram = _index_of_every_ngram(texts)
    for _ in range(2):  # memo cold, then warm
        _assert_texts_read_as_tokenize(index, texts, every_ngram)


@pytest.mark.data
def test_real_reviews_read_as_tokenize(require_corpus: Callable[[str], Path]) -> None:
    """Thousands of real reviews, raw (aclImdb) and tokenized (polarity v2.0), with the default model's index.

    The index of every token is of unigrams (negation marked): one of every trigram of these
    reviews takes half a minute to build, and the default model's index checks n-grams.
    """
    from thumbs.pipeline.model import load_model

    index = load_model().verdict.index
    imdb = [d.text for d in load_corpus("imdb", require_corpus("imdb"), splits=("test",))][::10]
    polarity = [d.text for d in load_corpus("polarity", require_corpus("polarity"))][::2]
    for texts in (imdb, polarity):
        _assert_texts_read_as_tokenize(index, texts, _index_of_every_ngram(texts, ngram_range=(1, 1)))


def test_feature_names_stay_right_when_their_memo_starts_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """A call that fills the memo past its size names every column it asks for, old ones too."""
    import thumbs.features.feature_names as feature_names

    monkeypatch.setattr(feature_names, "NAME_MEMO_SIZE", 3)
    names = feature_names.FeatureNames(["a", "good", "film"], np.array([1, 1, 1, 2]), np.array([0, 1, 2, 5]))
    assert names([0, 1]) == ["a", "good"]
    assert names([0, 1, 2, 3]) == ["a", "good", "film", "good film"]
    assert names([3, 0]) == ["good film", "a"]


def test_feature_names_from_threads_that_start_the_memo_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server shares one model between threads: a memo started over by one never fails another."""
    import sys
    import threading

    import thumbs.features.feature_names as feature_names

    monkeypatch.setattr(feature_names, "NAME_MEMO_SIZE", 50)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    tokens = [f"t{i}" for i in range(100)]
    names = feature_names.FeatureNames(tokens, np.ones(100, dtype=np.int64), np.arange(100))
    failures: list[BaseException] = []

    def work(seed: int) -> None:
        rng = np.random.default_rng(seed)
        try:
            for _ in range(300):
                columns = rng.integers(0, 100, 30)
                assert names(columns) == [f"t{c}" for c in columns]
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old)
    assert failures == []
