"""The output of benchmarks/peers.py: the printed table, docs/benchmarks.md and its PNG plots.

Every figure written here comes from the rows that run measured; the only numbers typed in are the
published references (:data:`PUBLISHED`), which are labelled "published, not measured" wherever
they appear.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

TITLES = {
    "imdb": "aclImdb test (trainable peers trained on aclImdb train)",
    "polarity": "polarity v2.0 (Pang & Lee's 10 folds for trainable peers; zero-shot for the others)",
    "mr": "mr, rt-polarity sentences (stratified 10-fold)",
    "subj": "subj, rotten_imdb subjectivity (stratified 10-fold)",
}
SHORT = {"imdb": "aclImdb test", "polarity": "polarity v2.0", "mr": "mr", "subj": "subj"}
LIBRARIES = ("thumbs", "numpy", "scipy", "scikit-learn", "matplotlib", "vaderSentiment", "textblob", "nltk")
#: The label speed of thumbs' default model must be at least this multiple of these lexicon tools' (per core).
SPEED_TARGET = 10.0
SPEED_PEERS = ("VADER", "TextBlob (PatternAnalyzer)")


@dataclass(frozen=True)
class PeerResult:
    """One peer on one dataset, as measured."""

    dataset: str
    peer: str
    kind: str  # "lexicon", "trainable" or "thumbs"
    setting: str  # what it was trained on, or "zero-shot"
    documents: int  # texts scored (and timed)
    accuracy: float  # mean over folds
    std: float | None  # across folds
    macro_f1: float  # pooled over folds
    ece: float | None  # expected calibration error of its probabilities, pooled
    reviews_per_second: float | None  # one core


@dataclass(frozen=True)
class Published:
    """A published figure, listed beside the measured rows and never mixed with them."""

    dataset: str
    system: str
    accuracy: float  # percent
    citation: str


PUBLISHED: tuple[Published, ...] = (
    Published("imdb", "NBSVM-bi", 91.22, "Wang & Manning 2012, Baselines and Bigrams (ACL)"),
    Published(
        "imdb",
        "word vectors, full model + unlabeled + BoW",
        88.89,
        "Maas et al. 2011, Learning Word Vectors for Sentiment Analysis (ACL), Table 2",
    ),
    Published("polarity", "NBSVM-bi (RT-2k)", 89.45, "Wang & Manning 2012"),
    Published("polarity", "SVM, full review", 87.15, "Pang & Lee 2004, A Sentimental Education (ACL)"),
    Published("polarity", "NB on minimum-cut subjective extracts", 86.4, "Pang & Lee 2004"),
    Published("polarity", "NB, full review", 82.8, "Pang & Lee 2004"),
    Published("mr", "NBSVM-bi (RT-s)", 79.4, "Wang & Manning 2012"),
    Published("subj", "NBSVM-bi", 93.18, "Wang & Manning 2012"),
)


@dataclass
class Written:
    """What :func:`write_docs` produced."""

    markdown: Path
    images: list[Path] = field(default_factory=list)
    table_lines: list[str] = field(default_factory=list)


def _fmt(value: float | None, pattern: str) -> str:
    return "" if value is None else format(value, pattern)


def _ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}" if value and base else ""


def table_lines(rows: Sequence[PeerResult], references: Mapping[str, PeerResult | None]) -> list[str]:
    """The plain-text table printed at the end of a run, each peer's ratio to thumbs included."""
    head = f"{'dataset':13s} {'peer':34s} {'accuracy':>8s} {'macro F1':>8s} {'ECE':>6s} {'reviews/s':>10s} {'acc/thumbs':>10s} {'speed/thumbs':>12s}"
    lines = [head, "-" * len(head)]
    for row in rows:
        ref = references.get(row.dataset)
        lines.append(
            f"{SHORT[row.dataset]:13s} {row.peer:34s} {row.accuracy:8.4f} {row.macro_f1:8.4f} {_fmt(row.ece, '.4f'):>6s} "
            f"{_fmt(row.reviews_per_second, ',.0f'):>10s} {_ratio(row.accuracy, ref.accuracy if ref else None):>10s} "
            f"{_ratio(row.reviews_per_second, ref.reviews_per_second if ref else None):>12s}"
        )
    return lines


def checks(rows: Sequence[PeerResult]) -> list[str]:
    """The issue's claims, tested on this run's rows: one line each, saying yes or no and by how much."""
    lines = []
    for dataset in ("imdb", "polarity"):
        mine = [r for r in rows if r.dataset == dataset]
        default = next((r for r in mine if r.peer == "thumbs default"), None)
        others = [r for r in mine if r.kind != "thumbs"]
        if default is None or not others:
            continue
        best = max(others, key=lambda r: r.accuracy)
        verdict = "yes" if default.accuracy > best.accuracy else "**no**"
        lines.append(
            f"- {SHORT[dataset]}: thumbs default ahead of every peer in accuracy: {verdict} "
            f"({default.accuracy:.4f} against the best peer, {best.peer}, {best.accuracy:.4f})"
        )
        for name in SPEED_PEERS:
            peer = next((r for r in others if r.peer == name), None)
            if peer and peer.reviews_per_second and default.reviews_per_second:
                times = default.reviews_per_second / peer.reviews_per_second
                verdict = "yes" if times >= SPEED_TARGET else "**no**"
                lines.append(
                    f"- {SHORT[dataset]}: thumbs labels at least {SPEED_TARGET:.0f}x {name}'s reviews/s per core: "
                    f"{verdict} ({times:.1f}x: {default.reviews_per_second:,.0f} against {peer.reviews_per_second:,.0f})"
                )
    return lines


def environment() -> list[str]:
    """Date, machine, Python and library versions of this run."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), cpu)
    except OSError:
        pass
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return [
        f"- date: {_dt.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} cores ({cpu}); every speed is measured on one of them",
        f"- Python {sys.version.split()[0]} on {platform.system()}; " + ", ".join(versions),
    ]


def _markdown_table(rows: Sequence[PeerResult], ref: PeerResult | None) -> list[str]:
    lines = [
        "| peer | kind | trained on | texts | accuracy | ± std (folds) | macro F1 | ECE | reviews/s (1 core) | accuracy ÷ thumbs | speed ÷ thumbs |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        name = f"**{r.peer}**" if ref is not None and r.peer == ref.peer else r.peer
        lines.append(
            f"| {name} | {r.kind} | {r.setting} | {r.documents:,} | {r.accuracy:.4f} | {_fmt(r.std, '.4f')} | "
            f"{r.macro_f1:.4f} | {_fmt(r.ece, '.4f')} | {_fmt(r.reviews_per_second, ',.0f')} | "
            f"{_ratio(r.accuracy, ref.accuracy if ref else None)} | "
            f"{_ratio(r.reviews_per_second, ref.reviews_per_second if ref else None)} |"
        )
    return lines


def markdown(
    rows: Sequence[PeerResult],
    references: Mapping[str, PeerResult | None],
    command: str,
    seconds: float,
    skipped: Sequence[str],
    images: Mapping[str, str],
) -> str:
    """The text of docs/benchmarks.md."""
    out = [
        "# thumbs and its peers",
        "",
        f"Generated by `{command}` in {seconds / 60:.1f} minutes; do not edit by hand, run it again.",
        "",
        *environment(),
        "",
        (
            "All peers ran in one process, on the same texts, in this run. Speed is reviews per second on one "
            "core: all threads of the process pinned to one CPU (BLAS limited to one thread) while a peer labels "
            "exactly the texts it is scored on, after an untimed warm-up on the first "
            "100 of them. Training is not timed. For thumbs default the labels path is `Model.predict` of the model "
            "loaded anew, as in a fresh process: its chunk memo holds the vocabulary's tokens and learns the other "
            'chunks ("film,", "isn\'t") of these texts as it labels them, rather than holding them all from the '
            "evaluation of these same texts; "
            "full analysis (`Model.analyze_batch`: sentences, subjectivity, extract, stars, evidence) is its own row. "
            "The thumbs recipes (nb, svm, nbsvm-uni, nbsvm) are the rows of `thumbs evaluate`, computed by "
            "`thumbs.evaluation.experiments.evaluate_corpus`; their speed is the last fold's model labelling the same texts "
            "from raw text. Accuracy is the mean over folds; macro F1 and the expected calibration error (ECE, "
            "10 confidence bins, only for peers that give probabilities) pool the test folds. "
            "Ratios are to the **bold** thumbs row of each dataset."
        ),
        "",
    ]
    if skipped:
        out += ["Skipped in this run: " + "; ".join(skipped), ""]
    lines = checks(rows)
    if lines:
        out += ["## What the numbers show", "", *lines, ""]
    if "speed" in images:
        out += ["## Accuracy against speed", "", f"![accuracy against reviews per second]({images['speed']})", ""]
    for dataset in dict.fromkeys(r.dataset for r in rows):
        mine = [r for r in rows if r.dataset == dataset]
        out += [f"## {TITLES[dataset]}", "", *_markdown_table(mine, references.get(dataset)), ""]
        published = [p for p in PUBLISHED if p.dataset == dataset]
        if published:
            out += [
                "Published, not measured (other papers' own runs, for comparison):",
                "",
                "| system | accuracy (published, not measured) | source |",
                "|---|---|---|",
            ]
            out += [f"| {p.system} | {p.accuracy:.2f}% | {p.citation} |" for p in published]
            out.append("")
        if dataset in images:
            out += [f"![calibration on {SHORT[dataset]}]({images[dataset]})", ""]
    return "\n".join(out)


def write_docs(
    out: Path,
    rows: Sequence[PeerResult],
    curves: Mapping[str, Sequence[tuple[str, np.ndarray, np.ndarray, float]]],
    references: Mapping[str, PeerResult | None],
    command: str,
    seconds: float,
    skipped: Sequence[str],
) -> Written:
    """Write OUT/benchmarks.md and OUT/benchmarks/*.png; return what was written and the printed table."""
    from thumbs.present.plots import SpeedPoint, reliability_figure, speed_accuracy_figure, to_png

    folder = out / "benchmarks"
    folder.mkdir(parents=True, exist_ok=True)
    written = Written(out / "benchmarks.md", table_lines=table_lines(rows, references))
    images: dict[str, str] = {}
    panels = []
    for dataset in dict.fromkeys(r.dataset for r in rows):
        points = [
            SpeedPoint(r.peer, r.kind, r.accuracy, r.reviews_per_second)
            for r in rows
            if r.dataset == dataset and r.reviews_per_second
        ]
        if points:
            panels.append((SHORT[dataset], points))
        if curves.get(dataset):
            positive = "subjective" if dataset == "subj" else "positive"
            path = folder / f"calibration-{dataset}.png"
            path.write_bytes(to_png(reliability_figure(curves[dataset], positive, f"Calibration on {SHORT[dataset]}")))
            written.images.append(path)
            images[dataset] = f"benchmarks/{path.name}"
    if panels:
        path = folder / "speed-accuracy.png"
        path.write_bytes(to_png(speed_accuracy_figure(panels)))
        written.images.append(path)
        images["speed"] = f"benchmarks/{path.name}"
    written.markdown.write_text(markdown(rows, references, command, seconds, skipped, images), encoding="utf-8")
    return written
