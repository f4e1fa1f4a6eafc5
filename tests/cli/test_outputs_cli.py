"""What a user sees when ``thumbs analyze -o`` and ``thumbs train --out`` name a bad or dangerous place.

Each mistake is one line and exit 2, said before the model is loaded or trained, and leaves every
file as it was; a right output takes its format from its extension.
"""

from __future__ import annotations

import csv
import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.cli import run_thumbs

pytestmark = pytest.mark.e2e

#: A mistake must be found before any heavy work (loading or training a model): well under this.
QUICK_SECONDS = 20


def table(folder: Path) -> Path:
    """``same.csv``, two reviews in a ``review`` column (and a label, for training)."""
    path = folder / "same.csv"
    path.write_text("review,label\nA superb film.,pos\nA dull film.,neg\n", encoding="utf-8")
    return path


def refused(run: subprocess.CompletedProcess[str], *words: str) -> str:
    """The one ``error:`` line of a run that exited 2, naming every one of ``words``."""
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), run.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_output_onto_the_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    source = table(tmp_path)
    before = source.read_bytes()
    os.link(source, tmp_path / "hard.csv")
    (tmp_path / "link.csv").symlink_to(source)
    for output in ("same.csv", "hard.csv", "link.csv", "./same.csv"):
        run = run_thumbs(
            "analyze", "same.csv", "--text-column", "review", "--format", "csv", "-o", output, cwd=tmp_path
        )
        refused(run, "same file as the input same.csv")
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.csv", "link.csv", "same.csv"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "jsonl", "-o", "out.parquet"], ["contradicts", "parquet"]),
        (["--json", "-o", "out.csv"], ["contradicts"]),
        (["-o", "out.txt"], [".csv", ".tsv", ".json", "--format"]),
        (["-o", "missing/out.csv"], ["create it first"]),
        (["-o", "fifo", "--format", "jsonl", "--resume"], ["FIFO", "cannot be resumed"]),
    ],
    ids=["format-vs-extension", "json-vs-extension", "unknown-extension", "missing-folder", "resume-a-fifo"],
)
def test_output_mistakes_are_one_line_before_any_work(tmp_path: Path, args: list[str], words: list[str]) -> None:
    table(tmp_path)
    os.mkfifo(tmp_path / "fifo")
    started = time.monotonic()
    refused(run_thumbs("analyze", "same.csv", "--text-column", "review", *args, cwd=tmp_path), *words)
    assert time.monotonic() - started < QUICK_SECONDS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "same.csv"]


def test_the_format_comes_from_the_extension(tmp_path: Path) -> None:
    table(tmp_path)
    run = run_thumbs("analyze", "same.csv", "--text-column", "review", "-o", "auto.tsv", "--jobs", "1", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    with open(tmp_path / "auto.tsv", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file, delimiter="\t"))
    assert [(row["id"], row["label"]) for row in rows] == [("1", "positive"), ("2", "negative")]


@pytest.mark.parametrize(
    ("out", "words"),
    [(".", ["is a folder"]), ("nowhere/m.thumbs", ["create it first"]), ("same.csv", ["same file", "same.csv"])],
    ids=["folder", "missing-folder", "same-as-data"],
)
def test_train_checks_out_before_training(tmp_path: Path, out: str, words: list[str]) -> None:
    table(tmp_path)
    started = time.monotonic()
    run = run_thumbs(
        "train", "--data", "same.csv", "--text-column", "review", "--label-column", "label", "--out", out, cwd=tmp_path
    )
    refused(run, "--out", *words)
    assert time.monotonic() - started < QUICK_SECONDS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same.csv"]
