"""``thumbs serve``: the HTTP API and the web page (uvicorn running :mod:`thumbs.server`).

A thin shell: it checks the options, then hands uvicorn the app that
:func:`thumbs.server.create_app` builds. With ``--workers N`` each worker
process builds its own app from the same settings (passed as environment
variables), loads its own copy of the model and listens on its own socket
(:mod:`thumbs.server.workers`).
"""

from __future__ import annotations

import copy
import os
from typing import Annotated, Any

import typer

from thumbs.cli.options import ModelPath
from thumbs.errors import ThumbsError
from thumbs.pipeline.model import Model


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", "-w", help="Worker processes, each with its own model (about one per core).")
    ] = 1,
    model_path: ModelPath = None,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--cors-origin",
            help="Allow browser pages from this origin (repeatable, e.g. https://example.org); off by default.",
        ),
    ] = None,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="One JSON line per request on stderr.")
    ] = True,
    max_connections: Annotated[
        int | None,
        typer.Option("--max-connections", help="Connections each worker holds at once; past it, 503 (default 256)."),
    ] = None,
) -> None:
    """Serve the HTTP API (/v1/analyze, /v1/analyze/batch, /v1/health, /v1/model, /docs) and the web page at /.

    Set THUMBS_API_KEY to require `Authorization: Bearer <key>` on /v1/ requests. Each connection has
    10 s to send its headers (32 KiB at most, else 431), 30 s for its body (else 408) and 5 s idle.
    Examples: `thumbs serve`, `thumbs serve --host 0.0.0.0 --port 8080 --workers 2`.
    """
    import uvicorn  # imported here: the other commands don't need the web stack

    from thumbs.server.app import (
        ENV_API_KEY,
        ENV_CORS,
        ENV_MODEL,
        ServerSettings,
        create_app,
    )
    from thumbs.server.protocol import KEEP_ALIVE_SECONDS, MAX_CONNECTIONS, GuardedProtocol

    if max_connections is not None and max_connections < 1:
        raise ThumbsError(f"--max-connections must be at least 1, got {max_connections}")
    if workers < 1:
        raise ThumbsError(f"--workers must be at least 1, got {workers}")
    if not 0 <= port <= 65535:
        raise ThumbsError(f"--port must be between 0 and 65535, got {port}")
    if port == 0 and workers > 1:
        raise ThumbsError("--port 0 (any free port) works with one worker only: give a port number")
    model = Model.from_file(model_path) if model_path is not None else None  # a bad file fails here, in one line
    _check_port(host, port)
    settings = ServerSettings(
        model_path=model_path, api_key=os.environ.get(ENV_API_KEY) or None, cors_origins=tuple(cors_origin or ())
    )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": log_config(access_log),
        "access_log": False,
        "server_header": False,
        # the limits on headers, read time, idle time and connections (thumbs.server.protocol)
        "http": GuardedProtocol,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "limit_concurrency": max_connections or MAX_CONNECTIONS,
    }
    if workers == 1:
        uvicorn.run(create_app(settings, model), **options)
        return
    from thumbs.server.workers import serve_workers

    del model  # checked above; each worker loads its own
    # Each worker process builds its app from these (see thumbs.server.workers).
    if model_path is not None:
        os.environ[ENV_MODEL] = str(model_path.resolve())
    os.environ[ENV_CORS] = ",".join(settings.cors_origins)
    code = serve_workers(workers, options)
    if code:
        raise typer.Exit(code)


def _check_port(host: str, port: int) -> None:
    """Fail in one line when the address cannot be listened on (in use, or not this machine's)."""
    from thumbs.server.workers import bound_socket

    try:
        bound_socket(host, port).close()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ThumbsError(f"cannot listen on {host}:{port} ({reason}): choose another --port or --host") from None


def log_config(access_log: bool) -> dict[str, Any]:
    """uvicorn's logging setup, plus the access log as bare JSON lines on stderr."""
    from uvicorn.config import LOGGING_CONFIG

    from thumbs.server.guards import ACCESS_LOGGER  # here, not at the top: other commands start without FastAPI

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["json_line"] = {"format": "%(message)s"}
    config["handlers"]["access_lines"] = {
        "class": "logging.StreamHandler",
        "formatter": "json_line",
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["thumbs.server"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    config["loggers"][ACCESS_LOGGER] = {
        "handlers": ["access_lines"],
        "level": "INFO" if access_log else "WARNING",
        "propagate": False,
    }
    return config
