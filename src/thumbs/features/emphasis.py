"""Emphasis on token ids: which positions of a batch lie where a review gives its verdict.

The rules are :mod:`thumbs.text.emphasis`'s (after a turn word to the end of its
sentence; the last sentence of each review), worked out with NumPy on the
positions of a token stream whose reviews are cut by separators, so that a
batch of thousands of reviews costs a few array passes.

>>> import numpy as np
>>> # "fine but dull . end" then a separator, then "ok"
>>> word = np.array([1, 0, 1, 0, 1, 0, 1], bool); word[1] = True  # "but" is a word
>>> turn = np.array([0, 1, 0, 0, 0, 0, 0], bool)
>>> sentence_end = np.array([0, 0, 0, 1, 0, 0, 0], bool)
>>> separator = np.array([0, 0, 0, 0, 0, 1, 0], bool)
>>> emphasized_positions(word, turn, sentence_end, separator).astype(int).tolist()
[0, 0, 1, 0, 1, 0, 0]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from thumbs.features.int_sets import ranges

BoolArray = NDArray[np.bool_]


def emphasized_positions(word: BoolArray, turn: BoolArray, sentence_end: BoolArray, separator: BoolArray) -> BoolArray:
    """Flags of the emphasized positions of a token stream.

    ``word``: a token with a letter or digit (turn words included); ``turn``: a turn
    word; ``sentence_end``: a sentence-ending token; ``separator``: the end of a
    review (the stream's end is one too). See :func:`thumbs.text.emphasis.emphasized`.
    """
    size = len(word)
    flags = np.zeros(size, dtype=bool)
    if not size:
        return flags
    stops = np.flatnonzero(sentence_end | separator)
    turns = np.flatnonzero(turn)
    if turns.size:  # after a turn word, up to the next sentence end or review end
        ends = np.append(stops, size)[np.searchsorted(stops, turns)]
        flags[ranges(turns + 1, ends - turns - 1)] = True
        flags[turns] = False  # a turn word in a turned clause is not itself emphasized
    # the last sentence: after the review's last sentence end that has a word after it
    review_ends = np.append(np.flatnonzero(separator), size)
    review_starts = np.concatenate([[0], review_ends[:-1] + 1])
    words = np.flatnonzero(word)
    sentence_ends = np.flatnonzero(sentence_end)
    if not words.size or not sentence_ends.size:  # no review can have a last sentence apart from itself
        return flags
    last_word = np.searchsorted(words, review_ends) - 1
    has_word = last_word >= 0
    has_word[has_word] = words[last_word[has_word]] >= review_starts[has_word]
    before = np.searchsorted(sentence_ends, words[np.maximum(last_word, 0)]) - 1
    cut = np.where(before >= 0, sentence_ends[np.maximum(before, 0)], -1)
    has_cut = has_word & (cut >= review_starts)
    starts = cut[has_cut] + 1
    flags[ranges(starts, review_ends[has_cut] - starts)] = True
    return flags
