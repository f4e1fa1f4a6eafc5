"""The HTML report of ``thumbs summarize``: one self-contained page of film summaries.

:func:`write_summary_report` writes ``index.html`` into a folder: a sortable table of the films
(reviews, share positive drawn as a bar with its 95% interval as a whisker, mean stars, a 1-10
star histogram), a film x aspect heat map, and under each film its quotes per aspect, its most
praised and criticized phrases and its months. Styles, script and figures (inline SVG) are in
the page, so the one file can be mailed or archived alone and opens without a network. Every
text from the reviews is HTML-escaped; the page is built with plain strings, no template engine.
A folder that is a file, or an ``index.html`` this function did not write, is refused rather
than overwritten.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from thumbs import __version__
from thumbs.errors import ThumbsError
from thumbs.present.summaries import aspect_columns
from thumbs.summary.films import AspectSummary, FilmSummary, Share

#: File written inside the report folder.
REPORT_FILE = "index.html"
#: The line that marks a page as ours: an ``index.html`` without it is someone else's and is kept.
GENERATOR_MARK = '<meta name="generator" content="thumbs summarize">'
#: How much of an existing ``index.html`` is read to look for :data:`GENERATOR_MARK`.
MARK_WINDOW = 2048
#: Heat map colours (RGB) for a share positive of 0, 0.5 and 1; dark text stays readable on each.
RED, YELLOW, GREEN = (0xF4, 0x6D, 0x43), (0xFE, 0xE0, 0x8B), (0x66, 0xBD, 0x63)
#: Size of the share bar (pixels).
BAR_WIDTH, BAR_HEIGHT = 120, 16
#: Size of one histogram bar and of the histogram's height (pixels).
HISTOGRAM_BAR, HISTOGRAM_HEIGHT = 7, 24
#: The columns of the films table.
FILM_HEADS = ("film", "reviews", "positive (95%)", "stars (95%)", "stars 1-10")
#: What each share method means, for the paragraph at the top.
METHODS = {
    "sld": (
        "the maximum-likelihood share (sld, Saerens, Latinne & Decaestecker 2002): the share of positive "
        "reviews under which the reviews' calibrated probabilities, re-weighted from the model's training "
        "share to it, are most likely; it corrects the lean of counting labels (the classifier errs more "
        "often one way than the other) and of averaging probabilities; the 95% interval is that of the "
        "count of positive reviews among those read"
    ),
    "pcc": (
        "probabilistic classify and count (pcc): the mean of each review's calibrated probability of being "
        "positive, rather than the count of reviews labelled positive, which leans whichever way the "
        "classifier errs more often; the 95% interval is that of a sum of independent yes/no reviews, "
        "each positive with its own probability"
    ),
}

_STYLE = """body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:90%;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;vertical-align:middle}
th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
td.num{text-align:right}th[scope=row]{text-align:left}svg{vertical-align:middle}.muted{color:#666}tr.more td{border-top:0;padding-top:0}
.heat td.cell{text-align:center;color:#111;min-width:4em}.heat small{display:block}.pos{color:#1a7a30}.neg{color:#b2182b}
details ul{margin:.2em 0 .6em}q{font-style:italic}"""

_SCRIPT = """document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, column) {
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var bodies = Array.prototype.slice.call(table.tBodies);
      bodies.sort(function (a, b) {
        var x = a.rows[0].cells[column].dataset.sort, y = b.rows[0].cells[column].dataset.sort;
        var nx = parseFloat(x), ny = parseFloat(y);
        var order = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return ascending ? order : -order;
      });
      bodies.forEach(function (body) { table.appendChild(body); });
    });
  });
});"""


def _e(text: object) -> str:
    """HTML-escaped text, quotes included (safe in element content and in attribute values)."""
    return html.escape(str(text), quote=True)


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _reviews_word(n: int) -> str:
    return f"{n:,} review" + ("" if n == 1 else "s")


def heat_colour(share: float) -> str:
    """The heat map colour of a share positive: red at 0, yellow at 0.5, green at 1."""
    value = min(max(share, 0.0), 1.0)
    low, high, t = (RED, YELLOW, value * 2) if value <= 0.5 else (YELLOW, GREEN, value * 2 - 1)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high, strict=True))


def aspect_label(film: str, aspect: AspectSummary) -> str:
    """The text alternative of a heat map cell, e.g. ``Vertigo, music: 80% positive of 5 reviews``."""
    return f"{film}, {aspect.aspect}: {_percent(aspect.share.value)} positive of {_reviews_word(aspect.reviews)}"


def share_bar(share: Share) -> str:
    """The share positive as a bar, its 95% interval as a whisker (inline SVG with a text alternative)."""
    label = f"{_percent(share.value)} positive (95% interval {_percent(share.low)} to {_percent(share.high)})"
    x, low, high, mid = share.value * BAR_WIDTH, share.low * BAR_WIDTH, share.high * BAR_WIDTH, BAR_HEIGHT / 2
    return (
        f'<svg role="img" aria-label="{_e(label)}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
        f'viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}"><title>{_e(label)}</title>'
        f'<rect width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="#eee"/>'
        f'<rect y="3" width="{x:.1f}" height="{BAR_HEIGHT - 6}" fill="{heat_colour(share.value)}"/>'
        f'<path d="M{low:.1f} {mid}H{high:.1f}M{low:.1f} 3V{BAR_HEIGHT - 3}M{high:.1f} 3V{BAR_HEIGHT - 3}" '
        f'stroke="#222" stroke-width="1.5"/></svg> {_e(_percent(share.value))}'
    )


def star_histogram(histogram: Sequence[int]) -> str:
    """The reviews by whole star, 1 to 10, as small bars (inline SVG with a text alternative)."""
    if not any(histogram):
        return '<span class="muted">no stars</span>'
    tallest = max(histogram)
    label = "stars: " + ", ".join(f"{i}: {n}" for i, n in enumerate(histogram, start=1))
    bars = []
    for i, n in enumerate(histogram):
        height = HISTOGRAM_HEIGHT * n / tallest
        bars.append(
            f'<rect x="{i * HISTOGRAM_BAR}" y="{HISTOGRAM_HEIGHT - height:.1f}" width="{HISTOGRAM_BAR - 1}" '
            f'height="{height:.1f}" fill="{heat_colour(i / 9)}"><title>{i + 1} stars: {n:,}</title></rect>'
        )
    width = HISTOGRAM_BAR * len(histogram)
    return (
        f'<svg role="img" aria-label="{_e(label)}" width="{width}" height="{HISTOGRAM_HEIGHT}" '
        f'viewBox="0 0 {width} {HISTOGRAM_HEIGHT}">{"".join(bars)}'
        f'<path d="M0 {HISTOGRAM_HEIGHT - 0.5}H{width}" stroke="#999"/></svg>'
    )


def _phrases(title: str, phrases: Sequence[tuple[str, int]]) -> str:
    if not phrases:
        return ""
    items = "".join(f"<li>{_e(p)} <span class='muted'>({n:,})</span></li>" for p, n in phrases)
    return f"<h4>{_e(title)}</h4><ul>{items}</ul>"


def film_details(summary: FilmSummary) -> str:
    """A film's quotes per aspect (with review ids and polarity), its phrases and its months."""
    parts = []
    for aspect in summary.aspects:
        quotes = "".join(
            f'<li><q>{_e(q.text)}</q> <span class="{"pos" if q.polarity > 0 else "neg"}">{q.polarity:+.2f}</span>'
            f' <span class="muted">review {_e(q.review_id)}</span></li>'
            for q in aspect.quotes
        )
        heading = f"{_e(aspect.aspect)}: {_percent(aspect.share.value)} positive of {_reviews_word(aspect.reviews)}"
        parts.append(f"<h4>{heading}</h4><ul>{quotes}</ul>")
    parts.append(_phrases("Most praised", summary.praised))
    parts.append(_phrases("Most criticized", summary.criticized))
    if summary.months:
        rows = "".join(
            f'<tr><td>{_e(m.month)}</td><td class="num">{m.reviews:,}</td>'
            f'<td class="num">{_percent(m.share.value)}</td><td class="num">{m.stars:.1f}</td></tr>'
            for m in summary.months
        )
        parts.append(
            "<h4>By month</h4><table><thead><tr><th>month</th><th>reviews</th><th>positive</th>"
            f"<th>stars</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    body = "".join(parts) or '<p class="muted">No aspect, phrase or month to show.</p>'
    return f"<details><summary>Quotes and phrases: {_e(summary.group)}</summary>{body}</details>"


def films_table(summaries: Sequence[FilmSummary]) -> str:
    """The sortable table: one ``<tbody>`` a film (its row, then the row that opens its details)."""
    heads = "".join(f'<th scope="col"><button type="button">{_e(h)}</button></th>' for h in FILM_HEADS)
    bodies = []
    for s in summaries:
        read = s.reviews - s.failed
        failed = f' <span class="muted">({s.failed:,} failed)</span>' if s.failed else ""
        share = share_bar(s.share) if read else '<span class="muted">none read</span>'
        stars = "" if s.stars is None else f"{s.stars:.1f}"
        if s.stars_low is not None and s.stars_high is not None:
            stars += f' <span class="muted">({s.stars_low:.1f}-{s.stars_high:.1f})</span>'
        bodies.append(
            f'<tbody><tr><th scope="row" data-sort="{_e(s.group)}">{_e(s.group)}</th>'
            f'<td class="num" data-sort="{s.reviews}">{s.reviews:,}{failed}</td>'
            f'<td data-sort="{s.share.value if read else -1}">{share}</td>'
            f'<td class="num" data-sort="{-1 if s.stars is None else s.stars}">{stars}</td>'
            f'<td data-sort="{sum(s.histogram)}">{star_histogram(s.histogram)}</td></tr>'
            f'<tr class="more"><td colspan="{len(FILM_HEADS)}">{film_details(s)}</td></tr></tbody>'
        )
    return f'<table class="sortable films"><thead><tr>{heads}</tr></thead>{"".join(bodies)}</table>'


def heat_map(summaries: Sequence[FilmSummary]) -> str:
    """Films by aspects: each cell coloured by the share positive, with the share and the review count."""
    columns = aspect_columns(summaries)
    if not columns:
        return '<p class="muted">No review judges an aspect of a film.</p>'
    heads = "".join(f'<th scope="col">{_e(c)}</th>' for c in columns)
    rows = []
    for s in summaries:
        by_name = {a.aspect: a for a in s.aspects}
        cells = []
        for name in columns:
            found = by_name.get(name)
            if found is None:
                cells.append('<td class="blank"></td>')
                continue
            label = _e(aspect_label(s.group, found))
            cells.append(
                f'<td class="cell" style="background:{heat_colour(found.share.value)}" title="{label}" '
                f'aria-label="{label}">{_percent(found.share.value)}<small>{found.reviews:,}</small></td>'
            )
        rows.append(f'<tr><th scope="row">{_e(s.group)}</th>{"".join(cells)}</tr>')
    return (
        f'<table class="heat"><caption>Share positive of the reviews judging each aspect (and how many)'
        f'</caption><thead><tr><th scope="col">film</th>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def explanation(summaries: Sequence[FilmSummary]) -> str:
    """The paragraph at the top: what the figures are and how the share positive was estimated."""
    methods = sorted({s.method for s in summaries})
    how = "; ".join(f"<code>{_e(m)}</code>, " + _e(METHODS.get(m, "as named by thumbs")) for m in methods)
    return (
        f"<p>{len(summaries):,} films. For each, the reviews read (and those that could not be analyzed), "
        "the share of positive reviews drawn as a bar with its 95% interval as a whisker, the mean stars "
        "with their 95% interval and how many reviews gave each whole star from 1 to 10. The share "
        f"positive is estimated by {how or 'no method (no film)'}. An aspect's share is the share of the "
        "reviews judging it whose judging clause is positive, with a Wilson 95% interval. Click a column's "
        "header to sort; open a film's details for its quotes, phrases and months.</p>"
    )


def render_summary_report(summaries: Sequence[FilmSummary]) -> str:
    """The whole page, as text."""
    title = "thumbs: what the reviews say, film by film"
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{GENERATOR_MARK}'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{title}</h1>{explanation(summaries)}"
        f'<p class="muted">Made by thumbs {_e(__version__)}.</p>'
        f'<section id="films"><h2>Films</h2>{films_table(summaries)}</section>'
        f'<section id="aspects"><h2>Aspects</h2>{heat_map(summaries)}</section>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )


def _is_ours(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return GENERATOR_MARK in handle.read(MARK_WINDOW)
    except OSError:
        return False


def write_summary_report(summaries: Sequence[FilmSummary], folder: Path) -> Path:
    """Write ``folder/index.html`` (the folder created if missing) and return its path.

    As with ``thumbs evaluate --report``, a folder that is a file is refused; so is an
    ``index.html`` this function did not write (it is someone else's page): a one-line
    :class:`~thumbs.errors.ThumbsError` says so. Our own earlier report is replaced.
    """
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise ThumbsError(f"{folder} is a file: give a folder to write {REPORT_FILE} into")
    path = folder / REPORT_FILE
    if path.exists() and (path.is_dir() or not _is_ours(path)):
        raise ThumbsError(f"{path} exists and is not a thumbs summary report: give an empty or new folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(render_summary_report(summaries), encoding="utf-8")
    except OSError as exc:
        raise ThumbsError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
