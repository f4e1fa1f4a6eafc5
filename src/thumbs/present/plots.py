"""The figures of evaluation reports and of the peers benchmark, drawn with matplotlib.

Each function takes plain arrays and returns a matplotlib ``Figure``;
:func:`to_png` turns one into PNG bytes and closes it. matplotlib is imported
lazily, with the non-interactive Agg backend, so importing thumbs stays fast
and no display is ever needed. The same functions serve
:mod:`thumbs.present.report` (``thumbs evaluate --report``) and ``benchmarks/peers.py``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from thumbs.evaluation.metrics import bin_index, binned_means

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

#: Equal-width bins of P(second class) in the reliability diagrams.
RELIABILITY_BINS = 10
#: Pixels per inch of the saved PNGs.
DPI = 100


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes; the figure is closed (its memory freed)."""
    plt = _pyplot()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _grid(n: int, columns: int, size: tuple[float, float]) -> tuple[Figure, list[Any]]:
    plt = _pyplot()
    cols = max(1, min(columns, n))
    rows = max(1, -(-n // cols))
    figure, axes = plt.subplots(rows, cols, figsize=(size[0] * cols, size[1] * rows), squeeze=False)
    flat = list(axes.ravel())
    for extra in flat[n:]:
        extra.set_visible(False)
    return figure, flat[:n]


def fold_accuracy_figure(series: Sequence[tuple[str, Sequence[float]]]) -> Figure:
    """Accuracy on each fold, one line per model (a model tested once is one point)."""
    plt = _pyplot()
    figure, ax = plt.subplots(figsize=(7.5, 4.0))
    for name, accuracies in series:
        x = np.arange(1, len(accuracies) + 1)
        ax.plot(x, accuracies, marker="o", label=f"{name} (mean {np.mean(accuracies):.3f})")
    longest = max((len(a) for _, a in series), default=1)
    ax.set_xticks(np.arange(1, longest + 1))
    ax.set_xlabel("fold")
    ax.set_ylabel("accuracy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    ax.set_title("Accuracy per fold")
    return figure


def confusion_figure(panels: Sequence[tuple[str, Sequence[str], NDArray[np.int64]]]) -> Figure:
    """One confusion matrix per model: rows the true class, columns the predicted one, with counts."""
    figure, axes = _grid(len(panels), 3, (3.6, 3.3))
    for ax, (name, classes, matrix) in zip(axes, panels, strict=True):
        matrix = np.asarray(matrix)
        ax.imshow(matrix, cmap="Blues")
        top = matrix.max() if matrix.size else 0
        for (i, j), count in np.ndenumerate(matrix):
            ax.text(j, i, f"{count:,}", ha="center", va="center", color="white" if count > top / 2 else "black")
        ax.set_xticks(range(len(classes)), classes, fontsize=8)
        ax.set_yticks(range(len(classes)), classes, fontsize=8)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(name, fontsize=9)
    figure.tight_layout()
    return figure


def roc_figure(
    curves: Sequence[tuple[str, NDArray[np.bool_], NDArray[np.float64]]], positive: str = "positive"
) -> Figure:
    """ROC curves (true against false positive rate) with each model's area under the curve."""
    from sklearn.metrics import auc, roc_curve

    plt = _pyplot()
    figure, ax = plt.subplots(figsize=(5.0, 5.0))
    for name, truth, score in curves:
        fpr, tpr, _ = roc_curve(np.asarray(truth, dtype=bool), score)
        ax.plot(fpr, tpr, label=f"{name} (AUC {auc(fpr, tpr):.3f})")
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel(f"false positive rate (not {positive}, called {positive})")
    ax.set_ylabel(f"true positive rate ({positive} found)")
    ax.set_aspect("equal")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("ROC curve")
    return figure


def reliability_figure(
    curves: Sequence[tuple[str, NDArray[np.float64], NDArray[np.bool_], float]],
    positive: str = "positive",
    title: str = "Reliability diagram",
) -> Figure:
    """One small reliability diagram per model: observed frequency of the class against predicted probability.

    Probabilities are binned as :func:`thumbs.evaluation.metrics.binned_means` bins them; grey
    bars (right axis, log scale) count the documents in each bin, and the model's expected
    calibration error is in its panel's title.
    """
    figure, axes = _grid(len(curves), 3, (3.4, 3.3))
    edges = np.linspace(0, 1, RELIABILITY_BINS + 1)
    for ax, (name, probability, truth, ece) in zip(axes, curves, strict=True):
        counts = ax.twinx()
        in_bin = np.bincount(bin_index(probability, RELIABILITY_BINS), minlength=RELIABILITY_BINS)
        counts.bar(edges[:-1], in_bin, width=1.0 / RELIABILITY_BINS, align="edge", color="lightgrey", zorder=0)
        counts.set_yscale("log")
        _plain_log_ticks(counts.yaxis)
        counts.tick_params(labelsize=7)
        ax.set_zorder(counts.get_zorder() + 1)
        ax.patch.set_visible(False)
        curve = binned_means(probability, truth, RELIABILITY_BINS)
        ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
        ax.plot(curve.mean_value, curve.mean_outcome, marker="o", color="tab:blue")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_title(f"{name}\nECE {ece:.3f}", fontsize=9)
        ax.set_xlabel(f"predicted P({positive})", fontsize=8)
        ax.set_ylabel(f"observed fraction {positive}", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    figure.suptitle(f"{title}\ndotted: perfect calibration; grey: documents per bin (log)", fontsize=9)
    figure.tight_layout()
    return figure


def star_error_figure(series: Sequence[tuple[str, NDArray[np.float64], NDArray[np.float64]]]) -> Figure:
    """Mean absolute error of the stars for each true rating, and the mean stars given, per model."""
    plt = _pyplot()
    figure, (error_ax, mean_ax) = plt.subplots(1, 2, figsize=(10.0, 4.0))
    width = 0.8 / max(len(series), 1)
    for k, (name, stars, ratings) in enumerate(series):
        stars, ratings = np.asarray(stars, dtype=np.float64), np.asarray(ratings, dtype=np.float64)
        values = np.unique(ratings)
        mae = [np.mean(np.abs(stars[ratings == v] - v)) for v in values]
        mean = [np.mean(stars[ratings == v]) for v in values]
        error_ax.bar(
            values + (k - (len(series) - 1) / 2) * width,
            mae,
            width=width,
            label=f"{name} (MAE {np.mean(np.abs(stars - ratings)):.2f})",
        )
        mean_ax.plot(values, mean, marker="o", label=name)
    error_ax.set_xlabel("true rating")
    error_ax.set_ylabel("mean absolute error (stars)")
    error_ax.set_title("Star error by true rating")
    error_ax.legend(fontsize=8)
    error_ax.grid(alpha=0.3, axis="y")
    low, high = 1, 10
    mean_ax.plot([low, high], [low, high], color="grey", linestyle=":", linewidth=1, label="exact")
    mean_ax.set_xlabel("true rating")
    mean_ax.set_ylabel("mean stars given")
    mean_ax.set_title("Stars given by true rating")
    mean_ax.legend(fontsize=8)
    mean_ax.grid(alpha=0.3)
    figure.tight_layout()
    return figure


def ngram_figure(model: str, ngrams: Mapping[str, Sequence[tuple[str, float]]]) -> Figure:
    """The strongest n-grams of each class as horizontal bars (weight toward that class)."""
    figure, axes = _grid(len(ngrams), 2, (4.6, 0.28 * max((len(v) for v in ngrams.values()), default=1) + 1.2))
    for ax, (label, items) in zip(axes, ngrams.items(), strict=True):
        names = [name for name, _ in items][::-1]
        weights = [weight for _, weight in items][::-1]
        ax.barh(range(len(names)), weights, color="tab:green" if label in ("positive", "subjective") else "tab:red")
        ax.set_yticks(range(len(names)), names, fontsize=8)
        ax.set_xlabel("weight toward the class")
        ax.set_title(f"{model}: {label}", fontsize=9)
        ax.grid(alpha=0.3, axis="x")
    figure.tight_layout()
    return figure


@dataclass(frozen=True)
class SpeedPoint:
    """One peer in the accuracy-against-speed plot."""

    name: str
    kind: str  # "lexicon", "trainable" or "thumbs"
    accuracy: float
    reviews_per_second: float


def _plain_log_ticks(axis: Any) -> None:
    """Label a log axis 100, 1,000, 10,000 rather than powers of ten, without minor labels."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    axis.set_minor_formatter(NullFormatter())


def _label_shifts(ax: Any, points: Sequence[SpeedPoint], font_points: float = 7.0) -> list[int]:
    """How many lines down to move each point's name so that no two names overlap (greedy, in order).

    Works in axis fractions, from the axes' final limits and size: a name is
    about 0.55 of the font size wide per character and 1.3 of it high.
    """
    figure = ax.get_figure()
    box = ax.get_position()
    width_pt = box.width * figure.get_size_inches()[0] * 72
    height_pt = box.height * figure.get_size_inches()[1] * 72
    (x0, x1), (y0, y1) = np.log10(ax.get_xlim()), ax.get_ylim()
    line = 1.3 * font_points / height_pt
    placed: list[tuple[float, float, float, float]] = []  # left, right, bottom, top
    shifts = []
    for p in points:
        left = (np.log10(p.reviews_per_second) - x0) / (x1 - x0) + 5 / width_pt
        right = left + 0.55 * font_points * len(p.name) / width_pt
        middle = (p.accuracy - y0) / (y1 - y0) + 3 / height_pt
        shift = 0
        while shift < 8 and any(
            left < r and lo < right and middle - (shift + 0.5) * line < t and b < middle - (shift - 0.5) * line
            for lo, r, b, t in placed
        ):
            shift += 1
        placed.append((left, right, middle - (shift + 0.5) * line, middle - (shift - 0.5) * line))
        shifts.append(shift)
    return shifts


_KIND_STYLE = {"lexicon": ("tab:orange", "s"), "trainable": ("tab:blue", "^"), "thumbs": ("tab:green", "o")}


def speed_accuracy_figure(panels: Sequence[tuple[str, Sequence[SpeedPoint]]]) -> Figure:
    """Accuracy against reviews per second on one core (log scale), one panel per dataset."""
    figure, axes = _grid(len(panels), 2, (6.0, 4.6))
    for ax, (title, points) in zip(axes, panels, strict=True):
        for kind, (color, marker) in _KIND_STYLE.items():
            mine = [p for p in points if p.kind == kind]
            if mine:
                ax.scatter(
                    [p.reviews_per_second for p in mine],
                    [p.accuracy for p in mine],
                    color=color,
                    marker=marker,
                    s=45,
                    label=kind,
                    zorder=3,
                )
        speeds = [p.reviews_per_second for p in points]
        ax.set_xscale("log")
        ax.set_xlim(min(speeds) / 1.6, max(speeds) * 4)  # room for the names on the right
        low, high = ax.get_ylim()
        ax.set_ylim(low - 0.04 * (high - low), high)  # and for names moved below the lowest point
        _plain_log_ticks(ax.xaxis)
        ax.set_xlabel("reviews per second, one core (log scale)")
        ax.set_ylabel("accuracy")
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8, loc="best")
    figure.tight_layout()  # the axes' final size, which placing the names depends on
    for ax, (_, points) in zip(axes, panels, strict=True):
        for p, shift in zip(points, _label_shifts(ax, points), strict=True):
            leader = {"arrowprops": {"arrowstyle": "-", "color": "grey", "linewidth": 0.5}} if shift else {}
            ax.annotate(
                p.name,
                (p.reviews_per_second, p.accuracy),
                textcoords="offset points",
                xytext=(5, 3 - 9.1 * shift),
                fontsize=7,
                va="center",
                **leader,
            )
    return figure
