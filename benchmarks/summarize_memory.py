"""Memory stays flat from 10,000 to 1,000,000 reviews in thousands of films: ``thumbs summarize`` streams.

Issue 15 says of ``thumbs summarize`` that a million reviews in thousands of groups take flat
memory: each film keeps a tally (sums, counts, a histogram, bounded quote heaps, pruned phrase
counters; ``src/thumbs/summary/tallies.py``), never its reviews. This script measures it, in the
style of ``benchmarks/batch_memory.py`` (whose process-tree sampler it imports).

For each size N and number of films G it writes a CSV table (``id``, ``film``, ``date``,
``text``) of N synthetic reviews with a fixed seed: each review's film is drawn from G films with
a Zipf-like distribution (weight 1/rank, so the first films get thousands of reviews and most get
a few; at N much smaller than G many films get none), its date from 24 months (2023-01 to
2024-12), and its 2-4 sentences from templates written for this benchmark that judge the
aspects (acting, story, direction, visuals, music, effects, pacing, humor) with varied words,
leaning positive or negative by film, so the per-film phrase counters and aspect quote heaps
fill up. It runs

    python -m thumbs summarize TABLE --text-column text --group-by film --date-column date -o OUT.csv --jobs J

as a subprocess, samples the resident memory (RSS) of the whole process tree every 0.1 s (summed
over the processes, so shared pages count more than once: an upper bound), and checks that OUT
has one row per film drawn (so G or fewer) and that its ``reviews`` column sums to N.

``--tallies`` instead measures, in this process, how the tallies grow with the number of films:
it analyzes a pool of synthetic reviews once, then folds N of them (fresh ids and quote strings
each, films drawn as above) through :func:`thumbs.summary.films.summarize_analyses` under
:mod:`tracemalloc` for each G, and prints the tallies' bytes per film, the peak, and what the
bytes are made of (phrase counters, months, aspects, the rest), measured by emptying each part.

    pip install -e ".[bench]"
    python benchmarks/summarize_memory.py                              # N = 10,000 and 1,000,000, G = 5,000
    python benchmarks/summarize_memory.py --rows 10000 --groups 100 --groups 5000 --jobs 2
    python benchmarks/summarize_memory.py --tallies                    # N = 100,000, G = 100, 1,000, 10,000
"""

from __future__ import annotations

import argparse
import bisect
import csv
import dataclasses
import gc
import itertools
import linecache
import os
import random
import sys
import tempfile
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from batch_memory import run_sampled

#: Table sizes run when no --rows is given.
DEFAULT_ROWS = (10_000, 1_000_000)
#: Films the reviews are drawn from when no --groups is given.
DEFAULT_GROUPS = (5_000,)
#: Reviews and films of the --tallies experiment when no --rows / --groups is given.
TALLY_ROWS = 100_000
TALLY_GROUPS = (100, 1_000, 10_000)
#: Distinct reviews the --tallies experiment analyzes once and then reuses.
TALLY_POOL = 2_000
#: The film of rank r is drawn with weight 1 / r ** ZIPF_EXPONENT.
ZIPF_EXPONENT = 1.0
#: The dates: a day in one of MONTHS months from January of FIRST_YEAR.
FIRST_YEAR, MONTHS = 2023, 24
#: Seed of the synthetic table, so that every run summarizes the same reviews.
SEED = 20240615
#: Sentences per synthetic review, at least and at most.
MIN_SENTENCES, MAX_SENTENCES = 2, 4

#: What names each aspect in the synthetic sentences (the subject of a judging clause).
SUBJECTS = {
    "acting": (
        "the acting",
        "the cast",
        "the lead actress",
        "the lead actor",
        "the supporting cast",
        "her performance",
        "his performance",
        "the chemistry between the two leads",
    ),
    "story": ("the story", "the plot", "the script", "the dialogue", "the ending", "the twist", "the premise"),
    "direction": ("the direction", "the directing", "the staging", "the director's touch"),
    "visuals": ("the cinematography", "the photography", "the lighting", "the costumes", "the production design"),
    "music": ("the music", "the score", "the soundtrack", "the songs", "the sound design"),
    "effects": ("the effects", "the CGI", "the stunts", "the makeup", "the fight scenes"),
    "pacing": ("the pacing", "the editing", "the running time", "the pace of the second half"),
    "humor": ("the humor", "the jokes", "the gags", "the one-liners"),
}
VERBS = ("is", "was", "feels", "seemed", "turns out")
MODIFIERS = ("", "", "", "truly ", "rather ", "quite ", "simply ", "frankly ", "mostly ", "remarkably ")
PRAISE = (
    "superb",
    "gorgeous",
    "wonderful",
    "sharp and witty",
    "moving",
    "brilliant",
    "clever",
    "haunting",
    "lovely",
    "assured",
    "inventive",
    "delightful",
    "tight and gripping",
    "first-rate",
    "a real pleasure",
    "beautifully judged",
    "full of life",
    "smart and surprising",
)
CRITICISM = (
    "wooden",
    "dull",
    "clumsy",
    "a mess",
    "lazy",
    "flat",
    "tedious",
    "awful",
    "forgettable",
    "grating",
    "cheap",
    "painfully slow",
    "confused and muddled",
    "a letdown",
    "embarrassing",
    "lifeless",
    "badly judged",
    "stale and predictable",
)
#: Whole sentences judging the film, by sign, and sentences of plot or circumstance that judge nothing.
VERDICTS_GOOD = (
    "I would happily see it again tomorrow.",
    "A real treat from start to finish.",
    "It earns every one of its tears.",
    "My friends and I talked about it all the way home.",
    "Easily the best thing in cinemas this month.",
    "It is a joy to watch.",
    "Highly recommended.",
    "I left the theater grinning.",
)
VERDICTS_BAD = (
    "I wanted my money back.",
    "A chore to sit through.",
    "Half the audience walked out.",
    "I nearly fell asleep twice.",
    "Skip it and read a book instead.",
    "It is hard to care about any of it.",
    "A waste of a Friday night.",
    "Nothing here works.",
)
ASIDES = (
    "It is set in a fishing village in the seventies.",
    "The film follows a nurse who moves to the city.",
    "I watched it on a rainy Sunday afternoon.",
    "It is the third film of a trilogy.",
    "A remake of a French film from the sixties.",
    "Most of it takes place on a night train.",
    "It opened at a festival last spring.",
    "The heroine is a retired detective.",
)


@dataclass(frozen=True, slots=True)
class Measurement:
    """One run of ``thumbs summarize`` on a table of ``rows`` reviews drawn from ``groups`` films."""

    rows: int
    groups: int
    drawn: int  # films with at least one review in the table
    jobs: int
    wall_s: float
    peak_rss_bytes: int
    output_groups: int
    output_reviews: int
    largest: int  # reviews of the most reviewed film, as the output says
    returncode: int

    @property
    def reviews_per_s(self) -> float:
        return self.rows / self.wall_s if self.wall_s > 0 else float("nan")

    @property
    def ok(self) -> bool:
        return (
            self.returncode == 0
            and self.output_groups == self.drawn <= self.groups
            and self.output_reviews == self.rows
        )


def clause(rng: random.Random, positive: bool) -> str:
    """An aspect named and judged: "the score was truly haunting"."""
    subject = rng.choice(SUBJECTS[rng.choice(tuple(SUBJECTS))])
    judgement = rng.choice(PRAISE if positive else CRITICISM)
    return f"{subject} {rng.choice(VERBS)} {rng.choice(MODIFIERS)}{judgement}"


def sentence(rng: random.Random, lean: float) -> str:
    """One sentence of a review whose sentences are positive with probability ``lean``."""
    kind = rng.random()
    if kind < 0.6:
        text = clause(rng, rng.random() < lean)
    elif kind < 0.8:  # a contrast: one aspect praised, another criticized
        first = rng.random() < lean
        text = f"{clause(rng, first)}, but {clause(rng, not first)}"
    elif kind < 0.9:
        return rng.choice(VERDICTS_GOOD if rng.random() < lean else VERDICTS_BAD)
    else:
        return rng.choice(ASIDES)
    return f"{text[0].upper()}{text[1:]}."


def review(rng: random.Random, lean: float) -> str:
    return " ".join(sentence(rng, lean) for _ in range(rng.randint(MIN_SENTENCES, MAX_SENTENCES)))


def lean_of(rank: int) -> float:
    """How positive the reviews of the film of ``rank`` lean (0.15 to 0.85, spread over the ranks)."""
    return 0.15 + 0.7 * ((rank * 7919) % 101) / 100


def film_drawer(groups: int, rng: random.Random) -> Iterator[int]:
    """Endless film ranks (1 to ``groups``), rank r drawn with weight 1 / r ** :data:`ZIPF_EXPONENT`."""
    cumulative = list(itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, groups + 1)))
    total = cumulative[-1]
    while True:
        yield min(bisect.bisect_left(cumulative, rng.random() * total), groups - 1) + 1


def month_date(rng: random.Random) -> str:
    month = rng.randrange(MONTHS)
    return f"{FIRST_YEAR + month // 12}-{month % 12 + 1:02d}-{rng.randint(1, 28):02d}"


def write_table(path: Path, rows: int, groups: int, seed: int = SEED) -> int:
    """A CSV table (``id``, ``film``, ``date``, ``text``) of ``rows`` synthetic reviews; returns the films drawn."""
    rng = random.Random(seed)
    films = film_drawer(groups, rng)
    drawn: set[int] = set()
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "film", "date", "text"])
        for i in range(rows):
            rank = next(films)
            drawn.add(rank)
            writer.writerow([f"r{i}", f"Film {rank:05d}", month_date(rng), review(rng, lean_of(rank))])
    return len(drawn)


def read_summaries(path: Path) -> tuple[int, int, int]:
    """Rows of a ``thumbs summarize`` CSV, the sum of their ``reviews``, and the largest (zeros if absent)."""
    if not path.exists():
        return 0, 0, 0
    with open(path, encoding="utf-8", newline="") as file:
        counts = [int(row["reviews"]) for row in csv.DictReader(file)]
    return len(counts), sum(counts), max(counts, default=0)


def measure(table: Path, output: Path, rows: int, groups: int, drawn: int, jobs: int) -> Measurement:
    """Run ``thumbs summarize`` on ``table`` into ``output``, sampling its process tree's memory."""
    command = [
        sys.executable,
        "-m",
        "thumbs",
        "summarize",
        str(table),
        "--text-column",
        "text",
        "--group-by",
        "film",
        "--date-column",
        "date",
        "-o",
        str(output),
        "--jobs",
        str(jobs),
    ]
    wall, peak, returncode = run_sampled(command, output.with_suffix(".stderr"))
    found, reviews, largest = read_summaries(output)
    return Measurement(rows, groups, drawn, jobs, wall, peak, found, reviews, largest, returncode)


def print_table(results: list[Measurement]) -> None:
    header = (
        f"{'rows':>11}  {'films':>7}  {'jobs':>4}  {'wall s':>8}  {'reviews/s':>10}  {'peak RSS MiB':>12}  "
        f"{'output films':>12}  {'largest film':>12}  {'reviews sum':>11}  check"
    )
    print(header)
    print("-" * len(header))
    for m in results:
        check = "ok" if m.ok else f"FAIL ({m.drawn:,} drawn, exit {m.returncode})"
        print(
            f"{m.rows:>11,}  {m.groups:>7,}  {m.jobs:>4}  {m.wall_s:>8.1f}  {m.reviews_per_s:>10,.0f}  "
            f"{m.peak_rss_bytes / 2**20:>12,.0f}  {m.output_groups:>12,}  {m.largest:>12,}  {m.output_reviews:>11,}  "
            f"{check}"
        )
    for groups in sorted({m.groups for m in results}):
        runs = [m for m in results if m.groups == groups]
        if len(runs) > 1:
            small, large = min(runs, key=lambda m: m.rows), max(runs, key=lambda m: m.rows)
            ratio = large.peak_rss_bytes / small.peak_rss_bytes if small.peak_rss_bytes else float("nan")
            print(
                f"\n{groups:,} films: peak RSS at {large.rows:,} rows / at {small.rows:,} rows: {ratio:.2f}x "
                f"for {large.rows / small.rows:,.0f}x the rows"
            )


# --- --tallies: how the tallies grow with the number of films, under tracemalloc -----------------------

#: The parts of a film's tally measured by emptying them, and how to empty each.
PARTS: tuple[tuple[str, Callable[[Any], object]], ...] = (
    ("phrase counters (praised, criticized)", lambda t: (t.praised.clear(), t.criticized.clear())),
    ("months (PeriodTally: share + stars)", lambda t: setattr(t, "months", {})),
    ("aspects (counts + 3-quote heaps)", lambda t: setattr(t, "aspects", {})),
    ("film share (ProbabilityTally)", lambda t: setattr(t, "share", type(t.share)())),
)
REST = "the rest (FilmTally, stars, dict of films)"


def _fresh(text: str) -> str:
    """A new string equal to ``text`` (a real run's quotes are new strings of each review)."""
    return (text + " ")[:-1]


def analysis_stream(pool: Sequence, rows: int, groups: int, seed: int = SEED) -> Iterator[tuple[str, str, object]]:
    """``(film, month, analysis)`` for ``rows`` reviews of the pool, films drawn as in the table, fresh strings."""
    rng = random.Random(seed)
    films = film_drawer(groups, rng)
    for i in range(rows):
        rank = next(films)
        analysis = rng.choice(pool)
        aspects = tuple(
            dataclasses.replace(a, clause=dataclasses.replace(a.clause, text=_fresh(a.clause.text)))
            for a in analysis.aspects
        )
        yield f"Film {rank:05d}", month_date(rng)[:7], dataclasses.replace(analysis, id=f"r{i}", aspects=aspects)


@dataclass(frozen=True, slots=True)
class TallyMemory:
    """The tallies of ``rows`` reviews in ``groups`` films (``films`` of them drawn), under tracemalloc."""

    rows: int
    groups: int
    films: int
    tallies_bytes: int  # traced when the last review is folded in: every film's tally
    peak_bytes: int  # the peak of summarize_analyses, the summaries being built included
    parts: dict[str, int]  # bytes of each part of the tallies, by emptying it
    top_lines: list[tuple[str, int]]  # the source lines that allocated the tallies' bytes, most first
    top_reads: int  # reviews of the most reviewed film
    top_parts: dict[str, int]  # bytes of each part of its tally (the rest left out)


def tally_memory(pool: Sequence, rows: int, groups: int) -> TallyMemory:
    from thumbs.summary.films import summarize_analyses
    from thumbs.summary.tallies import FilmTally

    # 1. summarize_analyses as it is: its peak, and what is traced when the stream ends (the tallies built)
    at_end: list[int] = []

    def watched() -> Iterator[tuple[str, str, object]]:
        yield from analysis_stream(pool, rows, groups)
        at_end.append(tracemalloc.get_traced_memory()[0])

    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    summaries = summarize_analyses(watched())  # type: ignore[arg-type]
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    tallies_bytes = at_end[0] - base
    del summaries

    # 2. again, and when the stream ends: the source lines that allocated the tallies, then each part
    # emptied in turn (left valid, so that the summaries are still built); the largest film first
    measured: dict[str, dict[str, int]] = {}

    def emptied() -> Iterator[tuple[str, str, object]]:
        yield from analysis_stream(pool, rows, groups)
        total = tracemalloc.get_traced_memory()[0] - base
        for stat in tracemalloc.take_snapshot().statistics("lineno")[:8]:
            frame = stat.traceback[0]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            text = linecache.getline(frame.filename, frame.lineno).strip()[:70]
            lines.append((f"{where:<22} {text}", stat.size))
        films = [o for o in gc.get_objects() if isinstance(o, FilmTally)]
        top = max(films, key=lambda t: t.read)
        others = [t for t in films if t is not top]
        measured["top"], measured["all"] = {}, {}
        for name, action in PARTS:
            measured["top"][name] = freed([top], action)
            measured["all"][name] = measured["top"][name] + freed(others, action)
        measured["all"][REST] = total - sum(measured["all"].values())
        measured["count"] = {"films": len(films), "top": top.read}

    def freed(films: list[FilmTally], action: Callable[[FilmTally], object]) -> int:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for tally in films:
            action(tally)
        gc.collect()
        return before - tracemalloc.get_traced_memory()[0]

    lines: list[tuple[str, int]] = []
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    summarize_analyses(emptied())  # type: ignore[arg-type]
    tracemalloc.stop()
    films, top_reads = measured["count"]["films"], measured["count"]["top"]
    parts, top_parts = measured["all"], measured["top"]
    return TallyMemory(rows, groups, films, tallies_bytes, peak, parts, lines, top_reads, top_parts)


def run_tallies(rows: int, group_counts: Sequence[int], pool_size: int) -> None:
    from thumbs.pipeline.model import load_model

    rng = random.Random(SEED)
    texts = [review(rng, rng.random()) for _ in range(pool_size)]
    print(f"analyzing a pool of {pool_size:,} synthetic reviews ...", file=sys.stderr, flush=True)
    pool = list(load_model().analyze_many(texts))
    phrases = sum(len(a.evidence.phrases) for a in pool if a.evidence is not None) / len(pool)
    aspects = sum(len(a.aspects) for a in pool) / len(pool)
    print(f"pool: {phrases:.1f} evidence phrases and {aspects:.1f} aspect judgements a review\n")
    for groups in group_counts:
        print(f"folding {rows:,} reviews into {groups:,} films ...", file=sys.stderr, flush=True)
        m = tally_memory(pool, rows, groups)
        print(
            f"{m.rows:,} reviews, {m.groups:,} films ({m.films:,} drawn): tallies {m.tallies_bytes / 2**20:,.1f} MiB "
            f"= {m.tallies_bytes / m.films:,.0f} bytes a film; peak of summarize_analyses {m.peak_bytes / 2**20:,.1f} MiB"
        )
        total = sum(m.parts.values())
        print(f"  {'part':<44} {'all films':>12}  {'per film':>10}  {'share':>5}  {f'largest ({m.top_reads:,})':>16}")
        for name, size in m.parts.items():
            top = f"{m.top_parts[name] / 2**10:,.1f} KiB" if name in m.top_parts else ""
            print(f"  {name:<44} {size / 2**20:>8.2f} MiB  {size / m.films:>8,.0f} B  {size / total:>5.0%}  {top:>16}")
        print("  allocated by:")
        for line, size in m.top_lines:
            print(f"    {size / 2**20:>7.2f} MiB  {line}")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, action="append", help="table size; repeat for several (default: 10000 and 1000000)"
    )
    parser.add_argument(
        "--groups", type=int, action="append", help="films drawn from; repeat for a sweep (default: 5000)"
    )
    parser.add_argument(
        "--jobs", type=int, default=len(os.sched_getaffinity(0)), help="worker processes (default: all cores)"
    )
    parser.add_argument(
        "--workdir", type=Path, default=None, help="where to put the temporary tables (default: the system's)"
    )
    parser.add_argument(
        "--tallies",
        action="store_true",
        help="measure the tallies' bytes per film under tracemalloc instead (default: 100000 rows, 100/1000/10000 films)",
    )
    parser.add_argument("--pool", type=int, default=TALLY_POOL, help="--tallies: distinct reviews analyzed")
    args = parser.parse_args()
    if args.tallies:
        rows = (args.rows or [TALLY_ROWS])[0]
        group_counts = args.groups or list(TALLY_GROUPS)
        if rows < 1 or args.pool < 1 or any(g < 1 for g in group_counts):
            parser.error("--rows, --groups and --pool must be 1 or more")
        run_tallies(rows, group_counts, args.pool)
        return
    sizes = args.rows or list(DEFAULT_ROWS)
    group_counts = args.groups or list(DEFAULT_GROUPS)
    if any(n < 1 for n in [*sizes, *group_counts]) or args.jobs < 1:
        parser.error("--rows, --groups and --jobs must be 1 or more")
    results: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="thumbs-summarize-memory-", dir=args.workdir) as folder:
        for groups in group_counts:
            for rows in sizes:
                table = Path(folder) / f"reviews-{rows}-{groups}.csv"
                output = Path(folder) / f"summaries-{rows}-{groups}.csv"
                print(f"writing {rows:,} synthetic reviews of {groups:,} films ...", file=sys.stderr, flush=True)
                drawn = write_table(table, rows, groups)
                print(
                    f"summarizing {rows:,} reviews ({drawn:,} films) with --jobs {args.jobs} ...",
                    file=sys.stderr,
                    flush=True,
                )
                results.append(measure(table, output, rows, groups, drawn, args.jobs))
                table.unlink()
                output.unlink(missing_ok=True)
    print_table(results)
    if not all(m.ok for m in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
