"""Feature names: the n-gram string of a column ("not NOT_bad"), as the vectorizer names it.

An index stores an n-gram as the integer of its token ids; naming one divides that
integer back into tokens. The evidence of every review names a few dozen features, most
of them common ones, so names are remembered (up to :data:`NAME_MEMO_SIZE`, then the memo
starts over).

>>> names = FeatureNames(["a", "good", "film"], np.array([1, 2]), np.array([1, 1 * 3 + 2]))
>>> names([1, 0, 1])
['good film', 'good', 'good film']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from thumbs.features.ngrams import NGRAM_JOINER

#: Names remembered (about 100 bytes each) before the memo starts over.
NAME_MEMO_SIZE = 200_000


class FeatureNames:
    """Names of an index's columns: ``order[c]`` tokens, packed in ``key[c]`` (base: the number of tokens)."""

    def __init__(self, tokens: Sequence[str], order: NDArray[np.int64], key: NDArray[np.int64]) -> None:
        self.tokens = tokens
        self.order = order
        self.key = key
        self._memo: dict[int, str] = {}

    def __call__(self, columns: Sequence[int] | NDArray[np.int64]) -> list[str]:
        """The name of each column.

        Built from a dictionary of this call's own, so that another thread starting the memo
        over (the server shares one model between threads) never takes a name from under it.
        """
        memo = self._memo
        wanted = np.asarray(columns, dtype=np.int64).tolist()
        names: dict[int, str] = {}
        missing = []
        for column in dict.fromkeys(wanted):
            known = memo.get(column)
            if known is None:
                missing.append(column)
            else:
                names[column] = known
        if missing:
            n = len(self.tokens)
            for column, order, key in zip(missing, self.order[missing].tolist(), self.key[missing].tolist()):
                parts = []
                for _ in range(order):
                    key, token = divmod(key, n)
                    parts.append(self.tokens[token])
                names[column] = NGRAM_JOINER.join(reversed(parts))
            if len(memo) + len(missing) > NAME_MEMO_SIZE:
                memo.clear()
            memo.update((column, names[column]) for column in missing)
        return [names[column] for column in wanted]
