"""The terminal view of an :class:`~thumbs.pipeline.analysis.Analysis` (rich).

Only presentation lives here: any warnings, the verdict with its probability, the
stars and how much of the review the model could read; the review's sentences as
the writer wrote them, coloured by their own polarity with the extract marked and
the phrases that pushed the verdict highlighted in place; then those phrases, and the
sentences that weighed most, and the aspects it judges.
"""

from __future__ import annotations

import re

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from thumbs.pipeline.analysis import Analysis, Phrase, SentenceAnalysis

#: Sentence polarity beyond which a sentence is coloured (green positive, red negative).
POLARITY_SHOWN = 0.2
EXTRACT_MARK = "▌"
WARNING_MARK = "⚠ "
#: Rows of the evidence table.
EVIDENCE_SHOWN = 8
#: Phrases drawn bold in the sentences (the strongest by |contribution|).
STRONGEST_SHOWN = 3
#: Characters of a sentence shown in the evidence list, and of a phrase's features.
SENTENCE_SHOWN = 90
FEATURES_SHOWN = 36
#: What the view shows as one space: a run of whitespace, or of the ``<br />`` tags of IMDb reviews.
_GAP = re.compile(r"(?:\s|<br\s*/?>)+", re.IGNORECASE)


def _stars_bar(stars: float) -> str:
    full = int(round(stars))
    return "★" * full + "☆" * (10 - full)


def verdict_numbers(probability: float) -> tuple[str, str]:
    """P(positive) and how sure, both from the same rounding: ``("0.81", "81%")`` for 0.815.

    Rounding the probability and the confidence separately can print ``0.81 (82% sure)``;
    here the confidence is ``max(p, 1 - p)`` of the probability as printed. Near 0 and 1 a
    third decimal is shown rather than a certainty the model does not have
    (``("0.998", "99.8%")``), and beyond it ``("> 0.999", "over 99.9%")``, for 1.0 too: results
    round P(positive) to four decimals, and a calibrated probability is never a certainty.
    """
    for digits in (2, 3):
        shown = f"{probability:.{digits}f}"
        units, scale = round(float(shown) * 10**digits), 10**digits
        if 0 < units < scale:
            sure = max(units, scale - units) / 10 ** (digits - 2)
            return shown, f"{sure:.{digits - 2}f}%"
    return ("> 0.999" if probability > 0.5 else "< 0.001"), "over 99.9%"


def coverage_words(coverage: float) -> str:
    """``"reads 96% of its words"``: never 100% unless every word is known, never 0% if one is."""
    percent = round(coverage * 100)
    if coverage < 1:
        percent = min(percent, 99)
    if coverage > 0 and percent == 0:
        return "reads under 1% of its words"
    return f"reads {percent}% of its words"


def _polarity_colour(sentence: SentenceAnalysis) -> str:
    if sentence.polarity > POLARITY_SHOWN:
        return "green"
    if sentence.polarity < -POLARITY_SHOWN:
        return "red"
    return ""


def phrase_style(phrase: Phrase, strong: bool) -> str:
    """The style of a phrase in place: green or red by its sign, bold if among the strongest, never dim."""
    colour = "green" if phrase.contribution > 0 else "red"
    return f"{'bold ' if strong else ''}{colour} not dim"


def as_shown(raw: str) -> tuple[str, list[int]]:
    """``raw`` as the view shows it (each whitespace run or ``<br />`` one space, none at the ends),
    and where each offset of ``raw`` (``0..len(raw)``) lands in it."""
    pieces: list[str] = []
    where = [0] * (len(raw) + 1)
    shown = 0
    copied = 0
    for gap in _GAP.finditer(raw):
        for offset in range(copied, gap.start()):
            where[offset] = shown + offset - copied
        shown += gap.start() - copied
        pieces.append(raw[copied : gap.start()])
        for offset in range(gap.start(), gap.end()):
            where[offset] = shown
        if shown and gap.end() < len(raw):  # one space inside; nothing at either end
            pieces.append(" ")
            shown += 1
        copied = gap.end()
    for offset in range(copied, len(raw) + 1):
        where[offset] = shown + offset - copied
    pieces.append(raw[copied:])
    return "".join(pieces), where


def sentence_lines(analysis: Analysis, text: str | None = None) -> list[Text]:
    """Each sentence as shown: from ``text`` (the review as given) with its phrases highlighted, or its own text.

    The rest of a sentence keeps its polarity colour, dim; sentences outside the extract
    are dim throughout. Without ``text``, or when a sentence's offsets do not fit it,
    the sentence's own text is shown without highlights.
    """
    phrases = analysis.evidence.phrases if analysis.evidence else ()
    strongest = {id(p) for p in sorted(phrases, key=lambda p: -abs(p.contribution))[:STRONGEST_SHOWN]}
    lines = []
    for sentence in analysis.sentences:
        colour = _polarity_colour(sentence)
        fits = text is not None and 0 <= sentence.start < sentence.end <= len(text)
        if text is None or not fits:
            style = " ".join(s for s in (colour, "" if sentence.in_extract else "dim") if s)
            lines.append(Text(as_shown(sentence.text)[0], style=style))
            continue
        shown, where = as_shown(text[sentence.start : sentence.end])
        dim = "dim" if colour or not sentence.in_extract else ""
        line = Text(shown, style=" ".join(s for s in (colour, dim) if s))
        for phrase in phrases:
            for start, end in phrase.spans:
                start, end = max(start, sentence.start), min(end, sentence.end)
                if start < end:
                    first, last = where[start - sentence.start], where[end - sentence.start]
                    line.stylize(phrase_style(phrase, id(phrase) in strongest), first, last)
        lines.append(line)
    return lines


def _sentences_table(analysis: Analysis, text: str | None) -> Table:
    """Marker and sentence in two columns, so that a wrapped sentence goes on under itself, not under the marker."""
    table = Table.grid(padding=(0, 1, 0, 0))
    table.add_column(no_wrap=True, width=len(EXTRACT_MARK))
    table.add_column()
    for sentence, line in zip(analysis.sentences, sentence_lines(analysis, text), strict=True):
        table.add_row(Text(EXTRACT_MARK if sentence.in_extract else " ", style="bold cyan"), line)
    return table


def _head(analysis: Analysis) -> Text:
    assert analysis.probability is not None and analysis.stars is not None
    colour = "green" if analysis.label == "positive" else "red"
    probability, sure = verdict_numbers(analysis.probability)
    head = Text.assemble(
        (analysis.label.upper() if analysis.label else "", f"bold {colour}"),
        f"  P(positive) {probability} · {sure} sure   ",
        (f"{analysis.stars:.1f}/10 ", "bold"),
        (_stars_bar(analysis.stars), "yellow"),
    )
    if analysis.coverage is not None:
        head.append(f"   {coverage_words(analysis.coverage)}", style="dim")
    return head


def _evidence_table(analysis: Analysis) -> Table:
    """The phrases that pushed the verdict most, as written; the n-grams when the result has no phrases."""
    evidence = analysis.evidence
    table = Table(title_justify="left", show_edge=False, expand=False)
    if evidence is not None and not evidence.phrases and evidence.ngrams:
        table.title = "top n-grams"
        table.add_column("n-gram")
        table.add_column("contribution", justify="right")
        for item in evidence.ngrams[:EVIDENCE_SHOWN]:
            table.add_row(item.ngram, _signed(item.contribution))
        return table
    table.title = "phrases that weighed most"
    table.add_column("phrase", min_width=20)
    table.add_column("contribution", justify="right", no_wrap=True)
    table.add_column("features", style="dim", max_width=FEATURES_SHOWN, overflow="ellipsis", no_wrap=True)
    for phrase in (evidence.phrases if evidence else ())[:EVIDENCE_SHOWN]:
        table.add_row(
            Text(as_shown(phrase.text)[0], style="green" if phrase.contribution > 0 else "red"),
            _signed(phrase.contribution),
            _shorten(", ".join(phrase.features), FEATURES_SHOWN),
        )
    return table


def _signed(contribution: float) -> Text:
    return Text(f"{contribution:+.3f}", style="green" if contribution > 0 else "red")


def analysis_view(analysis: Analysis, text: str | None = None) -> RenderableType:
    """A panel for one analysis (or one red line for a failed one).

    ``text`` is the review as the user gave it: the sentences are then shown as written,
    with the phrases that pushed the verdict highlighted where they are.
    """
    title = analysis.id or "review"
    if analysis.error is not None:
        return Text(f"{title}: error: {analysis.error}", style="red")
    parts: list[RenderableType] = [Text(WARNING_MARK + warning, style="yellow") for warning in analysis.warnings]
    parts += [_head(analysis), Text(), _sentences_table(analysis, text)]
    highlighted = text is not None and analysis.evidence is not None and bool(analysis.evidence.phrases)
    parts.append(
        Text(
            f"{EXTRACT_MARK} in the subjective extract (minimum cut); green/red: the sentence's own polarity"
            + ("; bright: the phrases behind the verdict, bold the strongest" if highlighted else ""),
            style="dim",
        )
    )
    parts += [Text(), _evidence_table(analysis)]
    strongest = Table.grid(padding=(0, 2, 0, 2))
    strongest.add_column(no_wrap=True, justify="right")
    strongest.add_column()
    for strong in analysis.evidence.sentences if analysis.evidence else ():
        strongest.add_row(_signed(strong.contribution), _shorten(as_shown(strong.text)[0]))
    parts += [Text(), Text("sentences that weighed most:", style="bold"), strongest]
    if analysis.aspects:
        judged = Table.grid(padding=(0, 2, 0, 2))
        judged.add_column(no_wrap=True)
        judged.add_column(no_wrap=True, justify="right")
        judged.add_column()
        for aspect in analysis.aspects:
            colour = "green" if aspect.polarity > 0 else "red"
            judged.add_row(aspect.aspect, Text(f"{aspect.polarity:+.2f}", style=colour), _shorten(aspect.clause.text))
        parts += [Text(), Text("what it says of the film's parts (aspects):", style="bold"), judged]
    return Panel(Group(*parts), title=title, title_align="left")


def _shorten(text: str, width: int = SENTENCE_SHOWN) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_analysis(analysis: Analysis, console: Console | None = None, text: str | None = None) -> None:
    (console or Console()).print(analysis_view(analysis, text))


def run_summary(n: int, failed: int = 0, warned: int = 0) -> str:
    """The line after a terminal run of ``n`` reviews, e.g. ``"3 reviews, 1 with warnings, 1 could not be analyzed"``."""
    parts = [f"{n:,} review{'' if n == 1 else 's'}"]
    if warned:
        parts.append(f"{warned:,} with warnings")
    if failed:
        parts.append(f"{failed:,} could not be analyzed")
    return ", ".join(parts)
