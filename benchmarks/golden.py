"""Golden digests: proof that a change of structure changed no result.

Analyzes a fixed, seeded sample of aclImdb test reviews (2,000) and polarity v2.0
reviews (500), read from the corpora at run time, with the shipped default model,
and prints the sha256 of

* ``analyze``: every review's ``thumbs analyze --json`` line (``Analysis.to_json()``), in order;
* ``predict``: the labels of :meth:`thumbs.Model.predict` (the fast path), one a line;
* ``rate``: the decision value, P(positive) and stars of :meth:`thumbs.Model.rate`, as ``repr`` of floats.

Run it before and after a refactoring; the digests must be equal. It only uses the
public API (``thumbs.load_model``) and ``thumbs.corpora.load_corpus``, so it runs
unchanged on both sides.

    python benchmarks/golden.py [--data-dir DIR] [--seed 0]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time

import thumbs
from thumbs.corpora import load_corpus

#: Reviews sampled from each corpus.
SAMPLES = {"imdb": 2000, "polarity": 500}
#: Only aclImdb's test split: the default model was trained on train.
SPLITS = {"imdb": ("test",), "polarity": None}


def sample(dataset: str, size: int, seed: int, data_dir: str | None) -> list[tuple[str, str]]:
    """``size`` (id, text) pairs drawn without replacement, in a seeded order that does not depend on load order."""
    documents = sorted(load_corpus(dataset, data_dir, splits=SPLITS[dataset]), key=lambda d: d.id)
    chosen = random.Random(f"{dataset}:{seed}").sample(documents, size)
    return [(d.id, d.text) for d in chosen]


def digest(lines: list[str]) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=None, help="folder of the corpora (default: THUMBS_DATA)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    reviews = [pair for name, size in SAMPLES.items() for pair in sample(name, size, args.seed, args.data_dir)]
    ids = [i for i, _ in reviews]
    texts = [t for _, t in reviews]
    model = thumbs.load_model()
    analyses = [model.analyze(text, id=id_) for id_, text in reviews]
    batch = model.analyze_batch(texts, ids)
    if [a.to_json() for a in batch] != [a.to_json() for a in analyses]:
        print("analyze_batch and analyze disagree", file=sys.stderr)
        return 1
    scores, probability, stars = model.rate(texts)
    figures = {
        "analyze": digest([a.to_json() for a in analyses]),
        "predict": digest(model.predict(texts)),
        "rate": digest(
            [f"{s!r} {p!r} {r!r}" for s, p, r in zip(scores.tolist(), probability.tolist(), stars.tolist())]
        ),
    }
    print(
        f"thumbs {thumbs.__version__}; {len(reviews):,} reviews ({', '.join(f'{n} {k}' for k, n in SAMPLES.items())}), seed {args.seed}"
    )
    for name, value in figures.items():
        print(f"{name:8} sha256 {value}")
    print(f"({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
