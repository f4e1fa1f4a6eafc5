"""The terminal table of film summaries: one line a film, the aspects as coloured cells."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from thumbs.summary.films import FilmSummary, Share
from thumbs.text.aspect_terms import builtin_aspect_terms

#: The built-in aspects, in the order the table, the rows and the report give them (a user's come after).
ASPECT_COLUMNS: tuple[str, ...] = builtin_aspect_terms().names
#: Below this many judging reviews an aspect's share is shown dim: too few to lean on.
FEW_REVIEWS = 5


def _share(share: Share) -> str:
    return f"{share.value:.0%} ({share.low:.0%}-{share.high:.0%})"


def _colour(value: float) -> str:
    """Green for a positive majority, red for a negative one, yellow in between."""
    return "green" if value >= 0.6 else "red" if value <= 0.4 else "yellow"


def aspect_columns(summaries: Sequence[FilmSummary]) -> list[str]:
    """The aspects any film has: the built-in ones in their order, then a user's, alphabetically."""
    judged = {a.aspect for s in summaries for a in s.aspects}
    return [n for n in ASPECT_COLUMNS if n in judged] + sorted(judged.difference(ASPECT_COLUMNS))


def row_aspects(summaries: Sequence[FilmSummary]) -> list[str]:
    """The aspect columns of the flat rows (CSV, Parquet): every built-in one, then a user's that any film has."""
    judged = {a.aspect for s in summaries for a in s.aspects}
    return [*ASPECT_COLUMNS, *sorted(judged.difference(ASPECT_COLUMNS))]


def summary_table(summaries: Sequence[FilmSummary]) -> Table:
    """One row a film (most reviewed first): reviews, share positive with its interval, stars, each aspect."""
    aspects = aspect_columns(summaries)
    table = Table(title="What the reviews say, film by film", header_style="bold")
    table.add_column("film", overflow="fold")
    table.add_column("reviews", justify="right", overflow="fold")
    table.add_column("positive (95%)", justify="right", overflow="fold")
    table.add_column("stars", justify="right", overflow="fold")
    for name in aspects:
        table.add_column(name, justify="right", overflow="fold")
    for summary in summaries:
        by_name = {a.aspect: a for a in summary.aspects}
        cells: list[Text | str] = [
            summary.group,
            f"{summary.reviews:,}" + (f" ({summary.failed} failed)" if summary.failed else ""),
            Text(_share(summary.share), style=_colour(summary.share.value)),
            "" if summary.stars is None else f"{summary.stars:.1f}",
        ]
        for name in aspects:
            found = by_name.get(name)
            if found is None:
                cells.append("")
            else:
                style = _colour(found.share.value) + (" dim" if found.reviews < FEW_REVIEWS else "")
                cells.append(Text(f"{found.share.value:.0%} ({found.reviews})", style=style))
        table.add_row(*cells)
    return table
