"""Security headers on every answer, and ``/docs`` from files the server ships (no CDN).

The page at ``/`` asks for the API key: every answer, the page, its files, ``/docs``, the
API and each of its errors, carries a Content-Security-Policy that allows only this server's
own scripts and styles (no inline script), frame protection, ``nosniff`` and a strict
Referrer-Policy; and no page names a script or stylesheet on another host. The browser
checks (the page works under this policy, Swagger UI renders offline) are in
``test_web.py`` and ``test_docs_browser.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from thumbs.pipeline.model import Model
from thumbs.server import ServerSettings, create_app
from thumbs.server.docs import ASSETS
from thumbs.server.headers import SECURITY_HEADERS

KEY = "s3cret"
GOOD = "A wonderful, moving film. I loved it."


@pytest.fixture(scope="module")
def client(model: Model) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(api_key=KEY), model=model)) as test_client:
        yield test_client


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: sources}."""
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def assert_secured(headers: object, what: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (what, name)  # type: ignore[attr-defined]


# (method, path, body, headers, expected status): one of each kind of answer
ANSWERS = [
    ("GET", "/", None, {}, 200),
    ("HEAD", "/", None, {}, 200),
    ("GET", "/static/app.js", None, {}, 200),
    ("GET", "/static/style.css", None, {}, 200),
    ("GET", "/docs", None, {}, 200),
    ("GET", "/docs/assets/swagger-ui-bundle.js", None, {}, 200),
    ("GET", "/openapi.json", None, {}, 200),
    ("GET", "/v1/health", None, {}, 200),
    ("HEAD", "/v1/health", None, {}, 200),
    ("POST", "/v1/analyze", {"text": GOOD}, {"Authorization": f"Bearer {KEY}"}, 200),
    ("POST", "/v1/analyze", {"text": GOOD}, {}, 401),
    ("POST", "/v1/analyze", {"text": ""}, {"Authorization": f"Bearer {KEY}"}, 422),
    ("POST", "/v1/analyze", "x" * 1_000_001, {"Authorization": f"Bearer {KEY}"}, 413),
    ("GET", "/v1/model", None, {"Authorization": "Bearer wrong"}, 401),
    ("GET", "/nowhere", None, {}, 404),
    ("DELETE", "/v1/health", None, {}, 405),
]


@pytest.mark.parametrize(("method", "path", "body", "headers", "status"), ANSWERS, ids=lambda v: str(v)[:30])
def test_every_answer_has_the_security_headers(
    client: TestClient, method: str, path: str, body: object, headers: dict[str, str], status: int
) -> None:
    if isinstance(body, str):
        response = client.request(method, path, content=body, headers={**headers, "content-type": "application/json"})
    else:
        response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == status
    assert_secured(response.headers, f"{method} {path}")


def test_wrong_content_type_gets_the_headers_too(client: TestClient) -> None:
    response = client.post(
        "/v1/analyze", content="hi", headers={"content-type": "text/plain", "Authorization": f"Bearer {KEY}"}
    )
    assert response.status_code == 415
    assert_secured(response.headers, "415")


def test_an_internal_failure_gets_the_headers_too(model: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(model, "analyze_batch", broken)
    with TestClient(create_app(ServerSettings(), model=model), raise_server_exceptions=False) as failing:
        response = failing.post("/v1/analyze/batch", json={"reviews": [{"text": GOOD}]})
    assert response.status_code == 500 and "Traceback" not in response.text
    assert response.json() == {"error": "internal error: the server log has the details"}
    assert_secured(response.headers, "500")


def test_the_policy_allows_only_this_servers_files() -> None:
    policy = directives(SECURITY_HEADERS["content-security-policy"])
    assert policy["default-src"] == ["'none'"]
    for directive in ("script-src", "style-src", "connect-src", "font-src"):
        assert policy[directive] == ["'self'"], directive  # no inline, no eval, no other host
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert SECURITY_HEADERS["x-frame-options"] == "DENY"
    assert SECURITY_HEADERS["x-content-type-options"] == "nosniff"
    assert SECURITY_HEADERS["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/", "/docs"])
def test_pages_name_no_script_or_style_of_another_host(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert "<style" not in html.lower()  # no inline stylesheet
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html)  # no inline script
    assert not re.search(r"\son\w+\s*=", html)  # no inline event handler
    assets = re.findall(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', html)
    assert assets, path
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), (path, asset)
        assert client.get(asset).status_code == 200, (path, asset)
    assert not re.findall(r"https?://", html), path


def test_docs_page_names_only_packaged_files(client: TestClient) -> None:
    html = client.get("/docs").text
    for name in ASSETS:
        response = client.get(f"/docs/assets/{name}")
        assert response.status_code == 200 and len(response.content) > 100, name
    assert "/docs/assets/swagger-ui-bundle.js" in html and "/static/docs.js" in html
    assert 'data-openapi-url="/openapi.json"' in html
    script = client.get("/static/docs.js").text
    assert "validatorUrl: null" in script  # the spec validator would call an outside service
    assert client.get("/docs/assets/index.html").status_code == 404  # only the files the page needs
    assert client.get("/docs/assets/..%2f..%2f__init__.py").status_code == 404


def test_refusals_below_the_app_carry_the_security_headers_too() -> None:
    """408, 431 and 503 are written by the connection guard, under the app: the same headers, one JSON line."""
    from thumbs.server.headers import SECURITY_HEADERS
    from thumbs.server.protocol import refusal

    for status in (400, 408, 431, 503):
        head, _, body = refusal(status, "no", ((b"retry-after", b"2"),)).partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        assert lines[0].startswith(f"HTTP/1.1 {status} ")
        fields = dict(line.split(": ", 1) for line in lines[1:])
        assert {name: fields[name] for name in SECURITY_HEADERS} == SECURITY_HEADERS
        assert fields["retry-after"] == "2" and body == b'{"error": "no"}'
