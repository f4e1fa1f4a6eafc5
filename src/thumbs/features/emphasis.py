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

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from thumbs.features.int_sets import ranges

BoolArray = NDArray[np.bool_]
#: How many tokens back from each review's end :func:`last_words` looks, all reviews at once, before it
#: looks one review at a time (a review rarely ends in more than two punctuation marks).
STEPS_BACK = 4


def emphasized_positions(word: BoolArray, turn: BoolArray, sentence_end: BoolArray, separator: BoolArray) -> BoolArray:
    """Flags of the emphasized positions of a token stream.

    ``word``: a token with a letter or digit (turn words included); ``turn``: a turn
    word; ``sentence_end``: a sentence-ending token; ``separator``: the end of a
    review (the stream's end is one too). See :func:`thumbs.text.emphasis.emphasized`.
    """
    return emphasized_at(
        len(word), np.flatnonzero(turn), np.flatnonzero(sentence_end), np.flatnonzero(separator), word.__getitem__
    )


def emphasized_at(
    size: int,
    turns: NDArray[np.int64],
    sentence_ends: NDArray[np.int64],
    separators: NDArray[np.int64],
    word_at: Callable[[NDArray[np.int64]], BoolArray],
) -> BoolArray:
    """:func:`emphasized_positions` from the positions of the few tokens that matter, and ``word_at(positions)``.

    A batch's turn words, sentence ends and separators are a few tokens in ten, and
    whether a token is a word is asked only near each review's end: nothing here
    makes an array of every token's kind but the flags themselves.
    """
    flags = np.zeros(size, dtype=bool)
    if not size:
        return flags
    stops = np.union1d(sentence_ends, separators)
    if turns.size:  # after a turn word, up to the next sentence end or review end
        ends = np.append(stops, size)[np.searchsorted(stops, turns)]
        flags[ranges(turns + 1, ends - turns - 1)] = True
        flags[turns] = False  # a turn word in a turned clause is not itself emphasized
    # the last sentence: after the review's last sentence end that has a word after it
    if not sentence_ends.size:  # no review can have a last sentence apart from itself
        return flags
    review_ends = np.append(separators, size)
    review_starts = np.concatenate([[0], review_ends[:-1] + 1])
    last_word = last_words(word_at, review_starts, review_ends)
    before = np.searchsorted(sentence_ends, np.maximum(last_word, 0)) - 1
    cut = np.where(before >= 0, sentence_ends[np.maximum(before, 0)], -1)
    has_cut = (last_word >= 0) & (cut >= review_starts)
    starts = cut[has_cut] + 1
    flags[ranges(starts, review_ends[has_cut] - starts)] = True
    return flags


def last_words(
    word_at: Callable[[NDArray[np.int64]], BoolArray],
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    steps: int = STEPS_BACK,
) -> NDArray[np.int64]:
    """The position of each review's last word (``starts[i] <= position < ends[i]``), -1 for a review without one.

    A review ends in a word or a few punctuation marks, so stepping back from every
    end at once a few times finds nearly all of them without listing the batch's
    words; the few left (a long run of punctuation) are looked up one by one.

    >>> word = np.array([1, 0, 0, 1, 1, 0], bool)
    >>> last_words(word.__getitem__, np.array([0, 3]), np.array([3, 6])).tolist()
    [0, 4]
    """
    position = np.asarray(ends, dtype=np.int64) - 1
    found = np.full(len(ends), -1, dtype=np.int64)
    pending = np.flatnonzero(position >= starts)
    for _ in range(steps):
        if not pending.size:
            break
        at = position[pending]
        hit = np.asarray(word_at(at), dtype=bool)
        found[pending[hit]] = at[hit]
        pending = pending[~hit]
        position[pending] -= 1
        pending = pending[position[pending] >= starts[pending]]
    for review in pending.tolist():
        words = np.flatnonzero(word_at(np.arange(starts[review], position[review] + 1)))
        if words.size:
            found[review] = starts[review] + int(words[-1])
    return found
