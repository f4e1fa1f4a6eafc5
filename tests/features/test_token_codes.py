"""Token codes: one table numbers every token, and each model remembers its ids per code."""

from __future__ import annotations

import threading

import pytest

import thumbs
from thumbs.features import token_codes as codes_module
from thumbs.features.token_codes import CodeIds, TokenTable, token_codes
from thumbs.features.token_ids import TokenIds

REVIEWS = [
    "A fine film, and a finer cast. I didn't expect to laugh this much!",
    "Dull. The plot drags, the jokes fall flat, and the ending is a cheat.",
    "Not bad at all: the music carries it.",
]


def test_a_code_names_its_token_and_the_same_token_gets_the_same_code() -> None:
    table = TokenTable()
    coded = token_codes([("a", "film"), ("the", "film", "a")], table)
    assert coded.codes.tolist() == [0, 1, 2, 1, 0]
    assert [table.tokens[code] for code in coded.codes.tolist()] == ["a", "film", "the", "film", "a"]
    assert coded.lengths.tolist() == [2, 3]


def test_ids_through_codes_equal_the_ids_of_the_tokens() -> None:
    token_ids = TokenIds({"film": 0, "fine": 1, "not": 2}, 3)
    by_code = CodeIds(token_ids)
    segments = [("a", "fine", "film", "!"), ("not", "a", "film", "zzz")]
    tokens = [token for segment in segments for token in segment]
    expected = TokenIds({"film": 0, "fine": 1, "not": 2}, 3)(tokens).tolist()
    for _ in range(2):  # the second time from the remembered ids
        assert by_code(token_codes(segments, TokenTable())).tolist() == expected


def test_a_table_that_starts_over_changes_no_result(monkeypatch: pytest.MonkeyPatch) -> None:
    model = thumbs.load_model()
    before = [a.to_dict() for a in model.analyze_batch(REVIEWS)]
    monkeypatch.setattr(codes_module, "TOKEN_TABLE_SIZE", 5)  # a new table for every batch
    for _ in range(3):
        assert [a.to_dict() for a in model.analyze_batch(REVIEWS)] == before
        assert [model.analyze(text).to_dict() for text in REVIEWS] == before


def test_threads_numbering_at_once_give_each_token_one_code() -> None:
    table = TokenTable()
    words = [f"w{i}" for i in range(2000)]

    def number(offset: int) -> None:
        for i in range(len(words)):
            table[words[(i * 7 + offset) % len(words)]]

    threads = [threading.Thread(target=number, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(table) == len(table.tokens) == len(words)
    assert all(table.tokens[table[word]] == word for word in words)
    assert sorted(table.values()) == list(range(len(words)))
