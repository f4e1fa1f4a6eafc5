"""The terminal view, on analyses built by hand: phrases highlighted in place, wrapping, rounding, warnings."""

from __future__ import annotations

import re

import pytest
from rich.console import Console
from rich.text import Text

from thumbs.pipeline.analysis import Analysis, Evidence, NgramEvidence, Phrase, SentenceAnalysis, SentenceEvidence
from thumbs.present.terminal import (
    EXTRACT_MARK,
    WARNING_MARK,
    analysis_view,
    as_shown,
    coverage_words,
    run_summary,
    sentence_lines,
    verdict_numbers,
)

#: A review as a user might give it: a blank line, a double space, a line break and an IMDb tag inside.
TEXT = (
    "I loved this film, a real gem.\n\n"
    "The plot  is thin\nand the ending is dull.<br /><br />"
    "Still, the cast is superb and the music is lovely."
)


def _span(phrase: str, nth: int = 0) -> tuple[int, int]:
    """The offsets of the nth occurrence of ``phrase`` in TEXT."""
    starts = [m.start() for m in re.finditer(re.escape(phrase), TEXT)]
    return starts[nth], starts[nth] + len(phrase)


def _sentence(start: int, end: int, polarity: float, in_extract: bool = True) -> SentenceAnalysis:
    return SentenceAnalysis(
        text=" ".join(TEXT[start:end].split()),
        subjectivity=0.8,
        polarity=polarity,
        in_extract=in_extract,
        contribution=polarity,
        start=start,
        end=end,
    )


FIRST = _sentence(0, TEXT.index(".") + 1, 0.9)
SECOND = _sentence(TEXT.index("The plot"), TEXT.index("dull.") + 5, -0.6, in_extract=False)
THIRD = _sentence(TEXT.index("Still"), len(TEXT), 0.7)
#: Strongest first: loved (+), superb (+), dull (-) are the three strongest; gem and "plot  is thin" are not.
PHRASES = (
    Phrase("loved", (_span("loved"),), 0, 0.9, ("loved", "i loved")),
    Phrase("superb", (_span("superb"),), 2, 0.6, ("superb",)),
    Phrase("dull", (_span("dull"),), 1, -0.5, ("dull", "is dull")),
    Phrase("plot  is thin", (_span("plot  is thin"),), 1, -0.2, ("thin",)),
    Phrase("gem", (_span("gem"),), 0, 0.1, ("gem",)),
)


def _analysis(probability: float = 0.87, warnings: tuple[str, ...] = (), **changes: object) -> Analysis:
    evidence = Evidence(
        bias=0.1,
        ngrams=(NgramEvidence("loved", 0.9), NgramEvidence("dull", -0.5)),
        sentences=(SentenceEvidence(0, FIRST.text, 0.9),),
        phrases=PHRASES,
    )
    fields: dict[str, object] = dict(
        id="review.txt",
        label="positive" if probability >= 0.5 else "negative",
        probability=probability,
        stars=8.1,
        score=1.2,
        sentences=(FIRST, SECOND, THIRD),
        evidence=evidence,
        coverage=0.96,
        warnings=warnings,
    )
    fields.update(changes)
    return Analysis(**fields)  # type: ignore[arg-type]


def _render(view: object, width: int = 100) -> str:
    console = Console(record=True, width=width, color_system="truecolor", force_terminal=True)
    console.print(view)
    return console.export_text()


def _styles_at(line: Text, start: int, end: int) -> list[str]:
    """The styles of the spans that cover exactly [start, end) of ``line``."""
    return [str(span.style) for span in line.spans if (span.start, span.end) == (start, end)]


# --- phrases in place ---------------------------------------------------------------------------


def test_phrases_are_highlighted_in_place_by_sign_and_strength() -> None:
    first, second, third = sentence_lines(_analysis(), TEXT)
    assert first.plain == "I loved this film, a real gem."
    assert second.plain == "The plot is thin and the ending is dull."  # whitespace runs shown as one space
    assert third.plain == "Still, the cast is superb and the music is lovely."
    loved = first.plain.index("loved")
    assert _styles_at(first, loved, loved + 5) == ["bold green not dim"]
    gem = first.plain.index("gem")
    assert _styles_at(first, gem, gem + 3) == ["green not dim"]  # not among the strongest three: not bold
    dull = second.plain.index("dull")
    assert _styles_at(second, dull, dull + 4) == ["bold red not dim"]
    thin = second.plain.index("plot is thin")  # its span held two spaces: it covers the shown words exactly
    assert _styles_at(second, thin, thin + len("plot is thin")) == ["red not dim"]
    superb = third.plain.index("superb")
    assert _styles_at(third, superb, superb + 6) == ["bold green not dim"]
    assert len(first.spans) == 2 and len(second.spans) == 2 and len(third.spans) == 1


def test_the_rest_of_a_sentence_keeps_its_polarity_colour_dimmer() -> None:
    first, second, _ = sentence_lines(_analysis(), TEXT)
    assert str(first.style) == "green dim"
    assert str(second.style) == "red dim"


def test_highlights_show_in_the_rendered_panel() -> None:
    console = Console(record=True, width=100, color_system="truecolor", force_terminal=True)
    console.print(analysis_view(_analysis(), TEXT))
    text = console.export_text(clear=False)
    html = console.export_html(inline_styles=True)
    assert "The plot is thin and the ending is dull." in text and "<br" not in text
    assert re.search(r"font-weight: bold[^>]*>loved<", html), "the strongest phrase is bold"


def test_without_text_the_sentences_are_shown_without_highlights() -> None:
    lines = sentence_lines(_analysis(), None)
    assert [line.plain for line in lines] == [FIRST.text, SECOND.text, THIRD.text]
    assert all(not line.spans for line in lines)
    assert str(lines[0].style) == "green" and str(lines[1].style) == "red dim"  # the second is outside the extract
    assert FIRST.text in _render(analysis_view(_analysis()))


def test_offsets_that_do_not_fit_the_text_fall_back_to_the_sentence_text() -> None:
    old = _analysis(sentences=tuple(SentenceAnalysis(s.text, 0.5, s.polarity, True, 0.0) for s in (FIRST, SECOND)))
    assert [line.plain for line in sentence_lines(old, TEXT)] == [FIRST.text, SECOND.text]


def test_as_shown_maps_every_offset() -> None:
    shown, where = as_shown("  a\n\nb<br />c  ")
    assert shown == "a b c"
    assert len(where) == len("  a\n\nb<br />c  ") + 1
    assert where[2] == 0 and where[5] == 2 and where[12] == 4 and where[-1] == 5


# --- layout ---------------------------------------------------------------------------------------


def test_wrapped_sentences_go_on_under_themselves_not_under_the_marker() -> None:
    lines = _render(analysis_view(_analysis(), TEXT), width=40).splitlines()
    marked = [i for i, line in enumerate(lines) if line.startswith(f"│ {EXTRACT_MARK} I loved")]
    assert marked, lines
    following = lines[marked[0] + 1]
    assert following.startswith("│   ") and following[4] != " ", following  # the sentence's column, not col. 0
    plot = next(i for i, line in enumerate(lines) if "The plot is" in line)
    assert lines[plot].startswith("│   The plot is")
    assert lines[plot + 1].startswith("│   ") and lines[plot + 1][4] != " "


@pytest.mark.parametrize(
    ("probability", "shown", "sure"),
    [
        (0.815, "0.81", "81%"),
        (0.185, "0.18", "82%"),
        (0.5, "0.50", "50%"),
        (0.995, "0.99", "99%"),
        (0.005, "0.01", "99%"),
    ],
)
def test_probability_and_sureness_are_rounded_the_same_way(probability: float, shown: str, sure: str) -> None:
    assert verdict_numbers(probability) == (shown, sure)
    assert f"P(positive) {shown} · {sure} sure" in _render(analysis_view(_analysis(probability), TEXT))


@pytest.mark.parametrize(
    ("probability", "shown", "sure"),
    [
        (0.998, "0.998", "99.8%"),
        (0.0015, "0.002", "99.8%"),
        (0.9999, "> 0.999", "over 99.9%"),
        (1e-5, "< 0.001", "over 99.9%"),
        (1.0, "> 0.999", "over 99.9%"),
    ],
)
def test_near_certainty_shows_a_third_decimal_not_100_percent(probability: float, shown: str, sure: str) -> None:
    assert verdict_numbers(probability) == (shown, sure)


def test_sureness_is_always_the_larger_side_of_the_shown_probability() -> None:
    for probability in (i / 10_000 for i in range(10_001)):
        shown, sure = verdict_numbers(probability)
        if shown[0] in "<>":
            continue
        p = float(shown)
        assert float(sure.rstrip("%")) == pytest.approx(max(p, 1 - p) * 100), probability
        assert sure != "100%", probability


def test_warnings_come_above_the_verdict_and_coverage_in_the_head() -> None:
    warnings = ("few known words: the verdict is a guess", "the review says 3/10 but reads positive")
    lines = _render(analysis_view(_analysis(warnings=warnings), TEXT)).splitlines()
    at = [next(i for i, line in enumerate(lines) if WARNING_MARK + w in line) for w in warnings]
    verdict = next(i for i, line in enumerate(lines) if "POSITIVE" in line)
    assert at == [1, 2] and verdict == 3
    assert "reads 96% of its words" in lines[verdict]
    assert WARNING_MARK not in _render(analysis_view(_analysis(), TEXT))


@pytest.mark.parametrize(
    ("coverage", "words"), [(0.96, "96%"), (0.998, "99%"), (1.0, "100%"), (0.0, "0%"), (0.001, "under 1%")]
)
def test_coverage_is_never_rounded_to_all_or_nothing(coverage: float, words: str) -> None:
    assert coverage_words(coverage) == f"reads {words} of its words"


def test_evidence_lists_phrases_as_written_with_their_features() -> None:
    text = _render(analysis_view(_analysis(), TEXT))
    assert "phrases that weighed most" in text and "top n-grams" not in text
    row = next(line for line in text.splitlines() if "-0.200" in line)
    phrase, features = row.split("-0.200")
    assert "plot is thin" in phrase and "thin" in features  # as written (on one line), then its features
    assert "loved, i loved" in text


def test_without_phrases_the_evidence_falls_back_to_ngrams() -> None:
    analysis = _analysis()
    assert analysis.evidence is not None
    bare = _analysis(evidence=Evidence(analysis.evidence.bias, analysis.evidence.ngrams))
    assert "top n-grams" in _render(analysis_view(bare, TEXT))


def test_an_error_is_one_red_line() -> None:
    view = analysis_view(Analysis.failed("bad.txt", "the review is empty"), "")
    assert isinstance(view, Text) and view.style == "red"
    assert _render(view).strip() == "bad.txt: error: the review is empty"


def test_run_summary_counts_warnings_and_failures() -> None:
    assert run_summary(1) == "1 review"
    assert run_summary(3, warned=1) == "3 reviews, 1 with warnings"
    assert run_summary(1200, failed=2, warned=5) == "1,200 reviews, 5 with warnings, 2 could not be analyzed"


def test_the_aspects_are_listed_with_their_polarity_and_clause() -> None:
    from dataclasses import replace

    from thumbs.pipeline.analysis import AspectJudgement, Quote

    judged = (
        AspectJudgement("acting", 0.62, Quote("acting", ((4, 10),)), Quote("The acting is superb", ((0, 20),)), 0),
        AspectJudgement("story", -0.67, Quote("story", ((30, 35),)), Quote("the story is a mess", ((26, 45),)), 0),
    )
    console = Console(record=True, width=100)
    console.print(analysis_view(replace(_analysis(), aspects=judged), TEXT))
    text = console.export_text()
    assert "aspects" in text
    assert re.search(r"acting\s+\+0\.62\s+The acting is superb", text)
    assert re.search(r"story\s+-0\.67\s+the story is a mess", text)
    console = Console(record=True, width=100)
    console.print(analysis_view(_analysis(), TEXT))
    assert "aspects" not in console.export_text()  # none judged: no heading
