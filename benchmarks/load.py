"""Load on ``thumbs serve``: concurrent clients posting real reviews, requests/s and latency.

Starts ``thumbs serve`` on a free loopback port (or targets ``--url``), then
``--clients`` concurrent clients (default 32) each post one aclImdb test
review at a time to ``POST /v1/analyze`` for ``--seconds`` (default 30), with
at most ``--max-requests`` requests in all. The reviews are read from the
corpus at run time. Prints requests/s, latency percentiles and errors, and
whether the aim is met: >= 300 requests/s with p99 < 100 ms and no errors,
on 2 cores (the server and these clients share the machine).

    pip install -e ".[bench]"
    python benchmarks/load.py [--workers 2] [--clients 32] [--seconds 30] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp
import httpx
import numpy as np

from thumbs.corpora import load_corpus

#: The aim on 2 cores.
TARGET_RPS, TARGET_P99_MS = 300.0, 100.0
#: Reviews sampled from aclImdb test (a fixed seed, so runs post the same texts).
SAMPLE, SEED = 5000, 0
#: How long to wait for the server to answer /v1/health.
STARTUP_SECONDS = 60.0
JSON = {"content-type": "application/json"}


@dataclass
class Tally:
    """What the clients saw: one latency per answered request, and the failures."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def fail(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def post_reviews(
    http: aiohttp.ClientSession,
    url: str,
    bodies: list[bytes],
    budget: list[int],
    deadline: float,
    seed: int,
    tally: Tally,
) -> None:
    """Post reviews one after another until ``deadline`` (``time.monotonic()``) or the shared budget runs out.

    benchmarks/hostile.py's ordinary clients are these too.
    """
    rng = random.Random(seed)
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        body = bodies[rng.randrange(len(bodies))]
        start = time.perf_counter()
        try:
            async with http.post(url, data=body, headers=JSON) as response:
                await response.read()
                status = response.status
        except (TimeoutError, aiohttp.ClientError) as exc:
            tally.fail(type(exc).__name__)
            continue
        if status == 200:
            tally.latencies_ms.append((time.perf_counter() - start) * 1000)
        else:
            tally.fail(f"HTTP {status}")


async def run_load(
    base_url: str, texts: Sequence[str], clients: int, seconds: float, max_requests: int
) -> tuple[Tally, float]:
    """Drive ``clients`` concurrent clients against ``base_url``; the tally and the seconds it took.

    The clients use aiohttp: at these rates httpx's client took a whole core
    of the two the server needs.
    """
    bodies = [json.dumps({"text": t}).encode() for t in texts]
    tally = Tally()
    budget = [max_requests]
    url = f"{base_url}/v1/analyze"
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:

        async def warm_up() -> None:  # one request per connection, not counted
            async with http.post(url, data=bodies[0], headers=JSON) as response:
                await response.read()

        await asyncio.gather(*(warm_up() for _ in range(clients)))
        start = time.perf_counter()
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(post_reviews(http, url, bodies, budget, deadline, seed, tally) for seed in range(clients))
        )
        elapsed = time.perf_counter() - start
    return tally, elapsed


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(workers: int, log_path: str) -> tuple[subprocess.Popen[bytes], str]:
    """``thumbs serve`` on a free loopback port, once it answers /v1/health."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "thumbs",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    log = open(log_path, "wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    waited = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < waited:
        if server.poll() is not None:
            raise SystemExit(f"thumbs serve exited with code {server.returncode}; its log: {log_path}")
        try:
            if httpx.get(f"{url}/v1/health", timeout=1.0).status_code == 200:
                return server, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"thumbs serve did not answer within {STARTUP_SECONDS:.0f} s; its log: {log_path}")


def _tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    import psutil

    root = psutil.Process(pid)
    return sum(p.memory_info().rss for p in (root, *root.children(recursive=True))) / 2**20


def report(tally: Tally, elapsed: float, clients: int, workers: int | None) -> bool:
    """Print the figures; True when the aim is met."""
    answered = len(tally.latencies_ms)
    failed = sum(tally.errors.values())
    rps = answered / elapsed if elapsed else 0.0
    p50, p90, p99 = (np.percentile(tally.latencies_ms, q) if answered else float("nan") for q in (50, 90, 99))
    where = f"{workers} worker(s)" if workers else "an existing server"
    print(f"thumbs serve, {where}; {clients} clients for {elapsed:.1f} s on {os.cpu_count()} cores")
    print(f"  requests answered  {answered:,}")
    print(f"  requests/s         {rps:,.1f}")
    print(f"  latency p50        {p50:.1f} ms")
    print(f"  latency p90        {p90:.1f} ms")
    print(f"  latency p99        {p99:.1f} ms")
    print(f"  errors             {failed}" + (f" {tally.errors}" if failed else ""))
    met = rps >= TARGET_RPS and p99 < TARGET_P99_MS and failed == 0
    print(f"  aim (>= {TARGET_RPS:.0f}/s, p99 < {TARGET_P99_MS:.0f} ms, no errors): {'met' if met else 'NOT met'}")
    return met


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", default=os.environ.get("THUMBS_DATA"), help="corpora folder (default: $THUMBS_DATA)"
    )
    parser.add_argument("--url", help="load this running server instead of starting one (e.g. http://127.0.0.1:8000)")
    parser.add_argument("--workers", type=int, default=2, help="thumbs serve --workers (default 2: one per core)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to send (default 30)")
    parser.add_argument(
        "--max-requests", type=int, default=100_000, help="stop after this many requests (default 100,000)"
    )
    args = parser.parse_args(argv)

    documents = load_corpus("imdb", args.data_dir, splits=("test",))
    texts = [d.text for d in random.Random(SEED).sample(documents, min(SAMPLE, len(documents)))]
    server = None
    url = args.url
    if url is None:
        log_path = os.path.join(tempfile.gettempdir(), f"thumbs-load-{os.getpid()}.log")
        server, url = start_server(args.workers, log_path)
        print(f"server log (one JSON line a request): {log_path}")
    try:
        tally, elapsed = asyncio.run(run_load(url.rstrip("/"), texts, args.clients, args.seconds, args.max_requests))
        if server is not None:
            print(f"server memory (RSS of the supervisor and its workers): {_tree_rss_mib(server.pid):,.0f} MiB")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    return 0 if report(tally, elapsed, args.clients, None if args.url else args.workers) else 1


if __name__ == "__main__":
    sys.exit(main())
