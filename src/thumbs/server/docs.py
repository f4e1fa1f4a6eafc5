"""``/docs``: Swagger UI from files installed with thumbs, so the page works offline and under a strict CSP.

FastAPI's own ``/docs`` loads Swagger UI from a CDN and starts it with an
inline script: blank without a network, and refused by the server's
Content-Security-Policy (:mod:`thumbs.server.headers`). Here the page names
only files this server sends: Swagger UI's script and stylesheet from the
``swagger-ui-bundle-v2`` package (Swagger UI 5, Apache-2.0, its licence in
that package's metadata) under ``/docs/assets/``, and ``/static/docs.js``,
which starts it on ``/openapi.json`` with the spec validator (an outside
service) turned off.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

#: The Swagger UI files /docs/assets/ serves; nothing else of the package is reachable.
ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png")

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}: API docs</title>
  <link rel="icon" href="/docs/assets/favicon-32x32.png" type="image/png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <script src="/docs/assets/swagger-ui-bundle.js" defer></script>
  <script src="/static/docs.js" defer></script>
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
  <noscript>The interactive docs need JavaScript; the API's description is at {openapi_url}.</noscript>
</body>
</html>
"""


def swagger_ui_dir() -> Path:
    """The folder of Swagger UI's files, installed with the ``swagger-ui-bundle-v2`` package."""
    from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

    return Path(str(swagger_ui_path))


def add_docs(app: FastAPI, openapi_url: str = "/openapi.json") -> None:
    """Serve the docs page at ``/docs`` and Swagger UI's files under ``/docs/assets/``."""
    folder = swagger_ui_dir()
    page = PAGE.format(title=app.title, openapi_url=openapi_url)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/docs/assets/{name}", include_in_schema=False)
    async def asset(name: str) -> FileResponse:
        if name not in ASSETS:
            raise HTTPException(404, f"no such file of the docs: {name}")
        return FileResponse(folder / name)


__all__ = ["ASSETS", "add_docs", "swagger_ui_dir"]
