"""The Flask app factory. The store lives in app.extensions["mgi"]; nothing global."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from flask import Flask, request

from ..guard import GuardPolicy
from ..guard import install as install_guard
from ..settings import Settings
from . import conditional
from .links import term_href, term_kind
from .state import AppState

# Each module defines `bp`, a Blueprint; registered in this order.
BLUEPRINTS = ["pages", "sparql", "errors", "queries", "openapi", "entities", "ontology", "dataset",
              "views", "views_graph", "validation"]
# The site's navigation: (endpoint, text), in order.
NAV_LINKS = [("pages.home", "Home"), ("sparql.endpoint", "SPARQL"), ("queries.catalogue", "Queries"),
             ("pages.downloads", "Downloads"),
             ("ontology.ontology_page", "Ontology"), ("dataset.dataset_page", "Dataset"),
             ("views.dashboard", "Dashboard"), ("graphviews.paths", "Paths"), ("views.compare_index", "Compare"),
             ("validation.validate_page", "Validate")]
# What a CORS preflight may ask to send: what SPARQL clients and browser tools send (no credentials).
PREFLIGHT_HEADERS = "Content-Type, Accept, Accept-Encoding, Cache-Control, If-None-Match, X-Requested-With"
READING_METHODS = ("GET", "HEAD", "OPTIONS")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. config may hold MGI_SETTINGS (a Settings), MGI_STORE (a ready store,
    for tests) and any Flask setting."""
    app = Flask(__name__)
    config = dict(config or {})
    settings: Settings = config.pop("MGI_SETTINGS", None) or Settings()
    store = config.pop("MGI_STORE", None)
    app.config.update(MAX_CONTENT_LENGTH=settings.max_upload_bytes, JSON_SORT_KEYS=False)
    app.config.update(config)
    app.extensions["mgi"] = AppState.create(settings, store)
    if app.config.get("MGI_GUARD", not app.testing):  # the outbound/file guard (guard.py); once per process
        install_guard(GuardPolicy.for_settings(settings))
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(f".{name}", __name__).bp)
    app.after_request(_security_headers)
    app.after_request(_cors_headers)
    conditional.register(app)  # ETag / If-None-Match from the graph's version
    app.jinja_env.globals["nav_links"] = NAV_LINKS
    app.jinja_env.globals["term_kind"] = term_kind
    app.jinja_env.globals["term_href"] = lambda term: term_href(term, settings.base_iri)
    app.jinja_env.globals["short_iri"] = lambda iri: app.extensions["mgi"].short(iri)
    return app


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype == "text/html":
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def _cors_headers(response):
    """Any site's scripts may read what anyone may read: every answer to GET, HEAD and OPTIONS, and
    every answer of /sparql (a POST there only reads), errors included. No credentials are involved."""
    sparql = request.path.rstrip("/") == "/sparql"
    if request.method not in READING_METHODS and not sparql:
        return response
    response.headers.setdefault("Access-Control-Allow-Origin", "*")
    if "ETag" in response.headers:  # so a script can send it back in If-None-Match
        exposed = response.headers.get("Access-Control-Expose-Headers")
        response.headers["Access-Control-Expose-Headers"] = f"{exposed}, ETag" if exposed else "ETag"
    if request.method == "OPTIONS":
        methods = "GET, HEAD, POST, OPTIONS" if sparql else response.headers.get("Allow", "GET, HEAD, OPTIONS")
        response.headers.setdefault("Access-Control-Allow-Methods", methods)
        response.headers.setdefault("Access-Control-Allow-Headers", PREFLIGHT_HEADERS)
        response.headers.setdefault("Access-Control-Max-Age", "86400")
    return response
