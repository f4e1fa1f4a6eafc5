"""The HTTP API and the web page: a thin FastAPI shell over :class:`thumbs.pipeline.model.Model`.

Every result comes from :meth:`Model.analyze` or :meth:`Model.analyze_batch`
and is sent as :meth:`Analysis.to_dict` gives it, so the API answers exactly
what ``thumbs analyze --json`` prints. This module only declares routes,
validates input (:mod:`thumbs.server.schemas`), picks the model for a request's own
aspects (:mod:`thumbs.server.aspects`: cached, each with its own micro-batcher), guards the door (the API key,
:mod:`thumbs.server.auth`, then the body limits, :mod:`thumbs.server.guards`),
adds the security headers (:mod:`thumbs.server.headers`), serves ``/docs`` from
packaged files (:mod:`thumbs.server.docs`) and turns every error into
``{"error": ...}``.

Example
-------
>>> from fastapi.testclient import TestClient            # doctest: +SKIP
>>> client = TestClient(create_app())                     # doctest: +SKIP
>>> client.post("/v1/analyze", json={"text": "A moving film."}).json()["label"]  # doctest: +SKIP
'positive'
"""

from __future__ import annotations

import gc
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from thumbs import __version__
from thumbs.pipeline.analysis import Analysis
from thumbs.pipeline.model import Model, load_model
from thumbs.server.aspects import AspectModels
from thumbs.server.auth import ApiKeyGuard, key_problem
from thumbs.server.docs import add_docs
from thumbs.server.guards import MAX_BODY_BYTES, AccessLog, RequestLimits
from thumbs.server.headers import SECURITY_HEADERS, SecurityHeaders
from thumbs.server.schemas import Batch, BatchResults, Health, Problem, Review, Summarize
from thumbs.server.summary_schemas import FilmSummaries
from thumbs.summary.run import summarize

#: The web page's files, shipped inside the package.
STATIC_DIR = Path(__file__).with_name("static")
#: Work smaller than this (characters of review text) runs on the event loop
#: (single reviews micro-batched, see thumbs.server.batching): a typical review
#: takes under a millisecond, less than a hop to a thread. Larger work runs in a
#: thread, so one long request does not stall the rest.
INLINE_MAX_CHARS = 20_000
#: Environment variables that configure an app built by :func:`app_from_environment`.
ENV_MODEL, ENV_API_KEY, ENV_CORS = "THUMBS_MODEL", "THUMBS_API_KEY", "THUMBS_CORS_ORIGINS"

#: Error responses the API routes that take a body may give, for the OpenAPI document.
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": description}
    for status, description in (
        (400, "the body is not UTF-8 text, or its Content-Length is not a number"),
        (413, "the body is over 1 MB"),
        (415, "the body is not JSON"),
        (422, "the body is not what this route takes (the `detail` list says where)"),
        (500, "the server failed; the answer says only that, the server log has the details"),
    )
}
#: The answer of a keyed route to a request without the right key (documented only when the server has one).
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {
        "model": Problem,
        "description": "`missing API key` or `invalid API key`: send `Authorization: Bearer <key>`",
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Bearer`"}},
    }
}

T = TypeVar("T")
log = logging.getLogger("thumbs.server")


@dataclass(frozen=True)
class ServerSettings:
    """How a server is set up; :func:`create_app` takes one.

    ``api_key`` None (or empty) leaves the API open; ``cors_origins`` empty
    sends no CORS headers at all.
    """

    model_path: Path | None = None
    api_key: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = MAX_BODY_BYTES

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> ServerSettings:
        """Settings from ``THUMBS_MODEL``, ``THUMBS_API_KEY`` and ``THUMBS_CORS_ORIGINS`` (comma-separated)."""
        model = environ.get(ENV_MODEL)
        origins = tuple(o.strip() for o in environ.get(ENV_CORS, "").split(",") if o.strip())
        return cls(
            model_path=Path(model) if model else None, api_key=environ.get(ENV_API_KEY) or None, cors_origins=origins
        )


def create_app(settings: ServerSettings | None = None, model: Model | None = None) -> FastAPI:
    """The thumbs web app: the ``/v1`` API, ``/docs``, and the web page at ``/``.

    ``model`` defaults to the file in ``settings.model_path``, else the model
    shipped with thumbs; it is loaded here, before the first request.
    """
    settings = settings or ServerSettings.from_environment()
    model = model if model is not None else load_model(settings.model_path)
    # The model's objects live as long as the server: keep them out of the garbage
    # collector's full passes (23 ms each with them, a visible step in p99 latency).
    gc.freeze()
    app = FastAPI(
        title="thumbs",
        version=__version__,
        summary="How the writer of a movie review judged the film: label, confidence, stars, opinion sentences, evidence.",
        docs_url=None,  # FastAPI's /docs loads Swagger UI from a CDN: thumbs.server.docs serves its own
        redoc_url=None,
    )
    app.state.model = model
    # The model, and the models judging the aspects requests add, each with its own micro-batcher.
    app.state.models = AspectModels(model)
    app.include_router(_public(model))
    app.include_router(_api(app.state.models, settings.api_key))
    add_docs(app)
    _handle_errors(app)
    # Middlewares, innermost first (each added one wraps the ones before it).
    app.add_middleware(RequestLimits, max_body_bytes=settings.max_body_bytes)
    if settings.api_key:
        app.add_middleware(ApiKeyGuard, api_key=settings.api_key)  # the key before a byte of the body
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog)  # outermost: it sees every answer, errors included

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The app configured by environment variables: what each ``thumbs serve --workers N`` worker builds."""
    return create_app(ServerSettings.from_environment())


#: The ``Authorization: Bearer`` scheme of the API key (a module name: FastAPI resolves the
#: route's annotations against this module's globals).
BEARER = HTTPBearer(auto_error=False, description="Needed only when the server has THUMBS_API_KEY set.")


def _public(model: Model) -> APIRouter:
    """``/v1/health``: never behind the key, so a proxy's or orchestrator's health check needs none."""
    router = APIRouter(prefix="/v1")
    health_body = Health(status="ok", version=__version__, model=model.manifest.get("recipe"))

    @router.get("/health", response_model=Health, summary="Is the server up")
    async def health() -> Health:
        """Up, with its version and model's recipe. Public even when the server has an API key."""
        return health_body

    @router.head("/health", summary="Is the server up (no body)", responses={200: {"description": "up"}})
    async def health_head() -> Response:
        """200 and no body: the cheapest health check (the headers a GET gets, as HEAD should)."""
        return Response(status_code=200, media_type="application/json")

    return router


def _api(models: AspectModels, api_key: str | None) -> APIRouter:
    """The ``/v1`` routes behind the key (when there is one), each a few lines around the model."""

    def check_key(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]
    ) -> None:
        # ApiKeyGuard has refused a bad key before the body was read; this declares the
        # scheme in /openapi.json and checks again, should the router be mounted without it.
        problem = key_problem(request.headers.get("authorization"), api_key or "")
        if problem is not None:
            raise HTTPException(401, problem, headers={"WWW-Authenticate": "Bearer"})

    # Without a key the routes declare no security and no 401, so /openapi.json says what the server does.
    router = APIRouter(
        prefix="/v1",
        dependencies=[Depends(check_key)] if api_key else [],
        responses=UNAUTHORIZED if api_key else {},
    )

    model = models.model

    @router.post("/analyze", response_model=Analysis, summary="Analyze one review", responses=ERRORS)
    async def analyze(review: Review) -> Response:
        """The review's label, P(positive), stars, sentences and evidence: one line of `thumbs analyze --json`.

        A review that cannot be analyzed (blank, too long, only punctuation) is a 422 whose
        `error` says why: one review, one error. With `aspects`, the result's `aspects` judge
        yours too.
        """
        judge, batcher = models.get(review.canonical_aspects())
        if len(review.text) <= INLINE_MAX_CHARS:
            # with the other reviews arriving now that asked for the same aspects
            result = await batcher.analyze(review.text, review.id)
        else:
            result = await run_in_threadpool(judge.analyze, review.text, review.id)
        if result.error is not None:
            raise HTTPException(422, result.error)
        return _json(result.to_dict())

    @router.post("/analyze/batch", response_model=BatchResults, summary="Analyze up to 1000 reviews", responses=ERRORS)
    async def analyze_batch(batch: Batch) -> Response:
        """Each review's analysis, in order (200).

        A review whose text cannot be read (empty, blank, not a string, too long, only
        punctuation) gets a result with `error` set, as in `thumbs analyze`, and the others
        are analyzed. A body that is not a batch of 1 to 1000 `{"text", "id"}` objects is a 422.
        With `aspects`, every result's `aspects` judge yours too.
        """
        judge, _ = models.get(batch.canonical_aspects())
        texts = [r.text for r in batch.reviews]  # the analysis decides what it can read (text.review)
        size = sum(len(t) for t in texts if isinstance(t, str))
        results = await _run(lambda: judge.analyze_batch(texts, [r.id for r in batch.reviews]), size)
        return _json({"results": [r.to_dict() for r in results]})

    @router.post(
        "/summarize",
        response_model=FilmSummaries,
        summary="Summarize up to 1000 reviews, film by film",
        responses=ERRORS,
    )
    async def summarize_films(body: Summarize) -> Response:
        """One summary per film, the most reviewed first (200): `thumbs summarize --json` on these rows.

        Each film's reviews and failed reviews, the share positive with its 95% interval, mean
        stars with theirs and the histogram, each aspect's reviews, share positive and strongest
        quotes, the phrases most praised and criticized, and, for the dated reviews, the same by
        month. A review whose text cannot be read (empty, blank, not a string, too long, only
        punctuation) counts as failed in its film. A body that is not 1 to 1000
        `{"text", "film", "id", "date"}` objects is a 422. With `aspects`, each film's aspects
        include yours.
        """
        judge, _ = models.get(body.canonical_aspects())
        rows = [{"text": r.text, "film": r.film, "id": r.id, "date": r.date} for r in body.reviews]
        size = sum(len(r.text) for r in body.reviews if isinstance(r.text, str))
        films = await _run(lambda: summarize(rows, "film", id="id", date="date", model=judge), size)
        return _json({"films": [film.to_dict() for film in films]})

    @router.get("/model", response_model=dict[str, Any], summary="The loaded model's manifest")
    async def manifest() -> dict[str, Any]:
        """Recipe, training data checksums, measured metrics and format version of the model serving."""
        return model.manifest

    return router


async def _run(work: Callable[[], T], size: int) -> T:
    """Run small work on the event loop and large work in a thread (see :data:`INLINE_MAX_CHARS`)."""
    return work() if size <= INLINE_MAX_CHARS else await run_in_threadpool(work)


def _json(content: Any) -> Response:
    """JSON exactly as ``thumbs analyze --json`` writes it (UTF-8, not ASCII-escaped)."""
    return Response(json.dumps(content, ensure_ascii=False).encode(), media_type="application/json")


def _handle_errors(app: FastAPI) -> None:
    """Every error becomes ``{"error": one line}`` with its status; never a stack trace."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path} (the API is under /v1, see /docs)"
        elif exc.status_code == 400 and message == "There was an error parsing the body":
            message = "the body could not be read: send JSON encoded as UTF-8"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path} (see /docs)"
        return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {"loc": list(e["loc"]), "msg": e["msg"].removeprefix("Value error, "), "type": e["type"]}
            for e in exc.errors()
        ]
        return JSONResponse({"error": _one_line(detail), "detail": detail}, status_code=422)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request %s %s failed", request.method, request.url.path)
        # Sent by the outermost middleware, outside SecurityHeaders: it adds the headers itself.
        return JSONResponse(
            {"error": "internal error: the server log has the details"}, status_code=500, headers=SECURITY_HEADERS
        )


def _one_line(detail: list[dict[str, Any]]) -> str:
    """The first validation problem as ``where: what`` (and how many more)."""
    if not detail:
        return "the request is not valid"
    first = detail[0]
    where = ".".join(str(part) for part in first["loc"][1:] if part != "body") or "body"
    if first["type"] == "json_invalid":
        line = f"the body is not valid JSON ({first['msg']})"
    elif first["loc"] == ["body"] and first["type"] == "missing":
        line = 'the request has no body: send JSON such as {"text": "..."}'
    else:
        line = f"{where}: {first['msg']}"
    return line + (f" (and {len(detail) - 1} more problem(s), see detail)" if len(detail) > 1 else "")


__all__ = ["ServerSettings", "app_from_environment", "create_app"]
