"""Token codes: a batch's tokens read once, for every model that scores them.

A full analysis scores each review with three models (subjectivity, sentence polarity, the
verdict), each with its own vocabulary. Looking every token up in each of three
million-entry dictionaries was a tenth of the analysis. Here each token becomes a *code*:
its number in a :class:`TokenTable` of every token met so far (one lookup per token, in a
table that stays in the CPU's cache), and each model keeps, per code, its own id for the
token (:class:`CodeIds`): a batch's ids are then one NumPy gather, and only a token no
batch has shown the model yet is looked up in its vocabulary.

>>> codes = token_codes([("a", "fine", "film"), ("a", "film")], TokenTable())
>>> codes.codes.tolist(), codes.lengths.tolist()
([0, 1, 2, 0, 2], [3, 2])
>>> ids = CodeIds(TokenIds({"film": 0, "fine": 1}, 2))
>>> codes.stream(ids(codes), separator=2).tolist()
[3, 1, 0, 2, 3, 0, 2]
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from numpy.typing import NDArray

from thumbs.features.int_sets import distinct
from thumbs.features.token_ids import TokenIds

IntArray = NDArray[np.int64]

#: Distinct tokens a table numbers before the next batch starts a new one (some 20 MB when
#: full; 3,000 aclImdb reviews hold about 45,000 distinct tokens).
TOKEN_TABLE_SIZE = 200_000


class TokenTable(dict[str, int]):
    """Token -> code, numbering each token on first sight: ``tokens[code]`` is the token.

    A dict subclass, so that ``map(table.__getitem__, tokens)`` stays in C for the tokens
    already numbered (``__missing__`` runs only for a new one). Numbering is locked: threads
    of one server share the table, and a code must name one token.
    """

    def __init__(self) -> None:
        super().__init__()
        self.tokens: list[str] = []
        self._lock = threading.Lock()

    def __missing__(self, token: str) -> int:
        with self._lock:
            code = dict.get(self, token)
            if code is None:
                code = len(self.tokens)
                self.tokens.append(token)
                self[token] = code
            return code


_TABLE = TokenTable()


@dataclass(frozen=True, slots=True)
class TokenCodes:
    """The tokens of a sequence of segments (sentences), as codes of ``table``.

    ``codes`` runs over every token of every segment in order (no separators); segment
    ``i`` has ``lengths[i]`` of them.
    """

    codes: IntArray
    table: TokenTable
    lengths: IntArray

    def stream(self, ids: IntArray, separator: int, groups: IntArray | None = None) -> IntArray:
        """The tokens' ``ids`` (one per code, :class:`CodeIds`), with ``separator`` after each segment.

        With ``groups`` (segments per group, in order: the sentences of each review), the
        separator goes after each group instead: a review's sentences run on as one stream.
        """
        lengths = self.lengths if groups is None else _group_sums(self.lengths, groups)
        return np.insert(ids, np.cumsum(lengths), separator)


def token_codes(segments: Sequence[Sequence[str]], table: TokenTable | None = None) -> TokenCodes:
    """The :class:`TokenCodes` of ``segments`` (token sequences), in ``table`` (by default the process's).

    The process's table starts over, as a new table, when it holds :data:`TOKEN_TABLE_SIZE`
    tokens; a batch keeps the table it was coded in.
    """
    global _TABLE
    if table is None:
        if len(_TABLE) >= TOKEN_TABLE_SIZE:
            _TABLE = TokenTable()
        table = _TABLE
    count = sum(map(len, segments))
    codes = np.fromiter(map(table.__getitem__, chain.from_iterable(segments)), dtype=np.int64, count=count)
    lengths = np.fromiter(map(len, segments), dtype=np.int64, count=len(segments))
    return TokenCodes(codes, table, lengths)


class CodeIds:
    """One model's raw ids of token codes, remembered per code of the table the codes are in.

    ``token_ids`` gives the ids of tokens (a model's :class:`~thumbs.features.token_ids.TokenIds`);
    each code is looked up through it once, then read from an array. Threads may race to fill
    the array: each writes the same ids, and one that misses the other's work only looks again.
    """

    def __init__(self, token_ids: TokenIds) -> None:
        self.token_ids = token_ids
        self._table: TokenTable | None = None
        self._ids = np.zeros(0, dtype=np.int64)

    def __call__(self, codes: TokenCodes) -> IntArray:
        """The raw id of each token of ``codes``."""
        table, known = codes.table, self._ids
        if table is not self._table:
            known = np.zeros(0, dtype=np.int64)
        if len(known) < len(table.tokens):  # -1: not looked up yet (every id is 0 or more)
            known = np.concatenate([known, np.full(len(table.tokens) - len(known), -1, dtype=np.int64)])
        ids = known[codes.codes]
        missing = np.flatnonzero(ids < 0)
        if len(missing):
            new = distinct(codes.codes[missing])
            known[new] = self.token_ids.looked_up([table.tokens[code] for code in new.tolist()])
            ids[missing] = known[codes.codes[missing]]
        self._table, self._ids = table, known
        return ids


def _group_sums(lengths: IntArray, groups: IntArray) -> IntArray:
    """The sums of consecutive runs of ``lengths``, ``groups[g]`` long each (an empty run sums to 0)."""
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    return np.asarray(np.diff(bounds[np.concatenate([[0], np.cumsum(groups)])]), dtype=np.int64)
