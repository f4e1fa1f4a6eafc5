"""Hash tables from integer keys to integers, probed and filled with NumPy, a whole array at a time.

Scoring a batch of reviews looks up millions of keys: the n-grams of every
review (:class:`KeyTable`, one int64 key each) and the whitespace-free chunks of
their text (:class:`PairTable`, a chunk's first sixteen bytes as two int64
keys). Binary search over a million sorted keys costs ~20 cache misses a
lookup; open addressing with linear probing costs one or two, and every probe
round is a few NumPy operations over all the keys still unresolved.

Slots come from Fibonacci hashing: multiply by 2**64 / golden ratio and keep
the top bits. Tables hold at most half as many keys as slots (a quarter for
:class:`KeyTable`, on every review's path).

>>> table = KeyTable(np.array([5, 70, 3]), np.array([0, 1, 2]))
>>> table.lookup(np.array([3, 4, 70])).tolist()
[2, -1, 1]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]

#: Fibonacci hashing multiplier (2**64 / golden ratio), as int64 bits (products wrap as in uint64).
HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15).astype(np.int64)
#: Mixes the second key of a pair in before the first multiplier (an odd 64-bit constant).
SECOND_KEY_MULTIPLIER = np.uint64(0xC2B2AE3D27D4EB4F).astype(np.int64)
#: Marks an empty slot. KeyTable keys are never negative; a PairTable's first key never has
#: all its bits set (it is text's first eight UTF-8 bytes, and 0xFF is no UTF-8 byte).
EMPTY = -1


def _bits(capacity: int) -> int:
    """Slot bits for ``capacity`` keys at a load of one half or less (a power of two slots)."""
    return max(4, int(2 * max(capacity, 1) - 1).bit_length())


def _top_bits(hashed: IntArray, bits: int) -> IntArray:
    """The top ``bits`` bits of each hash, as slot numbers (in place; the views cost nothing)."""
    unsigned = hashed.view(np.uint64)
    return np.right_shift(unsigned, np.uint64(64 - bits), out=unsigned).view(np.int64)


def _place(first_keys: IntArray, keys: IntArray, slots: IntArray, mask: int) -> IntArray:
    """Put new distinct ``keys`` (first probes ``slots``) in the free slots of ``first_keys``; their slots.

    Linear probing, a round at a time: of the keys that probe the same free
    slot, one takes it (the scatter's last write, found without sorting) and
    the others move one slot on. Where a key lands never changes what a lookup
    finds.
    """
    slots = slots.copy()
    placed_at = np.full(len(slots), -1, dtype=np.int64)
    owner = np.empty(len(first_keys), dtype=np.int64)  # scratch: who wrote each slot last
    pending = np.arange(len(slots))
    while pending.size:
        candidates = pending[first_keys[slots[pending]] == EMPTY]
        wanted = slots[candidates]
        owner[wanted] = candidates
        winners = candidates[owner[wanted] == candidates]
        claimed = slots[winners]
        first_keys[claimed] = keys[winners]
        placed_at[winners] = claimed
        pending = pending[placed_at[pending] < 0]
        slots[pending] = (slots[pending] + 1) & mask
    return placed_at


class KeyTable:
    """A fixed hash table from non-negative int64 keys to non-negative int64 values, built once.

    A slot holds a key and its value in one int64, ``key << value_bits | value``,
    so one gather reads both; a key's bits and its value's must fit in 63. The
    table has four slots a key: few keys need a second probe.

    Parameters
    ----------
    keys, values:
        Distinct keys, and the value of each.
    """

    def __init__(self, keys: IntArray, values: IntArray) -> None:
        keys = np.asarray(keys, dtype=np.int64)
        values = np.asarray(values, dtype=np.int64)
        self._value_bits = int(values.max(initial=1)).bit_length()
        if int(keys.max(initial=0)).bit_length() + self._value_bits > 63:
            raise ValueError("keys and values too large to share an int64")
        self._value_mask = (1 << self._value_bits) - 1
        self._bits = _bits(2 * len(keys))
        self._mask = (1 << self._bits) - 1
        self._entries = np.full(1 << self._bits, EMPTY, dtype=np.int64)
        _place(self._entries, (keys << self._value_bits) | values, self._slots(keys), self._mask)

    def _slots(self, keys: IntArray) -> IntArray:
        return _top_bits(np.multiply(keys, HASH_MULTIPLIER), self._bits)

    def lookup(self, keys: IntArray) -> IntArray:
        """The value of each key, or -1 where the key is not in the table."""
        slots = self._slots(keys)
        # the first probe, over every key, without indirection: most keys end here
        stored = self._entries[slots]
        stored_keys = stored >> self._value_bits  # EMPTY stays -1, which no key is
        found = stored_keys == keys
        result = np.where(found, stored & self._value_mask, -1)
        active = np.flatnonzero(~found & (stored_keys != EMPTY))
        slots = (slots[active] + 1) & self._mask
        while active.size:
            stored = self._entries[slots]
            found = (stored >> self._value_bits) == keys[active]
            result[active[found]] = stored[found] & self._value_mask
            going_on = ~found & (stored != EMPTY)
            active, slots = active[going_on], (slots[going_on] + 1) & self._mask
        return result


class PairTable:
    """A hash table from pairs of int64 keys to int64 values that grows up to a capacity.

    The two keys of a slot sit side by side, so one gather of 16-byte items
    reads both.

    Parameters
    ----------
    capacity:
        Most pairs it will hold; :meth:`add` takes no more.

    >>> table = PairTable(capacity=4)
    >>> table.add(np.array([7, 7]), np.array([0, 1]), np.array([10, 11]))
    2
    >>> table.lookup(np.array([7, 7, 8]), np.array([1, 2, 0])).tolist()
    [11, -1, -1]
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._bits = _bits(capacity)
        self._mask = (1 << self._bits) - 1
        self._pairs = np.full(2 << self._bits, EMPTY, dtype=np.int64)  # first, second, first, second, ...
        self._as_items = self._pairs.view(np.complex128)  # one 16-byte item a slot, to gather pairs
        self._values = np.full(1 << self._bits, -1, dtype=np.int64)
        self.size = 0

    def _slots(self, first: IntArray, second: IntArray) -> IntArray:
        return _top_bits(np.multiply(first + np.multiply(second, SECOND_KEY_MULTIPLIER), HASH_MULTIPLIER), self._bits)

    def lookup(self, first: IntArray, second: IntArray) -> IntArray:
        """The value of each pair ``(first[i], second[i])``, or -1 where it is not in the table."""
        slots = self._slots(first, second)
        # the first probe, over every pair, without indirection: most pairs end here
        stored = self._as_items[slots].view(np.int64)
        stored_first = stored[0::2]
        found = (stored_first == first) & (stored[1::2] == second)
        result = np.where(found, self._values[slots], -1)
        active = np.flatnonzero(~found & (stored_first != EMPTY))
        slots = (slots[active] + 1) & self._mask
        while active.size:
            stored = self._as_items[slots].view(np.int64)
            stored_first = stored[0::2]
            found = (stored_first == first[active]) & (stored[1::2] == second[active])
            result[active[found]] = self._values[slots[found]]
            going_on = ~found & (stored_first != EMPTY)
            active, slots = active[going_on], (slots[going_on] + 1) & self._mask
        return result

    def add(self, first: IntArray, second: IntArray, values: IntArray) -> int:
        """Add distinct pairs not in the table, as many as there is room for, in order; how many went in."""
        count = max(0, min(len(first), self.capacity - self.size))
        if count:
            first, second = first[:count], second[:count]
            slots = _place(self._pairs[0::2], first, self._slots(first, second), self._mask)
            self._pairs[2 * slots + 1] = second
            self._values[slots] = values[:count]
            self.size += count
        return count
