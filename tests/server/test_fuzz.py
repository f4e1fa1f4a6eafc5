"""Fuzz the HTTP API from its own OpenAPI document with schemathesis: no 5xx, and answers as documented.

Schemathesis reads ``/openapi.json`` from the app (in process, over ASGI: no
network, no server) and generates requests for every operation in it -
``POST /v1/analyze``, ``POST /v1/analyze/batch``, ``POST /v1/summarize``, ``GET /v1/health``,
``GET /v1/model`` - valid ones (reviews of any text, ids, batches of any size
up to the limit) and invalid ones (wrong types, missing or extra fields,
bodies that are not JSON, wrong methods). For each answer it checks:

* ``not_a_server_error``: never a 5xx, whatever the request;
* ``status_code_conformance``: the status is one the document lists
  (200, 400, 401, 413, 415, 422);
* ``unsupported_method``: a method the route does not take gets 405;
* ``content_type_conformance`` / ``response_headers_conformance``: JSON, as documented;
* ``response_schema_conformance``: a 200 body matches the schema of
  :class:`thumbs.pipeline.analysis.Analysis` (or ``BatchResults``, ``Health``, the
  manifest object), every error body matches ``Problem``
  (``{"error": str, "detail": list | null}``);
* on the server with an API key, also what the document promises about
  requests: invalid ones are refused (``negative_data_rejection``), valid
  ones accepted (``positive_data_acceptance``), and a missing or wrong key
  gets 401 (``missing_required_header``, ``ignored_auth``).

Why: the routes validate their input with pydantic and turn every error into
``{"error": ...}``; a fuzzer finds the inputs nobody thought to write a test
for (control characters and NUL, emoji, texts with no words, empty batches
and batches of 1001, ids of 256 and 257 characters, a request's own aspects at and over their limits, bodies that are not
UTF-8, undeclared methods) and shows that none of them gets a 500 or an
answer the document does not describe. About 100 generated requests per
operation and server, plus schemathesis' boundary cases: 5-10 s in all.

The first fuzz runs found three differences between the document and the
server (an undocumented 400 for a body that is not UTF-8; 415 instead of 405
for a wrong method without a body; an open server whose document required a
key). They are fixed, and the tests at the bottom keep them fixed.
Everything is derandomized, so a run is reproducible.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("fastapi")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import Case, CheckContext, Response  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from schemathesis.schemas import BaseSchema  # noqa: E402

from thumbs.pipeline.model import load_model  # noqa: E402
from thumbs.server import ServerSettings, create_app  # noqa: E402

Check = Callable[[CheckContext, Response, Case], "bool | None"]  # a schemathesis check function

API_KEY = "k"
#: Every operation the document must list, so that the fuzz covers all of them.
OPERATIONS = {
    ("POST", "/v1/analyze"),
    ("POST", "/v1/analyze/batch"),
    ("POST", "/v1/summarize"),
    ("GET", "/v1/health"),
    ("HEAD", "/v1/health"),
    ("GET", "/v1/model"),
}
#: The routes that need the key on a keyed server (``/v1/health`` stays public).
KEYED_ROUTES = OPERATIONS - {("GET", "/v1/health"), ("HEAD", "/v1/health")}

# One model (the shipped default, ~0.5 s to load), two apps: open (what `thumbs serve`
# runs without THUMBS_API_KEY) and keyed. Built at import: parametrize needs the schemas.
MODEL = load_model()
OPEN_APP = create_app(ServerSettings(), model=MODEL)
KEYED_APP = create_app(ServerSettings(api_key=API_KEY), model=MODEL)


def _schema(app: Any, config: dict[str, Any] | None = None) -> BaseSchema:
    # An explicit config, so that no schemathesis.toml in the working directory changes the run.
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=schemathesis.Config.from_dict(config or {}))


OPEN_SCHEMA = _schema(OPEN_APP)
#: The keyed server, every generated request sent with the right key (checks then try without it).
KEYED_SCHEMA = _schema(KEYED_APP, {"auth": {"openapi": {"HTTPBearer": {"bearer": API_KEY}}}})
#: The keyed server without auth configured: requests carry exactly the headers a test gives.
KEYED_PLAIN_SCHEMA = _schema(KEYED_APP)

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,  # the same examples every run
    database=None,  # and no examples replayed from earlier runs
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


# --- what the document cannot say -------------------------------------------------------------

#: The review texts the schema allows (``minLength: 1``) but the server cannot read: only
#: whitespace or only punctuation, symbols, emoji (thumbs.text.review and the model). A documented
#: 422 for one review (inside a batch, a result with ``error``); JSON Schema cannot say "has a word".
WORDLESS_ERRORS = ("empty review: it has no words to read",)
#: The same for a request's own aspects: an aspect whose every term is wordless ("\u00a0") has no terms.
WORDLESS_ASPECT = re.compile(r"aspect .* has no terms: give it at least one word that names it$", re.DOTALL)


def positive_data_acceptance_but_wordless(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """``positive_data_acceptance``, except a 422 that only says a review has no words."""
    if response.status_code == 422:
        body = _error_body(response)
        messages = [d.get("msg", "") for d in body.get("detail") or []] or [body.get("error", "")]
        if all(str(m).startswith(WORDLESS_ERRORS) or WORDLESS_ASPECT.match(str(m)) for m in messages):
            return None
    return positive_data_acceptance(ctx, response, case)


def _error_body(response: Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


#: Checks on every answer of either server.
ANSWER_CHECKS: list[Check] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: What the document promises about requests (left out: ``max_response_time``).
REQUEST_CHECKS: list[Check] = [
    negative_data_rejection,
    positive_data_acceptance_but_wordless,
    unsupported_method,
    missing_required_header,
    ignored_auth,
]
#: The open server's document declares no security, so the auth checks have nothing to enforce there.
OPEN_CHECKS: list[Check] = [*ANSWER_CHECKS, *REQUEST_CHECKS]
KEYED_CHECKS: list[Check] = [*ANSWER_CHECKS, *REQUEST_CHECKS]


# --- the fuzz ----------------------------------------------------------------------------------


def test_the_fuzz_covers_every_route() -> None:
    for schema in (OPEN_SCHEMA, KEYED_SCHEMA):
        operations = {(r.ok().method.upper(), r.ok().path) for r in schema.get_all_operations()}
        assert operations == OPERATIONS


@OPEN_SCHEMA.parametrize()
@FUZZ
def test_fuzz_open_server(case: Case) -> None:
    case.call_and_validate(checks=OPEN_CHECKS)


@KEYED_SCHEMA.parametrize()
@FUZZ
def test_fuzz_keyed_server(case: Case) -> None:
    case.call_and_validate(checks=KEYED_CHECKS)


# --- the API key, by hand: with and without the header -------------------------------------------

REQUESTS: dict[tuple[str, str], Any] = {
    ("POST", "/v1/analyze"): {"text": "A wonderful, moving film.", "id": "r1"},
    ("POST", "/v1/analyze/batch"): {"reviews": [{"text": "A wonderful film."}, {"text": "A dull mess."}]},
    ("POST", "/v1/summarize"): {
        "reviews": [{"text": "A wonderful film.", "film": "Vertigo"}, {"text": "A dull mess.", "film": "Cats"}]
    },
    ("GET", "/v1/health"): None,
    ("HEAD", "/v1/health"): None,
    ("GET", "/v1/model"): None,
}
AUTHORIZATION: dict[str, tuple[str | None, int]] = {
    # name: (Authorization header or None, the status it must get)
    "right key": (f"Bearer {API_KEY}", 200),
    "no header": (None, 401),
    "wrong key": ("Bearer not-the-key", 401),
    "empty token": ("Bearer ", 401),
    "key, other scheme": (f"Basic {API_KEY}", 401),
    "key without scheme": (API_KEY, 401),
}


@pytest.mark.parametrize("route", sorted(REQUESTS), ids=" ".join)
@pytest.mark.parametrize("auth", sorted(AUTHORIZATION))
def test_keyed_server_with_and_without_the_key(route: tuple[str, str], auth: str) -> None:
    header, expected = AUTHORIZATION[auth]
    method, path = route
    expected = expected if route in KEYED_ROUTES else 200  # the health check is public
    body = REQUESTS[route]
    case = KEYED_PLAIN_SCHEMA[path][method].Case(
        headers={"Authorization": header} if header is not None else {},
        **({"body": body, "media_type": "application/json"} if body is not None else {}),
    )
    response = case.call()
    case.validate_response(response, checks=ANSWER_CHECKS)  # no 5xx; the body as documented
    assert response.status_code == expected, response.text
    if expected == 401:
        assert response.headers.get("www-authenticate") == ["Bearer"]
        assert set(_error_body(response)) == {"error"}


# --- differences the fuzz once found, kept fixed ---------------------------------------------


@pytest.mark.parametrize("path", ["/v1/analyze", "/v1/analyze/batch"])
def test_body_not_utf8_gets_a_documented_status(path: str) -> None:
    operation = OPEN_SCHEMA[path]["POST"]
    response = operation.Case(body=b'{"text": "\xff"}', media_type="application/json").call()
    assert str(response.status_code) in operation.responses.status_codes, f"{response.status_code} {response.text}"
    assert "UTF-8" in _error_body(response)["error"]


@pytest.mark.parametrize("method", ["PUT", "PATCH", "POST"])
def test_undeclared_method_gets_405(method: str) -> None:
    response = OPEN_SCHEMA["/v1/health"]["GET"].Case(method=method).call()
    assert response.status_code == 405, f"{response.status_code} {response.text}"


def test_open_server_document_does_not_require_a_key() -> None:
    for path_item in OPEN_SCHEMA.raw_schema["paths"].values():
        for operation in path_item.values():
            assert not operation.get("security", OPEN_SCHEMA.raw_schema.get("security", []))
