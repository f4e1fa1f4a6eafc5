"""thumbs.text.lowered: a batch normalized and lowercased as bytes gives the chunks of normalizing each text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.tricky_text import TRICKY_PIECES
from thumbs.text.lowered import UNMAPPED_SPACES, lowered_utf8
from thumbs.text.normalize import normalize, plain_characters
from thumbs.text.tokens import CHUNK_SEPARATOR


def _chunks_text_by_text(texts: list[str]) -> list[str]:
    return [chunk for text in texts for chunk in [*normalize(text).lower().split(), CHUNK_SEPARATOR]]


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["", "  ", ""],
        ["It wasn't <br", "/> bad &amp", "; at all"],
        ["tag <b", "> split", "<i>fine</i>"],
        ["plain<br />break", "odd <i>tag</i><br />here", "<BR>upper", "more<br /><br />breaks", "<p <br />>"],
        ["ends in &amp", "lt; starts", "&#39", "9;"],
        ["ΣΑΣ", "ΣΑΣ Σ", "x Σ"],
        ["ends in \r", "\nstarts", "a\r\nb"],
        ["dots .  .  . only", "dots . . . and .  .  .", ".\t.\t. tab"],
        ["``quoted''", "`", "`", "'", "'"],
        ["caf\u00e9 \u201cquote\u201d \u2014 dash\u2026", "plain"],
    ],
)
def test_lowered_utf8_splits_into_the_chunks_of_normalizing_text_by_text(texts: list[str]) -> None:
    _assert_lowered_utf8_matches(texts)


def _assert_lowered_utf8_matches(texts: list[str]) -> None:
    lowered = lowered_utf8(texts)
    assert lowered is not None and lowered.decode("utf-8").split() == _chunks_text_by_text(texts)
    assert all(character.isascii() for character in lowered.decode("utf-8") if character.isspace())  # cut as bytes


def test_lowered_utf8_leaves_texts_with_a_nul_to_the_caller() -> None:
    assert lowered_utf8(["fine", "a \x00 b"]) is None


def test_the_character_step_leaves_only_the_listed_whitespace_past_ascii() -> None:
    spaces = [chr(c) for c in range(0x80, 0x110000) if chr(c).isspace()]
    left = {space for space in spaces if not plain_characters(space).isascii()}
    assert left == set(UNMAPPED_SPACES)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TRICKY_PIECES), max_size=12).map("".join), max_size=6))
def test_lowered_utf8_matches_normalizing_text_by_text_property(texts: list[str]) -> None:
    _assert_lowered_utf8_matches(texts)
