"""Hostile clients against ``thumbs serve --workers 2``, while ordinary clients keep posting reviews.

Starts ``thumbs serve --workers 2`` on a free loopback port, then runs one
phase after another, each for ``--phase-seconds`` while ``--clients`` (16)
ordinary clients post reviews to ``POST /v1/analyze``:

* ``baseline``: no attack;
* ``slowloris``: 100 connections sending a header byte a second (reopened when closed);
* ``header-bomb``: connections sending 64 KB header lines, one after another;
* ``burst``: 500 connections opened at once, each asking /v1/health, every 2 s;
* ``non-reader``: 20 connections pipelining requests and never reading an answer.

Per phase it prints the ordinary clients' requests/s, p99 latency and errors,
and the workers' memory (resident, summed) at the start and after the attack
stops. The aim: no ordinary request fails, p99 < 250 ms, memory back within
10% of its start. Then a soak: ``--soak`` seconds (120) of 32 clients, one
worker killed with SIGKILL half-way; it prints the requests answered, the
errors (at most the requests in flight on the killed worker) and memory.

Every loop has a deadline and a maximum count, and only 127.0.0.1 is touched.

    pip install -e ".[bench]"
    python benchmarks/hostile.py [--phase-seconds 20] [--soak 120] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import multiprocessing
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
import numpy as np
import psutil

from load import Tally, free_port, post_reviews  # benchmarks/load.py, beside this script

HOST = "127.0.0.1"
#: The aims of every attack phase.
TARGET_P99_MS, TARGET_MEMORY_RISE = 250.0, 0.10
#: Seconds for the server to answer /v1/health, and for memory to settle after an attack.
STARTUP_SECONDS, SETTLE_SECONDS = 60.0, 2.0
#: Most requests one phase's ordinary clients send in all (a bound beside the deadline).
MAX_REQUESTS = 1_000_000
#: Sizes of the attacks.
SLOWLORIS, BURST, NON_READERS = 100, 500, 20
BOMB_LINE = b"X-Bomb: " + b"a" * 65_536 + b"\r\n"
#: Bytes one bomb or one non-reading connection sends at most.
MAX_ATTACK_BYTES = 20_000_000
SENTENCES = (
    "The film opens with a long shot of the harbour at dawn.",
    "The acting is superb and the score lifts every scene.",
    "I found the plot predictable and the dialogue wooden.",
    "It is not a bad movie, but it never becomes a good one.",
    "The director knows exactly where to put the camera.",
    "A dull, overlong mess that wastes a talented cast.",
    "By the end I was moved in a way I did not expect.",
    "The jokes fall flat and the pacing drags in the middle.",
)


def reviews(data_dir: str | None, count: int = 500) -> list[bytes]:
    """Request bodies: aclImdb test reviews where the corpus is at hand, else reviews made of stock sentences."""
    if data_dir:
        from thumbs.corpora import load_corpus

        documents = load_corpus("imdb", data_dir, splits=("test",))
        texts = [d.text for d in random.Random(0).sample(documents, min(count, len(documents)))]
    else:
        rng = random.Random(0)
        texts = [" ".join(rng.choices(SENTENCES, k=rng.randint(4, 24))) for _ in range(count)]
    return [json.dumps({"text": t}).encode() for t in texts]


async def ordinary(url: str, bodies: list[bytes], clients: int, deadline: float, tally: Tally) -> None:
    """``clients`` clients posting one review at a time each until ``deadline`` (load.py's clients)."""
    budget = [MAX_REQUESTS]
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:
        await asyncio.gather(
            *(post_reviews(http, url, bodies, budget, deadline, seed, tally) for seed in range(clients))
        )


async def _open(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
    try:
        return await asyncio.wait_for(asyncio.open_connection(HOST, port), 5)
    except (OSError, TimeoutError):
        return None


def _close(writer: asyncio.StreamWriter) -> None:
    try:
        writer.transport.abort()
    except OSError:
        pass


async def slowloris(port: int, deadline: float, seen: dict[str, int]) -> None:
    """100 connections, each sending a header byte a second; one that is closed is opened again."""

    async def one() -> None:
        while time.monotonic() < deadline:
            pair = await _open(port)
            if pair is None:
                await asyncio.sleep(0.5)
                continue
            reader, writer = pair
            try:
                writer.write(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                while time.monotonic() < deadline:
                    answer = await _poll(reader, 1.0)
                    if answer is not None:
                        _count(seen, answer)
                        break
                    writer.write(b"a")
                    await writer.drain()
            except OSError:
                seen["reset"] = seen.get("reset", 0) + 1
            finally:
                _close(writer)

    await asyncio.gather(*(one() for _ in range(SLOWLORIS)))


async def _poll(reader: asyncio.StreamReader, seconds: float) -> bytes | None:
    """What the server sends within ``seconds`` (b"" once it closed), or None if nothing came."""
    try:
        return await asyncio.wait_for(reader.read(65536), seconds)
    except TimeoutError:
        return None
    except OSError:  # reset: the server closed while data was still coming
        return b""


def _count(seen: dict[str, int], answer: bytes | None) -> None:
    key = answer[9:12].decode("latin-1") if answer else "closed"
    seen[key] = seen.get(key, 0) + 1


async def header_bomb(port: int, deadline: float, seen: dict[str, int]) -> None:
    """Connections sending 64 KB header lines, one after another, until the server answers or closes."""
    while time.monotonic() < deadline:
        pair = await _open(port)
        if pair is None:
            await asyncio.sleep(0.1)
            continue
        reader, writer = pair
        sent = 0
        answer: bytes | None = None
        try:
            writer.write(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
            while sent < MAX_ATTACK_BYTES and time.monotonic() < deadline:
                writer.write(BOMB_LINE)
                sent += len(BOMB_LINE)
                await asyncio.wait_for(writer.drain(), 5)
                answer = await _poll(reader, 0.001)
                if answer is not None:
                    break
        except (OSError, TimeoutError):
            answer = await _poll(reader, 1.0)
        finally:
            _count(seen, answer)
            _close(writer)


async def burst(port: int, deadline: float, seen: dict[str, int]) -> None:
    """500 connections opened at once, each asking /v1/health; again every 2 s."""

    async def one() -> None:
        pair = await _open(port)
        if pair is None:
            seen["refused"] = seen.get("refused", 0) + 1
            return
        reader, writer = pair
        try:
            writer.write(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            _count(seen, await _poll(reader, 10.0))
        except OSError:
            seen["reset"] = seen.get("reset", 0) + 1
        finally:
            _close(writer)

    while time.monotonic() < deadline:
        started = time.monotonic()
        await asyncio.gather(*(one() for _ in range(BURST)))
        await asyncio.sleep(max(0.0, min(2.0 - (time.monotonic() - started), deadline - time.monotonic())))


async def non_reader(port: int, deadline: float, seen: dict[str, int], body: bytes) -> None:
    """20 connections pipelining requests and never reading an answer, until the server stops taking them."""
    request = (
        b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
        % len(body)
        + body
    )

    async def one() -> None:
        pair = await _open(port)
        if pair is None:
            return
        _, writer = pair
        sent = 0
        try:
            while sent < MAX_ATTACK_BYTES and time.monotonic() < deadline:
                writer.write(request)
                sent += len(request)
                await asyncio.wait_for(writer.drain(), max(0.01, deadline - time.monotonic()))
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))
            seen["held to the end"] = seen.get("held to the end", 0) + 1
        except TimeoutError:
            seen["held to the end"] = seen.get("held to the end", 0) + 1
        except OSError:
            seen["closed by the server"] = seen.get("closed by the server", 0) + 1
        finally:
            seen["MB sent"] = seen.get("MB sent", 0) + sent // 1_000_000
            _close(writer)

    await asyncio.gather(*(one() for _ in range(NON_READERS)))


def workers_of(server: subprocess.Popen[bytes]) -> list[psutil.Process]:
    """The worker processes (the supervisor's children, not multiprocessing's resource tracker)."""
    children = psutil.Process(server.pid).children()
    return [c for c in children if "resource_tracker" not in " ".join(c.cmdline())]


def memory_mib(server: subprocess.Popen[bytes]) -> float:
    """Resident memory of the workers together, in MiB."""
    total = 0
    for worker in workers_of(server):
        try:
            total += worker.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


Attack = Callable[[int, float, dict[str, int]], Awaitable[None]]


def _attack(attack: Attack, port: int, seconds: float, ready: Any, results: Any) -> None:
    """The attacker process: say it is ready, run ``attack`` for ``seconds``, then report what it saw."""
    seen: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    ready.set()
    try:
        asyncio.run(asyncio.wait_for(attack(port, deadline, seen), max(1.0, deadline - time.monotonic() + 20)))
    except TimeoutError:
        seen["attack overran its deadline"] = 1
    results.put(seen)


def run_phase(
    name: str, attack: Attack | None, server: subprocess.Popen[bytes], port: int, bodies: list[bytes], args: Any
) -> bool:
    """One phase: the ordinary clients beside ``attack``; prints its line, True when it meets the aim."""
    tally, seen = Tally(), dict[str, int]()
    before = memory_mib(server)

    async def clients(deadline: float) -> float:
        started = time.monotonic()
        url = f"http://{HOST}:{port}/v1/analyze"
        await asyncio.wait_for(ordinary(url, bodies, args.clients, deadline, tally), args.phase_seconds + 30)
        return time.monotonic() - started

    # The attack runs in a process of its own, so that its work does not delay the ordinary clients' loop.
    # The phase starts once that process has started (a spawned interpreter's imports take a while on a
    # busy core): a short phase would otherwise end before the attack began.
    context = multiprocessing.get_context("spawn")
    results: Any = context.Queue()
    attacker = None
    if attack is not None:
        ready = context.Event()
        attacker = context.Process(target=_attack, args=(attack, port, args.phase_seconds, ready, results), daemon=True)
        attacker.start()
        ready.wait(STARTUP_SECONDS)
    deadline = time.monotonic() + args.phase_seconds
    elapsed = asyncio.run(clients(deadline))
    if attacker is not None:
        try:
            seen = results.get(timeout=40)
        except queue.Empty:
            seen = {"attacker did not report": 1}
        attacker.join(10)
        if attacker.is_alive():
            attacker.kill()
    time.sleep(SETTLE_SECONDS)
    after = memory_mib(server)
    answered, failed = len(tally.latencies_ms), sum(tally.errors.values())
    p99 = float(np.percentile(tally.latencies_ms, 99)) if answered else float("nan")
    met = failed == 0 and p99 < TARGET_P99_MS and after <= before * (1 + TARGET_MEMORY_RISE)
    print(
        f"{name:<12} {answered / elapsed:>8.0f} {p99:>8.1f} {failed:>7} {before:>9.0f} {after:>9.0f}"
        f"  {'met' if met else 'NOT met'}  {tally.errors or ''} {dict(sorted(seen.items())) or ''}",
        flush=True,
    )
    return met


def soak(server: subprocess.Popen[bytes], port: int, bodies: list[bytes], seconds: float, clients: int) -> None:
    """``clients`` clients for ``seconds``, one worker killed with SIGKILL half-way."""
    tally = Tally()
    before = memory_mib(server)
    victim = workers_of(server)[0]
    held = [0]

    async def run() -> None:
        deadline = time.monotonic() + seconds

        async def kill() -> None:
            await asyncio.sleep(seconds / 2)
            held[0] = sum(1 for c in victim.net_connections() if c.status == psutil.CONN_ESTABLISHED)
            os.kill(victim.pid, signal.SIGKILL)

        await asyncio.wait_for(
            asyncio.gather(ordinary(f"http://{HOST}:{port}/v1/analyze", bodies, clients, deadline, tally), kill()),
            seconds + 60,
        )

    asyncio.run(run())
    time.sleep(SETTLE_SECONDS)
    after = memory_mib(server)
    failed = sum(tally.errors.values())
    p99 = float(np.percentile(tally.latencies_ms, 99)) if tally.latencies_ms else float("nan")
    print(
        f"soak: {clients} clients for {seconds:.0f} s, worker {victim.pid} killed (SIGKILL) at {seconds / 2:.0f} s: "
        f"{len(tally.latencies_ms):,} requests answered, p99 {p99:.1f} ms, {failed} errors {tally.errors or ''}; "
        f"workers' memory {before:.0f} MiB at start, {after:.0f} MiB at end; "
        f"the killed worker held {held[0]} client connections: "
        f"{'met' if failed <= held[0] else 'NOT met'} (errors at most those)",
        flush=True,
    )


def start_server(workers: int, log_path: str) -> tuple[subprocess.Popen[bytes], int]:
    """``thumbs serve --workers N`` on a free loopback port, once every worker answers."""
    port = free_port()
    command = [sys.executable, "-m", "thumbs", "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if k not in ("THUMBS_API_KEY", "THUMBS_MODEL", "THUMBS_CORS_ORIGINS")}
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"thumbs serve exited with code {server.returncode}; its log: {log_path}")
        try:
            with socket.create_connection((HOST, port), timeout=1) as probe:
                probe.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if probe.recv(64).startswith(b"HTTP/1.1 200") and len(workers_of(server)) == workers:
                    return server, port
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"thumbs serve did not answer within {STARTUP_SECONDS:.0f} s; its log: {log_path}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--phase-seconds", type=float, default=20.0, help="seconds per attack phase (default 20)")
    parser.add_argument("--soak", type=float, default=120.0, help="seconds of the soak (default 120; 0: none)")
    parser.add_argument("--clients", type=int, default=16, help="ordinary clients during the attacks (default 16)")
    parser.add_argument("--soak-clients", type=int, default=32, help="clients during the soak (default 32)")
    parser.add_argument("--workers", type=int, default=2, help="thumbs serve --workers (default 2)")
    parser.add_argument("--data-dir", default=os.environ.get("THUMBS_DATA"), help="corpora (default: $THUMBS_DATA)")
    args = parser.parse_args(argv)

    bodies = reviews(args.data_dir)
    log_path = os.path.join(tempfile.gettempdir(), f"thumbs-hostile-{os.getpid()}.log")
    server, port = start_server(args.workers, log_path)
    print(f"thumbs serve --workers {args.workers} on {HOST}:{port}, {os.cpu_count()} cores; server log: {log_path}")
    print(f"{'phase':<12} {'req/s':>8} {'p99 ms':>8} {'errors':>7} {'MiB start':>9} {'MiB end':>9}  aim")
    phases: list[tuple[str, Attack | None]] = [
        ("baseline", None),
        ("slowloris", slowloris),
        ("header-bomb", header_bomb),
        ("burst", burst),
        ("non-reader", functools.partial(non_reader, body=bodies[0])),
    ]
    try:
        met = [run_phase(name, attack, server, port, bodies, args) for name, attack in phases]
        if args.soak > 0:
            soak(server, port, bodies, args.soak, args.soak_clients)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"every attack phase met the aim: {'yes' if all(met) else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
