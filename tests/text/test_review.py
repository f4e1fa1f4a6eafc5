"""thumbs.text.review: the one rule for a review that cannot be read, and its one wording."""

from __future__ import annotations

import pytest

from thumbs.text.review import (
    BLANK,
    EMPTY,
    MAX_REVIEW_CHARS,
    NO_WORDS,
    has_letter_or_digit,
    not_text,
    review_problem,
    too_long,
)
from thumbs.text.tokens import is_punctuation, tokenize


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "no text (got None); give the review as text"),
        (b"good", "not a string (got bytes); decode it to text first, e.g. data.decode('utf-8')"),
        (bytearray(b"good"), "not a string (got bytearray); decode it to text first, e.g. data.decode('utf-8')"),
        (5, "not a string (got int); give the review as text"),
        (2.5, "not a string (got float); give the review as text"),
        (["good"], "not a string (got list); give the review as text"),
        ({"text": "good"}, "not a string (got dict); give the review as text"),
        ("", "empty review: it has no words to read"),
        (" \n\t\u3000", "empty review: it has no words to read, only whitespace"),
        ("... !!! ?", "empty review: it has no words to read, only punctuation or symbols"),
        ("\U0001f600 \U0001f3ac \u2764\ufe0f", NO_WORDS),  # emoji only
        ("caf\udce9 au lait", "not UTF-8 text (byte 0xe9); re-save the input as UTF-8"),  # surrogateescape
        ("good \ud800", "not UTF-8 text (lone surrogate U+D800); re-save the input as UTF-8"),
        ("x" * (MAX_REVIEW_CHARS + 1), "review too long (1,000,001 characters, the limit is 1,000,000)"),
    ],
)
def test_each_reason_is_worded_once(value: object, reason: str) -> None:
    problem = review_problem(value)
    assert problem is not None and problem.startswith(reason) and "\n" not in problem


@pytest.mark.parametrize(
    "text",
    ["A fine film.", "7/10", "x", "\u2122", "\u00e9t\u00e9", "\u4e2d\u6587", "<br />", "  ok  ", "\u00bd"],
)
def test_readable_reviews_have_no_problem(text: str) -> None:
    """A letter or digit anywhere (NFKC included: "™" tokenizes as "tm") makes a text readable here."""
    assert review_problem(text) is None


def test_every_wordless_reason_starts_the_same() -> None:
    """Clients (the server's) can tell "no words" apart by one prefix."""
    assert all(reason.startswith(EMPTY) for reason in (BLANK, NO_WORDS))


def test_the_first_reason_wins() -> None:
    assert review_problem(" " * 11, max_chars=10) == too_long(10, 11)
    assert review_problem("\udce9" * 11, max_chars=10) == too_long(10, 11)
    assert review_problem(" \udce9 ") is not None and "not UTF-8" in review_problem(" \udce9 ")  # type: ignore[operator]
    assert review_problem("x" * 10, max_chars=10) is None


def test_too_long_without_a_length_says_over_the_limit() -> None:
    assert too_long(40) == "review too long (over 40 characters, the limit is 40); split it into shorter reviews"


def test_not_text_names_the_type() -> None:
    assert not_text(3) == "not a string (got int); give the review as text"
    assert "(got memoryview)" in not_text(memoryview(b"x"))


def test_no_letter_or_digit_means_no_word_token() -> None:
    """Sound for predict: whatever the cheap check calls wordless, the tokenizer finds no word in.

    Every 61st code point past ASCII (and all of ASCII), alone and amid punctuation.
    """
    code_points = [*range(128), *range(128, 0x110000, 61)]
    checked = 0
    for code in code_points:
        if 0xD800 <= code <= 0xDFFF:
            continue
        for text in (chr(code), f"...{chr(code)}!! &"):
            if not has_letter_or_digit(text):
                checked += 1
                assert all(is_punctuation(t) for t in tokenize(text)), (hex(code), tokenize(text))
    assert checked > 5_000
