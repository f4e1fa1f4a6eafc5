"""TextOffsets: the spans, in the text as given, of the tokens and sentences of its normalized form.

Every text here was written for these tests. What is guaranteed, for every token of every sentence
of ``split_sentences(text)`` with span ``(a, b)`` from :meth:`TextOffsets.token_spans`:

- ``0 <= a < b <= len(text)``, and over a sentence's tokens both ``a`` and ``b`` never decrease
  (tokens made from one character, as ``½`` makes ``1 ⁄ 2``, share or overlap their spans);
- the span reads as the token: ``normalize(text[a:b]).lower()`` is the token, or tokenizes to
  tokens among which it is, up to letter case (``str.lower`` reads a word's context for a Greek
  final sigma). Not always the first: "wasn'tn't" is "wasn't" and "n't", and "wasn't" alone two
  tokens. The span is the token's surface, or the one unit of the text (``&amp;``, ``—``, ``½``,
  ``. . .``) that normalizing made it from. One exception: :func:`normalize` joins a spaced
  ellipsis with only wider gaps (``.  .  .``) only in a text with ``. .`` elsewhere, so such a
  ``...`` reads as three periods alone;
- no tag that normalizing drops is inside a span, but for a ``...`` spaced by one (``.<i>. .``:
  the tag's space is one of the gaps that the ellipsis closes).
"""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.helpers.tricky_text import TRICKY_PIECES
from thumbs.text.normalize import (
    LINE_BREAK_TAG,
    OTHER_TAG,
    SPACED_ELLIPSIS,
    keeps_offsets,
    normalize,
    normalize_with_origins,
)
from thumbs.text.offsets import TextOffsets
from thumbs.text.sentences import split_sentences
from thumbs.text.tokens import canonical_tokens, line_tokens


def surfaces(text: str) -> list[list[str]]:
    """The text of each token's span, sentence by sentence."""
    offsets = TextOffsets(text)
    return [[text[a:b] for a, b in offsets.token_spans(s)] for s in split_sentences(text)]


def reads_as(token: str, span: str) -> bool:
    """Whether ``span`` (a token's span in the text as given) reads as ``token`` (see the module's docstring)."""
    if token == "..." and span.count(".") > 1 and set(normalize(span)) <= {".", " "}:
        return True  # a spaced ellipsis that only its text's context joins
    if any(len(unicodedata.normalize("NFKC", c)) > 1 for c in span) and token.casefold() in normalize(span).casefold():
        return True  # a token made of part of a character NFKC expands ("2&" of "½&", read "1⁄2&")
    # normalize joins ".  .  ." only when its text holds ". " somewhere: read the span both ways
    readings = {normalize(span).lower(), normalize(SPACED_ELLIPSIS.sub("...", span)).lower()}
    return any(
        token.casefold() in {lowered.casefold(), *(t.casefold() for t in canonical_tokens(lowered))}
        for lowered in readings
    )


def flat(text: str) -> list[str]:
    return [piece for sentence in surfaces(text) for piece in sentence]


# --- the surfaces of tokens -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It didn't work.", ["It", "did", "n't", "work", "."]),
        ("It didn\u2019t work.", ["It", "did", "n\u2019t", "work", "."]),
        ("Salt &amp; pepper", ["Salt", "&amp;", "pepper"]),
        ("R&amp;B songs", ["R&amp;B", "songs"]),
        ("It&#39;s fine", ["It", "&#39;s", "fine"]),
        ("Well\u2026 maybe", ["Well", "\u2026", "maybe"]),
        ("Well&hellip; maybe", ["Well", "&hellip;", "maybe"]),
        ("Long\u2014too long", ["Long", "\u2014", "too", "long"]),
        ("A short \u2013 film", ["A", "short", "\u2013", "film"]),
        ("Caf\u0065\u0301 scenes", ["Caf\u0065\u0301", "scenes"]),
        ("Good \U0001f600 fun", ["Good", "\U0001f600", "fun"]),
        ("The \ufb01lm", ["The", "\ufb01lm"]),
        ("A \u00bd star", ["A", "\u00bd", "\u00bd", "\u00bd", "star"]),
        ("Wait . . . what", ["Wait", ". . .", "what"]),
        ("So\tvery  slow", ["So", "very", "slow"]),
        ("\u201cGreat\u201d, he said", ["\u201c", "Great", "\u201d", ",", "he", "said"]),
        ("U.S. films", ["U", ".", "S", ".", "films"]),
        ("i did n't like it . `` great '' ", ["i", "did", "n't", "like", "it", ".", "``", "great", "''"]),
        ("A <i>fine</i> film", ["A", "fine", "film"]),
        ("<b>Bold</b>move", ["Bold", "move"]),
    ],
)
def test_each_token_span_is_its_surface_in_the_text_as_given(text: str, expected: list[str]) -> None:
    assert flat(text) == expected


def test_line_breaks_crlf_and_br_tags_split_sentences_and_stay_out_of_spans() -> None:
    text = "First one\r\nSecond one<br /><br />Third <i>one</i>"
    assert surfaces(text) == [["First", "one"], ["Second", "one"], ["Third", "one"]]
    offsets = TextOffsets(text)
    spans = [offsets.sentence_span(s) for s in split_sentences(text)]
    assert [text[a:b] for a, b in spans] == ["First one", "Second one", "Third <i>one"]


def test_sentence_span_is_the_sentence_as_written() -> None:
    text = "It wasn&#39;t bad\u2026 Really! <br />I\u2019d go again."
    offsets = TextOffsets(text)
    assert [text[slice(*offsets.sentence_span(s))] for s in split_sentences(text)] == [
        "It wasn&#39;t bad\u2026 Really!",
        "I\u2019d go again.",
    ]


def test_original_maps_stretches_and_empty_stretches() -> None:
    text = "a&amp;b  c"
    offsets = TextOffsets(text)
    assert offsets.normalized == normalize(text) == "a&b c"
    assert offsets.original(1, 2) == (1, 6)
    assert offsets.original(0, 5) == (0, 10)
    assert offsets.original(2, 3) == (6, 7)
    assert offsets.original(3, 3) == (7, 7)
    assert offsets.original(5, 5) == (10, 10)


def test_plain_text_maps_every_offset_to_itself_without_a_map() -> None:
    text = "A plain review. It says little."
    assert keeps_offsets(text)
    offsets = TextOffsets(text)
    assert offsets.original(2, 7) == (2, 7)
    assert offsets._origins is None
    assert normalize_with_origins(text) == (text, None)
    for mark in ["<i>", "&amp;", "``", "''", ". . .", "\r\n", "\t", "  ", "\u2019"]:
        assert not keeps_offsets(f"A {mark} b")


def test_a_curly_quote_changes_no_offset_and_needs_no_map() -> None:
    assert normalize_with_origins("it\u2019s") == ("it's", None)


def test_a_sentence_of_another_text_is_refused_when_offsets_must_be_mapped() -> None:
    other = split_sentences("Something else entirely.")[0]
    with pytest.raises(ValueError, match="not a sentence"):
        TextOffsets("A <i>tagged</i> text").token_spans(other)


# --- letters whose lower case is longer -----------------------------------------------------------


def test_a_letter_whose_lower_case_is_longer_keeps_offsets_into_the_normalized_text() -> None:
    text = "\u0130yi film. \u00c7ok g\u00fczel!"
    assert len(text.lower()) == len(text) + 1
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["\u0130yi film.", "\u00c7ok g\u00fczel!"]
    assert [(s.start, s.end) for s in sentences] == [(0, 9), (10, 20)]
    assert sentences[0].tokens == ("i", "\u0307", "yi", "film", ".")
    assert surfaces(text) == [["\u0130", "\u0130", "yi", "film", "."], ["\u00c7ok", "g\u00fczel", "!"]]


def test_line_tokens_offsets_after_a_longer_lower_case() -> None:
    tokens, starts, ends = line_tokens("\u0130\u0130 can't", 5)
    assert tokens == ["i", "\u0307", "i", "\u0307", "ca", "n't"]
    assert list(zip(starts, ends)) == [(5, 6), (5, 6), (6, 7), (6, 7), (8, 10), (10, 13)]


# --- properties over generated texts ------------------------------------------------------------

PIECES = [
    *TRICKY_PIECES,
    "It",
    "didn\u2019t",
    "<i>",
    "</i>",
    "<a href='x'>",
    "<br/>",
    "&quot;",
    "&hellip;",
    "&amplifier",
    "&#x1F600;",
    "\U0001f600",
    "\u0301",
    "e\u0301",
    "\u0130",
    "\u00bd",
    "\u2014",
    "\u2013",
    "\r\n",
    "...",
    ". . . .",
    "\u3000",
    "\uff21",
    "\u1100\u1161",
    "\u0b47\u0b3e",
    "(",
    ")",
    "?",
    "!",
    '"',
]

texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
mixed = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=25).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.one_of(texts, mixed))
def test_normalize_with_origins_gives_normalize_exactly_with_origins_that_never_decrease(text: str) -> None:
    normalized, origins = normalize_with_origins(text)
    assert normalized == normalize(text)
    if origins is None:
        assert len(normalized) == len(text)
        return
    assert origins.shape == (2, len(normalized))
    low, high = origins
    assert ((low >= 0) & (low < high) & (high <= len(text))).all()
    assert (low[1:] >= low[:-1]).all() and (high[1:] >= high[:-1]).all()


@settings(max_examples=600, deadline=None)
@given(st.one_of(texts, mixed))
@example("½&n't")  # found by hypothesis: the token "2&" starts inside "½"
def test_every_token_span_tokenizes_back_to_its_token(text: str) -> None:
    offsets = TextOffsets(text)
    for sentence in split_sentences(text):
        spans = offsets.token_spans(sentence)
        assert len(spans) == len(sentence.tokens)
        first, last = offsets.sentence_span(sentence)
        for token, (a, b) in zip(sentence.tokens, spans):
            assert first <= a < b <= last <= len(text)
            assert reads_as(token, text[a:b]), (token, text[a:b])
            if token != "...":
                assert not LINE_BREAK_TAG.search(text[a:b]) and not OTHER_TAG.search(text[a:b])
        for (a, b), (c, d) in zip(spans, spans[1:]):
            assert a <= c and b <= d


def test_many_random_reviews_round_trip() -> None:
    """A seeded sweep wider than hypothesis': whole reviews of mixed pieces and words."""
    rnd = random.Random(7)
    words = ["The", "film", "wasn't", "GOOD", "great", "acting", ",", ".", " ", " ", " ", "\n"]
    for _ in range(300):
        text = "".join(rnd.choice(PIECES if rnd.random() < 0.3 else words) for _ in range(rnd.randint(0, 80)))
        normalized, _ = normalize_with_origins(text)
        assert normalized == normalize(text)
        offsets = TextOffsets(text)
        for sentence in split_sentences(text):
            for token, (a, b) in zip(sentence.tokens, offsets.token_spans(sentence)):
                assert reads_as(token, text[a:b]), (token, text[a:b])


def test_a_url_token_that_ate_a_spaced_ellipsis_reads_back() -> None:
    """Found by hypothesis: "www..  .  .. ." joins its spaced dots into the URL token only in context."""
    text = "www..  .  .. ."
    offsets = TextOffsets(text)
    for sentence in split_sentences(text):
        for token, (a, b) in zip(sentence.tokens, offsets.token_spans(sentence)):
            assert reads_as(token, text[a:b]), (token, text[a:b])
