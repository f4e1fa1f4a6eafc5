"""Memory stays flat from 10,000 to 1,000,000 reviews: ``thumbs analyze`` streams its input and output.

Shows that the peak resident memory of a ``thumbs analyze`` run on a table does not grow with
the number of rows: the batch engine reads the table a line at a time, keeps a bounded number
of chunks in flight to its workers, appends results to a journal on disk, and writes the final
CSV from the journal a line at a time. It also gives the end-to-end speed (reviews/s, start-up
and model loading included) of the whole command.

For each size N it writes a CSV table of N synthetic short reviews (2-4 sentences each, drawn
with a fixed seed from a few dozen sentences written for this benchmark) to a temporary
folder, runs

    python -m thumbs analyze TABLE --text-column text --format csv -o OUT --jobs J

as a subprocess, samples the resident memory (RSS) of the whole process tree (the command,
the forkserver and its worker processes) every 0.1 s, and checks that OUT has N rows. The RSS
of the processes is summed, so pages they share are counted more than once: an upper bound.

    pip install -e ".[bench]"
    python benchmarks/batch_memory.py                       # N = 10,000 and 1,000,000
    python benchmarks/batch_memory.py --rows 10000 --rows 100000 --jobs 2
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

#: Table sizes run when no --rows is given.
DEFAULT_ROWS = (10_000, 1_000_000)
#: Seconds between two samples of the process tree's memory.
SAMPLE_SECONDS = 0.1
#: Seed of the synthetic reviews, so that every run analyzes the same table.
SEED = 20240601
#: Sentences per synthetic review, at least and at most.
MIN_SENTENCES, MAX_SENTENCES = 2, 4
#: Sentences the synthetic reviews are made of, written for this benchmark.
SENTENCES = (
    # positive
    "A wonderful, moving film.",
    "The acting is superb from the whole cast.",
    "I loved every minute of it.",
    "The photography is gorgeous and the music fits it perfectly.",
    "One of the best comedies I have seen in years.",
    "The script is sharp, witty and full of surprises.",
    "A warm, charming story that never talks down to its audience.",
    "The lead gives a brilliant, fearless performance.",
    "It stayed with me for days.",
    "A small masterpiece, and I will gladly watch it again.",
    "The final scene is beautifully judged.",
    "Funny, touching and smartly directed.",
    # negative
    "A dull, boring mess.",
    "The plot is stupid and full of holes.",
    "The acting is wooden and the dialogue is awful.",
    "I kept checking my watch.",
    "The jokes fall flat, one after another.",
    "A lazy sequel that wastes a good cast.",
    "The ending makes no sense at all.",
    "Two hours I will never get back.",
    "The editing is choppy and the music is grating.",
    "Worst film of the year.",
    "Predictable, tedious and far too long.",
    "Even the action scenes are boring.",
    # neutral or mixed
    "The film runs just under two hours.",
    "It is based on a novel from the fifties.",
    "The story follows two brothers on a road trip.",
    "Most of it was shot in a small coastal town.",
    "I saw it at a late screening with a friend.",
    "The director made a documentary before this.",
    "Some scenes work, others do not.",
    "The middle section drags a little, but the cast keeps it afloat.",
    "It is not as good as the first one, but it has its moments.",
    "The trailer gives away too much of the plot.",
    "The soundtrack was released on vinyl.",
    "It opens with a long shot of a busy station.",
)


@dataclass(frozen=True, slots=True)
class Measurement:
    """One run of ``thumbs analyze`` on a table of ``rows`` reviews."""

    rows: int
    jobs: int
    wall_s: float
    peak_rss_bytes: int
    output_rows: int
    returncode: int

    @property
    def reviews_per_s(self) -> float:
        return self.rows / self.wall_s if self.wall_s > 0 else float("nan")


def write_table(path: Path, rows: int, seed: int = SEED) -> None:
    """A CSV table (``id``, ``text``) of ``rows`` synthetic reviews, the same for the same seed."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "text"])
        for i in range(rows):
            review = " ".join(rng.sample(SENTENCES, rng.randint(MIN_SENTENCES, MAX_SENTENCES)))
            writer.writerow([f"r{i}", review])


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of ``process`` and all its descendants (0 for those gone meanwhile)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def count_rows(path: Path) -> int:
    """Data rows of a CSV file (its header not counted), read a row at a time; 0 if it is absent."""
    if not path.exists():
        return 0
    with open(path, encoding="utf-8", newline="") as file:
        return max(sum(1 for _ in csv.reader(file)) - 1, 0)


def measure(table: Path, output: Path, rows: int, jobs: int) -> Measurement:
    """Run ``thumbs analyze`` on ``table`` into ``output``, sampling its process tree's memory."""
    command = [
        sys.executable,
        "-m",
        "thumbs",
        "analyze",
        str(table),
        "--text-column",
        "text",
        "--format",
        "csv",
        "-o",
        str(output),
        "--jobs",
        str(jobs),
    ]
    wall, peak, returncode = run_sampled(command, output.with_suffix(".stderr"))
    return Measurement(rows, jobs, wall, peak, count_rows(output), returncode)


def run_sampled(command: Sequence[str], log: Path) -> tuple[float, int, int]:
    """Run ``command`` (stderr into ``log``): its wall seconds, its process tree's peak RSS, its exit status."""
    with open(log, "wb") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        process = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            peak = max(peak, tree_rss(process))
            time.sleep(SAMPLE_SECONDS)
        wall = time.perf_counter() - start
    if child.returncode != 0:
        print(f"{' '.join(command[2:4])} exited with {child.returncode}:\n{log.read_text(errors='replace')[-2000:]}",
              file=sys.stderr)  # fmt: skip
    return wall, peak, child.returncode


def print_table(results: list[Measurement]) -> None:
    header = f"{'rows':>11}  {'jobs':>4}  {'wall s':>8}  {'reviews/s':>10}  {'peak RSS MiB':>12}  {'output rows':>11}"
    print(header)
    print("-" * len(header))
    for m in results:
        ok = "ok" if m.output_rows == m.rows and m.returncode == 0 else f"FAIL ({m.output_rows:,})"
        print(
            f"{m.rows:>11,}  {m.jobs:>4}  {m.wall_s:>8.1f}  {m.reviews_per_s:>10,.0f}  "
            f"{m.peak_rss_bytes / 2**20:>12,.0f}  {ok:>11}"
        )
    if len(results) > 1:
        small, large = min(results, key=lambda m: m.rows), max(results, key=lambda m: m.rows)
        ratio = large.peak_rss_bytes / small.peak_rss_bytes if small.peak_rss_bytes else float("nan")
        print(
            f"\npeak RSS at {large.rows:,} rows / at {small.rows:,} rows: {ratio:.2f}x "
            f"for {large.rows / small.rows:,.0f}x the rows"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, action="append", help="table size; repeat for several (default: 10000 and 1000000)"
    )
    parser.add_argument(
        "--jobs", type=int, default=len(os.sched_getaffinity(0)), help="worker processes (default: all cores)"
    )
    parser.add_argument(
        "--workdir", type=Path, default=None, help="where to put the temporary tables (default: the system's)"
    )
    args = parser.parse_args()
    sizes = args.rows or list(DEFAULT_ROWS)
    if any(n < 1 for n in sizes) or args.jobs < 1:
        parser.error("--rows and --jobs must be 1 or more")
    results: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="thumbs-batch-memory-", dir=args.workdir) as folder:
        for rows in sizes:
            table, output = Path(folder) / f"reviews-{rows}.csv", Path(folder) / f"out-{rows}.csv"
            print(f"writing {rows:,} synthetic reviews ...", file=sys.stderr, flush=True)
            write_table(table, rows)
            print(f"analyzing {rows:,} reviews with --jobs {args.jobs} ...", file=sys.stderr, flush=True)
            results.append(measure(table, output, rows, args.jobs))
            table.unlink()
            output.unlink(missing_ok=True)
    print_table(results)
    if any(m.output_rows != m.rows or m.returncode != 0 for m in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
