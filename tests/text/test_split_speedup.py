"""split_sentences (chunk memo, tuples, punctuation from the tokenizer) equals a plain reference.

The reference below is the straightforward implementation that the fast one replaced: one
regex ``split`` per line, clitics split and ``..``-runs respelled token by token, offsets taken
back through a longer lower case, and a walk over every token for the sentence bounds.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.tricky_text import TRICKY_PIECES
from thumbs.text.normalize import normalize
from thumbs.text.sentences import (
    _BOUNDARY_MARKS,
    CLOSING_BRACKETS,
    OPENING_BRACKETS,
    QUOTES,
    SENTENCE_FINAL,
    _ends_sentence,
    split_sentences,
)
from thumbs.text.tokens import _TOKEN_SPLITTER, URL_STARTS, _split_word, line_tokens, tokenize

Row = tuple[str, tuple[str, ...], int, int, tuple[int, ...], tuple[int, ...]]


def reference_line(line: str, offset: int) -> tuple[list[str], list[int], list[int]]:
    """Tokens, starts (and the line's end) and ends of one line, token by token."""
    lowered = line.lower()
    parts = _TOKEN_SPLITTER.split(lowered)
    bounds = list(accumulate(map(len, parts), initial=offset))
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for token, start, end in zip(parts[1::2], bounds[1::2], bounds[2::2]):
        if token.startswith(".."):
            pieces = [("...", start, end)]
        elif "'" in token and token[0] != "'" and not token.startswith(URL_STARTS):
            pieces = _split_word(token, start)
        else:
            pieces = [(token, start, end)]
        for piece, a, b in pieces:
            tokens.append(piece)
            starts.append(a)
            ends.append(b)
    starts.append(bounds[-1])
    if len(lowered) != len(line):
        chars = list(accumulate((len(c.lower()) for c in line), initial=offset))
        starts = [offset + bisect_right(chars, s) - 1 for s in starts]
        ends = [offset + bisect_left(chars, e) for e in ends]
    return tokens, starts, ends


def reference_bounds(tokens: list[str]) -> list[tuple[int, int]]:
    """(start, end) token ranges of one line's sentences, looking at every token."""
    bounds, start, depth, i, n = [], 0, 0, 0, len(tokens)
    while i < n:
        token = tokens[i]
        if token in _BOUNDARY_MARKS:
            depth += (token in OPENING_BRACKETS) - (token in CLOSING_BRACKETS)
            if depth <= 0 and _ends_sentence(tokens, i):
                depth = 0
                i += 1
                while i < n and (
                    tokens[i] in SENTENCE_FINAL
                    or tokens[i] in CLOSING_BRACKETS
                    or (tokens[i] in QUOTES and tokens[start:i].count(tokens[i]) % 2 == 1)
                ):
                    i += 1
                bounds.append((start, i))
                start = i
                continue
        i += 1
    if start < n:
        bounds.append((start, n))
    return bounds


def reference_split(text: str) -> list[Row]:
    """Every sentence of ``text`` as (text, tokens, start, end, token starts, token ends)."""
    normalized = normalize(text)
    rows: list[Row] = []
    offset = 0
    for line in normalized.split("\n"):
        tokens, starts, ends = reference_line(line, offset)
        offset += len(line) + 1
        for first, last in reference_bounds(tokens):
            a, b = starts[first], ends[last - 1]
            rows.append(
                (normalized[a:b], tuple(tokens[first:last]), a, b, tuple(starts[first:last]), tuple(ends[first:last]))
            )
    return rows


def rows(text: str) -> list[Row]:
    """split_sentences' sentences with all six fields (token offsets do not take part in ==)."""
    return [(s.text, s.tokens, s.start, s.end, s.token_starts, s.token_ends) for s in split_sentences(text)]


PIECES = [
    *TRICKY_PIECES,
    "can't",
    "Isn't",
    "'S",
    "'re",
    "rock'n'roll",
    "Boris'",
    "...",
    "!",
    "?",
    "(",
    ")",
    "[",
    "]",
    '"',
    "Mr.",
    "U.S.",
    "i.",
    "imdb.com",
    "https://x.com/a'b.",
    "\u0130",
    "\U0001f600",
    "1,000",
    "well-known",
    "Film",
]

texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_split_sentences_equals_the_reference(text: str) -> None:
    assert rows(text) == reference_split(text)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=0, max_value=50))
def test_line_tokens_equals_the_reference_on_any_line(text: str, offset: int) -> None:
    # raw lines too (tabs, runs of spaces): the memo gives way to the pattern itself
    line = text.replace("\n", " ")
    assert line_tokens(line, offset) == reference_line(line, offset)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_tokenize_is_the_sentences_tokens(text: str) -> None:
    assert tokenize(text) == [token for row in rows(text) for token in row[1]]


def test_repeated_chunks_give_the_same_sentences() -> None:
    text = "It wasn't bad... (I've seen worse!) Mr. Smith's U.S. debut, 2.5/10.\n\nIt wasn't bad."
    assert rows(text) == reference_split(text)
    assert rows(text) == reference_split(text)  # the second time, every chunk from the memo
