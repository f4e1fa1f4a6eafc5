"""Ctrl-C and SIGTERM on a real ``thumbs analyze``: one line saying how far it got and how to go on, exit 130.

The child reads a CSV from a pipe that the test feeds and then holds open, so it is stopped at a
known point: after the chunks of 64 reviews it could finish (192 of 200 rows sent), waiting for more.
"""

from __future__ import annotations

import csv
import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from thumbs.pipeline.stream import DEFAULT_CHUNK_SIZE

pytestmark = pytest.mark.e2e

#: Rows sent before the stop; the child can finish whole chunks of them only.
SENT = 200
DONE = SENT // DEFAULT_CHUNK_SIZE * DEFAULT_CHUNK_SIZE
ROWS = 300
BASE = ["analyze", "-", "--text-column", "review", "--jobs", "1"]


def table(n: int) -> bytes:
    """A CSV with a ``film`` and a ``review`` column: ``n`` short reviews, alternately good and bad, of three films."""
    lines = ["film,review"] + [
        f'Film {i % 3},"A {"wonderful and moving" if i % 2 else "dull and boring"} film, number {i}."' for i in range(n)
    ]
    return "".join(f"{line}\n" for line in lines).encode()


def start(folder: Path, *args: str) -> subprocess.Popen[bytes]:
    """``python -m thumbs ARGS`` in ``folder``, in its own process group, fed the first SENT rows."""
    process = subprocess.Popen(
        [sys.executable, "-m", "thumbs", *args],
        cwd=folder,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert process.stdin is not None
    data = table(ROWS)
    process.stdin.write(b"".join(data.splitlines(keepends=True)[: 1 + SENT]))
    process.stdin.flush()
    return process


def wait_for(condition: object, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Poll ``condition()`` until true; fail with the child's stderr if it ends or time runs out."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the child never got there: {process.communicate()[1].decode()[-2000:]}")
        time.sleep(0.05)


def last_line(stderr: bytes) -> str:
    """The one line on stderr (no traceback)."""
    text = stderr.decode()
    assert "Traceback" not in text, text
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def stop_when_journaled(process: subprocess.Popen[bytes], journal: Path, how: str) -> list[str]:
    """Stop the run (Ctrl-C or SIGTERM) once ``journal`` holds DONE results; check its one line, exit 130.

    Returns the command the line gives to resume, split as a shell would.
    """
    wait_for(lambda: journal.exists() and journal.read_bytes().count(b"\n") == 1 + DONE, process)
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # as a terminal does
    else:
        os.kill(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    line = last_line(stderr)
    assert line.startswith(f"interrupted: {DONE} reviews done and kept in "), line
    return shlex.split(line.split("to go on, run: ")[1])


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_a_stopped_run_says_how_many_are_done_and_the_command_that_resumes_it(tmp_path: Path, how: str) -> None:
    args = [*BASE, "-o", "out put.csv"]  # a space: the command must come back shell-quoted
    journal = tmp_path / "out put.csv.partial"
    command = stop_when_journaled(start(tmp_path, *args), journal, how)
    assert command == ["thumbs", *args, "--resume"]
    assert not (tmp_path / "out put.csv").exists() and journal.exists()

    again = subprocess.run(
        [sys.executable, "-m", "thumbs", *command[1:]],
        cwd=tmp_path,
        input=table(ROWS),
        capture_output=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr.decode()
    assert f"({DONE} from an earlier run)" in again.stderr.decode()
    with open(tmp_path / "out put.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["id"] for row in rows] == [str(i) for i in range(1, ROWS + 1)]
    assert [row["label"] for row in rows[:4]] == ["negative", "positive", "negative", "positive"]
    assert not journal.exists()


def test_a_stopped_run_to_stdout_says_how_many_were_written(tmp_path: Path) -> None:
    process = start(tmp_path, *BASE, "--json")
    lines: list[bytes] = []
    assert process.stdout is not None
    stdout = process.stdout
    reader = threading.Thread(target=lambda: lines.extend(stdout), daemon=True)
    reader.start()
    wait_for(lambda: len(lines) == DONE, process)
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=60)
    reader.join(timeout=10)
    assert process.stderr is not None
    assert process.returncode == 130
    assert last_line(process.stderr.read()) == (
        f"interrupted: {DONE} reviews written to stdout (it cannot be resumed: run again to redo them)"
    )
    assert len(lines) == DONE


def test_a_stopped_summary_resumes_into_the_same_summaries(tmp_path: Path) -> None:
    """``thumbs summarize -o`` keeps each finished review in its journal; --resume folds them without redoing them."""
    args = ["summarize", "-", "--text-column", "review", "--group-by", "film", "--jobs", "1", "-o", "films.jsonl"]
    journal = tmp_path / "films.jsonl.partial"
    command = stop_when_journaled(start(tmp_path, *args), journal, "ctrl-c")
    assert command == ["thumbs", *args, "--resume"]
    assert not (tmp_path / "films.jsonl").exists()

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        done = subprocess.run(
            [sys.executable, "-m", "thumbs", *args], cwd=tmp_path, input=table(ROWS), capture_output=True, timeout=120
        )
        assert done.returncode == 0, done.stderr.decode()
        return done

    run(*command[1:])
    assert not journal.exists()
    resumed = (tmp_path / "films.jsonl").read_text(encoding="utf-8")
    whole = run(*args[:-2], "--json").stdout.decode()  # the same reviews in one run, to stdout
    assert resumed == whole
    films = [json.loads(line) for line in resumed.splitlines()]
    assert sorted(f["group"] for f in films) == ["Film 0", "Film 1", "Film 2"]
    assert sum(f["reviews"] for f in films) == ROWS
