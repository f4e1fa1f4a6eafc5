"""How long each evaluation takes, end to end, as a user runs it.

Runs `thumbs evaluate` in a subprocess for each case below and prints the wall-clock
seconds, the machine's cores and the accuracies the run reported. Needs the corpora
(THUMBS_DATA or --data-dir). Targets on 2 cores: the whole polarity table under
3 minutes, the aclImdb nbsvm row (train on 25k, test on 25k) under 90 seconds.

    python benchmarks/evaluation_time.py [--data-dir DIR] [--case polarity --case imdb-nbsvm]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

CASES: dict[str, tuple[list[str], float]] = {
    "polarity": (["--dataset", "polarity"], 180.0),
    "imdb-nbsvm": (["--dataset", "imdb", "--model", "nbsvm"], 90.0),
    "subj": (["--dataset", "subj"], 60.0),
    "mr": (["--dataset", "mr"], 60.0),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get("THUMBS_DATA"))
    parser.add_argument("--case", action="append", choices=list(CASES), help="cases to run (default: all)")
    args = parser.parse_args()
    extra = ["--data-dir", args.data_dir] if args.data_dir else []
    print(f"cores: {os.cpu_count()}; python {sys.version.split()[0]}")
    print(f"{'case':12s} {'seconds':>8s} {'target':>7s}  rows")
    for name in args.case or list(CASES):
        options, target = CASES[name]
        command = [sys.executable, "-m", "thumbs", "evaluate", *options, *extra, "--json"]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            print(f"{name:12s} failed: {result.stderr.strip().splitlines()[-1]}")
            continue
        rows = json.loads(result.stdout)["results"]
        summary = ", ".join(
            f"{r['model']}{'/' + r['extractor'] if r['extractor'] else ''}={r['accuracy']:.4f}" for r in rows
        )
        verdict = "ok" if seconds <= target else "over"
        print(f"{name:12s} {seconds:8.1f} {target:7.0f}  {verdict}; {summary}")


if __name__ == "__main__":
    main()
