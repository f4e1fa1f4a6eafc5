"""The terminal view of an :class:`~thumbs.pipeline.analysis.Analysis` (rich).

Only presentation lives here: the verdict and its probability, the stars, the
review's sentences coloured by their own polarity with the extract marked, and
the n-grams that pushed the verdict most.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from thumbs.pipeline.analysis import Analysis

#: Sentence polarity beyond which a sentence is coloured (green positive, red negative).
POLARITY_SHOWN = 0.2
EXTRACT_MARK = "▌"
EVIDENCE_SHOWN = 8
#: Characters of a sentence shown in the evidence list.
SENTENCE_SHOWN = 90


def _stars_bar(stars: float) -> str:
    full = int(round(stars))
    return "★" * full + "☆" * (10 - full)


def analysis_view(analysis: Analysis) -> Panel | Text:
    """A panel for one analysis (or one red line for a failed one)."""
    title = analysis.id or "review"
    if analysis.error is not None:
        return Text(f"{title}: error: {analysis.error}", style="red")
    assert analysis.probability is not None and analysis.stars is not None
    colour = "green" if analysis.label == "positive" else "red"
    confidence = analysis.probability if analysis.label == "positive" else 1 - analysis.probability
    head = Text.assemble(
        (f"{analysis.label.upper() if analysis.label else ''}", f"bold {colour}"),
        f"  P(positive) = {analysis.probability:.2f} ({confidence:.0%} sure)   ",
        (f"{analysis.stars:.1f}/10 ", "bold"),
        (_stars_bar(analysis.stars), "yellow"),
    )
    body = Text()
    for sentence in analysis.sentences:
        style = ""
        if sentence.polarity > POLARITY_SHOWN:
            style = "green"
        elif sentence.polarity < -POLARITY_SHOWN:
            style = "red"
        body.append(EXTRACT_MARK if sentence.in_extract else " ", style="bold cyan")
        body.append(" " + sentence.text + "\n", style=style + (" dim" if not sentence.in_extract else ""))
    legend = Text(
        f"{EXTRACT_MARK} in the subjective extract (minimum cut); green/red: the sentence's own polarity",
        style="dim",
    )
    evidence = Table(title="top n-grams", title_justify="left", show_edge=False, expand=False)
    evidence.add_column("n-gram")
    evidence.add_column("contribution", justify="right")
    for item in (analysis.evidence.ngrams if analysis.evidence else ())[:EVIDENCE_SHOWN]:
        evidence.add_row(
            item.ngram, Text(f"{item.contribution:+.3f}", style="green" if item.contribution > 0 else "red")
        )
    strongest = Text("sentences that weighed most:\n", style="bold")
    for strong in analysis.evidence.sentences if analysis.evidence else ():
        strongest.append(f"  {strong.contribution:+.3f}  ", style="green" if strong.contribution > 0 else "red")
        strongest.append(_shorten(strong.text) + "\n")
    return Panel(
        Group(head, Text(), body, legend, Text(), evidence, Text(), strongest), title=title, title_align="left"
    )


def _shorten(text: str, width: int = SENTENCE_SHOWN) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_analysis(analysis: Analysis, console: Console | None = None) -> None:
    (console or Console()).print(analysis_view(analysis))
