"""Reviews per second: thumbs' default model against VADER, on the same aclImdb test reviews, in one run.

Measures, on one machine in one process tree:

* VADER (``vaderSentiment``, ``polarity_scores`` per review), one process;
* thumbs, labels only (``Model.predict``, the fast path), with 1 and 2 jobs;
* thumbs, the full analysis (sentences, subjectivity, polarity, minimum-cut
  extract, aspects, stars, evidence: ``Model.analyze_batch`` / ``analyze_many``), with 1 and 2 jobs;
* ``thumbs analyze --json`` (the analysis and each review's JSON line) and ``thumbs summarize``
  (the analysis folded into per-group summaries; grouped by rating here), on one core: the
  summaries should keep at least 0.8x the rate of the JSON lines;

and prints reviews/s, reviews/s per core, each row's ratio to VADER per core,
and the peak resident memory of this process and of its worker processes.
Targets on 2 cores: labels >= 10x VADER per core, full analysis >= 3x (issue 14's; not reached:
see docs/verdict.md).

    pip install -e ".[bench]"
    python benchmarks/throughput.py [--data-dir DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
import time
from collections.abc import Callable, Sequence

from thumbs.batch.sources import Record
from thumbs.corpora import load_corpus
from thumbs.parallel import chunked, ordered_map
from thumbs.pipeline.model import Model, load_model
from thumbs.summary.run import summarize_records

#: Reviews per call of the fast path and per task sent to a worker.
LABEL_CHUNK = 1000
ANALYSIS_CHUNK = 64

_MODEL: Model | None = None


def _install(model: Model) -> None:
    global _MODEL
    _MODEL = model


def _labels(texts: list[str]) -> list[str]:
    assert _MODEL is not None
    return _MODEL.predict(texts)


def _timed(work: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    work()
    return n / (time.perf_counter() - start)


class PeakMemory:
    """Peak resident memory of this process and, summed, of all its descendants (workers), sampled."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.workers_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.workers_mib = max(self.workers_mib, total / 2**20)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def this_process_mib() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _json_lines(model: Model, texts: Sequence[str]) -> int:
    """What ``thumbs analyze --json`` does per review: the analysis and its JSON line (written nowhere)."""
    return sum(len(json.dumps(a.to_dict(), ensure_ascii=False)) for a in model.analyze_many(texts, jobs=1))


def _summaries(model: Model, texts: Sequence[str], groups: Sequence[str]) -> int:
    """What ``thumbs summarize`` does: the analyses folded into one summary per group."""
    records = (Record(i, str(i), text, None, (group,)) for i, (text, group) in enumerate(zip(texts, groups)))
    return len(summarize_records(records, model, jobs=1))


def measure(texts: Sequence[str], model: Model, groups: Sequence[str] | None = None) -> list[tuple[str, int, float]]:
    """(name, jobs, reviews/s) for each row of the comparison."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    texts = list(texts)
    n = len(texts)
    groups = list(groups) if groups is not None else ["all"] * n
    model.predict(texts[:LABEL_CHUNK])  # warm the chunk memo as a long run would be
    rows = [("VADER (vaderSentiment)", 1, _timed(lambda: [vader.polarity_scores(t) for t in texts], n))]
    rows.append(
        ("thumbs labels (predict)", 1, _timed(lambda: [model.predict(c) for c in chunked(texts, LABEL_CHUNK)], n))
    )
    rows.append(
        (
            "thumbs labels (predict)",
            2,
            _timed(
                lambda: list(
                    ordered_map(_labels, chunked(texts, LABEL_CHUNK), jobs=2, initializer=_install, initargs=(model,))
                ),
                n,
            ),
        )
    )
    rows.append(
        ("thumbs full analysis", 1, _timed(lambda: [model.analyze_batch(c) for c in chunked(texts, ANALYSIS_CHUNK)], n))
    )
    rows.append(("thumbs analyze --json", 1, _timed(lambda: _json_lines(model, texts), n)))
    rows.append(("thumbs summarize", 1, _timed(lambda: _summaries(model, texts, groups), n)))
    rows.append(
        (
            "thumbs full analysis",
            2,
            _timed(lambda: list(model.analyze_many(texts, jobs=2, chunk_size=ANALYSIS_CHUNK)), n),
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get("THUMBS_DATA"))
    parser.add_argument(
        "--limit", type=int, default=25_000, help="reviews of aclImdb test to use (default: all 25,000)"
    )
    args = parser.parse_args()
    documents = load_corpus("imdb", args.data_dir, splits=("test",))[: args.limit]
    texts = [d.text for d in documents]
    groups = [str(d.rating) for d in documents]  # thumbs summarize groups by rating here: the speed, not the films
    start = time.perf_counter()
    model = load_model()
    load_seconds = time.perf_counter() - start
    with PeakMemory() as memory:
        rows = measure(texts, model, groups)
    vader_per_core = rows[0][2]
    print(
        f"{len(texts):,} aclImdb test reviews; {os.cpu_count()} cores; python {sys.version.split()[0]}; "
        f"default model loaded in {load_seconds:.2f} s"
    )
    print(f"{'':28s} {'jobs':>4s} {'reviews/s':>10s} {'per core':>9s} {'x VADER/core':>13s}")
    for name, jobs, rate in rows:
        print(f"{name:28s} {jobs:4d} {rate:10,.0f} {rate / jobs:9,.0f} {rate / jobs / vader_per_core:13.1f}")
    print(
        f"peak memory: this process {memory.this_process_mib():,.0f} MiB (it holds the {len(texts):,} texts), "
        f"worker processes together {memory.workers_mib:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
