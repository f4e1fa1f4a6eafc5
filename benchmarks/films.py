"""Share positive and stars by film: thumbs' share estimators against the truth, on the IMDb films of aclImdb test.

aclImdb's ``test/urls_pos.txt`` and ``test/urls_neg.txt`` name the IMDb page of every test
review (line i: the review whose file is ``i_RATING.txt``). This script groups the 25,000 test
reviews by film (the page's title id, ``tt0406816``), keeps the films with at least
``--min-reviews`` reviews (10: 767 films), runs the shipped default model over every review
(``thumbs.load_model()``, ``Model.rate``: P(positive), label, stars) and prints, for each share
estimator of :mod:`thumbs.summary.quantify`:

* the mean absolute error of each film's estimated share of positive reviews against its true
  share (from the labels), and the mean signed error;
* the share of films whose 95% interval covers the true share, and the interval's mean width;
* the same coverage by how positive the films are;

then the Pearson r of a film's mean predicted stars against its mean true rating (the ratings
are in the file names), as the reviews' stars give it and with a film-level correction that uses
no label: the two star camps of the model (what it would give each review if positive, and if
negative) mixed by the film's estimated share instead of by each review's probability.

ACC and PACC need the classifier's rates: they are measured on polarity v2.0 (Pang & Lee 2004,
2,000 reviews the default model was never trained on). SLD needs only the share of positive
reviews the model was trained on (0.5: aclImdb train is balanced). Nothing is fit on aclImdb
test; its labels and ratings only score the estimates. With QuaPy installed (optional, not a
thumbs dependency) its CC, PCC, ACC, PACC and EMQ (SLD) run on the same inputs for comparison.

    python benchmarks/films.py [--data-dir DIR] [--min-reviews 10] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tarfile
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from thumbs.corpora import Document, imdb, load_corpus, resolve_data_dir
from thumbs.errors import DataFormatError, DataNotFoundError
from thumbs.pipeline.model import Model, load_model
from thumbs.summary.quantify import METHODS, RECOMMENDED, TRAINING_PRIOR, Estimate, Rates
from thumbs.summary.share_aggregate import ShareAggregate

#: The URL files of the test split, inside aclImdb/.
URL_FILES = {"pos": "test/urls_pos.txt", "neg": "test/urls_neg.txt"}
#: A film's IMDb title id in a review's URL.
_TITLE = re.compile(r"/title/(tt\d+)")
#: The true shares by which coverage is broken down: (name, lowest, highest), both included.
BANDS = (("0", 0.0, 0.0), ("(0, 0.2)", 1e-9, 0.2 - 1e-9), ("[0.2, 0.5)", 0.2, 0.5 - 1e-9),
         ("[0.5, 0.8)", 0.5, 0.8 - 1e-9), ("[0.8, 1)", 0.8, 1.0 - 1e-9), ("1", 1.0, 1.0))  # fmt: skip
#: The aims (issue 15): share MAE of the method used, its interval's coverage, film-level stars r.
AIM_MAE = 0.04
AIM_COVERAGE = (0.90, 0.98)
AIM_STARS_R = 0.985
#: Where ACC's and PACC's rates come from.
RATES_SOURCE = "polarity v2.0 (Pang & Lee 2004): 1,000 positive + 1,000 negative reviews, never trained on"


@dataclass(frozen=True, slots=True)
class Film:
    """One film's test reviews: positions in the corpus, true labels and ratings."""

    title: str
    rows: NDArray[np.int64]
    positive: NDArray[np.bool_]
    ratings: NDArray[np.float64]

    @property
    def share(self) -> float:
        return float(self.positive.mean())


def read_urls(root: Path) -> dict[str, list[str]]:
    """The lines of test/urls_pos.txt and test/urls_neg.txt, from the archive (read in place) or the unpacked folder."""
    found: dict[str, list[str]] = {}
    archive = imdb.archive_path(root)
    if archive.is_file():
        wanted = {f"aclImdb/{path}": label for label, path in URL_FILES.items()}
        with tarfile.open(archive, mode="r|gz") as tar:
            for member in tar:
                label = wanted.get(member.name.removeprefix("./"))
                if label is None or not member.isfile():
                    continue
                handle = tar.extractfile(member)
                assert handle is not None
                found[label] = handle.read().decode("utf-8").splitlines()
                if len(found) == len(URL_FILES):
                    break
    else:
        base = imdb.extracted_dir(root)
        if base is None:
            raise DataNotFoundError(f"no aclImdb archive or folder under {root}: run `thumbs data fetch imdb`")
        for label, path in URL_FILES.items():
            if (base / path).is_file():
                found[label] = (base / path).read_text(encoding="utf-8").splitlines()
    missing = [URL_FILES[label] for label in URL_FILES if label not in found]
    if missing:
        raise DataNotFoundError(f"aclImdb under {root} has no {', '.join(missing)}: the films are unknown")
    return found


def group_films(documents: Sequence[Document], urls: dict[str, list[str]], min_reviews: int) -> list[Film]:
    """The films of the test reviews with at least ``min_reviews`` reviews, most reviewed first."""
    by_title: dict[str, list[int]] = {}
    for row, document in enumerate(documents):
        _, label, name = document.id.split("/")
        number = int(name.split("_")[0])
        try:
            found = _TITLE.search(urls[label][number])
        except IndexError:
            raise DataFormatError(f"test/urls_{label}.txt has no line {number} for review {document.id}") from None
        if found is None:
            raise DataFormatError(
                f"line {number} of test/urls_{label}.txt names no IMDb title: {urls[label][number]!r}"
            )
        by_title.setdefault(found.group(1), []).append(row)
    films = []
    for title, rows in by_title.items():
        if len(rows) >= min_reviews:
            positions = np.array(rows, dtype=np.int64)
            films.append(
                Film(
                    title,
                    positions,
                    np.array([documents[r].label == "positive" for r in rows]),
                    np.array([float(documents[r].rating or 0) for r in rows]),
                )
            )
    return sorted(films, key=lambda film: (-len(film.rows), film.title))


def star_camps(model: Model, texts: Sequence[str]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """What the star model gives each review if it is positive (P = 1) and if it is negative (P = 0)."""
    rows, columns, _ = model.verdict.present(texts)
    n = len(texts)
    ones, zeros = np.ones(n), np.zeros(n)
    positive = model.stars.predict(rows, columns, n, ones, ones.astype(bool))
    negative = model.stars.predict(rows, columns, n, zeros, zeros.astype(bool))
    return positive, negative


def _quapy_estimates(
    rates_p: NDArray[np.float64],
    rates_truth: NDArray[np.bool_],
    rates_labels: NDArray[np.bool_],
    films: Sequence[Film],
    p: NDArray[np.float64],
    labels: NDArray[np.bool_],
) -> dict[str, list[float]] | None:
    """QuaPy's CC, PCC, ACC, PACC and EMQ on the same probabilities, labels and rates; None without QuaPy."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import quapy  # type: ignore[import-not-found, unused-ignore]  # noqa: F401  # optional: only to compare
            from quapy.method.aggregative import (  # type: ignore[import-not-found, unused-ignore]
                ACC,
                CC,
                EMQ,
                PACC,
                PCC,
            )
            from sklearn.linear_model import LogisticRegression
    except ImportError:
        return None
    stub = LogisticRegression().fit([[0.0], [1.0]], [0, 1])  # only its classes_: the predictions are given

    def soft(values: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.column_stack([1.0 - values, values])

    out: dict[str, list[float]] = {name: [] for name in ("cc", "pcc", "acc", "pacc", "sld")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quantifiers: dict[str, Any] = {
            "cc": CC(stub, fit_classifier=False),
            "pcc": PCC(stub, fit_classifier=False),
            "acc": ACC(stub, fit_classifier=False),
            "pacc": PACC(stub, fit_classifier=False),
        }
        truth = rates_truth.astype(int)
        for name, quantifier in quantifiers.items():
            soft_input = name in ("pcc", "pacc")
            quantifier.aggregation_fit(soft(rates_p) if soft_input else rates_labels.astype(int), truth)
        prior = np.array([1.0 - TRAINING_PRIOR, TRAINING_PRIOR])
        for film in films:
            film_p, film_labels = p[film.rows], labels[film.rows].astype(int)
            for name, quantifier in quantifiers.items():
                given = soft(film_p) if name in ("pcc", "pacc") else film_labels
                out[name].append(float(quantifier.aggregate(given)[1]))
            out["sld"].append(float(EMQ.EM(prior, soft(film_p))[0][1]))
    return out


def _pearson(x: Sequence[float], y: Sequence[float]) -> float:
    return float(np.corrcoef(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))[0, 1])


def measure(
    model: Model,
    test: Sequence[Document],
    polarity: Sequence[Document],
    urls: dict[str, list[str]],
    min_reviews: int = 10,
    compare_quapy: bool = True,
) -> dict[str, Any]:
    """Every figure of the module docstring, as one dict."""
    start = time.perf_counter()
    films = group_films(test, urls, min_reviews)
    if not films:
        raise DataFormatError(f"no film has {min_reviews} or more test reviews")
    texts = [d.text for d in test]
    scores, p, stars = model.rate(texts)
    labels = scores > 0
    rates_scores, rates_p, _ = model.rate([d.text for d in polarity])
    rates_truth = np.array([d.label == "positive" for d in polarity])
    rates = Rates.measure(rates_p, rates_truth, rates_scores > 0, source=RATES_SOURCE)
    camp_positive, camp_negative = star_camps(model, texts)
    shares = np.array([film.share for film in films])
    ratings = [float(film.ratings.mean()) for film in films]
    estimates: dict[str, list[Estimate]] = {method: [] for method in METHODS}
    for film in films:
        aggregate = ShareAggregate.of(p[film.rows], labels[film.rows])
        for method, estimate in aggregate.estimates(rates).items():
            estimates[method].append(estimate)
    methods: dict[str, Any] = {}
    for method, found in estimates.items():
        values = np.array([e.value for e in found])
        covered = np.array([e.low - 1e-9 <= s <= e.high + 1e-9 for e, s in zip(found, shares, strict=True)])
        mixed = [
            s * float(camp_positive[film.rows].mean()) + (1 - s) * float(camp_negative[film.rows].mean())
            for s, film in zip(values, films, strict=True)
        ]
        methods[method] = {
            "share_mae": round(float(np.abs(values - shares).mean()), 4),
            "share_bias": round(float((values - shares).mean()), 4),
            "coverage": round(float(covered.mean()), 3),
            "mean_width": round(float(np.mean([e.width for e in found])), 3),
            "coverage_by_true_share": {
                name: round(float(covered[(shares >= low) & (shares <= high)].mean()), 3)
                for name, low, high in BANDS
                if ((shares >= low) & (shares <= high)).any()
            },
            "stars_r_mixed_by_share": round(_pearson(mixed, ratings), 4),
        }
    sld = np.array([e.value for e in estimates[RECOMMENDED]])
    spread = float(model.stars.intercept[1] - model.stars.intercept[0])
    shifted = [
        float(stars[film.rows].mean()) + (s - float(p[film.rows].mean())) * spread
        for s, film in zip(sld, films, strict=True)
    ]
    figures: dict[str, Any] = {
        "films": len(films),
        "reviews": int(sum(len(film.rows) for film in films)),
        "test_reviews": len(test),
        "min_reviews": min_reviews,
        "films_by_true_share": {name: int(((shares >= low) & (shares <= high)).sum()) for name, low, high in BANDS},
        "rates": {
            "source": rates.source,
            "tpr": round(rates.tpr, 4),
            "fpr": round(rates.fpr, 4),
            "mean_p_positive": round(rates.mean_p_positive, 4),
            "mean_p_negative": round(rates.mean_p_negative, 4),
            "sd_p_positive": round(rates.var_p_positive**0.5, 4),
            "sd_p_negative": round(rates.var_p_negative**0.5, 4),
        },
        "training_prior": TRAINING_PRIOR,
        "methods": methods,
        "recommended": RECOMMENDED,
        "stars_r": round(_pearson([float(stars[film.rows].mean()) for film in films], ratings), 4),
        "stars_r_sld_mixed": methods[RECOMMENDED]["stars_r_mixed_by_share"],
        "stars_r_sld_shifted": round(_pearson(shifted, ratings), 4),
        "camp_gap": round(spread, 4),
        "quapy": None,
    }
    if compare_quapy:
        theirs = _quapy_estimates(rates_p, rates_truth, rates_scores > 0, films, p, labels)
        if theirs is not None:
            import quapy  # type: ignore[import-not-found, unused-ignore]

            figures["quapy"] = {
                "version": quapy.__version__,
                **{
                    method: {
                        "share_mae": round(float(np.abs(np.array(values) - shares).mean()), 4),
                        "max_difference": round(
                            float(np.abs(np.array(values) - np.array([e.value for e in estimates[method]])).max()), 4
                        ),
                    }
                    for method, values in theirs.items()
                },
            }
    figures["seconds"] = round(time.perf_counter() - start, 1)
    return figures


NAMES = {
    "cc": "classify and count (CC)",
    "pcc": "mean probability (PCC)",
    "acc": "adjusted count (ACC)",
    "pacc": "prob. adjusted count (PACC)",
    "sld": "max. likelihood (SLD/EM)",
}


def report(figures: dict[str, Any]) -> str:
    """The figures as text tables."""
    rates = figures["rates"]
    lines = [
        f"{figures['films']} films with >= {figures['min_reviews']} reviews in aclImdb test "
        f"({figures['reviews']:,} of its {figures['test_reviews']:,} reviews); shipped default model",
        "films by true share positive: "
        + ", ".join(f"{name} {count}" for name, count in figures["films_by_true_share"].items()),
        f"rates for ACC and PACC from {rates['source']}: tpr {rates['tpr']:.4f}, fpr {rates['fpr']:.4f}, "
        f"mean P(positive) of positive reviews {rates['mean_p_positive']:.4f} (sd {rates['sd_p_positive']:.3f}), "
        f"of negative ones {rates['mean_p_negative']:.4f} (sd {rates['sd_p_negative']:.3f})",
        f"SLD uses no rates: only the model's training share of positive reviews, {figures['training_prior']}",
        "",
        f"{'share positive':<30} {'MAE':>7} {'bias':>8} {'95% covers':>11} {'width':>7} {'stars r*':>9}",
    ]
    for method, row in figures["methods"].items():
        mark = "  <- recommended" if method == figures["recommended"] else ""
        lines.append(
            f"{NAMES[method]:<30} {row['share_mae']:>7.4f} {row['share_bias']:>+8.4f} {row['coverage']:>11.3f} "
            f"{row['mean_width']:>7.3f} {row['stars_r_mixed_by_share']:>9.4f}{mark}"
        )
    lines.append("* film-level stars: the film's mean star camps mixed by its estimated share")
    lines.append("")
    bands = list(figures["films_by_true_share"])
    lines.append(f"{'coverage by true share':<30} " + " ".join(f"{band:>10}" for band in bands))
    for method, row in figures["methods"].items():
        cells = [row["coverage_by_true_share"].get(band) for band in bands]
        lines.append(f"{NAMES[method]:<30} " + " ".join(f"{c:>10.3f}" if c is not None else f"{'':>10}" for c in cells))
    lines.append("")
    lines.append(
        f"film-level stars, Pearson r against the mean true rating: mean of the reviews' stars {figures['stars_r']:.4f}; "
        f"camps mixed by the SLD share {figures['stars_r_sld_mixed']:.4f}; "
        f"mean stars + (SLD share - mean P) x the camps' intercept gap ({figures['camp_gap']:.2f}) "
        f"{figures['stars_r_sld_shifted']:.4f}"
    )
    quapy = figures["quapy"]
    if quapy is None:
        lines.append("QuaPy: not installed (optional; pip install quapy to compare)")
    else:
        lines.append(
            f"QuaPy {quapy['version']} on the same inputs (EMQ for SLD): "
            + "; ".join(
                f"{method} MAE {quapy[method]['share_mae']:.4f} (max diff {quapy[method]['max_difference']:.4f})"
                for method in ("cc", "pcc", "acc", "pacc", "sld")
            )
        )
    best = figures["methods"][figures["recommended"]]
    low, high = AIM_COVERAGE
    summarized = figures["stars_r_sld_shifted"]  # what thumbs summarize gives a film (thumbs.summary.films._stars)
    lines.append(
        f"aims: share MAE <= {AIM_MAE} ({best['share_mae']:.4f}: {'met' if best['share_mae'] <= AIM_MAE else 'MISSED'}); "
        f"coverage {low}-{high} ({best['coverage']:.3f}: {'met' if low <= best['coverage'] <= high else 'MISSED'}); "
        f"film stars r >= {AIM_STARS_R} (raw {figures['stars_r']:.4f}: "
        f"{'met' if figures['stars_r'] >= AIM_STARS_R else 'missed'}; as thumbs summarize shifts them "
        f"{summarized:.4f}: {'met' if summarized >= AIM_STARS_R else 'MISSED'})"
    )
    lines.append(f"({figures['seconds']} s)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get("THUMBS_DATA"), help="the corpora (default: $THUMBS_DATA)")
    parser.add_argument("--min-reviews", type=int, default=10, help="films with fewer test reviews are left out")
    parser.add_argument("--model", type=Path, default=None, help="a model file (default: the shipped model)")
    parser.add_argument("--no-quapy", action="store_true", help="skip the comparison with QuaPy even if installed")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    root = resolve_data_dir(args.data_dir)
    test = load_corpus("imdb", root, splits=("test",))
    polarity = load_corpus("polarity", root)
    model = load_model(args.model) if args.model else load_model()
    figures = measure(model, test, polarity, read_urls(root), args.min_reviews, not args.no_quapy)
    print(json.dumps(figures, indent=2) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
