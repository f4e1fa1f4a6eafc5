"""Map a function over a stream of items on worker processes, keeping input order.

:func:`ordered_map` is the one place ``thumbs`` starts worker processes for batch work. It
differs from ``multiprocessing.Pool.imap`` in the ways a million-review batch needs:

* it reads its input lazily, with at most ``max_in_flight`` items submitted but not yet
  yielded, so memory stays flat however long the input is (``imap`` drains its input);
* results come back in input order, as soon as the oldest one is ready;
* an exception raised by the function reaches the caller, and the pool is shut down
  cleanly on error, on Ctrl-C and when the caller stops iterating early;
* workers start with the "forkserver" method on Linux (forking a process that runs
  threads, such as a progress bar's, is unsafe) and "spawn" elsewhere; they ignore Ctrl-C
  (the parent handles it) and exit by themselves if the parent process dies.

Items are usually chunks of records, so each task is worth the trip to a worker;
:func:`chunked` makes them.

:func:`map_with` is the form the analysis and the batch engine use: it hands each worker a
shared object once (a model) and keeps a stream that fits in one chunk in this process, where
starting workers would cost more than the work.

>>> list(ordered_map(abs, [-3, 1, -2]))
[3, 1, 2]
>>> list(chunked(range(5), 2))
[[0, 1], [2, 3], [4]]
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from itertools import chain, islice
from typing import Any, TypeVar

from thumbs.errors import ThumbsError

T = TypeVar("T")
R = TypeVar("R")

#: Items submitted ahead of the one being waited for, per worker process, by default.
IN_FLIGHT_PER_JOB = 4
#: Exit status of a worker that noticed its parent process is gone.
ORPHANED_EXIT_CODE = 1


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def start_method() -> str:
    """The multiprocessing start method for workers: "forkserver" where there is one, else "spawn"."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def chunked(iterable: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` consecutive items (the last one may be shorter), read lazily.

    >>> list(chunked("abcde", 3))
    [['a', 'b', 'c'], ['d', 'e']]
    """
    if size < 1:
        raise ValueError(f"chunk size must be 1 or more, not {size}")
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def check_jobs(jobs: int) -> None:
    """Raise a one-line :class:`ThumbsError` unless ``jobs`` is a whole number, 1 or more."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ThumbsError(f"jobs must be a whole number, 1 or more, not {jobs!r}: pass e.g. --jobs 4")


def check_chunk_size(chunk_size: int) -> None:
    """Raise a one-line :class:`ThumbsError` unless ``chunk_size`` is a whole number, 1 or more."""
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ThumbsError(f"chunk size must be a whole number, 1 or more, not {chunk_size!r}")


def map_with(
    shared: Any,
    function: Callable[[Any, list[T]], R],
    chunks: Iterable[list[T]],
    *,
    jobs: int = 1,
) -> Generator[R, None, None]:
    """Yield ``function(shared, chunk)`` for each chunk, in order: here, or on ``jobs`` worker processes.

    Each worker receives ``shared`` (say, a model) once, not with every chunk. When the
    stream ends within its first chunk, that chunk runs here whatever ``jobs`` says: one
    review is analyzed long before a worker process could even start.

    >>> list(map_with(10, lambda base, chunk: [base + x for x in chunk], [[1, 2], [3]]))
    [[11, 12], [13]]
    """
    check_jobs(jobs)
    iterator = iter(chunks)
    first = list(islice(iterator, 2))
    rest = chain(first, iterator)
    if jobs == 1 or len(first) < 2:
        yield from ordered_map(partial(function, shared), rest)
        return
    yield from ordered_map(
        partial(_with_shared, function),
        rest,
        jobs=jobs,
        initializer=_install_shared,
        initargs=(shared,),
        preload=(type(shared).__module__,),
    )


def ordered_map(
    function: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int = 1,
    initializer: Callable[..., Any] | None = None,
    initargs: tuple[Any, ...] = (),
    max_in_flight: int | None = None,
    preload: Sequence[str] = (),
) -> Generator[R, None, None]:
    """Yield ``function(item)`` for each item, in input order, on ``jobs`` processes.

    With ``jobs == 1`` everything runs in this process (``initializer(*initargs)`` is called
    once, before the first item). With more, ``function``, ``initializer`` and the items must
    be picklable (module-level functions); each worker calls ``initializer(*initargs)`` once.
    At most ``max_in_flight`` items (default ``4 * jobs``) are read ahead of the one yielded.
    ``preload`` names modules for the fork server to import once, so that workers start with
    them loaded (it matters for heavy imports; it has no effect once the server is running).

    >>> list(ordered_map(str.upper, iter(["a", "b"]), jobs=1))
    ['A', 'B']
    """
    check_jobs(jobs)
    limit = IN_FLIGHT_PER_JOB * jobs if max_in_flight is None else max_in_flight
    if limit < 1:
        raise ValueError(f"max_in_flight must be 1 or more, not {max_in_flight}")
    if jobs == 1:
        return _map_here(function, items, initializer, initargs)
    return _map_on_workers(function, items, jobs, initializer, initargs, limit, preload)


def _map_here(
    function: Callable[[T], R],
    items: Iterable[T],
    initializer: Callable[..., Any] | None,
    initargs: tuple[Any, ...],
) -> Generator[R, None, None]:
    if initializer is not None:
        initializer(*initargs)
    for item in items:
        yield function(item)


def _map_on_workers(
    function: Callable[[T], R],
    items: Iterable[T],
    jobs: int,
    initializer: Callable[..., Any] | None,
    initargs: tuple[Any, ...],
    limit: int,
    preload: Sequence[str],
) -> Generator[R, None, None]:
    context = multiprocessing.get_context(start_method())
    if context.get_start_method() == "forkserver":
        # Workers are forked from the server: what it imported, they need not import again.
        context.set_forkserver_preload(list(dict.fromkeys(["__main__", __name__, *preload])))
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(initializer, initargs),
    )
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # Reached on success, on an error, on Ctrl-C and on generator close: drop the queued
        # tasks, let the running ones (a chunk each) finish, and stop the workers.
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


# --- inside a worker process ------------------------------------------------------------

_shared: Any = None  # in a worker process of map_with: the shared object, set once


def _install_shared(shared: Any) -> None:
    global _shared
    _shared = shared


def _with_shared(function: Callable[[Any, list[T]], R], chunk: list[T]) -> R:
    return function(_shared, chunk)


def _start_worker(initializer: Callable[..., Any] | None, initargs: tuple[Any, ...]) -> None:
    """Ignore Ctrl-C (the parent handles it), watch the parent, then run the initializer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_when_parent_dies()
    if initializer is not None:
        initializer(*initargs)


def _exit_when_parent_dies() -> None:
    """Start a thread that ends this worker if its parent is killed (say, by SIGKILL).

    Without it a worker blocked on the task queue would wait forever, holding a model in memory.
    """
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch(sentinel: int) -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(ORPHANED_EXIT_CODE)

    threading.Thread(target=watch, args=(parent.sentinel,), name="thumbs-parent-watch", daemon=True).start()
