"""End-to-end tests of ``thumbs analyze``, run as a real subprocess with the shipped default model.

Each test starts ``python -m thumbs analyze ...`` the way a user would and checks what comes
out: the terminal view, JSON Lines, CSV and Parquet files, exit codes (0 all analyzed, 1 some
records failed, 2 a user mistake) and stderr (one line, never a traceback). The reviews are
written here for these tests, short and plainly positive or negative, so the labels are sure.
Most runs use ``--jobs 1`` (a worker pool costs a second to start); one uses ``--jobs 2``.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.helpers.result_keys import ANALYSIS_KEYS

#: Every test here starts processes (the CLI, workers, a server or the browser).
pytestmark = pytest.mark.e2e

#: Plainly positive and negative reviews, written for these tests.
POSITIVE = (
    "A wonderful, moving film. The acting is superb and I loved every minute of it. "
    "Easily the best picture I have seen this year."
)
NEGATIVE = (
    "A dull, boring mess. The plot is stupid and the acting is awful. Worst film of the year, a total waste of time."
)
#: A short table: (id, review); the ids are not sorted, so the output order shows the input order.
TABLE = [
    ("r10", "Superb, moving and beautifully acted. A delightful film I will gladly watch again."),
    ("r2", "Dull and boring from start to finish, with a stupid plot and wooden acting."),
    ("r7", "Charming, funny and warm, with a brilliant cast. I loved it."),
    ("r1", "An awful, lazy sequel. The jokes fall flat and the ending is a mess."),
]
#: Too short and not English: the kind of review the verdict warns about.
GUESSWORK = "Xqzt vlorp gnarfle."
#: Seconds a single ``thumbs analyze`` run may take before the test fails.
RUN_TIMEOUT = 120


def thumbs(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m thumbs analyze ARGS`` in ``cwd`` and return its exit code, stdout and stderr."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "thumbs", "analyze", *args],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=env,
        timeout=RUN_TIMEOUT,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    )


def one_line(stderr: str) -> str:
    """The single line on stderr (a traceback, or anything more, fails the test)."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def json_lines(stdout: str) -> list[dict[str, Any]]:
    """The JSON objects on ``stdout``, one a line."""
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def write_table(path: Path, rows: list[tuple[str, str]]) -> Path:
    """A CSV table with columns ``rid`` and ``review``."""
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["rid", "review"])
        writer.writerows(rows)
    return path


def analyze_table(folder: Path, output: str, *options: str) -> subprocess.CompletedProcess[str]:
    """``thumbs analyze reviews.csv`` (columns ``rid`` and ``review``) in ``folder`` to ``output``, its format by its suffix."""
    return thumbs(
        "reviews.csv",
        "--text-column",
        "review",
        "--id-column",
        "rid",
        "--format",
        Path(output).suffix[1:],
        "-o",
        output,
        *options,
        cwd=folder,
    )


@pytest.fixture(scope="module")
def table_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """TABLE analyzed once to ``out.csv``: (its folder, the run); shared by the CSV and --resume tests."""
    folder = tmp_path_factory.mktemp("table")
    write_table(folder / "reviews.csv", TABLE)
    run = analyze_table(folder, "out.csv", "--jobs", "1")
    return folder, run


# --- what a user sees ------------------------------------------------------------------------


def test_terminal_view_of_files(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(POSITIVE, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(NEGATIVE, encoding="utf-8")
    run = thumbs("good.txt", "bad.txt", "--jobs", "1", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    good, bad = run.stdout.index("good.txt"), run.stdout.index("bad.txt")
    assert good < bad
    assert "POSITIVE" in run.stdout[good:bad] and "NEGATIVE" in run.stdout[bad:]
    assert run.stdout.count("/10") >= 2


def test_terminal_run_ends_with_a_count_of_reviews_with_warnings(tmp_path: Path) -> None:
    for name, review in [("good.txt", POSITIVE), ("odd.txt", GUESSWORK), ("bad.txt", NEGATIVE), ("empty.txt", "")]:
        (tmp_path / name).write_text(review, encoding="utf-8")
    files = ["good.txt", "odd.txt", "bad.txt", "empty.txt"]
    as_json = thumbs(*files, "--json", "--jobs", "1", cwd=tmp_path)
    warned = sum(bool(r["warnings"]) for r in json_lines(as_json.stdout))
    run = thumbs(*files, "--jobs", "1", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    with_warnings = f", {warned} with warnings" if warned else ""
    assert one_line(run.stderr) == f"4 reviews{with_warnings}, 1 could not be analyzed"
    assert run.stdout.count("⚠ ") == sum(len(r["warnings"]) for r in json_lines(as_json.stdout))
    assert "empty.txt: error:" in run.stdout


def test_json_on_a_folder_is_one_line_per_file(tmp_path: Path) -> None:
    folder = tmp_path / "reviews"
    (folder / "more").mkdir(parents=True)
    (folder / "a_good.txt").write_text(POSITIVE, encoding="utf-8")
    (folder / "b_bad.txt").write_text(NEGATIVE, encoding="utf-8")
    (folder / "more" / "c_good.txt").write_text(TABLE[2][1], encoding="utf-8")
    (folder / "notes.md").write_text("not a review", encoding="utf-8")
    run = thumbs("reviews", "--json", "--jobs", "1", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "3 ok, 0 failed" in one_line(run.stderr)
    results = json_lines(run.stdout)
    assert [Path(r["id"]).name for r in results] == ["a_good.txt", "b_bad.txt", "c_good.txt"]
    assert all(set(r) == ANALYSIS_KEYS for r in results)
    assert [r["label"] for r in results] == ["positive", "negative", "positive"]
    for result in results:
        assert result["error"] is None
        assert 0 <= result["probability"] <= 1 and 1 <= result["stars"] <= 10
        assert result["sentences"] and result["evidence"]["ngrams"]
    assert results[0]["stars"] > results[1]["stars"]


def test_stdin_dash_is_one_review(tmp_path: Path) -> None:
    run = thumbs("-", "--json", "--jobs", "1", cwd=tmp_path, stdin=NEGATIVE.encode("utf-8"))
    assert run.returncode == 0, run.stderr
    [result] = json_lines(run.stdout)
    assert result["id"] == "-" and result["label"] == "negative" and result["error"] is None


# --- tables -----------------------------------------------------------------------------------


def test_table_to_csv_keeps_rows_order_and_ids(table_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    folder, run = table_run
    assert run.returncode == 0, run.stderr
    assert "4 ok, 0 failed" in one_line(run.stderr) and "out.csv" in run.stderr
    with open(folder / "out.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["id"] for row in rows] == [id_ for id_, _ in TABLE]
    assert [row["label"] for row in rows] == ["positive", "negative", "positive", "negative"]
    assert all(row["error"] == "" and 1 <= float(row["stars"]) <= 10 for row in rows)
    assert not (folder / "out.csv.partial").exists()


def test_table_to_parquet_with_two_jobs(tmp_path: Path) -> None:
    rows = [(f"id{149 - i}", TABLE[i % len(TABLE)][1]) for i in range(150)]  # 3 chunks of work
    write_table(tmp_path / "reviews.csv", rows)
    run = analyze_table(tmp_path, "out.parquet", "--jobs", "2")
    assert run.returncode == 0, run.stderr
    assert "150 ok, 0 failed" in one_line(run.stderr)
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.num_rows == len(rows)
    assert table.column("id").to_pylist() == [id_ for id_, _ in rows]
    assert table.column("label").to_pylist() == ["positive", "negative"] * 75
    assert table.column("error").null_count == len(rows)


def test_a_bad_record_becomes_an_error_row_and_exit_code_1(tmp_path: Path) -> None:
    rows = [TABLE[0], ("r-empty", ""), TABLE[1]]
    write_table(tmp_path / "reviews.csv", rows)
    run = analyze_table(tmp_path, "out.csv", "--jobs", "1")
    assert run.returncode == 1, run.stderr
    assert "2 ok, 1 failed" in one_line(run.stderr)
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as file:
        out = list(csv.DictReader(file))
    assert [row["id"] for row in out] == ["r10", "r-empty", "r2"]
    assert [row["label"] for row in out] == ["positive", "", "negative"]
    assert out[1]["error"] and not out[0]["error"] and not out[2]["error"]


def test_resume_on_a_complete_output_is_a_user_mistake(
    tmp_path: Path, table_run: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    folder, run = table_run
    assert run.returncode == 0, run.stderr
    shutil.copy(folder / "reviews.csv", tmp_path)
    shutil.copy(folder / "out.csv", tmp_path)
    before = (tmp_path / "out.csv").read_bytes()
    again = analyze_table(tmp_path, "out.csv", "--jobs", "1", "--resume")
    assert again.returncode == 2
    assert "already complete" in one_line(again.stderr)
    assert (tmp_path / "out.csv").read_bytes() == before
    assert not (tmp_path / "out.csv.partial").exists()


# --- mistakes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["missing.txt"], "not found"),
        (["reviews.csv", "--text-column", "body"], "'body'"),
        (["reviews.csv", "--text-column", "review", "--format", "csv"], "--output"),
    ],
    ids=["missing-file", "missing-column", "csv-without-output"],
)
def test_user_mistakes_exit_2_with_one_line(tmp_path: Path, args: list[str], says: str) -> None:
    write_table(tmp_path / "reviews.csv", TABLE)
    run = thumbs(*args, "--jobs", "1", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    line = one_line(run.stderr)
    assert line.startswith("error:") and says in line
    assert run.stdout == ""
    assert list(tmp_path.iterdir()) == [tmp_path / "reviews.csv"]


def test_a_non_utf8_file_alone_is_a_record_error_not_a_mistake(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes("Un film très émouvant, superbe.".encode("latin-1"))
    run = thumbs("latin1.txt", "--json", "--jobs", "1", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "0 ok, 1 failed" in one_line(run.stderr)
    [result] = json_lines(run.stdout)
    assert set(result) == ANALYSIS_KEYS
    assert result["id"] == "latin1.txt" and result["label"] is None
    assert "UTF-8" in result["error"]
