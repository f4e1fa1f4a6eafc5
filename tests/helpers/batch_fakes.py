"""Picklable fakes for the batch-engine tests, importable from worker processes.

Worker processes (forkserver or spawn) unpickle these by module name, so they live in a
plain module rather than in a test file. ``FakeModel`` follows the contract in
:mod:`thumbs.batch`: ``row_columns`` plus ``analyze(text, id) -> result`` with
``to_dict()``/``to_row()``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BOOM = "BOOM"  # the text FakeModel refuses, to test that model errors become error results


class Interrupted(BaseException):
    """Raised by FakeModel(interrupt_at=...) to stop a batch half-way, like Ctrl-C would."""


@dataclass(frozen=True)
class FakeResult:
    id: str | None
    label: str
    probability: float
    stars: float
    length: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "probability": self.probability,
            "stars": self.stars,
            "details": {"length": self.length, "words": ["a", "b"]},
            "error": None,
        }

    def to_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "probability": self.probability,
            "stars": self.stars,
            "length": self.length,
            "positive": self.label == "positive",
            "error": None,
        }


def expected_label(text: str) -> str:
    return "positive" if "good" in text else "negative"


class FakeModel:
    """label: "positive" if "good" in the text; stars: len(text) % 10; raises on "BOOM".

    ``delay`` sleeps that long per review; ``pid_dir`` records each worker's pid as a file
    name there; ``interrupt_at`` raises :class:`Interrupted` on that text; ``watch`` is a
    (output, journal) pair whose existence (and the output's content) is noted per review.
    """

    row_columns = ("id", "label", "probability", "stars", "length", "positive", "error")

    def __init__(
        self,
        delay: float = 0.0,
        pid_dir: str | None = None,
        interrupt_at: str | None = None,
        watch: tuple[Path, Path] | None = None,
    ) -> None:
        self.delay = delay
        self.pid_dir = pid_dir
        self.interrupt_at = interrupt_at
        self.watch = watch
        self.seen: list[tuple[str | None, bool]] = []

    def analyze(self, text: str, id: str | None = None) -> FakeResult:
        if self.delay:
            time.sleep(self.delay)
        if self.pid_dir is not None:
            Path(self.pid_dir, str(os.getpid())).touch()
        if self.watch is not None:
            output, journal = self.watch
            self.seen.append((output.read_text() if output.exists() else None, journal.exists()))
        if text == self.interrupt_at:
            raise Interrupted(text)
        if text == BOOM:
            raise ValueError("kaboom\nsecond line")
        label = expected_label(text)
        return FakeResult(id, label, 0.9 if label == "positive" else 0.2, float(len(text) % 10), len(text))


# --- plain functions for thumbs.parallel tests ----------------------------------------------

_offset = 0


def set_offset(value: int) -> None:
    global _offset
    _offset = value


def add_offset(x: int) -> int:
    return x + _offset


def slow_square(x: int) -> int:
    time.sleep(0.001 * (x % 3))  # uneven work, so tasks finish out of order
    return x * x


def fail_on_seven(x: int) -> int:
    if x == 7:
        raise ValueError("seven is not allowed")
    return x


def worker_pid(_: Any) -> int:
    time.sleep(0.01)
    return os.getpid()


# --- processes -----------------------------------------------------------------------------


def _gone(pid: int) -> bool:
    """True when ``pid`` no longer runs (exited, or a zombie nobody has reaped yet)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (OSError, IndexError):
        return True


def wait_until_gone(pids: set[int], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(_gone(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def pids_of_chunk(shared: Any, chunk: list[Any]) -> list[tuple[Any, int]]:
    """``(shared, pid)`` for each item: which process ran the chunk, and what it was handed once."""
    return [(shared, os.getpid()) for _ in chunk]
