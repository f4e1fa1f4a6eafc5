"""Offsets in the text as the user gave it, of the tokens and sentences found in its normalized form.

:func:`thumbs.text.sentences.split_sentences` gives offsets into :func:`thumbs.text.normalize.normalize`'s
output, whose tags are gone, entities unescaped and dashes spaced. To show or mark the words in the text
as given (a phrase's evidence, a sentence in a report), :class:`TextOffsets` takes those offsets back:

>>> from thumbs.text.sentences import split_sentences
>>> text = "Didn&#39;t <i>like</i> it&hellip;"
>>> offsets = TextOffsets(text)
>>> sentence = split_sentences(text)[0]
>>> [text[start:end] for start, end in offsets.token_spans(sentence)]
['Did', 'n&#39;t', 'like', 'it', '&hellip;']

The map is made when first asked for, once per text, and only when some step of normalizing can change
an offset: a plain ASCII review (no tag, entity, LaTeX quote, spaced ellipsis, carriage return, tab or
double space) maps every offset to itself, and costs nothing more.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from thumbs.text.normalize import keeps_offsets, normalize, normalize_with_origins
from thumbs.text.sentences import Sentence
from thumbs.text.tokens import line_tokens


def may_share_characters(text: str) -> bool:
    """Whether some character of ``text`` may become several tokens in ``normalize(text)``.

    Only two steps of :func:`~thumbs.text.normalize.normalize` make one character (or one
    reference) more than one: NFKC ("½" is "1⁄2") and a character reference whose character
    does (``&frac12;``), or that stands for two (``&NotEqualTilde;``). A text with no "&" that
    NFKC leaves as it is (most reviews, ASCII or not) has neither, and is told in one scan.
    """
    if "&" in text:
        return True
    return not text.isascii() and not unicodedata.is_normalized("NFKC", text)


class TextOffsets:
    """Where the pieces of normalize(text) came from in text (the text as the user gave it).

    A span it gives holds every character that its piece of the normalized text came from, and
    never a tag or anything else normalizing dropped: "didn't" gives ``Did`` and ``n't``, ``&amp;``
    is the span of ``&``, ``—`` of ``--``, a letter and its combining accent of the composed letter.
    Where one character became several tokens (``½``: ``1``, ``⁄``, ``2``), each has its span.
    """

    __slots__ = ("text", "_normalized", "_origins", "_mapped")

    def __init__(self, text: str) -> None:
        self.text = text
        self._normalized: str | None = None
        self._origins: NDArray[np.intp] | None = None  # None: the identity
        self._mapped = False

    @property
    def normalized(self) -> str:
        """``normalize(text)``, computed once."""
        if self._normalized is None:
            self._normalized = normalize(self.text)
        return self._normalized

    def _map(self) -> NDArray[np.intp] | None:
        """The origins of the normalized text's characters (:func:`normalize_with_origins`), made once."""
        if not self._mapped:
            self._mapped = True
            if not keeps_offsets(self.text):
                normalized, origins = normalize_with_origins(self.text)
                if self._normalized is None:
                    self._normalized = normalized
                self._origins = origins
        return self._origins

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Normalized offsets [start, end) -> the offsets in ``text`` of the characters they came from.

        An empty stretch maps to an empty one where its position came from.
        """
        origins = self._map()
        if origins is None:
            return start, end
        if start >= end:
            at = int(origins[0, start]) if start < origins.shape[1] else len(self.text)
            return at, at
        return int(origins[0, start]), int(origins[1, end - 1])

    def token_spans(self, sentence: Sentence) -> list[tuple[int, int]]:
        """One (start, end) in ``text`` per token of ``sentence.tokens``, in order.

        ``sentence`` is one of ``split_sentences(text)``, which keeps its tokens' offsets (a
        sentence made otherwise has only its own text tokenized again).
        """
        if len(sentence.token_starts) == len(sentence.tokens):  # kept by split_sentences
            starts, ends = list(sentence.token_starts), list(sentence.token_ends)
        else:
            tokens, starts, ends = line_tokens(sentence.text, sentence.start)
            if len(tokens) != len(sentence.tokens):  # not known to happen: find its tokens in its line
                starts, ends = self._line_offsets(sentence)
        origins = self._map()
        if origins is None or not ends:
            return list(zip(starts, ends))
        if self.normalized[sentence.start : sentence.end] != sentence.text:
            raise ValueError(f"not a sentence of this text: {sentence.text!r}")
        count = len(ends)  # line_tokens' starts may hold one more: where the line ends
        low = origins[0, starts[:count]].tolist()
        high = origins[1, np.subtract(ends, 1)].tolist()
        return list(zip(low, high))

    def spans(self, starts: Sequence[int], ends: Sequence[int]) -> list[tuple[int, int]]:
        """Normalized spans ``[starts[i], ends[i])`` (each non-empty) -> their spans in ``text``.

        For a few tokens at a time (a phrase's): no sentence is tokenized again, and each
        offset is read from the map on its own.
        """
        origins = self._map()
        if origins is None:
            return list(zip(starts, ends))
        low, high = origins[0], origins[1]
        return [(int(low[a]), int(high[b - 1])) for a, b in zip(starts, ends)]

    def shared(self, starts: NDArray[np.int64], ends: NDArray[np.int64]) -> NDArray[np.bool_] | None:
        """For tokens in order (normalized spans), whether each came from a character of the token before.

        Where NFKC made one character several tokens ("½" is "1⁄2", and so is ``&frac12;``).
        None when no token can (:func:`may_share_characters`), or none does.
        """
        if not may_share_characters(self.text):
            return None
        origins = self._map()
        if origins is None or not len(starts):
            return None
        low, high = origins[0, starts], origins[1, ends - 1]
        shared = np.zeros(len(starts), dtype=bool)
        shared[1:] = low[1:] < high[:-1]
        return shared if shared.any() else None

    def words(self, sentence: Sentence, first: int, end: int) -> tuple[str, tuple[tuple[int, int], ...]]:
        """Tokens ``first:end`` of ``sentence`` (one of ``split_sentences(text)``) as written, and their spans in ``text``.

        The spans are stretches of ``text`` (:func:`stretches`): one, unless something other than
        space (a dropped tag) stands between the tokens; the words are those stretches joined by a
        space. A character that became several tokens goes to the first of them (:func:`disjoint`),
        so the words of two token ranges that do not overlap never share a character.
        """
        before = max(first - 1, 0)  # the token before, whose span the first one's may share
        spans = self.spans(sentence.token_starts[before:end], sentence.token_ends[before:end])
        found = stretches(self.text, disjoint(spans, first - before))
        return " ".join(self.text[a:b] for a, b in found), tuple(found)

    def sentence_span(self, sentence: Sentence) -> tuple[int, int]:
        """(start, end) in ``text`` of the whole sentence."""
        return self.original(sentence.start, sentence.end)

    def _line_offsets(self, sentence: Sentence) -> tuple[list[int], list[int]]:
        """The normalized offsets of ``sentence``'s tokens, from the tokens of its whole line."""
        normalized = self.normalized
        begin = normalized.rfind("\n", 0, sentence.start) + 1
        stop = normalized.find("\n", sentence.start)
        _, starts, ends = line_tokens(normalized[begin : len(normalized) if stop < 0 else stop], begin)
        kept = [(a, b) for a, b in zip(starts, ends) if a >= sentence.start and b <= sentence.end]
        return [a for a, _ in kept], [b for _, b in kept]


def disjoint(spans: list[tuple[int, int]], skip: int) -> list[tuple[int, int]]:
    """``spans[skip:]``, none sharing a character with the span before it (``skip`` is 0 or 1).

    A character that became several tokens ("½" is "1⁄2") goes to the first of them, so no
    two token ranges cover one character. Token ends never decrease, so the token just before
    is the only one a token can overlap.
    """
    reached = spans[skip - 1][1] if skip else 0
    kept = []
    for start, stop in spans[skip:]:
        start = start if start >= reached else reached
        kept.append((start, stop if stop >= start else start))
        reached = stop
    return kept


def stretches(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token spans joined into stretches of ``text``, broken only where something other than space stands between.

    Empty spans (tokens whose character an earlier token took, :func:`disjoint`) add nothing.
    """
    found: list[tuple[int, int]] = []
    for start, end in spans:
        if start == end:
            continue
        if found and (start == found[-1][1] or text[found[-1][1] : start].isspace()):
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
    return found
