"""How the default model reads negation, contrast and their kin: accuracy on tests/data/phenomena.jsonl.

The suite is a few hundred short reviews written for this project, each labelled
with its verdict and the phenomenon it tests (negation and its scope, double
negation, contrast, concession, expectation, faint praise, sarcasm, intensifiers
and downtoners, comparisons, ratings written in the text, plain controls).
This script runs the shipped default model (``thumbs.load_model()``, one
``analyze_batch``) over it and prints:

* accuracy overall and, per phenomenon, the count and the accuracy;
* for items with ``clauses`` (the clause after a contrast word, and its
  polarity): how often the polarity of the sentence that contains the clause
  has the clause's sign (sentence polarity > 0 means positive);
* stars-vs-label contradictions: a positive verdict under 5.5 stars, or a
  negative one over it.

    python benchmarks/phenomena.py [--suite tests/data/phenomena.jsonl] [--model FILE] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import thumbs

SUITE = Path(__file__).resolve().parents[1] / "tests" / "data" / "phenomena.jsonl"
#: The stars a verdict changes at: positive verdicts should be above it, negative ones below.
STARS_MIDDLE = 5.5


def load_suite(path: Path = SUITE) -> list[dict[str, Any]]:
    """The items of a suite file: one JSON object a line (blank lines skipped)."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def sentence_with(analysis: thumbs.Analysis, clause: str) -> thumbs.SentenceAnalysis | None:
    """The first sentence of the analysis whose text contains the clause, or None (case and spacing ignored)."""
    wanted = " ".join(clause.split()).casefold()
    for sentence in analysis.sentences:
        if wanted in " ".join(sentence.text.split()).casefold():
            return sentence
    return None


def measure(items: Sequence[dict[str, Any]], model: thumbs.Model | None = None) -> dict[str, Any]:
    """The figures of one run of the model over the items (see the module docstring)."""
    model = model if model is not None else thumbs.load_model()
    analyses = model.analyze_batch([item["text"] for item in items], ids=[item["id"] for item in items])
    by_phenomenon: dict[str, dict[str, Any]] = {}
    correct = 0
    clauses = clauses_correct = clauses_unmatched = 0
    contradictions: list[str] = []
    errors: list[str] = []
    for item, analysis in zip(items, analyses, strict=True):
        if analysis.error is not None:
            errors.append(item["id"])
        right = analysis.label == item["label"]
        correct += right
        row = by_phenomenon.setdefault(item["phenomenon"], {"count": 0, "correct": 0})
        row["count"] += 1
        row["correct"] += right
        if analysis.stars is not None and (
            (analysis.label == "positive" and analysis.stars < STARS_MIDDLE)
            or (analysis.label == "negative" and analysis.stars > STARS_MIDDLE)
        ):
            contradictions.append(item["id"])
        for clause in item.get("clauses", ()):
            clauses += 1
            sentence = sentence_with(analysis, clause["text"])
            if sentence is None:
                clauses_unmatched += 1
                continue
            clauses_correct += ("positive" if sentence.polarity > 0 else "negative") == clause["polarity"]
    for row in by_phenomenon.values():
        row["accuracy"] = round(row["correct"] / row["count"], 4)
    return {
        "suite_items": len(items),
        "correct": correct,
        "accuracy": round(correct / len(items), 4) if items else None,
        "phenomena": dict(sorted(by_phenomenon.items())),
        "clauses": {
            "count": clauses,
            "correct": clauses_correct,
            "unmatched": clauses_unmatched,
            "accuracy": round(clauses_correct / clauses, 4) if clauses else None,
        },
        "stars_contradictions": len(contradictions),
        "stars_contradiction_ids": contradictions,
        "errors": errors,
    }


def report(figures: dict[str, Any]) -> str:
    """The figures as a small text table."""
    lines = [f"{'phenomenon':<18} {'count':>5} {'accuracy':>9}"]
    for name, row in figures["phenomena"].items():
        lines.append(f"{name:<18} {row['count']:>5} {row['accuracy']:>9.3f}")
    accuracy = figures["accuracy"]
    lines.append(
        f"{'overall':<18} {figures['suite_items']:>5} {accuracy if accuracy is not None else float('nan'):>9.3f}"
    )
    clauses = figures["clauses"]
    if clauses["count"]:
        lines.append(
            f"contrast clauses: sentence polarity right for {clauses['correct']}/{clauses['count']}"
            f" ({clauses['accuracy']:.3f}); clause found in no sentence: {clauses['unmatched']}"
        )
    lines.append(f"stars-vs-label contradictions: {figures['stars_contradictions']}")
    if figures["errors"]:
        lines.append(f"items the model could not analyze: {', '.join(figures['errors'])}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--suite", type=Path, default=SUITE, help=f"the suite file (default: {SUITE})")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--model", type=Path, default=None, help="a model file (default: the shipped model)")
    args = parser.parse_args(argv)
    figures = measure(load_suite(args.suite), thumbs.load_model(args.model) if args.model else None)
    print(json.dumps(figures, indent=2) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
