"""Whether a value is a review thumbs can read, decided once for every entry point.

A review is unreadable when it is (checked in this order, the first reason wins):

1. not a ``str`` (``None``, bytes, a number, a list...);
2. longer than :data:`MAX_REVIEW_CHARS` (or the caller's ``max_chars``);
3. not encodable as UTF-8: lone surrogates, which is how Python keeps undecodable bytes;
4. empty, or only whitespace;
5. without a word: no letter or digit (only punctuation, symbols, emoji), even after NFKC.

:func:`review_problem` checks all five without tokenizing (a type check, a length, and
scans that stop early on ordinary text), so the label-only path (``Model.predict``), the
analysis (:mod:`thumbs.pipeline.sentences`) and the batch reader
(:mod:`thumbs.batch.sources`) all call it and word every reason the same way. The analysis
then also refuses, with :data:`NO_WORDS`, a review whose *tokens* are all punctuation (markup
alone, such as ``"<br />"``, has letters only inside the tag it drops).

>>> review_problem("A fine film."), review_problem("   ")
(None, 'empty review: it has no words to read, only whitespace')
>>> review_problem(None)
'no text (got None); give the review as text'
"""

from __future__ import annotations

import re
import unicodedata

#: Longest review thumbs analyzes, in characters: 1 MB of text, far past any real review
#: (aclImdb's longest is under 14,000 characters), short enough to bound one request's work.
MAX_REVIEW_CHARS = 1_000_000

#: Every "no words" reason starts with this (the server's clients may match on it).
EMPTY = "empty review: it has no words to read"
#: Why a review of only whitespace cannot be read.
BLANK = f"{EMPTY}, only whitespace"
#: Why a review without a letter or digit (punctuation, symbols, emoji) cannot be read.
NO_WORDS = f"{EMPTY}, only punctuation or symbols"

#: A letter or digit: ``str.isalnum`` as one regex (``\w`` is isalnum plus the underscore).
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def review_problem(text: object, max_chars: int = MAX_REVIEW_CHARS) -> str | None:
    """One line saying why ``text`` cannot be read as a review, or None when it can.

    Cheap: no tokenizing, and on ordinary text every scan stops within a few characters.
    """
    if not isinstance(text, str):
        return not_text(text)
    if len(text) > max_chars:
        return too_long(max_chars, len(text))
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            return not_utf8(_surrogate(text[exc.start]))
    if not text:
        return EMPTY
    if text.isspace():
        return BLANK
    if not has_letter_or_digit(text):
        return NO_WORDS
    return None


def has_letter_or_digit(text: str) -> bool:
    """Whether ``text`` has a letter or digit, as it is or after NFKC ("™" is "TM" to the tokenizer)."""
    if _LETTER_OR_DIGIT.search(text) is not None:
        return True
    return not text.isascii() and _LETTER_OR_DIGIT.search(unicodedata.normalize("NFKC", text)) is not None


def not_text(value: object) -> str:
    """Why a value that is not a ``str`` is no review, with how to fix it."""
    if value is None:
        return "no text (got None); give the review as text"
    if isinstance(value, bytes | bytearray | memoryview):
        return f"not a string (got {type(value).__name__}); decode it to text first, e.g. data.decode('utf-8')"
    return f"not a string (got {type(value).__name__}); give the review as text"


def too_long(max_chars: int, length: int | None = None) -> str:
    """Why a review over ``max_chars`` characters is refused (``length`` when it is known)."""
    size = f"{length:,} characters" if length is not None else f"over {max_chars:,} characters"
    return f"review too long ({size}, the limit is {max_chars:,}); split it into shorter reviews"


def not_utf8(detail: str) -> str:
    """Why text that is not UTF-8 is refused; ``detail`` says where ("byte 0xe9 at offset 3")."""
    return f"not UTF-8 text ({detail}); re-save the input as UTF-8"


def _surrogate(character: str) -> str:
    """A lone surrogate, described: the byte it escapes (surrogateescape), or its code point."""
    code = ord(character)
    return f"byte {code - 0xDC00:#04x}" if 0xDC80 <= code <= 0xDCFF else f"lone surrogate U+{code:04X}"
