"""Reaching a Dask cluster: a running scheduler by its address, or a local cluster started for the run.

:func:`connect` is what ``--scheduler ADDRESS`` and ``--cluster local:N`` do: every way it can
fail (no such scheduler, no workers, a malformed ``--cluster``, Dask not installed) is one line
saying how to fix it.
"""

from __future__ import annotations

import logging
import re
import signal
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from thumbs.errors import ThumbsError

#: Seconds to wait for the scheduler to answer, and for its first worker to join.
CONNECT_TIMEOUT_S = 10
WORKERS_TIMEOUT_S = 60
#: ``--cluster`` values: ``local:N``.
LOCAL_CLUSTER = re.compile(r"^local:(\d+)$")
#: Dask settings for the workers of ``--cluster local:N`` (docs/scaling.md gives them for real workers).
#: Dask's nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536``, so that glibc hands freed
#: memory back to the system at once; the analysis allocates and frees a great deal, and paid 16% more
#: CPU a review for it (`python benchmarks/dask_scaling.py --reviews 40000 --setups local2`: 57 CPU-s
#: with it, 49 without, 2026-12-04). Each worker's statistical profiler samples the running task's stack
#: every 10 ms, holding the interpreter lock: a 6,000-review partition took 6.6 s with it, 6.0 s without
#: (one worker, 2026-12-04). Neither changes a result.
LOCAL_WORKER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}
#: What to install when Dask is missing.
INSTALL_DASK = "install the Dask extra: pip install 'thumbs[dask]'"

__all__ = ["connect", "local_workers", "require_dask"]


def require_dask() -> None:
    """Raise one line saying how to install Dask when ``dask`` or ``distributed`` is not installed."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ThumbsError(f"running on a cluster needs Dask ({exc.name} is not installed): {INSTALL_DASK}") from None


def local_workers(scheduler: str | None, cluster: str | None) -> int | None:
    """The N of ``--cluster local:N`` (None with ``--scheduler``), each option checked: one line when wrong."""
    if scheduler is not None and cluster is not None:
        raise ThumbsError("--scheduler and --cluster disagree: give one (a running scheduler, or local:N to start one)")
    if scheduler is None and cluster is None:
        raise ThumbsError("give one of --scheduler ADDRESS (a running Dask scheduler) or --cluster local:N")
    if cluster is None:
        return None
    found = LOCAL_CLUSTER.match(cluster.strip())
    if found is None or int(found.group(1)) < 1:
        raise ThumbsError(
            f"--cluster {cluster}: write local:N, N the worker processes to start (local:2), "
            "or pass --scheduler ADDRESS for a cluster that runs already"
        )
    return int(found.group(1))


@contextmanager
def connect(scheduler: str | None = None, cluster: str | None = None) -> Iterator[Any]:
    """A :class:`distributed.Client` of the scheduler at ``scheduler``, or of a new ``local:N`` ``cluster``
    (N worker processes of one thread each, stopped at the end)."""
    workers = local_workers(scheduler, cluster)
    require_dask()
    from distributed import Client, LocalCluster

    import dask

    with ExitStack() as stack:
        if workers is not None:
            stack.enter_context(dask.config.set(LOCAL_WORKER_CONFIG))  # read as each worker process is started
            local = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: two runs at once do not warn of each other
                silence_logs=logging.CRITICAL,  # the run says what went wrong, in one line
            )
            stack.enter_context(local)
            client = stack.enter_context(Client(local))
            _quiet_on_ctrl_c(client)
        else:
            assert scheduler is not None
            try:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT_S))
            except (OSError, TimeoutError, ValueError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise ThumbsError(
                    f"cannot reach the Dask scheduler at {scheduler} ({reason}): start one with `dask scheduler`, "
                    "or check the address (tcp://HOST:PORT)"
                ) from None
            try:
                client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
            except TimeoutError:
                raise ThumbsError(
                    f"no worker joined the Dask scheduler at {scheduler} in {WORKERS_TIMEOUT_S} s: "
                    f"start some with `dask worker {scheduler}`"
                ) from None
        yield client


def _quiet_on_ctrl_c(client: Any) -> None:
    """Let a local cluster's worker processes ignore Ctrl-C, which a terminal sends to all of them: the
    client alone stops the run, closing the cluster (else each worker prints its own KeyboardInterrupt)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class _IgnoreCtrlC(WorkerPlugin):
        def setup(self, worker: Any) -> None:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a worker process runs its loop in its main thread

    client.register_plugin(_IgnoreCtrlC(), name="thumbs-ignore-ctrl-c")
