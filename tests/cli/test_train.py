"""`thumbs train --data`: a model from a user's own table, used by `thumbs analyze --model`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.helpers.cli import run_thumbs
from tests.helpers.tiny_model import NEGATIVE, POSITIVE
from thumbs.pipeline.model import load_model

#: Every test here starts processes (the CLI, workers, a server or the browser).
pytestmark = pytest.mark.e2e


def test_train_on_a_table_then_analyze_with_it(tmp_path: Path) -> None:
    table = tmp_path / "mine.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review", "verdict", "score"])
        for text, rating in POSITIVE:
            writer.writerow([text, "pos", rating])
        for text, rating in NEGATIVE:
            writer.writerow([text, "neg", rating])
        writer.writerow(["", "pos", 9])  # reported and skipped
    out = tmp_path / "mine.thumbs"
    done = run_thumbs(
        "train",
        "--data",
        str(table),
        "--text-column",
        "review",
        "--label-column",
        "verdict",
        "--rating-column",
        "score",
        "--out",
        str(out),
        "--jobs",
        "1",
    )
    assert done.returncode == 0, done.stderr
    assert "1 row(s) skipped" in done.stderr
    model = load_model(out)
    assert model.manifest["recipe"] == "table" and "mine.csv" in model.manifest["data"]
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "a.txt").write_text("Superb and brilliant, I loved it.", encoding="utf-8")
    (tmp_path / "reviews" / "b.txt").write_text("Awful and tedious, I hated it.", encoding="utf-8")
    analyzed = run_thumbs("analyze", str(tmp_path / "reviews"), "--model", str(out), "--json", "--jobs", "1")
    assert analyzed.returncode == 0, analyzed.stderr
    good, bad = (json.loads(line) for line in analyzed.stdout.splitlines())
    assert (good["label"], bad["label"]) == ("positive", "negative")
    assert good["stars"] > bad["stars"]  # 16 reviews give the calibration little to go on: no absolute claim


def test_train_needs_a_label_or_rating_column(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("review\nfine\n", encoding="utf-8")
    done = run_thumbs("train", "--data", str(table), "--text-column", "review", "--out", str(tmp_path / "x.thumbs"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "--label-column" in done.stderr
