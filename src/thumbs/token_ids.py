"""Chunks of text to token ids, for a whole batch of reviews at once.

Label-only prediction (:meth:`thumbs.ngrams.NgramIndex.present`) turns every
review into the ids of its canonical tokens. Tokenizing each review with a
regex costs microseconds per review; instead the batch is cut at whitespace
(:func:`thumbs.text.lowered_chunks`) and each *chunk* ("the", "film,",
"isn't") is looked up in a memo of the ids of its tokens. No token spans
whitespace, so this gives exactly the ids of :func:`thumbs.text.tokenize`.

The memo maps a chunk to one integer *code*, so that a whole batch is looked
up with one ``np.fromiter`` and no Python loop:

* a chunk of one token (nine chunks in ten) has that token's id as its code;
* a chunk of several tokens ("film," -> "film" ","), code ``-2 - k``, has its
  ids at ``flat[start[k] : start[k] + length[k]]``, spliced in with NumPy.

Chunks never seen before are tokenized together, in one regex pass over all of
them (:meth:`ChunkMemo._learn`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import repeat

import numpy as np
from numpy.typing import NDArray

from thumbs.text import CHUNK_SEPARATOR, canonical_tokens

IntArray = NDArray[np.int64]

#: The code of a chunk the memo does not know.
UNKNOWN_CHUNK = -1


def ranges(starts: IntArray, lengths: IntArray) -> IntArray:
    """The concatenated ranges ``starts[i] .. starts[i] + lengths[i] - 1``.

    >>> ranges(np.array([5, 0, 9]), np.array([2, 0, 3])).tolist()
    [5, 6, 9, 10, 11]
    """
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(offsets[-1] + lengths[-1]) if len(lengths) else 0)


class ChunkMemo:
    """Token ids of whitespace-free chunks of lowercased, normalized text, remembered.

    Parameters
    ----------
    token_id:
        Id of each known token; it must give the separator id for
        :data:`~thumbs.text.CHUNK_SEPARATOR`.
    unknown_id:
        Id of a token not in ``token_id``.
    size:
        Most chunks remembered. When full the memo keeps what it has (the
        frequent chunks come first) and works out new chunks batch by batch.
    """

    def __init__(self, token_id: Mapping[str, int], unknown_id: Callable[[str], int], size: int) -> None:
        self._token_id = token_id
        self._unknown_id = unknown_id
        self._size = size
        self._separator = token_id[CHUNK_SEPARATOR]
        self._codes: dict[str, int] = {CHUNK_SEPARATOR: self._separator}
        # the ids of the chunks of several tokens: flat[start[k] : start[k] + length[k]]
        self._flat = np.zeros(0, dtype=np.int64)
        self._start = np.zeros(0, dtype=np.int64)
        self._length = np.zeros(0, dtype=np.int64)
        self._kept = (0, 0)  # how much of flat and start belongs to remembered chunks

    def ids(self, chunks: Sequence[str]) -> IntArray:
        """Token ids of ``chunks``, in order (chunk ``"\\x00"`` gives the separator id)."""
        codes = np.fromiter(map(self._codes.get, chunks, repeat(UNKNOWN_CHUNK)), dtype=np.int64, count=len(chunks))
        self._kept = (len(self._flat), len(self._start))
        unknown = np.flatnonzero(codes == UNKNOWN_CHUNK)
        if unknown.size:
            codes[unknown] = self._learn([chunks[i] for i in unknown.tolist()])
        several = np.flatnonzero(codes < 0)
        if several.size:
            codes = self._splice(codes, several)
        flat, start = self._kept
        if len(self._start) > start:  # chunks worked out for this batch only: the memo was full
            self._flat, self._start, self._length = self._flat[:flat], self._start[:start], self._length[:start]
        return codes

    def _splice(self, codes: IntArray, several: IntArray) -> IntArray:
        """Put the ids of the chunks of several tokens in place of their codes."""
        k = -2 - codes[several]
        lengths = self._length[k]
        counts = np.ones(len(codes), dtype=np.int64)
        counts[several] = lengths
        ids = np.repeat(codes, counts)
        # where each such chunk's first token lands once the chunks before it have grown
        landing = several + (np.cumsum(lengths) - lengths) - np.arange(len(several))
        ids[ranges(landing, lengths)] = self._flat[ranges(self._start[k], lengths)]
        return ids

    def _learn(self, chunks: list[str]) -> list[int]:
        """Codes of chunks the memo does not know (remembered while there is room).

        A chunk of letters is one token (no alternative of
        :data:`~thumbs.text.TOKEN_PATTERN` but the word matches it, and it has
        nothing to split off). The others are tokenized together, a separator
        after each, in two :func:`~thumbs.text.canonical_tokens` passes: no token
        spans whitespace, so a chunk's tokens are those between its separators.
        The chunks without an apostrophe or a ``..`` go first, in a pass that
        takes the regex's matches as they are.
        """
        new = list(dict.fromkeys(chunks))
        words = [chunk for chunk in new if chunk.isalpha()]
        plain = [chunk for chunk in new if not chunk.isalpha() and "'" not in chunk and ".." not in chunk]
        special = [chunk for chunk in new if not chunk.isalpha() and ("'" in chunk or ".." in chunk)]
        new = words + plain + special
        tokens = words.copy()
        for group in (plain, special):
            if group:
                tokens += canonical_tokens(f" {CHUNK_SEPARATOR} ".join(group) + f" {CHUNK_SEPARATOR}")
        get = self._token_id.get
        ids = np.fromiter(map(get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        for i in np.flatnonzero(ids < 0).tolist():  # tokens never seen in training
            ids[i] = self._unknown_id(tokens[i])
        # the words, then the others' tokens with a separator after each chunk
        ends = np.concatenate((np.arange(len(words)), len(words) + np.flatnonzero(ids[len(words) :] == self._separator)))
        starts = np.concatenate(([0], ends[:-1] + 1))
        starts[: len(words)] = ends[: len(words)]
        lengths = ends - starts
        lengths[: len(words)] = 1
        new_codes = ids[starts]
        several = np.flatnonzero(lengths > 1)
        remembered = min(max(self._size - len(self._codes), 0), len(new))
        kept = int(np.searchsorted(several, remembered))  # of the chunks of several tokens
        self._kept = (len(self._flat) + int(lengths[several[:kept]].sum()), len(self._start) + kept)
        if several.size:
            new_codes[several] = -2 - (len(self._start) + np.arange(len(several)))
            flat = ids[ranges(starts[several], lengths[several])]
            self._start = np.concatenate((self._start, len(self._flat) + np.cumsum(lengths[several]) - lengths[several]))
            self._length = np.concatenate((self._length, lengths[several]))
            self._flat = np.concatenate((self._flat, flat))
        codes = new_codes.tolist()
        self._codes.update(zip(new[:remembered], codes[:remembered]))
        code_of = dict(zip(new, codes))
        return [code_of[chunk] for chunk in chunks]
