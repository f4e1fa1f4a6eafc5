"""``thumbs serve``: the HTTP API and the web page, over the same analysis core.

* :mod:`thumbs.server.app` - the FastAPI app: routes, error bodies, the page;
* :mod:`thumbs.server.schemas` - request bodies (validated) and response shapes;
* :mod:`thumbs.server.auth` - the API key, checked before a body is read;
* :mod:`thumbs.server.guards` - body limits (413, 415) and the access log;
* :mod:`thumbs.server.headers` - security headers on every answer;
* :mod:`thumbs.server.docs` - /docs from the Swagger UI files installed with thumbs (no CDN);
* :mod:`thumbs.server.protocol` - connection limits under uvicorn: header size (431), slow clients (408),
  idle keep-alive, connections per worker (503);
* :mod:`thumbs.server.batching` - single reviews of one event-loop turn analyzed together;
* :mod:`thumbs.server.workers` - ``--workers N``: a supervisor and one socket per worker;
* ``static/`` - the web page (HTML, CSS, JavaScript; no CDN).
"""

from thumbs.server.app import ServerSettings, app_from_environment, create_app

__all__ = ["ServerSettings", "app_from_environment", "create_app"]
