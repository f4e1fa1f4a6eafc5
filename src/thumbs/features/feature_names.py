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

        Each name is read from the memo once, into this call's own list, so that another thread
        starting the memo over (the server shares one model between threads) never takes a name
        from under it; the names not known are made together (:meth:`_made`).
        """
        memo = self._memo
        wanted = np.asarray(columns, dtype=np.int64).tolist()
        names = list(map(memo.get, wanted))
        missing = list(dict.fromkeys(column for column, name in zip(wanted, names) if name is None))
        if not missing:
            return names  # type: ignore[return-value]  # no None left
        made = dict(zip(missing, self._made(missing)))
        if len(memo) + len(missing) > NAME_MEMO_SIZE:
            memo.clear()
        memo.update(made)
        return [made[column] if name is None else name for column, name in zip(wanted, names)]

    def _made(self, columns: list[int]) -> list[str]:
        """The names of ``columns``, made from their keys: the token ids of each order's columns in NumPy at once."""
        n = len(self.tokens)
        wanted = np.asarray(columns, dtype=np.int64)
        orders, keys = self.order[wanted], self.key[wanted]
        names: list[str] = [""] * len(columns)
        for order in np.unique(orders).tolist():
            which = np.flatnonzero(orders == order)
            key = keys[which]
            # the first token is the most significant digit of the key, in base n
            words = [map(self.tokens.__getitem__, (key // n ** (order - 1 - k) % n).tolist()) for k in range(order)]
            for at, name in zip(which.tolist(), map(NGRAM_JOINER.join, zip(*words))):
                names[at] = name
        return names
