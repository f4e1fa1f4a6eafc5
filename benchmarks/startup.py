"""Start-up time: how long a user waits before thumbs does anything.

Times, as the median wall time of ``--runs`` fresh processes each:

* ``bare``: ``python -c pass``, the interpreter alone (for reference);
* ``import``: ``python -c "import thumbs"``;
* ``help``: ``thumbs --help``;
* ``analyze``: ``thumbs analyze examples/review.txt --json``, with the default ``--jobs``.

Each command runs the ``thumbs`` console entry point (``thumbs.cli:main``) of one source
tree, put first on ``PYTHONPATH``. With ``--before REF`` the same commands also run on the
git revision ``REF`` (unpacked into a temporary folder), in the same run, so the two columns
are measured side by side on the same machine. Targets: import < 0.25 s, help < 0.3 s,
analyze < 0.7 s.

    python benchmarks/startup.py [--before REF] [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The review ``thumbs analyze`` reads (a short review written for the project).
REVIEW = ROOT / "examples" / "review.txt"
#: What the console script ``thumbs`` runs.
ENTRY = "import sys; from thumbs.cli import main; sys.argv[0] = 'thumbs'; sys.exit(main())"
#: name -> (arguments after ``python``, target in seconds or None).
COMMANDS: dict[str, tuple[list[str], float | None]] = {
    "bare": (["-c", "pass"], None),
    "import": (["-c", "import thumbs"], 0.25),
    "help": (["-c", ENTRY, "--help"], 0.3),
    "analyze": (["-c", ENTRY, "analyze", str(REVIEW), "--json"], 0.7),
}


def median_seconds(arguments: list[str], source: Path, runs: int) -> float:
    """Median wall time of ``runs`` runs of ``python ARGUMENTS`` with ``source`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    env.pop("PYTHONSTARTUP", None)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, *arguments],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def unpack(revision: str, into: Path) -> Path:
    """The ``src`` folder of ``revision`` of this repository, unpacked into ``into``."""
    archive = into / "tree.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", revision, "src"], cwd=ROOT, check=True, stdout=out)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", metavar="REF", help="also time this git revision, in the same run")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    trees = {"now": ROOT / "src"}
    with tempfile.TemporaryDirectory() as tmp:
        if args.before:
            trees = {args.before: unpack(args.before, Path(tmp)), **trees}
        for source in trees.values():  # warm the disk cache and byte-compile each tree once
            for arguments, _ in COMMANDS.values():
                median_seconds(arguments, source, 1)
        results = {
            (name, label): median_seconds(arguments, source, args.runs)
            for name, (arguments, _) in COMMANDS.items()
            for label, source in trees.items()
        }
    print(f"median wall seconds of {args.runs} runs, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'command':10}" + "".join(f"{label:>12}" for label in trees) + f"{'target':>10}")
    for name, (_, target) in COMMANDS.items():
        cells = "".join(f"{results[name, label]:12.3f}" for label in trees)
        verdict = "" if target is None else f"< {target:.2f} {'yes' if results[name, 'now'] < target else 'NO'}"
        print(f"{name:10}{cells}{verdict:>14}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
