// Starts Swagger UI on /docs (see thumbs/server/docs.py): a file, not an inline script, so the
// page keeps its Content-Security-Policy (script-src 'self'). The validator badge would call an
// outside service, so it is off.
"use strict";

window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
