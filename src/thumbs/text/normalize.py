r"""Normalize a review: HTML, quotes, dashes and ellipses in one canonical form.

Users hand thumbs raw review text (mixed case, ``<br />`` tags, HTML entities, curly and
straight quotes) and the Cornell corpora's tokenized form (LaTeX quotes ``` `` ``` and ``''``,
spaced ellipses ``. . .``). :func:`normalize` maps both to one form, keeping letter case for
display; every later step of :mod:`thumbs.text` reads its output.

>>> normalize("It&#39;s ``fine'' . . . <br />Really.")
'It\'s "fine" ... \nReally.'

:func:`normalize_with_origins` runs the same steps and also says where each character of the
result came from, so that offsets into the normalized text can be taken back to the text as given
(:mod:`thumbs.text.offsets`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

#: HTML line and paragraph breaks: they end a sentence, like a newline.
LINE_BREAK_TAG = re.compile(r"<\s*(?:br|p|/p|div|/div|li)\b[^>]{0,100}>", re.IGNORECASE)

#: Any other HTML tag is dropped (IMDb reviews sometimes carry <i>, <b>, <a ...>).
OTHER_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")

#: Characters mapped to their plain ASCII form before tokenizing, so that curly
#: quotes, typographic dashes and the corpus' LaTeX quotes all look alike.
CHARACTER_MAP = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": " - ",
    "\u2014": " -- ",
    "\u2015": " -- ",
    "\u2026": "...",
    "\u00a0": " ",
}

#: One pattern for every key of CHARACTER_MAP (str.translate with a dict is slow on long texts).
_MAPPED_CHARACTER = re.compile("|".join(map(re.escape, CHARACTER_MAP)))

LATEX_QUOTES = re.compile(r"``|''")

#: ". . ." (the corpus' ellipsis) and "...." both become one "...".
SPACED_ELLIPSIS = re.compile(r"\.(?:[ \t]+\.){2,}")

#: Runs of spaces, or any other horizontal whitespace, become one space (a lone space is
#: left alone: matching every single space made this the slowest step of normalizing).
HORIZONTAL_SPACE = re.compile(r"[^\S\n]{2,}|[^\S\n ]")


def normalize(text: str) -> str:
    """Return ``text`` with HTML, quotes, dashes and ellipses in one canonical form.

    Case is kept (for display); line breaks and ``<br />`` become ``\\n``, which
    always ends a sentence. Each step runs only when its trigger character is
    present: most reviews are plain ASCII without tags, and this is on every
    review's path.
    """
    if "<" in text:
        text = LINE_BREAK_TAG.sub("\n", text)
        text = OTHER_TAG.sub(" ", text)
    text = html.unescape(text)  # returns at once when there is no "&"
    if not text.isascii():
        text = plain_characters(text)
    text = quotes_and_ellipses(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() or any(space in text for space in _ASCII_SPACING):
        text = HORIZONTAL_SPACE.sub(" ", text)
    return text


def quotes_and_ellipses(text: str) -> str:
    """The LaTeX quote, backquote and spaced-ellipsis steps of :func:`normalize`."""
    if "``" in text or "''" in text:
        text = LATEX_QUOTES.sub('"', text)
    if "`" in text:
        text = text.replace("`", "'")
    if ". ." in text or ".\t." in text:
        text = SPACED_ELLIPSIS.sub("...", text)
    return text


#: What :data:`HORIZONTAL_SPACE` would change in an ASCII text (scanning for these is cheap).
_ASCII_SPACING = ("  ", "\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def plain_characters(text: str) -> str:
    """NFKC, then :data:`CHARACTER_MAP` (the step of :func:`normalize` for non-ASCII text)."""
    return _MAPPED_CHARACTER.sub(lambda m: CHARACTER_MAP[m.group()], unicodedata.normalize("NFKC", text))


#: What makes some step of :func:`normalize` change an ASCII text (the triggers of its steps).
_ASCII_TRIGGERS = ("<", "&", "`", "''", ". .", "\r", *_ASCII_SPACING)


def keeps_offsets(text: str) -> bool:
    """Whether :func:`normalize` surely leaves ``text`` as it is (plain ASCII that triggers no step).

    A few scans for the characters that trigger a step, as :func:`normalize` makes them; most
    reviews pass, and their offsets need no map.
    """
    return text.isascii() and not any(trigger in text for trigger in _ASCII_TRIGGERS)


#: An HTML character reference as :func:`html.unescape` finds one (its own pattern, which is private).
_CHARACTER_REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")

#: A run of characters past ASCII, with the character before it (a letter a combining mark composes with).
#: NFKC never reaches further: an ASCII character is a starter that no composition ends with.
_NON_ASCII_RUN = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")

_CARRIAGE_RETURN_LINE_FEED = re.compile(r"\r\n")

#: One replacement made by a step of :func:`normalize`: ``text[start:end]`` became ``replacement``.
Edit = tuple[int, int, str]


def normalize_with_origins(text: str) -> tuple[str, NDArray[np.intp] | None]:
    """:func:`normalize` ``text``, and say where each character of the result came from in ``text``.

    The origins are ``None`` when every character of the result is the character at the same
    offset of ``text`` (no step changed a length); else an array of shape ``(2, len(result))``:
    ``result[i]`` came from ``text[origins[0, i]:origins[1, i]]``. Both rows never decrease, so
    a stretch ``result[a:b]`` came from ``text[origins[0, a]:origins[1, b - 1]]``. A replacement
    maps to what it replaced (``&amp;`` for ``&``, ``—`` for each character of `` -- ``, the whole
    tag for its space), less what both share at either end (``a…`` -> ``a...``: ``a`` stays ``a``).

    Each step of :func:`normalize` runs on the same condition, with its edits read off its own
    pattern's matches; the maps are composed step by step in O(n). The result is
    ``normalize(text)`` exactly (the tests check it on generated texts).
    """
    tracked = _Tracked(text)
    if "<" in text:
        tracked.substitute(LINE_BREAK_TAG, "\n")
        tracked.substitute(OTHER_TAG, " ")
    if "&" in tracked.text:
        references = _CHARACTER_REFERENCE.finditer(tracked.text)
        tracked.apply([(m.start(), m.end(), html.unescape(m.group())) for m in references])
    if not tracked.text.isascii():
        composed = unicodedata.normalize("NFKC", tracked.text)
        if composed != tracked.text:
            tracked.apply(_compatibility_edits(tracked.text, composed), composed)
        mapped = _MAPPED_CHARACTER.finditer(tracked.text)
        tracked.apply([(m.start(), m.end(), CHARACTER_MAP[m.group()]) for m in mapped])
    if "``" in tracked.text or "''" in tracked.text:
        tracked.substitute(LATEX_QUOTES, '"')
    if "`" in tracked.text:
        tracked.apply([], tracked.text.replace("`", "'"))
    if ". ." in tracked.text or ".\t." in tracked.text:
        tracked.substitute(SPACED_ELLIPSIS, "...")
    if "\r" in tracked.text:
        crlf = [(m.start(), m.end(), "\n") for m in _CARRIAGE_RETURN_LINE_FEED.finditer(tracked.text)]
        tracked.apply(crlf, tracked.text.replace("\r\n", "\n").replace("\r", "\n"))
    if not tracked.text.isascii() or any(space in tracked.text for space in _ASCII_SPACING):
        tracked.substitute(HORIZONTAL_SPACE, " ")
    return tracked.text, tracked.origins()


def _compatibility_edits(text: str, composed: str) -> list[Edit]:
    """The edits that make ``text`` its NFKC form ``composed``, as fine as can be shown right.

    Each run past ASCII (with the character before it) is composed on its own, and within it each
    starter with its combining marks; where the marks' results do not add up to the run's, the
    run is one edit. Should the runs not add up to ``composed`` (no known text does this), each
    line is one edit (no composition reaches across a line break), and last the whole text.
    """
    edits: list[Edit] = []
    for run in _NON_ASCII_RUN.finditer(text):
        piece = run.group()
        target = unicodedata.normalize("NFKC", piece)
        if target == piece:
            continue
        clusters = _clusters(piece)
        results = [unicodedata.normalize("NFKC", cluster) for _, cluster in clusters]
        if "".join(results) != target:
            clusters = _grouped(clusters)
            results = [unicodedata.normalize("NFKC", cluster) for _, cluster in clusters]
        if "".join(results) != target:
            edits.append((run.start(), run.end(), target))
            continue
        for (at, cluster), result in zip(clusters, results):
            if result != cluster:
                edits.append((run.start() + at, run.start() + at + len(cluster), result))
    if _edited(text, edits) == composed:
        return edits
    edits, start = [], 0
    for line in text.split("\n"):
        result = unicodedata.normalize("NFKC", line)
        if result != line:
            edits.append((start, start + len(line), result))
        start += len(line) + 1
    return edits if _edited(text, edits) == composed else [(0, len(text), composed)]


def _clusters(piece: str) -> list[tuple[int, str]]:
    """(offset, cluster) of each starter of ``piece`` with the combining marks after it."""
    clusters, begin = [], 0
    for i in range(1, len(piece)):
        if not unicodedata.combining(piece[i]):
            clusters.append((begin, piece[begin:i]))
            begin = i
    clusters.append((begin, piece[begin:]))
    return clusters


def _grouped(clusters: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join each cluster to the one before when NFKC composes across them (Hangul jamo, some vowel signs)."""
    groups = clusters[:1]
    for at, cluster in clusters[1:]:
        begin, group = groups[-1]
        joined = group + cluster
        if unicodedata.normalize("NFKC", joined) != unicodedata.normalize("NFKC", group) + unicodedata.normalize(
            "NFKC", cluster
        ):
            groups[-1] = (begin, joined)
        else:
            groups.append((at, cluster))
    return groups


def _edited(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` (in order, not overlapping) made."""
    pieces: list[str] = []
    previous = 0
    for start, end, replacement in edits:
        pieces += (text[previous:start], replacement)
        previous = end
    pieces.append(text[previous:])
    return "".join(pieces)


class _Tracked:
    """A text being normalized, with the origins of its characters in the text it started as.

    ``spans`` stays ``None`` until a step changes a length (most reviews: never); then it is the
    ``(2, len(text))`` array that :func:`normalize_with_origins` gives.
    """

    __slots__ = ("text", "spans")

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: NDArray[np.intp] | None = None

    def substitute(self, pattern: re.Pattern[str], replacement: str) -> None:
        """Replace every match of ``pattern`` by ``replacement`` (a plain string, no group references)."""
        self.apply([(m.start(), m.end(), replacement) for m in pattern.finditer(self.text)])

    def apply(self, edits: Sequence[Edit], result: str | None = None) -> None:
        """Make ``edits`` (in order, not overlapping) in the text, which becomes ``result`` (if given).

        Each edit is cut to the stretch its two sides differ in (keeping one shared character if
        either side would be left empty, so that no character comes from nothing): a unit whose
        characters all come from where the unit's did. A unit of one character that stays one
        maps character to character, and needs nothing.
        """
        text = self.text
        units: list[tuple[int, int, int]] = []
        for start, end, replacement in edits:
            width, length = end - start, len(replacement)
            if width == length == 1:
                continue
            limit = min(width, length)
            after = 0  # the shared end first: "&ampbar" -> "&bar" is "&amp" -> "&", not "&amp" -> "&" and "b"
            while after < limit and text[end - 1 - after] == replacement[length - 1 - after]:
                after += 1
            before = 0
            while before < limit - after and text[start + before] == replacement[before]:
                before += 1
            if width - before - after == length - before - after <= 1:
                continue  # character to character
            if length and before + after in (width, length):
                if before:
                    before -= 1
                else:
                    after -= 1
            units.append((start + before, end - after, length - before - after))
        self.text = _edited(text, edits) if result is None else result
        if units:
            self._recompose(len(text), units)

    def _recompose(self, size: int, units: list[tuple[int, int, int]]) -> None:
        """Compose the origins with a step that made each unit (start, end, length) ``length`` characters.

        Each character of the text is repeated as often as the step wrote it: once, or a unit's
        length for a unit's first character (whose origin is widened to the whole unit's), or
        never for the rest of a unit.
        """
        if self.spans is None:
            pair = np.empty((2, size), dtype=np.intp)
            pair[0] = np.arange(size, dtype=np.intp)
            pair[1] = pair[0] + 1
        else:
            pair = self.spans.copy()
        starts, ends, lengths = np.array(units, dtype=np.intp).T
        count = np.ones(size, dtype=np.intp)
        if len(units) <= 16:  # a few slices cost less than the sum below
            for start, end, _ in units:
                count[start + 1 : end] = 0
        else:
            inside = np.zeros(size + 1, dtype=np.intp)
            inside[starts + 1] += 1
            inside[ends] -= 1
            count[np.cumsum(inside[:size]) > 0] = 0
        count[starts] = lengths
        pair[1, starts] = pair[1, ends - 1]
        self.spans = np.repeat(pair, count, axis=1)

    def origins(self) -> NDArray[np.intp] | None:
        """The origins as :func:`normalize_with_origins` gives them."""
        if self.spans is not None and self.spans.shape[1] != len(self.text):
            # a step's edits did not make its result (a bug): claim for each character the whole text
            whole = self.spans[1, -1] if self.spans.shape[1] else 0
            return np.array([[0] * len(self.text), [whole] * len(self.text)], dtype=np.intp)
        return self.spans
