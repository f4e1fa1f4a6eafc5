"""thumbs on a Dask cluster against the single-machine engine: reviews/s, peak memory per worker, the same rows.

Issue 16 runs ``thumbs analyze`` on a Dask cluster. This script measures what the cluster costs
on one machine, and what a cost model of a real cluster needs. It writes one Parquet table of N
reviews (default 200,000; row groups of ``--row-group-rows``, so that the cluster cuts it into
partitions from the file's metadata alone) to a temporary folder, and analyzes that same file
with each setup, as a subprocess:

* ``single``: the single-machine engine,
  ``python -m thumbs analyze TABLE --text-column text --id-column id --jobs 2 -o out.parquet``;
* ``local1``, ``local2``: a Dask LocalCluster of 1 and 2 worker processes (one thread each),
  ``python -m thumbs analyze TABLE --text-column text --id-column id --cluster local:N
  --partition-rows R -o out/`` (one Parquet file a partition).

Each run is timed wall-clock, start-up, model loading (and the cluster's start) included. The
resident memory (RSS) of every process of its tree is sampled every 0.1 s (the interval of
``benchmarks/batch_memory.py``, whose ``run_sampled`` sums the tree; here each process's peak is
kept, so the sampler is :func:`run_sampled_per_process`): the worker processes' peaks are
reported one by one, the client's (for the cluster: the command, which holds the scheduler and
the nannies too) separately, and the multiprocessing helpers (forkserver, resource tracker)
are left out. The CPU seconds (user + system) of the client and of the workers are kept too,
as last sampled: reviews per CPU-second move less than reviews/s when other work shares the
machine, whose 1-minute load average each row shows. Each output is then read back and
compared with the single-machine one: the row count, and the content, row by row and column by
column, in id order.

For the cost model it also prints: the rate of one worker (``local1``, reviews/s a core), the
time to read the text column of the table alone (pyarrow, one row group at a time, as the workers
read their pieces: the reading bound, reviews/s a core), and the bytes a review takes in the
table (compressed on disk: what a worker fetches over the network) and in the output (what it
writes back); from these, the core-hours to analyze 100 million and 1 billion reviews, and the
cores at which a storage link of ``--link-gbits`` (an assumption, printed as one) would be full.

The reviews are sampled, with a fixed seed, from the 100,000 texts of the aclImdb archive (train,
test and unsup), read in place from THUMBS_DATA or ``--data-dir`` (at 200,000 each text appears
twice, ids differ); without the corpus, or with ``--synthetic``, they are the synthetic short
reviews of ``benchmarks/batch_memory.py`` (much shorter: a higher rate). The table goes to a
temporary folder (``--workdir``), never into the repository, and is deleted at the end unless
``--keep-files``.

    pip install -e ".[bench,dask]"
    THUMBS_DATA=../shared/data python benchmarks/dask_scaling.py                 # 200,000 reviews, 3 setups
    python benchmarks/dask_scaling.py --reviews 20000 --setups single,local2 --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

from batch_memory import MAX_SENTENCES, MIN_SENTENCES, SAMPLE_SECONDS, SENTENCES

#: The setups, in the order they run: name -> (what it is, worker processes).
SETUPS = {
    "single": ("single machine, --jobs 2", 2),
    "local1": ("LocalCluster, local:1", 1),
    "local2": ("LocalCluster, local:2", 2),
}
#: Reviews analyzed when no --reviews is given.
DEFAULT_REVIEWS = 200_000
#: Rows a partition holds on the cluster (thumbs' own default) and rows a Parquet row group holds.
PARTITION_ROWS = 10_000
#: Seed of the sample, so that every run analyzes the same table.
SEED = 20240716
#: What the cost model prices.
TARGETS = (100_000_000, 1_000_000_000)
#: The ratio of the 2-worker cluster to the single-machine engine the issue asks for.
AIM_RATIO = 0.8
#: Cmdline fragments of the multiprocessing helper processes (not workers).
HELPERS = ("multiprocessing.forkserver", "multiprocessing.resource_tracker", "multiprocessing.semaphore_tracker")


@dataclass(slots=True)
class Sampled:
    """One command's run: wall seconds, exit status, and the peak RSS of each process of its tree."""

    wall_s: float
    returncode: int
    client_peak: int = 0
    worker_peaks: list[int] = field(default_factory=list)
    helper_peaks: list[int] = field(default_factory=list)
    tree_peak: int = 0
    client_cpu_s: float = 0.0
    workers_cpu_s: float = 0.0


@dataclass(slots=True)
class Result:
    """One setup's figures."""

    setup: str
    label: str
    processes: int
    reviews: int
    wall_s: float
    returncode: int
    load_before: float  # the machine's 1-minute load average as the setup started: other work disturbs the rate
    client_peak_mib: float
    worker_peaks_mib: list[float]
    tree_peak_mib: float
    client_cpu_s: float  # user + system seconds of the client process, as last sampled
    workers_cpu_s: float  # of the worker processes together
    output_rows: int
    output_bytes: int
    same_content: bool | None = None  # None for the reference itself, or when there is none
    differences: str = ""

    @property
    def reviews_per_s(self) -> float:
        return self.reviews / self.wall_s if self.wall_s > 0 else float("nan")

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.output_rows == self.reviews and self.same_content is not False


# --- the table ------------------------------------------------------------------------------------


def review_texts(n: int, data_dir: str | None, synthetic: bool, seed: int = SEED) -> tuple[list[str], str]:
    """``n`` review texts and where they come from: aclImdb's (sampled) when it is there, else synthetic ones."""
    rng = random.Random(seed)
    if not synthetic:
        from thumbs.corpora import load_corpus
        from thumbs.errors import DataNotFoundError

        try:
            pool = [d.text for d in load_corpus("imdb", data_dir, splits=("train", "test", "unsup"))]
        except DataNotFoundError as exc:
            print(f"aclImdb not found ({exc}): synthetic reviews instead", file=sys.stderr)
        else:
            texts: list[str] = []
            while len(texts) < n:  # each text once before any twice
                rng.shuffle(pool)
                texts.extend(pool[: n - len(texts)])
            return texts, f"aclImdb (train, test, unsup: {len(pool):,} texts), sampled"
    texts = [" ".join(rng.sample(SENTENCES, rng.randint(MIN_SENTENCES, MAX_SENTENCES))) for _ in range(n)]
    return texts, "synthetic (benchmarks/batch_memory.py's sentences)"


def write_table(path: Path, texts: Sequence[str], row_group_rows: int) -> None:
    """A Parquet table (``id``, ``text``), ``row_group_rows`` rows a row group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    width = len(str(len(texts)))
    table = pa.table({"id": [f"r{i:0{width}d}" for i in range(len(texts))], "text": list(texts)})
    pq.write_table(table, path, row_group_size=row_group_rows)


def reading_bound(path: Path) -> dict[str, float]:
    """Reading the text column alone, a row group at a time, in this process; and the bytes a review takes."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    metadata = file.metadata
    text = file.schema_arrow.get_field_index("text")
    n = metadata.num_rows
    compressed = sum(metadata.row_group(g).column(text).total_compressed_size for g in range(metadata.num_row_groups))
    uncompressed = sum(
        metadata.row_group(g).column(text).total_uncompressed_size for g in range(metadata.num_row_groups)
    )
    best = float("inf")
    for _ in range(3):  # the best of three: the file is in the page cache after the first
        start = time.perf_counter()
        for group in range(metadata.num_row_groups):
            file.read_row_group(group, columns=["text"]).column("text").to_pylist()
        best = min(best, time.perf_counter() - start)
    return {
        "read_s": best,
        "read_reviews_per_s": n / best,
        "text_bytes_per_review_compressed": compressed / n,
        "text_bytes_per_review": uncompressed / n,
        "file_bytes_per_review": path.stat().st_size / n,
    }


# --- running a setup ------------------------------------------------------------------------------


def run_sampled_per_process(command: Sequence[str], log: Path) -> Sampled:
    """Run ``command`` (stderr into ``log``), keeping the peak RSS of each process of its tree.

    The command's own process is the client; a child whose command line names a multiprocessing
    helper (forkserver, resource tracker) and whose parent is the client is a helper; every
    other descendant is a worker (the forkserver's forks, or the cluster's spawned workers).
    """
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    roles: dict[int, str] = {}
    tree_peak = 0
    with open(log, "wb") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        root = psutil.Process(child.pid)
        while child.poll() is None:
            try:
                members = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            total = 0
            for member in members:
                try:
                    rss = member.memory_info().rss
                    times = member.cpu_times()
                    cpu[member.pid] = times.user + times.system
                    roles[member.pid] = _role(
                        member, child.pid
                    )  # again each time: a fork reads as its parent until exec
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                peaks[member.pid] = max(peaks.get(member.pid, 0), rss)
                total += rss
            tree_peak = max(tree_peak, total)
            time.sleep(SAMPLE_SECONDS)
        child.wait()
        wall = time.perf_counter() - start
    if child.returncode != 0:
        print(f"{' '.join(command[2:])} exited with {child.returncode}:\n{log.read_text(errors='replace')[-2000:]}",
              file=sys.stderr)  # fmt: skip
    by_role: dict[str, list[int]] = {"client": [], "worker": [], "helper": []}
    cpu_by_role = dict.fromkeys(by_role, 0.0)
    for pid, peak in peaks.items():
        by_role[roles.get(pid, "worker")].append(peak)
        cpu_by_role[roles.get(pid, "worker")] += cpu.get(pid, 0.0)
    return Sampled(
        wall,
        child.returncode,
        max(by_role["client"], default=0),
        sorted(by_role["worker"], reverse=True),
        by_role["helper"],
        tree_peak,
        cpu_by_role["client"],
        cpu_by_role["worker"],
    )


def _role(process: psutil.Process, root: int) -> str:
    if process.pid == root:
        return "client"
    if process.ppid() == root and any(h in " ".join(process.cmdline()) for h in HELPERS):
        return "helper"
    return "worker"


def command_of(setup: str, table: Path, output: Path, partition_rows: int) -> list[str]:
    """The ``thumbs analyze`` command line of ``setup``."""
    base = [sys.executable, "-m", "thumbs", "analyze", str(table), "--text-column", "text", "--id-column", "id"]
    if setup == "single":
        return [*base, "--jobs", str(SETUPS[setup][1]), "-o", str(output)]
    return [*base, "--cluster", f"local:{SETUPS[setup][1]}", "--partition-rows", str(partition_rows), "-o", str(output)]


def output_path(folder: Path, setup: str) -> Path:
    return folder / ("out-single.parquet" if setup == "single" else f"out-{setup}")


def read_output(path: Path) -> Any:
    """The output (a Parquet file, or a folder of part files) as one pyarrow table in id order, or None."""
    import pyarrow.parquet as pq

    if path.is_dir():
        parts = sorted(path.glob("part-*.parquet"))
        if not parts:
            return None
        import pyarrow as pa

        table = pa.concat_tables([pq.read_table(part) for part in parts])
    elif path.is_file():
        table = pq.read_table(path)
    else:
        return None
    return table.replace_schema_metadata(None).sort_by("id")


def output_bytes(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.glob("part-*.parquet"))
    return path.stat().st_size if path.is_file() else 0


def compare(reference: Any, table: Any) -> tuple[bool, str]:
    """Whether ``table`` holds what ``reference`` holds (same columns, same rows in id order); else what differs."""
    if table.column_names != reference.column_names:
        return False, f"columns differ: {table.column_names} against {reference.column_names}"
    if table.num_rows != reference.num_rows:
        return False, f"{table.num_rows:,} rows against {reference.num_rows:,}"
    differing = []
    for name in reference.column_names:
        mine, theirs = table.column(name), reference.column(name)
        if mine.type != theirs.type:
            mine = mine.cast(theirs.type)
        if not mine.equals(theirs):
            a, b = mine.to_pylist(), theirs.to_pylist()
            differing.append(f"{name} ({sum(x != y for x, y in zip(a, b)):,} rows)")
    return (not differing), ", ".join(differing)


def measure(setup: str, table: Path, folder: Path, reviews: int, partition_rows: int) -> tuple[Result, Any]:
    """Run ``setup`` on ``table``; its figures and its output table (None when there is none)."""
    output = output_path(folder, setup)
    load = os.getloadavg()[0]
    sampled = run_sampled_per_process(command_of(setup, table, output, partition_rows), folder / f"{setup}.stderr")
    mib = 2**20
    analyzed = read_output(output)
    result = Result(
        setup,
        SETUPS[setup][0],
        SETUPS[setup][1],
        reviews,
        sampled.wall_s,
        sampled.returncode,
        load,
        sampled.client_peak / mib,
        [peak / mib for peak in sampled.worker_peaks],
        sampled.tree_peak / mib,
        sampled.client_cpu_s,
        sampled.workers_cpu_s,
        0 if analyzed is None else analyzed.num_rows,
        output_bytes(output),
    )
    return result, analyzed


# --- the report -----------------------------------------------------------------------------------


def cost_model(results: Sequence[Result], bounds: dict[str, float], link_gbits: float) -> dict[str, Any]:
    """Core-hours for :data:`TARGETS` reviews at the measured per-core rates, and what bounds them."""
    by = {r.setup: r for r in results if r.returncode == 0}
    per_core = {name: r.reviews_per_s / r.processes for name, r in by.items()}
    core_rate = per_core.get("local1") or per_core.get("local2") or per_core.get("single")
    model: dict[str, Any] = {"per_core_reviews_per_s": per_core, "core_rate": core_rate}
    if not core_rate:
        return model
    reference = next((r for r in (by.get("local1"), by.get("local2"), by.get("single")) if r is not None), None)
    out_bytes = reference.output_bytes / reference.reviews if reference is not None else float("nan")
    moved = bounds["text_bytes_per_review_compressed"] + out_bytes  # read from storage, written back
    link_bytes_per_s = link_gbits * 1e9 / 8
    model.update(
        {
            "targets": {str(n): n / core_rate / 3600 for n in TARGETS},  # core-hours
            "read_share": core_rate / bounds["read_reviews_per_s"],  # of a core's time, reading
            "output_bytes_per_review": out_bytes,
            "moved_bytes_per_review": moved,
            "bytes_per_s_per_core": moved * core_rate,
            "link_gbits": link_gbits,
            "cores_to_fill_link": link_bytes_per_s / (moved * core_rate),
        }
    )
    return model


def report(figures: dict[str, Any]) -> str:
    """The printed report: the table of setups, the checks, and the cost model."""
    results = [Result(**r) for r in figures["results"]]
    lines = [
        f"{figures['reviews']:,} reviews ({figures['source']}), Parquet row groups of {figures['row_group_rows']:,}, "
        f"partitions of {figures['partition_rows']:,}; {figures['cores']} cores; python {figures['python']}; "
        f"dask {figures['dask']}",
        "",
    ]
    single = next((r for r in results if r.setup == "single" and r.returncode == 0), None)
    header = (
        f"{'setup':26s} {'wall s':>7s} {'reviews/s':>10s} {'per core':>9s} {'x single':>9s} "
        f"{'peak RSS/worker MiB':>20s} {'client MiB':>11s} {'tree MiB':>9s} {'CPU s client+workers':>21s} "
        f"{'per CPU-s':>9s} {'rows':>9s} {'load':>5s}  same as single"
    )
    lines += [header, "-" * len(header)]
    for r in results:
        ratio = f"{r.reviews_per_s / single.reviews_per_s:9.2f}" if single is not None else f"{'-':>9s}"
        workers = " / ".join(f"{p:,.0f}" for p in r.worker_peaks_mib) or "-"
        same = {None: "(reference)" if r.setup == "single" else "-", True: "yes", False: f"NO: {r.differences}"}
        cpu = f"{r.client_cpu_s:,.0f} + {r.workers_cpu_s:,.0f}"
        rows = f"{r.output_rows:,}" if r.output_rows == r.reviews else f"{r.output_rows:,} (!)"
        lines.append(
            f"{r.label:26s} {r.wall_s:7.1f} {r.reviews_per_s:10,.0f} {r.reviews_per_s / r.processes:9,.0f} "
            f"{ratio} {workers:>20s} {r.client_peak_mib:11,.0f} {r.tree_peak_mib:9,.0f} {cpu:>21s} "
            f"{r.reviews / max(r.client_cpu_s + r.workers_cpu_s, 1e-9):9,.0f} {rows:>9s} {r.load_before:5.1f}  "
            f"{same[r.same_content]}"
        )
    two = next((r for r in results if r.setup == "local2" and r.returncode == 0), None)
    if single is not None and two is not None:
        ratio = two.reviews_per_s / single.reviews_per_s
        verdict = "yes" if ratio >= AIM_RATIO else "**no**"
        lines += [
            "",
            f"local:2 against the single-machine engine (--jobs 2): {ratio:.2f}x (aim >= {AIM_RATIO}x): {verdict}",
        ]
    bounds, model = figures["bounds"], figures["cost_model"]
    lines += [
        "",
        "reading bound: the text column alone, a row group at a time (pyarrow, page cache warm, best of 3): "
        f"{bounds['read_s']:.2f} s, {bounds['read_reviews_per_s']:,.0f} reviews/s on one core",
        f"bytes a review: text {bounds['text_bytes_per_review']:,.0f} B "
        f"({bounds['text_bytes_per_review_compressed']:,.0f} B compressed in the file; "
        f"file {bounds['file_bytes_per_review']:,.0f} B with the ids)",
    ]
    if model.get("core_rate"):
        lines += [
            f"output: {model['output_bytes_per_review']:,.0f} B a review (Parquet, all analysis columns)",
            "",
            f"cost model at {model['core_rate']:,.0f} reviews/s a core (one cluster worker, start-up included):",
        ]
        for n, core_hours in model["targets"].items():
            lines.append(
                f"  {int(n):>13,} reviews: {core_hours:9,.1f} core-hours "
                f"(on 64 cores {core_hours / 64:6,.2f} h, on 512 cores {core_hours / 512:6,.2f} h)"
            )
        lines += [
            f"  reading the text takes {model['read_share']:.1%} of a core's time (the analysis the rest): CPU-bound",
            f"  a core moves {model['moved_bytes_per_review']:,.0f} B a review "
            f"({model['bytes_per_s_per_core'] / 1e6:,.2f} MB/s); a {model['link_gbits']:g} Gbit/s storage link "
            f"(assumed, --link-gbits) is full at {model['cores_to_fill_link']:,.0f} cores",
        ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=DEFAULT_REVIEWS, help="reviews in the table (default 200,000)")
    parser.add_argument("--partition-rows", type=int, default=PARTITION_ROWS, help="rows a partition (default 10,000)")
    parser.add_argument("--row-group-rows", type=int, default=None, help="rows a row group (default: --partition-rows)")
    parser.add_argument("--setups", default=",".join(SETUPS), help=f"comma-separated, of {', '.join(SETUPS)}")
    parser.add_argument("--data-dir", default=os.environ.get("THUMBS_DATA"), help="the corpora (default: THUMBS_DATA)")
    parser.add_argument("--synthetic", action="store_true", help="synthetic reviews even where aclImdb is there")
    parser.add_argument("--link-gbits", type=float, default=10.0, help="storage link assumed by the cost model")
    parser.add_argument("--workdir", type=Path, default=None, help="where the temporary table goes")
    parser.add_argument("--keep-files", action="store_true", help="keep the table and outputs (the folder is printed)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON rather than the table")
    args = parser.parse_args(argv)
    setups = [s.strip() for s in args.setups.split(",") if s.strip()]
    unknown = [s for s in setups if s not in SETUPS]
    if unknown or not setups:
        parser.error(f"--setups: {', '.join(unknown) or 'none given'}; choose among {', '.join(SETUPS)}")
    if args.reviews < 1 or args.partition_rows < 1:
        parser.error("--reviews and --partition-rows must be 1 or more")
    row_group_rows = args.row_group_rows or args.partition_rows
    import dask

    folder = Path(tempfile.mkdtemp(prefix="thumbs-dask-scaling-", dir=args.workdir))
    try:
        texts, source = review_texts(args.reviews, args.data_dir, args.synthetic)
        table = folder / "reviews.parquet"
        write_table(table, texts, row_group_rows)
        del texts
        bounds = reading_bound(table)
        results: list[Result] = []
        reference = None
        for setup in setups:
            print(f"{SETUPS[setup][0]}: analyzing {args.reviews:,} reviews ...", file=sys.stderr, flush=True)
            result, analyzed = measure(setup, table, folder, args.reviews, args.partition_rows)
            if setup == "single":
                reference = analyzed
            elif reference is not None and analyzed is not None:
                result.same_content, result.differences = compare(reference, analyzed)
            print(f"  {result.wall_s:.1f} s, {result.reviews_per_s:,.0f} reviews/s", file=sys.stderr, flush=True)
            results.append(result)
            del analyzed
        figures = {
            "reviews": args.reviews,
            "source": source,
            "row_group_rows": row_group_rows,
            "partition_rows": args.partition_rows,
            "cores": len(os.sched_getaffinity(0)),
            "python": sys.version.split()[0],
            "dask": dask.__version__,
            "results": [asdict(r) for r in results],
            "bounds": bounds,
            "cost_model": cost_model(results, bounds, args.link_gbits),
        }
    finally:
        if args.keep_files:
            print(f"kept: {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(figures, indent=2) if args.json else report(figures))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
