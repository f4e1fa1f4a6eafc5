"""thumbs.learn.lexicon: VADER's and TextBlob's opinion words, read and merged on the -1..+1 scale."""

from __future__ import annotations

import pytest

from thumbs.learn.lexicon import (
    TEXTBLOB_MIN_POLARITY,
    VADER_MIN_VALENCE,
    VADER_SCALE,
    merge,
    opinion_lexicon,
    parse_textblob,
    parse_vader,
)
from thumbs.text.tokens import tokenize


def _vader_line(token: str, valence: float | str) -> str:
    """A line as vader_lexicon.txt has them: token, mean valence, standard deviation, the raters' valences."""
    return f"{token}\t{valence}\t0.5\t[1, 2, 1, 2, 1, 2, 1, 2, 1, 2]"


def test_vader_scale_and_thresholds() -> None:
    assert (VADER_SCALE, VADER_MIN_VALENCE, TEXTBLOB_MIN_POLARITY) == (4.0, 1.0, 0.25)


def test_parse_vader_keeps_words_past_the_threshold_divided_by_four() -> None:
    lines = [
        _vader_line("superb", 3.0),
        _vader_line("Dreadful", -3.4),  # lower-cased
        _vader_line("okay", 0.9),  # below 1: dropped
        _vader_line("fine", 1.0),  # 1 itself is kept
        _vader_line("meh", -1.0),
        _vader_line("bland", -0.99),
        _vader_line("top", "4") + "\r\n",  # a line end from a Windows copy
    ]
    assert parse_vader(lines) == {"superb": 0.75, "dreadful": -0.85, "fine": 0.25, "meh": -0.25, "top": 1.0}


def test_parse_vader_skips_malformed_multiword_and_punctuation_lines() -> None:
    lines = [
        "",
        "no tabs at all",
        "lonely\t",  # an empty valence
        "\t2.0\t0.5\t[2]",  # no token
        _vader_line("great", "very"),  # not a number
        _vader_line("kind of", -2.0),  # several words
        _vader_line("(-:", 1.6),  # an emoticon of punctuation only
        _vader_line("</3", -3.0),
        _vader_line("10", 2.0),  # no letter
        _vader_line("good", 1.9),
    ]
    assert parse_vader(lines) == {"good": 0.475}


def test_parse_vader_with_another_threshold() -> None:
    lines = [_vader_line("okay", 0.9), _vader_line("superb", 3.0)]
    assert parse_vader(lines, min_valence=0.5) == {"okay": 0.225, "superb": 0.75}
    assert parse_vader(lines, min_valence=3.5) == {}


def test_parse_vader_skips_emoticons_with_letters() -> None:
    # ":-D" or "o:)" are emoticons as much as "(-:": no tokenize() gives them, so they are no words of thumbs
    lines = [_vader_line(":-D", 2.3), _vader_line(":P", 1.4), _vader_line("o:)", 1.6), _vader_line("d:<", -2.0)]
    assert parse_vader([*lines, _vader_line("fun", 2.3)]) == {"fun": 0.575}


def _textblob(*words: tuple[str | None, str | None]) -> str:
    """An en-sentiment.xml of ``(form, polarity)`` words (None leaves the attribute out)."""
    entries = []
    for form, polarity in words:
        attributes = "".join(
            f' {name}="{value}"' for name, value in (("form", form), ("polarity", polarity)) if value is not None
        )
        entries.append(f'<word{attributes} subjectivity="0.5" />')
    return "<sentiment>" + "".join(entries) + "</sentiment>"


def test_parse_textblob_averages_the_senses_of_a_word() -> None:
    xml = _textblob(("Fine", "0.5"), ("fine", "0.2"), ("fine", "0.2"), ("dull", "-0.5"), ("dull", "-0.3"))
    assert parse_textblob(xml) == pytest.approx({"fine": 0.3, "dull": -0.4})


def test_parse_textblob_drops_weak_and_cancelling_words() -> None:
    xml = _textblob(
        ("real", "0.2"),  # a hedge: below 0.25
        ("mixed", "0.5"),  # two senses that cancel out
        ("mixed", "-0.5"),
        ("edge", "0.25"),  # 0.25 itself is kept
        ("bad", "-0.7"),
        ("unknown", None),  # no polarity: 0, dropped
    )
    assert parse_textblob(xml) == {"edge": 0.25, "bad": -0.7}
    assert parse_textblob(xml, min_polarity=0.1) == {"real": 0.2, "edge": 0.25, "bad": -0.7}


def test_parse_textblob_skips_multiword_and_formless_entries() -> None:
    xml = _textblob(("well made", "0.8"), (None, "0.9"), ("", "0.9"), ("superb", "1.0"))
    assert parse_textblob(xml) == {"superb": 1.0}
    assert parse_textblob(_textblob()) == {}


def test_merge_takes_the_mean_of_the_lexicons_that_list_a_word() -> None:
    merged = merge({"good": 0.5, "dull": -0.4}, {"good": 0.7, "fun": 0.6}, {"good": 0.3})
    assert merged == pytest.approx({"dull": -0.4, "fun": 0.6, "good": 0.5})
    assert list(merged) == ["dull", "fun", "good"]  # sorted
    assert merge() == {} and merge({"b": 1.0, "a": -1.0}) == {"a": -1.0, "b": 1.0}


@pytest.fixture(scope="module")
def lexicon() -> dict[str, float]:
    return opinion_lexicon()


def test_opinion_lexicon_has_thousands_of_words(lexicon: dict[str, float]) -> None:
    assert len(lexicon) > 3000
    assert lexicon["good"] > 0 and lexicon["awful"] < 0
    assert lexicon["masterpiece"] > 0.5 and lexicon["dull"] < -0.3
    assert "factory" not in lexicon and "film" not in lexicon
    # (a word the two lexicons read with opposite signs may merge to near 0: "bizarre")
    assert all(-1.0 <= value <= 1.0 for value in lexicon.values())
    assert all(" " not in word and word == word.lower() for word in lexicon)


def test_opinion_lexicon_words_are_tokens_of_thumbs(lexicon: dict[str, float]) -> None:
    # the module says so: emoticons and multi-word entries are not tokens of thumbs, and only single words are kept
    assert sorted(word for word in lexicon if tokenize(word) != [word]) == []
