"""MicroBatcher: single reviews queued in one turn of the event loop are analyzed in one call."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from thumbs.pipeline.analysis import Analysis
from thumbs.server.batching import MicroBatcher


class Recorder:
    """An ``analyze_batch`` that records each call and labels a text by its length."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.fail = fail

    def __call__(self, texts: Sequence[object], ids: Sequence[str | None]) -> list[Analysis]:
        self.calls.append([str(t) for t in texts])
        if self.fail:
            raise RuntimeError("broken model")
        return [Analysis(id, "positive", 1.0, float(len(str(t))), 1.0) for t, id in zip(texts, ids)]


def test_requests_of_one_turn_share_a_call_and_get_their_own_results() -> None:
    recorder = Recorder()

    async def main() -> list[Analysis]:
        batcher = MicroBatcher(recorder, max_batch=4)
        return await asyncio.gather(*(batcher.analyze("x" * k, id=str(k)) for k in range(1, 11)))

    results = asyncio.run(main())
    assert [r.id for r in results] == [str(k) for k in range(1, 11)]
    assert [r.stars for r in results] == [float(k) for k in range(1, 11)]
    assert [len(call) for call in recorder.calls] == [4, 4, 2]  # at most max_batch a call


def test_a_lone_request_is_not_kept_waiting() -> None:
    recorder = Recorder()

    async def main() -> Analysis:
        batcher = MicroBatcher(recorder)
        return await asyncio.wait_for(batcher.analyze("alone"), timeout=1)

    assert asyncio.run(main()).stars == 5.0
    assert recorder.calls == [["alone"]]


def test_a_failure_reaches_every_waiting_request() -> None:
    async def main() -> list[object]:
        batcher = MicroBatcher(Recorder(fail=True))
        return await asyncio.gather(batcher.analyze("a"), batcher.analyze("b"), return_exceptions=True)

    outcomes = asyncio.run(main())
    assert all(isinstance(o, RuntimeError) for o in outcomes)


def test_a_cancelled_request_is_skipped() -> None:
    recorder = Recorder()

    async def main() -> Analysis:
        batcher = MicroBatcher(recorder)
        gone = asyncio.ensure_future(batcher.analyze("gone"))
        kept = asyncio.ensure_future(batcher.analyze("kept"))
        await asyncio.sleep(0)  # both queued
        gone.cancel()
        with pytest.raises(asyncio.CancelledError):
            await gone
        return await kept

    assert asyncio.run(main()).stars == 4.0
    assert recorder.calls == [["kept"]]
