"""How well thumbs finds and judges aspects: detection and polarity on tests/data/aspects.jsonl.

The set is a few hundred sentences and short reviews written for this project (no corpus
text), each with the aspects it judges (acting, story, direction, visuals, music, effects,
pacing, humor) and their polarity, and the phenomenon it tests (one aspect, several in a
sentence, contrast, negation, an aspect named by a role, by an adjective, none at all, a
short mixed review). This script runs the shipped default model (``analyze_batch``) over it
and prints, per aspect and overall:

* detection precision, recall and F1: an aspect counts as found in an item when the analysis
  lists at least one judgement of it (an item's aspects are a set);
* polarity accuracy on the aspects found that the item judges: the sign of the mean polarity of
  the analysis's judgements of that aspect against the label;

and the same two figures per phenomenon. Aims (issue 15): F1 >= 0.85, polarity accuracy >= 0.85.

    python benchmarks/aspects.py [--suite tests/data/aspects.jsonl] [--model FILE] [--json] [--half all|even|odd]

The thresholds of :mod:`thumbs.pipeline.aspects` were chosen on the even half; ``--half odd`` is the held-out half.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import thumbs

SUITE = Path(__file__).resolve().parents[1] / "tests" / "data" / "aspects.jsonl"


def load_suite(path: Path = SUITE) -> list[dict[str, Any]]:
    """The items of the set: one JSON object a line (blank lines skipped)."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def found_aspects(analysis: thumbs.Analysis) -> dict[str, float]:
    """Each aspect the analysis judges, with the mean polarity of its judgements."""
    polarities: dict[str, list[float]] = defaultdict(list)
    for judgement in analysis.aspects:
        polarities[judgement.aspect].append(judgement.polarity)
    return {aspect: sum(values) / len(values) for aspect, values in polarities.items()}


class _Tally:
    """Counts for detection (true and false positives, false negatives) and polarity (right, judged)."""

    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.right = 0

    def figures(self) -> dict[str, float | int | None]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
        return {
            "gold": self.tp + self.fn,
            "found": self.tp + self.fp,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "polarity_accuracy": self.right / self.tp if self.tp else None,
        }


def measure(items: Sequence[dict[str, Any]], model: thumbs.Model | None = None) -> dict[str, Any]:
    """Detection and polarity figures overall, per aspect and per phenomenon."""
    model = model if model is not None else thumbs.load_model()
    analyses = model.analyze_batch([item["text"] for item in items], ids=[item["id"] for item in items])
    overall, by_aspect, by_phenomenon = _Tally(), defaultdict(_Tally), defaultdict(_Tally)
    for item, analysis in zip(items, analyses, strict=True):
        gold = {a["aspect"]: a["polarity"] == "positive" for a in item["aspects"]}
        found = found_aspects(analysis)
        for aspect in set(gold) | set(found):
            tallies = (overall, by_aspect[aspect], by_phenomenon[item["phenomenon"]])
            for tally in tallies:
                if aspect in gold and aspect in found:
                    tally.tp += 1
                    tally.right += (found[aspect] > 0) == gold[aspect]
                elif aspect in found:
                    tally.fp += 1
                else:
                    tally.fn += 1
        by_phenomenon.setdefault(item["phenomenon"], _Tally())
    return {
        "items": len(items),
        "overall": overall.figures(),
        "aspects": {name: tally.figures() for name, tally in sorted(by_aspect.items())},
        "phenomena": {name: tally.figures() for name, tally in sorted(by_phenomenon.items())},
    }


def _in_half(item: dict[str, Any], half: str) -> bool:
    """Whether an item is in the asked half of the set, by the number its id ends with."""
    return half == "all" or (int(item["id"].rsplit("-", 1)[1]) % 2 == 0) == (half == "even")


def _row(name: str, figures: dict[str, Any]) -> str:
    def number(value: float | None) -> str:
        return "    -" if value is None else f"{value:5.3f}"

    return (
        f"{name:14s} {figures['gold']:5d} {figures['found']:6d} {number(figures['precision'])} "
        f"{number(figures['recall'])} {number(figures['f1'])} {number(figures['polarity_accuracy'])}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=SUITE)
    parser.add_argument("--model", default=None, help="a model file (default: the shipped model)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument(
        "--half",
        choices=("all", "even", "odd"),
        default="all",
        help="the items whose number is even (the half the thresholds were chosen on) or odd (held out)",
    )
    args = parser.parse_args(argv)
    items = [item for item in load_suite(args.suite) if _in_half(item, args.half)]
    figures = measure(items, thumbs.load_model(args.model))
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        print()
        return
    header = f"{'':14s} {'gold':>5s} {'found':>6s} {'prec':>5s} {'rec':>5s} {'F1':>5s} {'polar':>5s}"
    print(
        f"{figures['items']} items of {args.suite.name} ({args.half}); polar = polarity accuracy on the aspects found"
    )
    print(header)
    print(_row("overall", figures["overall"]))
    print("by aspect")
    for name, row in figures["aspects"].items():
        print(_row(name, row))
    print("by phenomenon")
    for name, row in figures["phenomena"].items():
        print(_row(name, row))


if __name__ == "__main__":
    main()
