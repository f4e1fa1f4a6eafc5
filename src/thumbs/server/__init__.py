"""``thumbs serve``: the HTTP API and the web page, over the same analysis core.

* :mod:`thumbs.server.app` - the FastAPI app: routes, error bodies, the page;
* :mod:`thumbs.server.schemas` - request bodies (validated) and response shapes;
* :mod:`thumbs.server.guards` - body limits (413, 415) and the access log;
* ``static/`` - the web page (HTML, CSS, JavaScript; no CDN).
"""

from thumbs.server.app import ServerSettings, app_from_environment, create_app

__all__ = ["ServerSettings", "app_from_environment", "create_app"]
