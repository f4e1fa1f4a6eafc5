"""Negation scope on token ids: :func:`thumbs.text.negation.mark_negation` for an index's ids.

:class:`~thumbs.features.index.NgramIndex` works on integer token ids, not strings.
:class:`NegationScope` holds, per id, whether it ends a scope or is a negation word,
and the id of its ``NOT_`` form, and applies the rules with NumPy on the positions
of the few tokens that matter (see :data:`~thumbs.text.negation.NEGATION_RULES`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from thumbs.features.int_sets import ranges
from thumbs.text.negation import (
    CONTRAST_WORDS,
    NEGATION_PREFIX,
    NEGATION_RULES,
    NEGATION_WORDS,
    NOT_NEGATING_NEXT,
)

IntArray = NDArray[np.int64]


class NegationScope:
    """Negation scope over the ids of one index, by the rules ``rules`` (1 or 2).

    Parameters
    ----------
    tokens, token_id:
        The index's tokens in id order and ``{token: id}``; the ``NOT_`` form of a
        token, where it is among them, is what that token becomes in a scope.
    is_punctuation:
        For each id (pseudo-ids included, so its length is the number of ids),
        whether it is punctuation: punctuation ends a scope.
    negators:
        Pseudo-ids that are negation words too (an unknown negation word).
    rules:
        :data:`~thumbs.text.negation.NEGATION_TO_PUNCTUATION` or :data:`~thumbs.text.negation.NEGATION_RULES`.
    """

    def __init__(
        self,
        tokens: Sequence[str],
        token_id: Mapping[str, int],
        is_punctuation: NDArray[np.bool_],
        negators: Iterable[int],
        rules: int,
    ) -> None:
        size = len(is_punctuation)
        self.rules = rules
        ends_scope = is_punctuation.copy()
        self.keeps_open = np.zeros(size, dtype=bool)  # "only" after "not": no scope opens (rules 2)
        if rules == NEGATION_RULES:
            ends_scope[[token_id[w] for w in CONTRAST_WORDS if w in token_id]] = True
            self.keeps_open[[token_id[w] for w in NOT_NEGATING_NEXT if w in token_id]] = True
        is_negator = np.zeros(size, dtype=bool)
        is_negator[[token_id[word] for word in NEGATION_WORDS if word in token_id]] = True
        is_negator[list(negators)] = True
        self.negated = np.full(size, -1, dtype=np.int64)
        for i, token in enumerate(tokens):
            if token.startswith(NEGATION_PREFIX):
                self.negated[token_id[token[len(NEGATION_PREFIX) :]]] = i
        # 1 for what ends a scope, 2 for a negation word (no token is both): one gather finds both
        self.kind = ends_scope.astype(np.int8) + 2 * is_negator.astype(np.int8)

    def apply(self, ids: IntArray) -> IntArray:
        """Apply negation scope to raw ids, in place: an id in a scope becomes its ``NOT_`` form's.

        Negation words and scope ends are a few tokens in ten, so this works on
        their positions. Between two scope ends, the negation words that open a
        scope take turns: the first opens one, the second is negated and closes
        it, the third opens again (rules 2); under rules 1 a negation word inside
        an earlier one's scope is itself negated and the scope runs on to the end.
        """
        kind = self.kind[ids]
        marks = np.flatnonzero(kind)
        kinds = kind[marks]
        negators = marks[kinds == 2]
        if not negators.size:
            return ids
        breaks = marks[kinds == 1]
        if self.rules == NEGATION_RULES:
            after = negators + 1
            opens = ~self.keeps_open[ids[np.minimum(after, len(ids) - 1)]] | (after == len(ids))
            negators = negators[opens]
            if not negators.size:
                return ids
        segment = np.searchsorted(breaks, negators)
        ends = np.append(breaks, len(ids))[segment]
        first = np.ones(len(negators), dtype=bool)
        np.not_equal(segment[1:], segment[:-1], out=first[1:])
        if self.rules == NEGATION_RULES:
            group_start = np.flatnonzero(first)
            rank = np.arange(len(negators)) - np.repeat(group_start, np.diff(np.append(group_start, len(negators))))
            opening = rank % 2 == 0
            closer = np.flatnonzero(opening) + 1  # the next negation word of the same stretch closes the scope
            closed = np.zeros(len(closer), dtype=bool)
            inside = closer < len(negators)
            closed[inside] = ~first[closer[inside]]
            starts = negators[opening] + 1
            stops = np.where(closed, negators[np.minimum(closer, len(negators) - 1)] + 1, ends[opening])
        else:
            starts = negators[first] + 1
            stops = ends[first]
        scope = ranges(starts, stops - starts)
        ids[scope] = self.negated[ids[scope]]
        return ids
