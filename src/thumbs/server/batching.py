"""Analyze the single-review requests that arrive together in one vectorized call.

:meth:`Model.analyze_batch` scores the n-grams of many reviews in one NumPy
pass: on aclImdb reviews it costs 0.93 ms a review one at a time, 0.58 ms in
eights and 0.56 ms in sixteens. Under load a worker has several requests
waiting at once, so :class:`MicroBatcher` queues each request's review and
analyzes everything queued in the same turn of the event loop together. No
request waits for a timer: a review alone is analyzed on the next turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from thumbs.pipeline.analysis import Analysis

#: Most reviews analyzed in one call: bounds how long the first of them waits.
MAX_BATCH = 32

AnalyzeBatch = Callable[[Sequence[object], Sequence[str | None]], list[Analysis]]


class MicroBatcher:
    """Queue ``analyze(text, id)`` calls and run them as one ``analyze_batch`` per loop turn.

    Example
    -------
    >>> batcher = MicroBatcher(model.analyze_batch)       # doctest: +SKIP
    >>> await batcher.analyze("A moving film.", id="r1")  # doctest: +SKIP
    """

    def __init__(self, analyze_batch: AnalyzeBatch, max_batch: int = MAX_BATCH) -> None:
        self.analyze_batch = analyze_batch
        self.max_batch = max_batch
        self._queue: list[tuple[str, str | None, asyncio.Future[Analysis]]] = []

    async def analyze(self, text: str, id: str | None = None) -> Analysis:
        """The analysis of one review, computed together with the others queued now."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Analysis] = loop.create_future()
        if not self._queue:
            loop.call_soon(self._flush)
        self._queue.append((text, id, future))
        return await future

    def _flush(self) -> None:
        queued, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
        if self._queue:  # more than one batch arrived: the rest go on the next turn
            asyncio.get_running_loop().call_soon(self._flush)
        waiting = [(text, id, future) for text, id, future in queued if not future.cancelled()]
        if not waiting:
            return
        try:
            results = self.analyze_batch([text for text, _, _ in waiting], [id for _, id, _ in waiting])
        except Exception as exc:  # a bug, not a bad review (those come back with `error` set)
            for _, _, future in waiting:
                future.set_exception(exc)
            return
        for (_, _, future), result in zip(waiting, results):
            future.set_result(result)


__all__ = ["MAX_BATCH", "MicroBatcher"]
