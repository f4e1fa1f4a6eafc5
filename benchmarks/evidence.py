"""How much of the default model's evidence is opinion, and how often its stars contradict the label.

A baseline for the shipped default model, as it is today (nothing is trained here):

* evidence: over a seeded sample of aclImdb test reviews (sorted by id, then
  ``random.Random(seed).sample``), each review is analyzed with ``Model.analyze_batch`` and its
  top-5 and top-10 evidence n-grams (ranked by |contribution|, as ``Analysis.evidence.ngrams`` is)
  are checked against VADER's general opinion lexicon (``vader_lexicon.txt`` of the installed
  ``vaderSentiment`` package, words with |mean valence| >= 1). An n-gram counts as opinion when one
  of its tokens, with any ``NOT_`` negation prefix removed, is such a word. The share is pooled:
  opinion n-grams / n-grams listed, over all sampled reviews (a review with fewer n-grams than k
  lists what it has). The mean of the per-review shares is reported too.
* stars: on all 25,000 aclImdb test reviews, ``Model.rate`` (decision value, P(positive), stars)
  gives each review its verdict and stars; a contradiction is a positive verdict given stars < 5.5 or
  a negative one given stars > 5.5 (stars at 5.5 exactly are counted apart). Apart from those, the
  stars on the wrong side of 5.5 for the reviewer's own label (what a wrong verdict gives too); and as a
  check, the accuracy of the verdict (decision value > 0) and of the stars' side of 5.5 (strictly),
  and the stars' MAE and Pearson r against the reviewers' ratings.

    python benchmarks/evidence.py [--data-dir DIR] [--seed 0] [--sample 1000] [--json]

(``--data-dir`` defaults to ``$THUMBS_DATA``; the imdb corpus must be there: ``thumbs data fetch imdb``.)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import numpy as np

import thumbs
from thumbs.corpora import Document, load_corpus
from thumbs.errors import ThumbsError
from thumbs.evaluation.metrics import rating_errors
from thumbs.pipeline.model import Model

TOPS = (5, 10)  # evidence n-grams looked at per review: the top 5 and the top 10
MIN_VALENCE = 1.0  # |mean valence| a VADER word needs to count as opinion
NEGATION_PREFIX = "NOT_"
STARS_MIDPOINT = 5.5
ANALYSIS_CHUNK = 64
DEFAULT_SEED = 0
DEFAULT_SAMPLE = 1000


# --- the lexicon -------------------------------------------------------------------------


def parse_lexicon(lines: Iterable[str], min_valence: float = MIN_VALENCE) -> frozenset[str]:
    """The tokens of VADER lexicon lines (``token<TAB>mean valence<TAB>...``) with |valence| >= ``min_valence``."""
    words = set()
    for line in lines:
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) < 2 or not fields[0]:
            continue
        try:
            valence = float(fields[1])
        except ValueError:
            continue
        if abs(valence) >= min_valence:
            words.add(fields[0])
    return frozenset(words)


def load_lexicon(min_valence: float = MIN_VALENCE) -> frozenset[str]:
    """VADER's general opinion words with |mean valence| >= ``min_valence``, from the installed package."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    return parse_lexicon(text.splitlines(), min_valence)


def has_opinion_word(ngram: str, lexicon: frozenset[str]) -> bool:
    """Whether one of the n-gram's tokens (``NOT_`` prefix removed) is in ``lexicon``."""
    return any(token.removeprefix(NEGATION_PREFIX) in lexicon for token in ngram.split())


# --- evidence shares ---------------------------------------------------------------------


def opinion_shares(
    ranked_ngrams: Sequence[Sequence[str]], lexicon: frozenset[str], tops: Sequence[int] = TOPS
) -> dict[str, Any]:
    """For each k in ``tops``: the share of the first k n-grams of each review that hold an opinion word.

    ``ranked_ngrams`` holds each review's evidence n-grams, strongest first. ``pooled`` is opinion
    n-grams / n-grams over all reviews; ``mean_per_review`` averages each review's own share
    (reviews without n-grams left out).
    """
    result: dict[str, Any] = {}
    for k in tops:
        hits = total = 0
        per_review: list[float] = []
        for ngrams in ranked_ngrams:
            top = list(ngrams[:k])
            if not top:
                continue
            found = sum(has_opinion_word(n, lexicon) for n in top)
            hits += found
            total += len(top)
            per_review.append(found / len(top))
        result[f"top{k}"] = {
            "ngrams": total,
            "opinion_ngrams": hits,
            "pooled": hits / total if total else 0.0,
            "mean_per_review": float(np.mean(per_review)) if per_review else 0.0,
        }
    return result


def evidence_ngrams(model: Model, texts: Sequence[str], size: int) -> tuple[list[list[str]], int]:
    """Each readable review's ``size`` strongest evidence n-grams (strongest first), and how many failed."""
    ranked: list[list[str]] = []
    failed = 0
    for start in range(0, len(texts), ANALYSIS_CHUNK):
        for analysis in model.analyze_batch(texts[start : start + ANALYSIS_CHUNK], evidence_size=size):
            if analysis.error is not None or analysis.evidence is None:
                failed += 1
                continue
            ranked.append([e.ngram for e in analysis.evidence.ngrams])
    return ranked, failed


def measure_evidence(
    model: Model, texts: Sequence[str], lexicon: frozenset[str], tops: Sequence[int] = TOPS
) -> dict[str, Any]:
    """The opinion shares of ``model``'s top evidence n-grams on ``texts``."""
    ranked, failed = evidence_ngrams(model, texts, max(tops))
    return {"reviews": len(texts), "failed": failed, **opinion_shares(ranked, lexicon, tops)}


# --- stars against labels ------------------------------------------------------------------


def contradictions(labels: Sequence[str], stars: Sequence[float]) -> tuple[int, int]:
    """(positive reviews with stars < 5.5, negative reviews with stars > 5.5)."""
    positive = sum(1 for label, s in zip(labels, stars, strict=True) if label == "positive" and s < STARS_MIDPOINT)
    negative = sum(1 for label, s in zip(labels, stars, strict=True) if label == "negative" and s > STARS_MIDPOINT)
    return positive, negative


def star_checks(model: Model, texts: Sequence[str], labels: Sequence[str], ratings: Sequence[float]) -> dict[str, Any]:
    """Stars-vs-verdict contradictions of ``Model.rate`` on ``texts``, and the accuracy, MAE and r as a check."""
    scores, _, stars = model.rate(texts)
    is_positive = np.array([label == "positive" for label in labels], dtype=bool)
    verdict_positive = scores > 0
    verdicts = ["positive" if p else "negative" for p in verdict_positive.tolist()]
    positive, negative = contradictions(verdicts, stars.tolist())
    wrong_positive, wrong_negative = contradictions(labels, stars.tolist())
    mae, r = rating_errors(stars, np.asarray(ratings, dtype=np.float64))
    above, below = stars > STARS_MIDPOINT, stars < STARS_MIDPOINT
    return {
        "reviews": len(texts),
        # the verdict (decision value > 0) and the stars on opposite sides of 5.5
        "contradictions": positive + negative,
        "positive_verdict_below_midpoint": positive,
        "negative_verdict_above_midpoint": negative,
        "at_midpoint": int(np.sum(~above & ~below)),
        # the stars on the other side of 5.5 from the reviewer's own label
        "against_reviewer_label": wrong_positive + wrong_negative,
        "verdict_accuracy": float(np.mean(verdict_positive == is_positive)) if len(texts) else 0.0,
        # stars strictly on the label's side of 5.5 (a review at 5.5 is on neither)
        "stars_side_accuracy": float(np.mean((is_positive & above) | (~is_positive & below))) if len(texts) else 0.0,
        "stars_mae": mae,
        "stars_pearson_r": r,
    }


# --- the run -----------------------------------------------------------------------------


def sample_documents(documents: Sequence[Document], seed: int, size: int) -> list[Document]:
    """``size`` documents drawn with ``random.Random(seed)`` from ``documents`` sorted by id."""
    ordered = sorted(documents, key=lambda d: d.id)
    return random.Random(seed).sample(ordered, min(size, len(ordered)))


def run(data_dir: str | None, seed: int, sample: int) -> dict[str, Any]:
    model = thumbs.load_model()
    lexicon = load_lexicon()
    documents = load_corpus("imdb", data_dir, splits=("test",))
    start = time.perf_counter()
    chosen = sample_documents(documents, seed, sample)
    evidence = measure_evidence(model, [d.text for d in chosen], lexicon)
    evidence_s = time.perf_counter() - start
    start = time.perf_counter()
    stars = star_checks(
        model,
        [d.text for d in documents],
        [d.label or "" for d in documents],
        [float(d.rating) if d.rating is not None else float("nan") for d in documents],
    )
    return {
        "model": "default",
        "seed": seed,
        "lexicon_words": len(lexicon),
        "min_valence": MIN_VALENCE,
        "evidence": {**evidence, "seconds": round(evidence_s, 1)},
        "stars": {**stars, "seconds": round(time.perf_counter() - start, 1)},
    }


def report(result: dict[str, Any]) -> str:
    ev, st = result["evidence"], result["stars"]
    lines = [
        f"default model, aclImdb test; VADER words with |valence| >= {result['min_valence']}: {result['lexicon_words']}",
        f"evidence ({ev['reviews']} sampled reviews, seed {result['seed']}, {ev['failed']} unreadable, {ev['seconds']} s):",
    ]
    for k in TOPS:
        top = ev[f"top{k}"]
        lines.append(
            f"  top-{k:<2}: {top['opinion_ngrams']}/{top['ngrams']} n-grams hold an opinion word = "
            f"{top['pooled']:.1%} (mean per review {top['mean_per_review']:.1%})"
        )
    lines += [
        f"stars ({st['reviews']} reviews, Model.rate, {st['seconds']} s):",
        f"  contradictions: {st['contradictions']} ({st['positive_verdict_below_midpoint']} positive verdicts with "
        f"stars < 5.5, {st['negative_verdict_above_midpoint']} negative verdicts with stars > 5.5)",
        f"  stars at exactly 5.5 (no side, not counted): {st['at_midpoint']}; "
        f"stars on the other side of 5.5 from the reviewer's label: {st['against_reviewer_label']}",
        f"  check: verdict accuracy {st['verdict_accuracy']:.4f}, stars-side accuracy {st['stars_side_accuracy']:.4f}, "
        f"stars MAE {st['stars_mae']:.3f}, Pearson r {st['stars_pearson_r']:.3f}",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=None, help="the corpora folder (default: $THUMBS_DATA)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the evidence sample")
    parser.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, help="test reviews analyzed for evidence")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.sample < 1:
        parser.error("--sample must be at least 1")
    try:
        result = run(args.data_dir, args.seed, args.sample)
    except ThumbsError as exc:
        print(f"evidence.py: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
