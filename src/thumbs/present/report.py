"""``thumbs evaluate --report DIR``: one self-contained HTML page about an evaluation.

The page (``DIR/report.html``) holds the result table and, drawn from the
per-document predictions a :class:`~thumbs.evaluation.predictions.PredictionCollector`
kept during the evaluation, six figures: accuracy per fold, the confusion
matrix, the ROC curve, the reliability (calibration) diagram, the stars' error
by true rating, and the most influential n-grams of each class. The PNGs are
embedded as data URIs, so the one file can be mailed or archived alone. A
section that cannot be drawn for this evaluation (no ratings in the data, more
than two classes, no model giving probabilities) says why instead.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from thumbs import __version__
from thumbs.errors import ThumbsError
from thumbs.evaluation.extracts import extract_model_name
from thumbs.evaluation.metrics import expected_calibration_error
from thumbs.evaluation.predictions import FoldPredictions, PredictionCollector
from thumbs.evaluation.results import EvaluationReport, ResultRow

#: File written inside the report folder.
REPORT_FILE = "report.html"
#: n-grams shown per class and model.
SHOWN_NGRAMS = 15
SECTIONS = ("results", "folds", "confusion", "roc", "reliability", "stars", "ngrams")


@dataclass(frozen=True)
class Section:
    """One part of the report: an anchor, a heading and its HTML body."""

    key: str
    title: str
    body: str


def prepare_report_dir(path: str | Path) -> Path:
    """Create the report folder (and its parents); a path that is a file is a user mistake."""
    folder = Path(path).expanduser()
    if folder.exists() and not folder.is_dir():
        raise ThumbsError(f"--report {folder} is a file: give a folder to write {REPORT_FILE} into")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ThumbsError(f"cannot create the report folder {folder}: {exc.strerror or exc}") from None
    return folder


def _image(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _absent(reason: str) -> str:
    return f'<p class="absent">Not shown: {html.escape(reason)}</p>'


def row_name(row: ResultRow) -> str:
    """How a result row is named in the report: the model, and its extractor for extract rows."""
    return extract_model_name(row.model, row.extractor) if row.input == "extract" and row.extractor else row.model


def _number(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def results_section(report: EvaluationReport) -> Section:
    """The result table, the protocol and the notes."""
    heads = [
        "model",
        "input",
        "extractor",
        "accuracy",
        "std",
        "words kept",
        "ECE",
        "stars MAE",
        "stars r",
        "documents",
        "seconds",
    ]
    lines = ["<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead><tbody>"]
    for row in report.results:
        cells = [
            row.model,
            row.input,
            row.extractor or "",
            _number(row.accuracy),
            _number(row.std),
            _number(row.words_kept, 3),
            _number(row.ece),
            _number(row.stars_mae, 3),
            _number(row.stars_pearson, 3),
            f"{row.n_documents:,}",
            f"{row.seconds:.1f}",
        ]
        lines.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    lines.append("</tbody></table>")
    notes = "".join(f"<li>{html.escape(note)}</li>" for note in report.notes)
    body = f"<p>Protocol: {html.escape(report.protocol)}</p>" + "".join(lines) + (f"<ul>{notes}</ul>" if notes else "")
    return Section("results", "Results", body)


def folds_section(report: EvaluationReport) -> Section:
    """Accuracy on each fold of every row (a model tested once on a held-out set is one point)."""
    from thumbs.present.plots import fold_accuracy_figure, to_png

    series = [(row_name(r), list(r.fold_accuracies) or [r.accuracy]) for r in report.results]
    if not series:
        return Section("folds", "Accuracy per fold", _absent("the evaluation has no rows"))
    note = "" if any(len(a) > 1 for _, a in series) else "<p>One held-out test: one point per model, no folds.</p>"
    return Section(
        "folds", "Accuracy per fold", note + _image(to_png(fold_accuracy_figure(series)), "accuracy per fold")
    )


def _pooled(folds: Sequence[FoldPredictions], attribute: str) -> np.ndarray:
    return np.concatenate([np.asarray(getattr(f, attribute)) for f in folds])


def confusion_section(collector: PredictionCollector) -> Section:
    """Each model's confusion matrix, summed over its test folds."""
    from sklearn.metrics import confusion_matrix

    from thumbs.present.plots import confusion_figure, to_png

    panels = []
    for model in collector.models():
        folds = collector.of(model)
        classes = list(folds[0].classes)
        matrix = confusion_matrix(_pooled(folds, "truth"), _pooled(folds, "predicted"), labels=classes)
        panels.append((model, classes, matrix))
    if not panels:
        return Section("confusion", "Confusion matrix", _absent("no per-document predictions were kept"))
    return Section(
        "confusion",
        "Confusion matrix",
        "<p>Summed over the test folds.</p>" + _image(to_png(confusion_figure(panels)), "confusion matrices"),
    )


def _binary(collector: PredictionCollector, attribute: str) -> list[tuple[str, list[FoldPredictions]]]:
    out = []
    for model in collector.models():
        folds = collector.of(model)
        if folds[0].is_binary and all(getattr(f, attribute) is not None for f in folds):
            out.append((model, folds))
    return out


def _why_not_binary(collector: PredictionCollector, what: str) -> str:
    if not collector.models():
        return "no per-document predictions were kept"
    if not any(collector.of(m)[0].is_binary for m in collector.models()):
        return f"the data has more than two classes; {what} needs two"
    return f"no model here gives {what}"


def roc_section(collector: PredictionCollector) -> Section:
    """ROC curves of the two-class models, from their decision values pooled over folds."""
    from thumbs.present.plots import roc_figure, to_png

    curves = [(m, _pooled(f, "is_second_class"), _pooled(f, "score")) for m, f in _binary(collector, "score")]
    curves = [c for c in curves if 0 < c[1].sum() < len(c[1])]
    if not curves:
        return Section("roc", "ROC curve", _absent(_why_not_binary(collector, "decision values of two classes")))
    positive = collector.of(collector.models()[0])[0].classes[-1]
    return Section("roc", "ROC curve", _image(to_png(roc_figure(curves, positive)), "ROC curves"))


def reliability_section(collector: PredictionCollector) -> Section:
    """Reliability diagram of every model that gives a probability, with its expected calibration error."""
    from thumbs.present.plots import reliability_figure, to_png

    curves = []
    for model, folds in _binary(collector, "probability"):
        probability, truth = _pooled(folds, "probability"), _pooled(folds, "is_second_class")
        curves.append((model, probability, truth, expected_calibration_error(probability, truth)))
    if not curves:
        return Section("reliability", "Reliability diagram", _absent(_why_not_binary(collector, "probabilities")))
    positive = collector.of(collector.models()[0])[0].classes[-1]
    return Section(
        "reliability",
        "Reliability diagram",
        "<p>Documents binned by predicted probability; pooled over the test folds.</p>"
        + _image(to_png(reliability_figure(curves, positive)), "reliability diagram"),
    )


def stars_section(collector: PredictionCollector) -> Section:
    """The stars' error by true rating, for models that give stars on data that has ratings."""
    from thumbs.present.plots import star_error_figure, to_png

    series = []
    for model in collector.models():
        folds = collector.of(model)
        if all(f.stars is not None and f.ratings is not None for f in folds):
            series.append((model, _pooled(folds, "stars"), _pooled(folds, "ratings")))
    if series:
        return Section(
            "stars",
            "Star-rating error by true rating",
            _image(to_png(star_error_figure(series)), "star error by true rating"),
        )
    folds = collector.folds
    if any(f.stars is not None for f in folds):
        reason = "this data has no ratings to compare the stars with (aclImdb has them in its file names; a table needs --rating-column)"
    else:
        reason = (
            "no model here gives stars: the recipes give labels only; --model default (or a .thumbs file) gives stars"
        )
    return Section("stars", "Star-rating error by true rating", _absent(reason))


def mean_ngrams(folds: Sequence[FoldPredictions], shown: int = SHOWN_NGRAMS) -> dict[str, list[tuple[str, float]]]:
    """Each class's n-grams by their weight averaged over folds (a fold where one is not among the strongest counts 0)."""
    out: dict[str, list[tuple[str, float]]] = {}
    for label in folds[0].ngrams:
        total: dict[str, float] = defaultdict(float)
        for fold in folds:
            for name, weight in fold.ngrams.get(label, ()):
                total[name] += weight / len(folds)
        out[label] = sorted(total.items(), key=lambda item: (-item[1], item[0]))[:shown]
    return out


def ngrams_section(collector: PredictionCollector) -> Section:
    """The most influential n-grams of each class, per model."""
    from thumbs.present.plots import ngram_figure, to_png

    parts = []
    for model in collector.models():
        folds = collector.of(model)
        if folds[0].ngrams:
            parts.append(
                f"<h3>{html.escape(model)}</h3>"
                + _image(to_png(ngram_figure(model, mean_ngrams(folds))), f"n-grams of {model}")
            )
    if not parts:
        return Section("ngrams", "Most influential n-grams", _absent("no model here exposes n-gram weights"))
    intro = (
        "<p>Weight of each n-gram toward a class in the linear model, averaged over folds. "
        "Rows on subjective extracts are not shown (their features are refitted per setting).</p>"
    )
    return Section("ngrams", "Most influential n-grams", intro + "".join(parts))


def build_sections(report: EvaluationReport, collector: PredictionCollector) -> list[Section]:
    """Every section of the report, in :data:`SECTIONS` order."""
    return [
        results_section(report),
        folds_section(report),
        confusion_section(collector),
        roc_section(collector),
        reliability_section(collector),
        stars_section(collector),
        ngrams_section(collector),
    ]


_STYLE = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child,td:nth-child(2),td:nth-child(3){text-align:left}img{max-width:100%}
.absent{color:#666;font-style:italic}nav a{margin-right:1em}"""


def render_html(report: EvaluationReport, sections: Sequence[Section], command: str | None = None) -> str:
    """The whole page: title, how it was made, a table of contents and the sections."""
    made = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    how = f"thumbs {__version__}, {made}" + (f"; command: <code>{html.escape(command)}</code>" if command else "")
    nav = "".join(f'<a href="#{s.key}">{html.escape(s.title)}</a>' for s in sections)
    body = "".join(f'<section id="{s.key}"><h2>{html.escape(s.title)}</h2>{s.body}</section>' for s in sections)
    title = f"thumbs evaluation: {html.escape(report.dataset)}"
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{title}</h1><p>{how}</p><nav>{nav}</nav>{body}</body></html>\n"
    )


def write_report(
    report: EvaluationReport, collector: PredictionCollector, directory: str | Path, command: str | None = None
) -> Path:
    """Write ``report.html`` into ``directory`` (created if missing) and return its path."""
    folder = prepare_report_dir(directory)
    path = folder / REPORT_FILE
    text = render_html(report, build_sections(report, collector), command)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ThumbsError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
