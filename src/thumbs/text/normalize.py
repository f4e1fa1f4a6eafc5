r"""Normalize a review: HTML, quotes, dashes and ellipses in one canonical form.

Users hand thumbs raw review text (mixed case, ``<br />`` tags, HTML entities, curly and
straight quotes) and the Cornell corpora's tokenized form (LaTeX quotes ``` `` ``` and ``''``,
spaced ellipses ``. . .``). :func:`normalize` maps both to one form, keeping letter case for
display; every later step of :mod:`thumbs.text` reads its output.

>>> normalize("It&#39;s ``fine'' . . . <br />Really.")
'It\'s "fine" ... \nReally.'
"""

from __future__ import annotations

import html
import re
import unicodedata

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
