"""Sets and runs of integers in NumPy: the small tools every feature step uses.

They work on int64 arrays of keys (a feature column, a token id, a (row, column)
pair packed into one integer), never on Python objects.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


def distinct(values: IntArray) -> IntArray:
    """Sorted distinct values of an int array.

    ``np.unique`` does the same, but for int64 arrays NumPy 2.x takes a hash
    path that is an order of magnitude slower here than sorting.

    >>> distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def multiplicity(values: IntArray) -> IntArray:
    """For each element, how many elements of ``values`` equal it.

    >>> multiplicity(np.array([5, 7, 5, 5])).tolist()
    [3, 1, 3, 3]
    """
    ordered = np.sort(values)
    return np.searchsorted(ordered, values, side="right") - np.searchsorted(ordered, values, side="left")


def ranges(starts: IntArray, lengths: IntArray) -> IntArray:
    """The concatenated ranges ``starts[i] .. starts[i] + lengths[i] - 1``.

    >>> ranges(np.array([5, 0, 9]), np.array([2, 0, 3])).tolist()
    [5, 6, 9, 10, 11]
    """
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(offsets[-1] + lengths[-1]) if len(lengths) else 0)


def members(values: IntArray, of: IntArray) -> NDArray[np.bool_]:
    """For each of ``values``, whether it is in the sorted array ``of``.

    >>> members(np.array([4, 1, 9]), np.array([1, 4, 5])).tolist()
    [True, True, False]
    """
    if not len(of):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(of, values), len(of) - 1)
    return np.asarray(of[at] == values, dtype=bool)
