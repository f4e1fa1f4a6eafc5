"""Presence: which features each of many documents holds, the rows of a binary presence matrix.

Labelling a batch needs, per review, each distinct feature present (and, with emphasis,
whether it occurs at least once where the review turns). Texts are read a batch of
:data:`TEXT_BATCH_CHARS` characters at a time through the index's chunk memo; token lists
in one stream. Each batch's ``(row, column)`` pairs are made distinct by sorting them as one
integer each. :class:`~thumbs.features.index.NgramIndex` calls this (``present``,
``present_emphasized``, ``present_batches``, ``presence_matrix``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from thumbs.features.int_sets import distinct, members
from thumbs.text.lowered import lowered_utf8
from thumbs.text.tokens import CHUNK_SEPARATOR, tokenize

if TYPE_CHECKING:
    from thumbs.features.index import NgramIndex

IntArray = NDArray[np.int64]

#: Characters of text scored together: enough to make the per-batch NumPy calls cheap,
#: few enough that a batch's arrays stay in the CPU's cache.
TEXT_BATCH_CHARS = 500_000


@dataclass(frozen=True, slots=True)
class PresentBatch:
    """The distinct features present in ``size`` documents from ``first`` on (:func:`present_batches`).

    ``rows`` count from 0 within the batch; ``emphasized`` is None unless emphasis was asked for.
    """

    first: int
    size: int
    rows: IntArray
    columns: IntArray
    emphasized: NDArray[np.bool_] | None


def present_batches(
    index: NgramIndex, documents: Sequence[Sequence[str]] | Sequence[str], emphasis: bool = False
) -> Iterator[PresentBatch]:
    """The distinct features of ``documents`` (texts or token lists) under ``index``, a batch at a time.

    Texts go in batches of about :data:`TEXT_BATCH_CHARS` characters, token lists in one: a
    caller that only sums per document (the labels' path) never joins the batches' arrays,
    which are the size of all the features present.
    """
    if not documents:
        return
    if isinstance(documents[0], str):
        ends = np.cumsum(np.fromiter(map(len, documents), dtype=np.int64, count=len(documents)))
        cuts = np.searchsorted(ends, np.arange(TEXT_BATCH_CHARS, ends[-1], TEXT_BATCH_CHARS), side="right")
        bounds = [0, *distinct(cuts[(cuts > 0) & (cuts < len(documents))]).tolist(), len(documents)]
        for a, b in pairwise(bounds):
            yield PresentBatch(a, b - a, *_present_texts(index, documents[a:b], emphasis))  # type: ignore[arg-type]
        return
    stream = list(chain.from_iterable(chain(doc, (CHUNK_SEPARATOR,)) for doc in documents))
    raw = index.raw_ids(stream)
    at = index.emphasized(raw) if emphasis else None
    ids = index._finish(raw)
    lengths = np.fromiter((len(doc) + 1 for doc in documents), dtype=np.int64, count=len(documents))
    columns, starts = index._columns_of_ids(ids)
    rows = np.searchsorted(np.cumsum(lengths), starts, side="right")
    flags = None if at is None else at[starts]
    yield PresentBatch(0, len(documents), *distinct_pairs(rows, columns, len(documents), index.n_features, flags))


def _present_texts(
    index: NgramIndex, texts: Sequence[str], emphasis: bool
) -> tuple[IntArray, IntArray, NDArray[np.bool_] | None]:
    """The distinct pairs of a batch of texts (pseudo-ids are left as they are, see ``_columns_of_ids``)."""
    ids, ends = _raw_text_ids(index, texts)
    at = index.emphasized(ids) if emphasis else None
    if index.negation:
        index._scope.apply(ids)
    columns, starts = index._columns_of_ids(ids)
    row_of_token = np.repeat(np.arange(len(ends)), np.diff(ends, prepend=0))
    flags = None if at is None else at[starts]
    return distinct_pairs(row_of_token[starts], columns, len(texts), index.n_features, flags)


def distinct_pairs(
    rows: IntArray, columns: IntArray, n_rows: int, n_features: int, flags: NDArray[np.bool_] | None = None
) -> tuple[IntArray, IntArray, NDArray[np.bool_] | None]:
    """The distinct ``(row, column)`` pairs (rows below ``n_rows``), sorted by row, then column.

    Sorted as one integer each, in 32 bits when they fit (a batch of texts nearly always
    does): half the memory to sort. With ``flags`` (one per occurrence), also whether any
    occurrence of each pair is flagged.

    >>> distinct_pairs(np.array([1, 0, 1]), np.array([4, 2, 4]), 2, 10)[:2]
    (array([0, 1]), array([2, 4]))
    """
    keys = rows * n_features + columns
    if n_rows * n_features < 2**31:
        keys = keys.astype(np.int32)
    pairs = distinct(keys)
    pair_flags = None if flags is None else members(pairs, distinct(keys[flags]))
    pair_rows, pair_columns = np.divmod(pairs.astype(np.int64), n_features)
    return pair_rows, pair_columns, pair_flags


def _raw_text_ids(index: NgramIndex, texts: Sequence[str]) -> tuple[IntArray, IntArray]:
    """Raw ids of the tokens of several texts, a separator after each, and where each text ends.

    The ids :meth:`~thumbs.features.index.NgramIndex.raw_ids` gives
    :func:`thumbs.text.tokens.tokenize` of each text, found chunk by chunk with a memo
    (:class:`~thumbs.features.chunk_memo.ChunkMemo`): most chunks of a review ("the",
    "film,", "isn't") have been seen before.
    """
    data = lowered_utf8(texts)
    if data is not None:
        ids = index._chunks.ids(data)
        return ids, np.flatnonzero(ids == index.separator_id) + 1
    # a text holds a NUL, which reads as a separator: go text by text
    each = [index.raw_ids([*tokenize(text), CHUNK_SEPARATOR]) for text in texts]
    return np.concatenate(each), np.cumsum([len(ids) for ids in each])
