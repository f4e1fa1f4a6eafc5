"""Tokens: the canonical lowercase tokens of normalized text.

Both forms of a review give the same tokens: Penn-Treebank-like, clitics
``n't 's 've 're 'll 'd 'm`` split off ("wasn't" -> "was", "n't"), periods and
commas tokens of their own, every double quote ``"``. Tokenizing the
space-joined tokens again gives the same tokens.

>>> tokenize("It wasn't bad... I've seen U.S. films!")
['it', 'was', "n't", 'bad', '...', 'i', "'ve", 'seen', 'u', '.', 's', '.', 'films', '!']
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import reduce
from itertools import accumulate, chain, compress, count
from operator import iconcat, sub
from typing import Any, NamedTuple

from thumbs.text.normalize import normalize

#: Clitics split off the word before them, as the Penn Treebank does: "n't" here,
#: "'s 're 've 'll 'd 'm" in TOKEN_PATTERN's clitic group and CLITIC_SUFFIX.
NEGATIVE_CLITIC = "n't"

#: Periods and commas are always tokens of their own, as in the corpora ("u . s .",
#: "mr . smith", "2 . 5", "1 , 000"), so raw "U.S." or "2.5" and the corpus form agree.
#: The alternatives, tried in order: a URL; a clitic ('s 're 've 'll 'd 'm); a word, with
#: inner hyphens, apostrophes, slashes or ampersands; an ellipsis; a dash run; any other
#: single character. No group names: a token's kind is read off its first character.
TOKEN_PATTERN = re.compile(r"""(?:https?://|www\.)[^\s"<>]+|'(?:s|re|ve|ll|d|m)\b|\w+(?:[-'/&]\w+)*|\.\.+|-{2,}|\S""")

#: Starts of a URL token (never split at its apostrophes).
URL_STARTS = ("http://", "https://", "www.")

#: The pattern as one group: ``split`` on it keeps the tokens, between the gaps.
_TOKEN_SPLITTER = re.compile(f"({TOKEN_PATTERN.pattern})")

#: What a token needs to be respelled (:func:`_respell`): an apostrophe, or two periods.
_RESPELLED = re.compile(r"'|\.\.")

CLITIC_SUFFIX = re.compile(r"^(.+?)('(?:s|re|ve|ll|d|m))$")

#: Stands between the texts of a batch (:func:`thumbs.text.lowered.lowered_utf8`), and ends each text's chunks.
CHUNK_SEPARATOR = "\x00"


def _split_word(word: str, start: int) -> list[tuple[str, int, int]]:
    """Split the clitics off one lowercase word token ("wasn't" -> "was", "n't")."""
    end = start + len(word)
    if word.endswith(NEGATIVE_CLITIC) and len(word) > len(NEGATIVE_CLITIC):
        cut = end - len(NEGATIVE_CLITIC)
        return [(word[: -len(NEGATIVE_CLITIC)], start, cut), (NEGATIVE_CLITIC, cut, end)]
    clitic = CLITIC_SUFFIX.match(word)
    if clitic:
        stem, suffix = clitic.groups()
        cut = start + len(stem)
        return [*_split_word(stem, start), (suffix, cut, end)]
    return [(word, start, end)]


def line_tokens(line: str, offset: int) -> tuple[list[str], list[int], list[int]]:
    """The lowercase tokens of one line of normalized text, their starts and their ends.

    Offsets are into the whole text (``offset`` is where the line starts), even where a
    letter's lower case is longer than the letter ("İ"). ``starts`` holds one more
    offset than there are tokens: where the line ends. (:func:`line_table`, as lists.)
    """
    table = line_table(line, offset)
    return list(table.tokens), [*table.starts, offset + len(line)], list(table.ends)


class LineTokens(NamedTuple):
    """The tokens of one line, their offsets into the whole text, and where its punctuation is."""

    tokens: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    #: The indices of the tokens that are punctuation (:func:`is_punctuation`), in order.
    punctuation: list[int]


def line_table(line: str, offset: int) -> LineTokens:
    """The tokens of one line of normalized text, with their offsets and where its punctuation is.

    No token spans whitespace and the pattern reads nothing past a space, so a line's tokens
    are those of its space-separated chunks, in order, each at fixed offsets from its chunk's
    start. Chunks ("film,", "isn't") repeat across reviews: each is tokenized once
    (:data:`_CHUNK_MEMO`), and a line is one lookup per chunk and a few passes in C over the
    flattened entries, with no Python-level step per token. A line with a run of spaces, or a
    chunk whose tokens do not cover it (whitespace other than a space: never in normalized
    text), is tokenized by the pattern itself.
    """
    chunks = line.strip(" ")
    if not chunks:
        return LineTokens((), (), (), [])
    if _SPACE_RUN not in chunks:
        try:
            # list += tuple per chunk (no iterator object per chunk, as chain would make)
            flat: list[Any] = reduce(  # str, int, int, bool by position: typed per field below
                iconcat, map(_CHUNK_MEMO.__getitem__, chunks.split(" ")), []
            )
        except _IrregularChunkError:
            pass
        else:
            # (token, end step, extent, punctuation) per token: the first end step counts from
            # the space before its chunk, so the line's first from just before its first chunk
            flat[1] += offset + len(line) - len(line.lstrip(" ")) - 1
            ends: tuple[int, ...] = tuple(accumulate(flat[1::_FIELDS]))
            starts: tuple[int, ...] = tuple(map(sub, ends, flat[2::_FIELDS]))
            return LineTokens(tuple(flat[0::_FIELDS]), starts, ends, list(compress(count(), flat[3::_FIELDS])))
    scanned, scanned_starts, scanned_ends = _scanned_line(line, offset)
    punctuation = [k for k, token in enumerate(scanned) if is_punctuation(token)]
    return LineTokens(tuple(scanned), tuple(scanned_starts[: len(scanned)]), tuple(scanned_ends), punctuation)


#: Two spaces: a line holding them has an empty chunk, which the chunk memo cannot place.
_SPACE_RUN = "  "

#: How many values :data:`_CHUNK_MEMO` keeps per token.
_FIELDS = 4

#: How many chunks :data:`_CHUNK_MEMO` holds before it is cleared (bounds its memory: some
#: 30 MB when full; 3,000 aclImdb reviews hold about 65,000 distinct chunks).
_CHUNK_MEMO_SIZE = 100_000


class _IrregularChunkError(Exception):
    """A chunk whose tokens do not run from its first character to its last (it holds whitespace)."""


class _ChunkMemo(dict[str, tuple[Any, ...]]):
    """Chunk -> (token, end step, extent, punctuation) for each of its tokens, flat; made on first lookup.

    The end step of a token is its end less the previous token's end (for the first, less the
    offset just before the chunk: where the space before it is); the extent is its end less
    its start. Summed along a line, the steps give every end, and the extents every start.
    A dict subclass so that ``map(memo.__getitem__, chunks)`` stays in C for the chunks
    already known (``__missing__`` runs only for a new one); cleared when full.
    """

    def __missing__(self, chunk: str) -> tuple[Any, ...]:
        if len(self) >= _CHUNK_MEMO_SIZE:
            self.clear()
        entry = _plain_chunk(chunk)
        if entry is not None:
            self[chunk] = entry
            return entry
        tokens, starts, ends = _scanned_line(chunk, 0)
        if not tokens or starts[0] != 0 or ends[-1] != len(chunk):
            raise _IrregularChunkError(chunk)
        steps = map(sub, ends, [-1, *ends])
        extents = map(sub, ends, starts)
        fields = zip(tokens, steps, extents, map(is_punctuation, tokens))
        entry = self[chunk] = tuple(chain.from_iterable(fields))
        return entry


_CHUNK_MEMO = _ChunkMemo()

#: Marks that are a token of their own after a word ("film," "end." "why?"): one character,
#: never joined to a word (not a joiner, an apostrophe or a period that could start "..").
_TRAILING_MARKS = frozenset(',!?;:)"')


def _plain_chunk(chunk: str) -> tuple[Any, ...] | None:
    r"""The memo entry of a chunk that is a word, or a word and one trailing mark, found without the pattern.

    Most new chunks are such ("film", "film,", "1950s."): a word of letters and digits (what
    ``\w+`` matches, less the underscore) is one token, and so is the mark after it. None for
    any other chunk, or one whose lower case is longer than it ("İ").
    """
    if chunk.isalnum():
        lowered = chunk.lower()
        if lowered == chunk:  # the token is the chunk: keep one string, not two
            return (chunk, len(chunk) + 1, len(chunk), False)
        if len(lowered) == len(chunk):
            return (lowered, len(chunk) + 1, len(chunk), False)
        return None
    mark = chunk[-1:]
    if mark and (mark in _TRAILING_MARKS or mark == ".") and chunk[:-1].isalnum():
        lowered = chunk[:-1].lower()
        if len(lowered) == len(chunk) - 1:
            return (lowered, len(chunk), len(chunk) - 1, False, mark, 1, 1, True)
    return None


def _scanned_line(line: str, offset: int) -> tuple[list[str], list[int], list[int]]:
    """The tokens of a line, their starts (and the line's end) and ends, by the pattern itself.

    One ``split`` on the pattern gives the tokens and the gaps between them, whose
    lengths, summed, give every offset: no match object or tuple per token. Only
    words with an apostrophe then go to :func:`_split_word`, and ``..``-runs become ``...``.
    """
    lowered = line.lower()
    parts = _TOKEN_SPLITTER.split(lowered)  # gap, token, gap, token, ..., gap
    bounds = list(accumulate(map(len, parts), initial=offset))
    tokens, starts, ends = parts[1::2], bounds[1::2], bounds[2::2]
    if "'" in lowered or ".." in lowered:
        _respell(tokens, starts, ends, lowered, offset)
    if len(lowered) != len(line):  # a letter whose lower case is longer ("İ"): offsets into line, not lowered
        _unlower(starts, ends, line, offset)
    return tokens, starts, ends


def _unlower(starts: list[int], ends: list[int], line: str, offset: int) -> None:
    """Take offsets into ``line.lower()`` back to offsets into ``line``, in place.

    A token that starts or ends inside a letter's longer lower case ("İ" -> "i" and U+0307) gets
    the whole letter.
    """
    bounds = list(accumulate((len(character.lower()) for character in line), initial=offset))
    starts[:] = [offset + bisect_right(bounds, start) - 1 for start in starts]
    ends[:] = [offset + bisect_left(bounds, end) for end in ends]


def _respell(tokens: list[str], starts: list[int], ends: list[int], lowered: str, offset: int) -> None:
    """Split clitics off the words with an apostrophe, and make ``..``-runs ``...``, in place.

    Only the tokens that hold an apostrophe or a ``..`` are looked at (found by their
    characters' offsets), from the last, so that splicing keeps the earlier positions.
    """
    held = {bisect_right(starts, offset + match.start()) - 1 for match in _RESPELLED.finditer(lowered)}
    for k in sorted(held, reverse=True):
        token = tokens[k]
        if token.startswith(".."):
            tokens[k] = "..."
        elif "'" in token and token[0] != "'" and not token.startswith(URL_STARTS):
            pieces = _split_word(token, starts[k])
            tokens[k : k + 1] = [piece for piece, _, _ in pieces]
            starts[k : k + 1] = [start for _, start, _ in pieces]
            ends[k : k + 1] = [end for _, _, end in pieces]


def line_spans(line: str, offset: int) -> list[tuple[str, int, int]]:
    """(lowercase token, start, end) of one line of normalized text: :func:`line_tokens`, zipped."""
    return list(zip(*line_tokens(line, offset)))


def tokenize(text: str) -> list[str]:
    """Return the canonical lowercase tokens of ``text`` (all sentences, in order).

    The same tokens as ``[t for s in split_sentences(text) for t in s.tokens]``,
    found without offsets or sentence bounds: one ``findall`` and a pass that
    splits clitics off the few words with an apostrophe. This is the fast path
    that label-only prediction takes.
    """
    return canonical_tokens(normalize(text).lower())


def canonical_tokens(lowered: str) -> list[str]:
    """The tokens of normalized, lowercased text (the body of :func:`tokenize`).

    No token spans whitespace, so the tokens of a text are the tokens of its
    whitespace-separated chunks, in order; callers may memoize per chunk.
    """
    if "'" not in lowered and ".." not in lowered:
        # No match holds an apostrophe, and only a ".." run starts with "." and is longer
        # than one character: the matches are the tokens, with no pass over them.
        return TOKEN_PATTERN.findall(lowered)
    tokens: list[str] = []
    append = tokens.append
    for token in TOKEN_PATTERN.findall(lowered):
        if "'" in token and token[0] != "'" and not token.startswith(URL_STARTS):
            tokens.extend(word for word, _, _ in _split_word(token, 0))
        elif token[0] == "." and len(token) > 1:
            append("...")
        else:
            append(token)
    return tokens


#: Memo of :func:`is_punctuation` (tokens repeat; bounded by clearing when full).
_PUNCTUATION_MEMO: dict[str, bool] = {}

_PUNCTUATION_MEMO_SIZE = 500_000


def is_punctuation(token: str) -> bool:
    """A token without any letter or digit (it ends a negation scope)."""
    known = _PUNCTUATION_MEMO.get(token)
    if known is None:
        if len(_PUNCTUATION_MEMO) >= _PUNCTUATION_MEMO_SIZE:
            _PUNCTUATION_MEMO.clear()
        known = _PUNCTUATION_MEMO[token] = not any(ch.isalnum() for ch in token)
    return known
