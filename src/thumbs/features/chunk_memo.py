"""Chunks of text to token ids, for a whole batch of reviews at once.

Label-only prediction (:meth:`thumbs.features.index.NgramIndex.present`) turns every
review into the ids of its canonical tokens. Tokenizing each review with a
regex costs microseconds per review; instead the batch's lowered text
(:func:`thumbs.text.lowered.lowered_utf8`) is cut at whitespace into *chunks* ("the",
"film,", "isn't") and each chunk is looked up in a memo of the ids of its
tokens. No token spans whitespace, so this gives exactly the ids of
:func:`thumbs.text.tokens.tokenize`.

Nothing here makes a Python object per chunk. The text is cut as UTF-8 bytes
(:func:`chunk_spans`), and a chunk of up to sixteen bytes (999 in 1000) is
keyed by its bytes themselves, as two int64 (:func:`chunk_keys`): exact, no
hash to collide. The memo is a :class:`~thumbs.features.hash_tables.PairTable` from those
keys to one integer *code*:

* a chunk of one token (nine chunks in ten) has that token's id as its code;
* a chunk of several tokens ("film," -> "film" ","), code ``-2 - k``, has its
  ids at ``flat[start[k] : start[k] + length[k]]``, spliced in with NumPy.

Chunks the memo does not know (and the longer ones) are decoded and tokenized
together, in one regex pass over all of them (:meth:`ChunkMemo._learn`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np
from numpy.typing import NDArray

from thumbs.features.hash_tables import PairTable
from thumbs.features.int_sets import ranges
from thumbs.text.negation import NEGATION_WORDS
from thumbs.text.tokens import CHUNK_SEPARATOR, canonical_tokens

IntArray = NDArray[np.int64]
ByteArray = NDArray[np.uint8]

#: The code of a chunk the memo does not know.
UNKNOWN_CHUNK = -1
#: The bytes ``str.split()`` cuts ASCII text at: whitespace and the four information separators.
SPLIT_BYTES = (9, 10, 11, 12, 13, 28, 29, 30, 31, 32)
#: Bytes of a chunk in one key.
KEY_BYTES = 8
#: The longest chunk (in UTF-8 bytes) keyed by its bytes, in two keys; longer ones are decoded each time.
KEYED_BYTES = 2 * KEY_BYTES

#: The bytes of lowercase ASCII words (digits are word characters too).
WORD_BYTES = b"abcdefghijklmnopqrstuvwxyz0123456789"
#: Punctuation that joins two words into one token ("fist-fight", "10/10", "r&b"), and is a token of
#: its own anywhere else. An apostrophe joins too ("film's" -> "film" "'s" is a split of that token).
JOINER_BYTES = b"-/&"
#: Punctuation that is never part of a word's token (all but the joiners, an apostrophe and an underscore).
MARK_BYTES = b'!"#$%()*+,.:;<=>?@[\\]^`{|}~'
#: Words that start a URL when punctuation follows ("www." "http:").
URL_WORDS = ("www", "http", "https")

_IS_CHUNK_BYTE = np.ones(256, dtype=np.int8)
_IS_CHUNK_BYTE[list(SPLIT_BYTES)] = 0
_WORD, _JOINER, _MARK, _OTHER, _APOSTROPHE = 1, 2, 3, 4, 5
_BYTE_CLASS = np.full(256, _OTHER, dtype=np.int8)
_BYTE_CLASS[list(WORD_BYTES)] = _WORD
_BYTE_CLASS[list(JOINER_BYTES)] = _JOINER
_BYTE_CLASS[list(MARK_BYTES)] = _MARK
_BYTE_CLASS[ord("'")] = _APOSTROPHE
#: ``_LOW_BYTES[n]`` keeps the first ``n`` bytes of a little-endian int64 (all eight for n = 8).
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(KEY_BYTES)] + [-1], dtype=np.int64)


def chunk_spans(data: ByteArray) -> tuple[IntArray, IntArray]:
    """``(starts, lengths)`` of the chunks of UTF-8 text whose whitespace is ASCII: ``str.split()`` in bytes.

    >>> starts, lengths = chunk_spans(np.frombuffer(b" a bc\\td ", dtype=np.uint8))
    >>> starts.tolist(), lengths.tolist()
    ([1, 3, 6], [1, 2, 1])
    """
    inside = np.zeros(len(data) + 2, dtype=np.int8)
    np.take(_IS_CHUNK_BYTE, data, out=inside[1:-1])
    edges = np.flatnonzero(inside[1:] != inside[:-1])
    starts = edges[0::2]
    return starts, edges[1::2] - starts


def chunk_keys(padded: ByteArray, starts: IntArray, lengths: IntArray) -> tuple[IntArray, IntArray]:
    """The first and second eight bytes of each chunk as int64, zero past its end.

    ``padded`` holds the text's bytes and then at least :data:`KEY_BYTES` zeros.
    No chunk holds a zero byte (a NUL is a chunk of its own), so the keys of
    a chunk of up to :data:`KEYED_BYTES` bytes tell it from every other.

    >>> padded = np.frombuffer(b"ab cdefghijk" + bytes(8), dtype=np.uint8)
    >>> first, second = chunk_keys(padded, np.array([0, 3]), np.array([2, 9]))
    >>> [hex(k) for k in first], [hex(k) for k in second]
    (['0x6261', '0x6a69686766656463'], ['0x0', '0x6b'])
    """
    # every offset of the bytes read as a little-endian int64 (unaligned, a view: nothing copied)
    words = np.ndarray((len(padded) - KEY_BYTES + 1,), dtype="<i8", buffer=padded, strides=(1,))
    first = words[starts] & _LOW_BYTES[np.minimum(lengths, KEY_BYTES)]
    second = np.zeros(len(starts), dtype=np.int64)
    longer = np.flatnonzero(lengths > KEY_BYTES)
    second[longer] = words[starts[longer] + KEY_BYTES] & _LOW_BYTES[np.minimum(lengths[longer] - KEY_BYTES, KEY_BYTES)]
    return first, second


class GrowingArray:
    """An int64 array that grows at its end in amortized constant time (its capacity doubles)."""

    def __init__(self) -> None:
        self._data = np.zeros(1024, dtype=np.int64)
        self.size = 0

    @property
    def values(self) -> IntArray:
        return self._data[: self.size]

    def extend(self, values: IntArray) -> None:
        end = self.size + len(values)
        if end > len(self._data):
            self._data = np.concatenate(
                (self._data[: self.size], np.zeros(max(end, 2 * len(self._data)) - self.size, dtype=np.int64))
            )
        self._data[self.size : end] = values
        self.size = end


_URL_WORD_KEYS = chunk_keys(
    np.frombuffer(" ".join(URL_WORDS).encode() + bytes(KEY_BYTES), dtype=np.uint8),
    *chunk_spans(np.frombuffer(" ".join(URL_WORDS).encode(), dtype=np.uint8)),
)[0]


@dataclass(frozen=True)
class Spans:
    """Chunks of a batch's UTF-8 bytes (or parts of chunks): where each starts, its length, its keys."""

    padded: ByteArray  # the bytes, then KEY_BYTES zeros
    starts: IntArray
    lengths: IntArray
    first: IntArray
    second: IntArray

    @classmethod
    def of(cls, padded: ByteArray, starts: IntArray, lengths: IntArray) -> Spans:
        return cls(padded, starts, lengths, *chunk_keys(padded, starts, lengths))

    def take(self, which: IntArray) -> Spans:
        return Spans(self.padded, self.starts[which], self.lengths[which], self.first[which], self.second[which])

    def texts(self) -> list[str]:
        raw = memoryview(self.padded.data)  # the batch's bytes, not copied
        return [str(raw[s : s + n], "utf-8") for s, n in zip(self.starts.tolist(), self.lengths.tolist())]

    def distinct(self) -> tuple[IntArray, IntArray]:
        """The first span of each distinct pair of keys, in order, and for every span the rank of its pair's."""
        order = np.lexsort((self.second, self.first))  # stable: a group's first is its earliest span
        first, second = self.first[order], self.second[order]
        new = np.ones(len(order), dtype=bool)
        new[1:] = (first[1:] != first[:-1]) | (second[1:] != second[:-1])
        one = order[new]
        by_position = np.argsort(one)
        rank_of_group = np.empty(len(one), dtype=np.int64)
        rank_of_group[by_position] = np.arange(len(one))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = rank_of_group[np.cumsum(new) - 1]
        return one[by_position], rank


class ChunkMemo:
    """Token ids of whitespace-free chunks of lowercased, normalized text, remembered.

    Parameters
    ----------
    token_id:
        Id of each known token; it must give the separator id for
        :data:`~thumbs.text.tokens.CHUNK_SEPARATOR`.
    unknown_id:
        Id of a token not in ``token_id``.
    size:
        Most chunks remembered. When (nearly) full the memo keeps what it has
        (the frequent chunks come first) and works out new chunks batch by batch.

    Its first use fills it with every word of ``token_id`` and the negation
    words. From then on most chunks it does not know need no regex
    (:meth:`_compose`): a chunk of letters is a word never seen, and one of
    punctuation, a word, punctuation ("(film", "end.") is put together from
    the ids of its parts.
    """

    def __init__(self, token_id: Mapping[str, int], unknown_id: Callable[[str], int], size: int) -> None:
        self._token_id = token_id
        self._unknown_id = unknown_id
        self._size = size
        self._separator = token_id[CHUNK_SEPARATOR]
        self._unknown_word = unknown_id("x")  # the id of any word (not a negation word) outside the vocabulary
        self._table: PairTable | None = None  # made on first use
        # the ids of the chunks of several tokens: flat[start[k] : start[k] + length[k]]
        self._flat, self._start, self._length = GrowingArray(), GrowingArray(), GrowingArray()

    def ids(self, raw: bytes) -> IntArray:
        """Token ids of the chunks of UTF-8 text (``raw.decode().split()``), in order (chunk ``"\\x00"`` gives the separator id).

        All whitespace in the text must be ASCII, as in :func:`~thumbs.text.lowered.lowered_utf8`.
        """
        padded = np.frombuffer(raw + bytes(KEY_BYTES), dtype=np.uint8)
        chunks = Spans.of(padded, *chunk_spans(padded[: len(raw)]))
        table = self._words()
        codes = table.lookup(chunks.first, chunks.second)
        codes[chunks.lengths > KEYED_BYTES] = UNKNOWN_CHUNK  # their keys hold only their first bytes
        unknown = np.flatnonzero(codes == UNKNOWN_CHUNK)
        kept = (self._flat.size, self._start.size)
        # what this batch brings is remembered only if all of it fits (a chunk, and two parts of it, each)
        remember = table.capacity - table.size >= 3 * len(unknown)
        if unknown.size:
            unknown = self._compose(chunks.take(unknown), codes, unknown, remember)
        if unknown.size and remember:  # punctuation just learned as part of a chunk
            codes[unknown] = table.lookup(chunks.first[unknown], chunks.second[unknown])
            codes[unknown[chunks.lengths[unknown] > KEYED_BYTES]] = UNKNOWN_CHUNK
            unknown = unknown[codes[unknown] == UNKNOWN_CHUNK]
        if unknown.size:
            codes[unknown] = self._learn(chunks.take(unknown), remember)
        several = np.flatnonzero(codes < 0)
        if several.size:
            codes = self._splice(codes, several)
        if not remember:  # the ids of chunks worked out for this batch only
            self._flat.size, self._start.size = kept
            self._length.size = self._start.size
        return codes

    def _words(self) -> PairTable:
        """The table of the memo, made on first use with the chunk "\\x00" and every token that is a chunk."""
        if self._table is None:
            short = {t for t in [*self._token_id, *NEGATION_WORDS] if len(t.encode("utf-8")) <= KEYED_BYTES}
            words = sorted(t for t in short if t == t.lower() and not t.isspace() and t != CHUNK_SEPARATOR)
            raw = " ".join([CHUNK_SEPARATOR, *words]).encode("utf-8")
            padded = np.frombuffer(raw + bytes(KEY_BYTES), dtype=np.uint8)
            spans = Spans.of(padded, *chunk_spans(padded[: len(raw)]))
            self._table = PairTable(max(self._size, len(words) + 1))
            self._table.add(spans.first, spans.second, np.append(self._separator, self._codes(*self._tokens_of(words))))
        return self._table

    def _compose(self, chunks: Spans, codes: IntArray, at: IntArray, remember: bool) -> IntArray:
        """Codes of unknown chunks made of words and punctuation, put in ``codes[at]``; what is left of ``at``.

        A chunk is cut into *parts*: words (word characters, and single joiners
        between two of them: "fist-fight", "film's") and the punctuation between
        them ("(", "),", "..."). For an ASCII chunk without an underscore, and
        without an apostrophe outside a word, its tokens are those of its parts
        in order: :data:`~thumbs.text.tokens.TOKEN_PATTERN` takes such a word whole, as
        one match (which :func:`~thumbs.text.tokens.canonical_tokens` may split at an
        apostrophe), and no alternative of it joins a word to punctuation
        without a word character after it, nor starts in punctuation and takes a
        word character, but for URLs (so chunks with the word "www", "http" or
        "https" are left out) and for a leading apostrophe ("'s").

        The parts are looked up as chunks of their own. A word without an
        apostrophe that the memo does not know is a word never seen, since the
        memo holds every token of the vocabulary that is a chunk of its own;
        other parts it does not know are learned (:meth:`_learn`).
        """
        n = chunks.lengths
        offsets = np.cumsum(n) - n
        classes = _BYTE_CLASS[chunks.padded[ranges(chunks.starts, n)]]
        word = classes == _WORD
        apostrophe = classes == _APOSTROPHE
        after_word = np.zeros(len(classes), dtype=bool)
        after_word[1:] = word[:-1]
        after_word[offsets] = False
        before_word = np.zeros(len(classes), dtype=bool)
        before_word[:-1] = word[1:]
        before_word[offsets + n - 1] = False
        in_word = word | (((classes == _JOINER) | apostrophe) & after_word & before_word)
        bad = (classes == _OTHER) | (apostrophe & ~in_word)
        # the parts: runs of word or of punctuation, each chunk starting one
        starts_part = np.ones(len(classes), dtype=bool)
        starts_part[1:] = in_word[1:] != in_word[:-1]
        starts_part[offsets] = True
        part_at = np.flatnonzero(starts_part)
        owner = np.searchsorted(offsets, part_at, side="right") - 1
        parts = Spans.of(
            chunks.padded, chunks.starts[owner] + part_at - offsets[owner], np.diff(part_at, append=len(classes))
        )
        is_word = in_word[part_at]
        plain_word = is_word & (np.add.reduceat(apostrophe, part_at, dtype=np.int64) == 0)  # one token
        url = is_word & np.isin(parts.first, _URL_WORD_KEYS) & (parts.lengths <= max(map(len, URL_WORDS)))
        lone_apostrophe_word = (np.bincount(owner, minlength=len(n)) == 1) & (
            np.add.reduceat(apostrophe, offsets, dtype=np.int64) > 0
        )  # is its own part
        composed = (
            (np.add.reduceat(bad, offsets, dtype=np.int64) == 0)
            & (np.add.reduceat(word, offsets, dtype=np.int64) > 0)
            & (n <= KEYED_BYTES)
            & (np.bincount(owner, weights=url, minlength=len(n)) == 0)
            & ~lone_apostrophe_word
        )
        which = np.flatnonzero(composed)
        if which.size:
            whole = chunks.take(which)
            one, rank = whole.distinct()
            first_of = np.full(len(n), -1, dtype=np.int64)  # each distinct chunk's rank among them
            first_of[which[one]] = np.arange(len(one))
            mine = np.flatnonzero(first_of[owner] >= 0)
            new_codes = self._parts_codes(parts.take(mine), first_of[owner[mine]], plain_word[mine], len(one), remember)
            if remember:
                self._words().add(whole.first[one], whole.second[one], new_codes)
            codes[at[which]] = new_codes[rank]
        return at[~composed]

    def _parts_codes(
        self, parts: Spans, owner: IntArray, plain_word: NDArray[np.bool_], count: int, remember: bool
    ) -> IntArray:
        """Codes of ``count`` chunks from their ``parts``, in order (``owner``: whose part each is, ascending).

        ``plain_word`` tells the parts that are words without an apostrophe (one token each).
        """
        codes = self._words().lookup(parts.first, parts.second)
        codes[plain_word & (codes == UNKNOWN_CHUNK)] = self._unknown_word  # a word never seen
        missing = np.flatnonzero(codes == UNKNOWN_CHUNK)  # punctuation, or a word with an apostrophe, not seen alone
        if missing.size:
            codes[missing] = self._learn(parts.take(missing), remember)
        several = np.flatnonzero(codes < 0)
        part_lengths = np.ones(len(codes), dtype=np.int64)
        part_lengths[several] = self._length.values[-2 - codes[several]]
        ids = self._splice(codes, several) if several.size else codes
        token_lengths = np.bincount(owner, weights=part_lengths, minlength=count).astype(np.int64)
        return self._codes(ids, np.cumsum(token_lengths) - token_lengths, token_lengths)

    def _splice(self, codes: IntArray, several: IntArray) -> IntArray:
        """Put the ids of the chunks of several tokens in place of their codes."""
        k = -2 - codes[several]
        lengths = self._length.values[k]
        counts = np.ones(len(codes), dtype=np.int64)
        counts[several] = lengths
        ids = np.repeat(codes, counts)
        # where each such chunk's first token lands once the chunks before it have grown
        landing = several + (np.cumsum(lengths) - lengths) - np.arange(len(several))
        ids[ranges(landing, lengths)] = self._flat.values[ranges(self._start.values[k], lengths)]
        return ids

    def _learn(self, chunks: Spans, remember: bool) -> IntArray:
        """Codes of chunks the memo does not know, tokenized (and, if ``remember``, remembered if they can be keyed)."""
        texts = chunks.texts()
        index_of: dict[str, int] = {}
        rank = np.array([index_of.setdefault(text, len(index_of)) for text in texts], dtype=np.int64)
        new = list(index_of)
        codes = self._codes(*self._tokens_of(new))
        if remember:
            one = np.empty(len(new), dtype=np.int64)
            one[rank] = np.arange(len(rank))  # a chunk of each text
            one = one[chunks.lengths[one] <= KEYED_BYTES]
            self._words().add(chunks.first[one], chunks.second[one], codes[rank[one]])
        return codes[rank]

    def _codes(self, ids: IntArray, starts: IntArray, lengths: IntArray) -> IntArray:
        """Codes of chunks whose tokens' ids are ``ids[starts[i] : starts[i] + lengths[i]]`` (the ids of those of several kept)."""
        codes = ids[starts]
        several = np.flatnonzero(lengths > 1)
        if several.size:
            codes[several] = -2 - (self._start.size + np.arange(len(several)))
            self._start.extend(self._flat.size + np.cumsum(lengths[several]) - lengths[several])
            self._length.extend(lengths[several])
            self._flat.extend(ids[ranges(starts[several], lengths[several])])
        return codes

    def _tokens_of(self, chunks: Sequence[str]) -> tuple[IntArray, IntArray, IntArray]:
        """Token ids of each chunk: ``(ids, starts, lengths)``, chunk i's at ``ids[starts[i] : starts[i] + lengths[i]]``.

        A chunk of letters is one token (no alternative of
        :data:`~thumbs.text.tokens.TOKEN_PATTERN` but the word matches it, and it has
        nothing to split off). The others are tokenized together, a separator
        after each, in two :func:`~thumbs.text.tokens.canonical_tokens` passes: no token
        spans whitespace, so a chunk's tokens are those between its separators.
        The chunks without an apostrophe or a ``..`` go first, in a pass that
        takes the regex's matches as they are.
        """
        words: list[int] = []
        plain: list[int] = []
        special: list[int] = []
        for i, chunk in enumerate(chunks):
            (words if chunk.isalpha() else special if "'" in chunk or ".." in chunk else plain).append(i)
        tokens = [chunks[i] for i in words]
        for group in (plain, special):
            if group:
                tokens += canonical_tokens(
                    f" {CHUNK_SEPARATOR} ".join([chunks[i] for i in group]) + f" {CHUNK_SEPARATOR}"
                )
        get = self._token_id.get
        ids = np.fromiter(map(get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        for i in np.flatnonzero(ids < 0).tolist():  # tokens never seen in training
            ids[i] = self._unknown_id(tokens[i])
        # the words, then the others' tokens with a separator after each chunk
        ends = np.concatenate(
            (np.arange(len(words)), len(words) + np.flatnonzero(ids[len(words) :] == self._separator))
        )
        grouped_starts = np.concatenate(([0], ends[:-1] + 1))
        grouped_starts[: len(words)] = ends[: len(words)]
        grouped_lengths = ends - grouped_starts
        grouped_lengths[: len(words)] = 1
        order = np.array(words + plain + special, dtype=np.int64)
        starts = np.empty(len(chunks), dtype=np.int64)
        lengths = np.empty(len(chunks), dtype=np.int64)
        starts[order], lengths[order] = grouped_starts, grouped_lengths
        return ids, starts, lengths
