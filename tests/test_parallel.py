"""Tests for thumbs.parallel: order, laziness, errors and clean shutdown of ordered_map."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from itertools import islice

import pytest

import tests.helpers.batch_fakes as batch_fakes
from thumbs.errors import ThumbsError
from thumbs.parallel import chunked, default_jobs, map_with, ordered_map, start_method

#: Every test here starts processes (the CLI, workers, a server or the browser).
pytestmark = pytest.mark.e2e


class Counting:
    """An iterator over range(n) that counts how many items were taken from it."""

    def __init__(self, n: int) -> None:
        self.taken = 0
        self._items = iter(range(n))

    def __iter__(self) -> Iterator[int]:
        return self

    def __next__(self) -> int:
        item = next(self._items)
        self.taken += 1
        return item


def test_chunked_splits_lazily_and_keeps_the_tail() -> None:
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked([], 3)) == []
    source = Counting(1_000_000)
    assert next(chunked(source, 4)) == [0, 1, 2, 3]
    assert source.taken == 4
    with pytest.raises(ValueError):
        list(chunked(range(3), 0))


def test_in_process_map_keeps_order_and_reads_one_item_at_a_time() -> None:
    source = Counting(1_000_000)
    results = ordered_map(batch_fakes.slow_square, source, jobs=1)
    for expected in range(5):
        assert next(results) == expected * expected
        assert source.taken == expected + 1


def test_in_process_initializer_runs_once_before_the_first_item() -> None:
    batch_fakes.set_offset(0)
    results = ordered_map(batch_fakes.add_offset, [1, 2], initializer=batch_fakes.set_offset, initargs=(100,))
    assert batch_fakes._offset == 0  # nothing happens until iteration starts
    assert list(results) == [101, 102]
    batch_fakes.set_offset(0)


def test_workers_never_fork_a_threaded_process() -> None:
    assert start_method() in ("forkserver", "spawn")
    if sys.platform.startswith("linux"):
        assert start_method() == "forkserver"


def test_workers_keep_input_order() -> None:
    results = list(ordered_map(batch_fakes.slow_square, range(300), jobs=2, max_in_flight=16))
    assert results == [x * x for x in range(300)]


def test_workers_run_the_initializer() -> None:
    results = ordered_map(
        batch_fakes.add_offset, range(20), jobs=2, initializer=batch_fakes.set_offset, initargs=(1000,)
    )
    assert list(results) == [1000 + x for x in range(20)]


def test_workers_read_at_most_max_in_flight_items_ahead() -> None:
    source = Counting(1_000_000)
    results = ordered_map(batch_fakes.slow_square, source, jobs=2, max_in_flight=5)
    try:
        for yielded, value in enumerate(islice(results, 30), start=1):
            assert value == (yielded - 1) ** 2
            assert source.taken - yielded <= 5
    finally:
        results.close()
    assert source.taken <= 30 + 5


def test_default_look_ahead_is_four_items_per_job() -> None:
    source = Counting(1_000_000)
    results = ordered_map(batch_fakes.slow_square, source, jobs=2)
    try:
        next(results)
        assert source.taken == 8
    finally:
        results.close()


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_in_the_function_reaches_the_caller(jobs: int) -> None:
    with pytest.raises(ValueError, match="seven is not allowed"):
        list(ordered_map(batch_fakes.fail_on_seven, range(50), jobs=jobs))


def test_closing_early_stops_the_workers() -> None:
    results = ordered_map(batch_fakes.worker_pid, range(10_000), jobs=2, max_in_flight=4)
    pids = {next(results) for _ in range(6)}
    assert os.getpid() not in pids
    results.close()
    assert batch_fakes.wait_until_gone(pids), "worker processes still running after close()"


def test_finishing_shuts_the_pool_down() -> None:
    results = ordered_map(batch_fakes.worker_pid, range(5), jobs=2)
    pids = set(results)
    assert pids and os.getpid() not in pids
    assert batch_fakes.wait_until_gone(pids)


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True])
def test_bad_jobs_is_a_one_line_user_error(jobs: object) -> None:
    with pytest.raises(ThumbsError) as info:
        ordered_map(abs, [1], jobs=jobs)  # type: ignore[arg-type]
    assert "\n" not in str(info.value) and "--jobs" in str(info.value)


def test_map_with_keeps_a_stream_of_one_chunk_in_this_process() -> None:
    """One review is analyzed long before a worker could start: a single chunk never leaves this process."""
    results = list(map_with("model", batch_fakes.pids_of_chunk, [[1, 2, 3]], jobs=2))
    assert results == [[("model", os.getpid())] * 3]
    assert list(map_with("model", batch_fakes.pids_of_chunk, [], jobs=2)) == []


def test_map_with_hands_the_shared_object_to_each_worker_once() -> None:
    chunks = [[i] for i in range(40)]
    results = [pair for chunk in map_with("model", batch_fakes.pids_of_chunk, chunks, jobs=2) for pair in chunk]
    assert {shared for shared, _ in results} == {"model"}
    assert os.getpid() not in {pid for _, pid in results}


def test_default_jobs_is_the_cores_this_process_may_use() -> None:
    assert default_jobs() == len(os.sched_getaffinity(0))
