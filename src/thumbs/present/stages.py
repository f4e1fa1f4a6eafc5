"""A progress bar per stage of a long job (training a model), on the terminal.

Training reports its stages as messages through a plain callback
(:data:`thumbs.learn.training.Progress`); :class:`StageBars` turns each message into
a bar of its own that runs while the stage runs and is filled, with the stage's
time, when the next one starts. Nothing here knows what the stages are.

>>> from rich.console import Console
>>> console = Console(file=__import__("io").StringIO(), force_terminal=False, width=80)
>>> with StageBars(console) as bars:
...     bars("reading the corpora")
...     bars("fitting")
>>> bars.finished
['reading the corpora', 'fitting']
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class StageBars:
    """A callable that starts a bar for each stage it is told of; use it as a context manager."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.finished: list[str] = []
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._current: tuple[TaskID, str] | None = None

    def __enter__(self) -> StageBars:
        self._progress.start()
        return self

    def __call__(self, message: str) -> None:
        self._finish()
        self._current = (self._progress.add_task(message, total=None), message)

    def _finish(self) -> None:
        if self._current is not None:
            task, message = self._current
            self._progress.update(task, total=1, completed=1)
            self._progress.stop_task(task)
            self.finished.append(message)
            self._current = None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self._finish()
        self._progress.stop()
