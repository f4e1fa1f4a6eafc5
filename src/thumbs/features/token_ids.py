"""Token ids: a batch's tokens to an index's ids, with a memo of the tokens batches keep using.

An index's vocabulary is a dictionary of hundreds of thousands of tokens (their ``NOT_``
forms included), and a batch's first lookups in it miss the CPU's cache. The memo holds
the ids of recent tokens (up to :data:`RAW_ID_MEMO_SIZE`, then it starts over); a token
never seen in training gets a pseudo-id by its kind (:func:`unknown_kind`), which the
n-gram index reads as a word, punctuation, a negation word or a sentence end.

>>> ids = TokenIds({"good": 0, "film": 1}, 2)
>>> ids(["good", "zzz", "!", "not", "film"]).tolist()
[0, 3, 6, 5, 1]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import repeat

import numpy as np
from numpy.typing import NDArray

from thumbs.text.emphasis import is_sentence_end
from thumbs.text.negation import NEGATION_WORDS
from thumbs.text.tokens import is_punctuation

#: Tokens whose ids are remembered before the memo starts over: the vocabulary an analysis
#: keeps meeting (a few MB), small enough to stay in the CPU's cache more often than not.
RAW_ID_MEMO_SIZE = 100_000


@lru_cache(maxsize=1 << 16)
def unknown_kind(token: str) -> int:
    """What a token outside a vocabulary is: 1 a word, 2 punctuation, 3 a negation word, 4 a sentence end.

    Its pseudo-id is the vocabulary's size plus this. Remembered: the same rare words come
    back batch after batch, in every model's index.
    """
    if not token[:1].isalnum() and is_punctuation(token):  # most unknown tokens are rare words
        return 4 if is_sentence_end(token) else 2
    return 3 if token in NEGATION_WORDS else 1


class TokenIds:
    """The raw ids of tokens under a vocabulary (``token -> id``, ids below ``size``)."""

    def __init__(self, vocabulary: Mapping[str, int], size: int) -> None:
        self.vocabulary = vocabulary
        self.size = size
        self._recent: dict[str, int] = {}

    def __call__(self, tokens: Sequence[str]) -> NDArray[np.int64]:
        """The id of each token: from the memo, else the vocabulary, else a pseudo-id by kind."""
        memo = self._recent
        ids = np.fromiter(map(memo.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        missed = np.flatnonzero(ids < 0)
        if len(missed):
            new = [tokens[i] for i in missed.tolist()]
            found = self.looked_up(new)
            ids[missed] = found
            if len(memo) + len(new) > RAW_ID_MEMO_SIZE:
                memo.clear()
            memo.update(zip(new, found.tolist()))
        return ids

    def looked_up(self, tokens: Sequence[str]) -> NDArray[np.int64]:
        """The id of each token from the vocabulary itself (else a pseudo-id by kind), bypassing the memo.

        For callers that remember ids themselves (:class:`~thumbs.features.token_codes.CodeIds`).
        """
        found = np.fromiter(map(self.vocabulary.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        unknown = np.flatnonzero(found < 0)
        if len(unknown):
            kinds = map(unknown_kind, [tokens[i] for i in unknown.tolist()])
            found[unknown] = self.size + np.fromiter(kinds, dtype=np.int64, count=len(unknown))
        return found
