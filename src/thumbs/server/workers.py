"""Several server processes on one port, each accepting on its own socket.

uvicorn's ``--workers`` shares one listening socket among its workers, and
an idle worker accepts every connection waiting in the queue at once: under a
burst of keep-alive clients one worker takes them all and the others sit idle
(measured: 32 clients, 2 workers, one at 100% CPU, the other at 0%). Here each
worker opens its own socket on the same address with ``SO_REUSEPORT``, so the
kernel spreads new connections evenly over the workers, the way nginx's
``reuseport`` does.

The parent only supervises: it starts the workers, starts a new one when one
dies, and stops them all on SIGINT or SIGTERM. Each worker builds its app with
:func:`thumbs.server.app.app_from_environment` and loads the model *before*
it opens its socket, so no connection reaches a worker that is not ready.
Where ``SO_REUSEPORT`` is missing (Windows), uvicorn's own workers are used.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import time
from typing import Any

#: The import path of the app factory each worker calls.
APP_FACTORY = "thumbs.server.app:app_from_environment"
#: A worker that dies sooner than this after starting, twice in a row, stops the server
#: (it would only fail again: a bad model file, a port taken).
EARLY_DEATH_SECONDS = 10.0
#: Seconds the first workers wait for each other to load the model before they open their sockets.
STARTUP_SECONDS = 120.0
#: How often a worker checks that its supervisor is still alive.
ORPHAN_CHECK_SECONDS = 1.0
#: Seconds a worker gets to finish its requests when the server stops.
GRACEFUL_SECONDS = 10.0

log = logging.getLogger("thumbs.server")


def can_share_port() -> bool:
    """True where each worker can listen on the same port with its own socket."""
    return hasattr(socket, "SO_REUSEPORT")


def bound_socket(host: str, port: int, share_port: bool = False) -> socket.socket:
    """A TCP socket bound to ``host:port`` (``share_port``: with ``SO_REUSEPORT``, beside the other workers)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if share_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host:port``, sharing the port with the other workers."""
    sock = bound_socket(host, port, share_port=True)
    sock.listen(2048)
    return sock


def _worker(options: dict[str, Any], all_loaded: Any | None) -> None:
    """One worker process: build the app (loading the model), then open its socket and serve.

    The first workers wait at ``all_loaded`` (a barrier) so that they open
    their sockets together: a worker listening alone would take every
    connection of a burst of keep-alive clients.
    """
    import threading

    import uvicorn

    config = uvicorn.Config(APP_FACTORY, factory=True, **options)
    config.load()  # builds the app, so the model is in memory before the socket opens
    threading.Thread(target=_stop_when_orphaned, args=(os.getppid(),), daemon=True).start()
    if all_loaded is not None:
        try:
            all_loaded.wait(STARTUP_SECONDS)
        except threading.BrokenBarrierError:
            pass  # a worker failed to start: serve anyway, the supervisor replaces it
    uvicorn.Server(config).run(sockets=[listening_socket(options["host"], options["port"])])


def _stop_when_orphaned(parent: int) -> None:
    """Stop this worker (gracefully, SIGTERM) once its supervisor is gone, e.g. killed with SIGKILL."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)


def serve_workers(workers: int, options: dict[str, Any]) -> int:
    """Run ``workers`` worker processes with uvicorn ``options`` until SIGINT/SIGTERM; the exit code."""
    if not can_share_port():
        import uvicorn

        uvicorn.run(APP_FACTORY, factory=True, workers=workers, **options)
        return 0
    context = multiprocessing.get_context("spawn")
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}

    def start(all_loaded: Any | None = None) -> tuple[Any, float]:
        process = context.Process(target=_worker, args=(options, all_loaded), daemon=False)
        process.start()
        return process, time.monotonic()

    all_loaded = context.Barrier(workers)
    running = [start(all_loaded) for _ in range(workers)]
    log.info("started %d workers on %s:%d, each with its own socket", workers, options["host"], options["port"])
    early_deaths = 0
    code = 0
    try:
        while not stopping:
            time.sleep(0.2)
            for k, (process, started) in enumerate(running):
                if process.is_alive() or stopping:
                    continue
                early_deaths = early_deaths + 1 if time.monotonic() - started < EARLY_DEATH_SECONDS else 0
                if early_deaths >= 2:
                    log.error("workers keep exiting at start (code %s): stopping", process.exitcode)
                    stopping, code = True, 1
                    break
                log.warning("worker %d exited with code %s: starting another", process.pid, process.exitcode)
                running[k] = start()
    finally:
        for process, _ in running:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        deadline = time.monotonic() + GRACEFUL_SECONDS
        for process, _ in running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return code


__all__ = ["bound_socket", "can_share_port", "listening_socket", "serve_workers"]
