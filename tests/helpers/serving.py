"""Starting ``thumbs serve`` as a real process for tests, and waiting until it answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from typing import IO, Any

#: Seconds a server gets to load its model and answer /v1/health.
STARTUP_SECONDS = 60.0
#: Settings a developer's shell may carry that the tests must not inherit.
SERVER_SETTINGS = ("THUMBS_API_KEY", "THUMBS_MODEL", "THUMBS_CORS_ORIGINS")


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serve(*args: str, output: IO[Any] | int = subprocess.PIPE, text: bool = True) -> subprocess.Popen[Any]:
    """``python -m thumbs serve ARGS`` with none of the server settings of this environment."""
    env = {k: v for k, v in os.environ.items() if k not in SERVER_SETTINGS}
    stderr = subprocess.STDOUT if output is not subprocess.PIPE else subprocess.PIPE
    return subprocess.Popen(
        [sys.executable, "-m", "thumbs", "serve", *args], stdout=output, stderr=stderr, text=text, env=env
    )


def get_health(url: str) -> int:
    """The status of GET url/v1/health, on a fresh connection and never through a proxy."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{url}/v1/health", timeout=10) as response:
        return int(response.status)


def wait_healthy(url: str, server: subprocess.Popen[Any]) -> None:
    """Return once the server answers /v1/health with 200; raise if it exits or takes too long."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"thumbs serve exited with code {server.returncode}")
        try:
            if get_health(url) == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"thumbs serve did not answer /v1/health within {STARTUP_SECONDS:.0f} s")


def stop(server: subprocess.Popen[Any], grace: float = 30.0) -> None:
    """SIGTERM (the server stops its workers), then SIGKILL if it does not exit within ``grace`` seconds."""
    if server.poll() is None:
        server.terminate()
    try:
        server.communicate(timeout=grace)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()
