"""The issue's end-to-end test: a worker killed (``kill -9``) in the middle of a cluster run loses nothing.

A scheduler and two workers run as separate processes, as on a real cluster; ``thumbs analyze
--scheduler`` writes a 3,000-review table in parts of 100; once some parts are written one worker
(its nanny too) is killed. The run still finishes, and its folder, read in name order, is the
single-machine output row for row: every review exactly once, no temporary file left behind.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.dask.conftest import review_rows
from tests.helpers.cli import run_thumbs
from tests.helpers.table_files import write_csv

DASK = Path(sys.executable).parent / "dask"
N_ROWS, PARTITION = 3000, 100
N_PARTS = N_ROWS // PARTITION

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Processes:
    """Processes started in their own sessions, each killed whole (its process group) at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.started = folder, []  # type: list[subprocess.Popen[bytes]]

    def start(self, name: str, *args: str | Path) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [*map(str, args)], stdout=log, stderr=subprocess.STDOUT, cwd=self.folder, start_new_session=True
        )
        log.close()
        self.started.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=30)

    def close(self) -> None:
        for process in reversed(self.started):
            self.kill(process)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A scheduler and two one-thread workers, each its own process group; all killed at the end."""
    if not DASK.is_file():
        pytest.skip(f"no dask command at {DASK}")
    from distributed import Client

    processes = Processes(tmp_path)
    address = f"tcp://127.0.0.1:{free_port()}"
    port = address.rsplit(":", 1)[1]
    try:
        processes.start("scheduler", DASK, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard")
        workers = [
            processes.start(
                f"worker{n}", DASK, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"
            )
            for n in range(2)
        ]
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, workers
    finally:
        processes.close()


def test_a_worker_killed_mid_run_loses_no_row(
    tmp_path: Path, cluster: tuple[str, list[subprocess.Popen[bytes]]]
) -> None:
    address, workers = cluster
    table = write_csv(tmp_path / "reviews.csv", review_rows(N_ROWS, seed=5))
    columns = ("--text-column", "text", "--id-column", "rid", "--keep", "film")
    out = tmp_path / "out"
    args = ["analyze", str(table), *columns, "--scheduler", address, "-o", str(out), "--partition-rows", str(PARTITION)]
    with (tmp_path / "run.log").open("wb") as log:
        run = subprocess.Popen([sys.executable, "-m", "thumbs", *args], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while len(list(out.glob("part-*.parquet"))) < 2:
            assert run.poll() is None, (tmp_path / "run.log").read_text()
            assert time.monotonic() < deadline, "no part written in 90 s"
            time.sleep(0.01)
        os.killpg(workers[0].pid, signal.SIGKILL)  # the worker and its nanny: no restart
        written_at_kill = len(list(out.glob("part-*.parquet")))
        finished_at_kill = run.poll() is not None
        workers[0].wait(timeout=30)
        returncode = run.wait(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    said = (tmp_path / "run.log").read_text()
    assert not finished_at_kill and written_at_kill < N_PARTS, f"the kill came too late ({written_at_kill} parts)"
    assert returncode in (0, 1), said
    assert f"analyzed {N_ROWS:,} reviews in {N_PARTS} partitions" in said

    single = tmp_path / "single.parquet"
    alone = run_thumbs("analyze", table, *columns, "-o", single, timeout=120)
    assert alone.returncode == returncode, alone.stderr
    names = sorted(path.name for path in out.iterdir())
    assert names == sorted(["_thumbs_run.json", *(f"part-{n:06d}.parquet" for n in range(N_PARTS))])
    got = [row for name in names if name.endswith(".parquet") for row in pq.read_table(out / name).to_pylist()]
    assert got == pq.read_table(single).to_pylist()
    ids = [row["id"] for row in got]
    assert len(set(ids)) == len(ids) == N_ROWS
