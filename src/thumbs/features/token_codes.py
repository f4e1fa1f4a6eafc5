"""Token codes: a batch's tokens read once, for every model that scores them.

A full analysis scores each review with three models (subjectivity, sentence polarity, the
verdict), each with its own vocabulary. Looking every token up in each of three
million-entry dictionaries was a tenth of the analysis. Here the batch's tokens become
codes into the batch's own distinct tokens, once (a small dictionary, which stays in the
CPU's cache); each model then looks up only those distinct tokens
(:meth:`thumbs.features.index.NgramIndex.raw_ids`), a third of the tokens of a batch,
and gathers its ids for the whole batch with NumPy (:meth:`TokenCodes.stream`).

>>> codes = token_codes([("a", "fine", "film"), ("a", "film")])
>>> codes.codes.tolist(), codes.vocabulary, codes.lengths.tolist()
([0, 1, 2, 0, 2], ['a', 'fine', 'film'], [3, 2])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class TokenCodes:
    """The tokens of a sequence of segments (sentences) as codes into ``vocabulary``.

    ``codes`` runs over every token of every segment in order (no separators); segment
    ``i`` has ``lengths[i]`` of them.
    """

    codes: IntArray
    vocabulary: list[str]
    lengths: IntArray

    def stream(self, ids_of_vocabulary: IntArray, separator: int, groups: IntArray | None = None) -> IntArray:
        """The ids of the tokens under ``ids_of_vocabulary``, with ``separator`` after each segment.

        With ``groups`` (segments per group, in order: the sentences of each review), the
        separator goes after each group instead: a review's sentences run on as one stream.
        """
        ids = ids_of_vocabulary[self.codes] if len(self.codes) else np.zeros(0, dtype=np.int64)
        lengths = self.lengths if groups is None else _group_sums(self.lengths, groups)
        return np.insert(ids, np.cumsum(lengths), separator)


def token_codes(segments: Sequence[Sequence[str]]) -> TokenCodes:
    """The :class:`TokenCodes` of ``segments`` (token sequences), vocabulary in order of first use."""
    tokens = [token for segment in segments for token in segment]
    vocabulary = list(dict.fromkeys(tokens))
    code_of = {token: code for code, token in enumerate(vocabulary)}
    codes = np.fromiter(map(code_of.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    lengths = np.fromiter(map(len, segments), dtype=np.int64, count=len(segments))
    return TokenCodes(codes, vocabulary, lengths)


def _group_sums(lengths: IntArray, groups: IntArray) -> IntArray:
    """The sums of consecutive runs of ``lengths``, ``groups[g]`` long each (an empty run sums to 0)."""
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    return np.asarray(np.diff(bounds[np.concatenate([[0], np.cumsum(groups)])]), dtype=np.int64)
