"""The progress bar of a batch: reviews done of how many, reviews per second, time left, on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def progress_bar(
    enabled: bool | None, total: int | None, done: int, unit: str = "reviews"
) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr (count, ``unit``/s, ETA); ``enabled=None``: if stderr is a terminal.

    ``unit`` is what is counted: reviews, or the partitions a cluster writes.
    """
    if enabled is None:
        enabled = bool(getattr(sys.stderr, "isatty", lambda: False)())
    if not enabled:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.1f} {unit}/s" if speed else f"- {unit}/s", style="progress.data.speed")

    columns = (TextColumn("analyzing"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task("analyzing", total=total, completed=done)
        yield lambda n: bar.advance(task, n)
