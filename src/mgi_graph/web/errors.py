"""Errors from the core as HTTP answers: a status and a message that says what went wrong.

Registered as a blueprint (app-wide handlers). A client that prefers JSON gets
{"error": {"status", "type", "message", "parameter"?}}; anyone else plain text.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, make_response, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import (
    MgiGraphError,
    ParameterError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    StoreUnavailableError,
    UnknownQueryError,
)
from ..validate_input import megabytes

bp = Blueprint("errors", __name__)

# Most specific first; MgiGraphError catches whatever is left as a 500 with its message.
STATUS: list[tuple[type[Exception], int]] = [
    (ParameterError, 400),
    (QuerySyntaxError, 400),
    (QueryRefusedError, 400),
    (UnknownQueryError, 404),
    (ResultTooLargeError, 413),
    (QueryTimeoutError, 503),
    (StoreUnavailableError, 503),
    (MgiGraphError, 500),
]


def status_of(exc: Exception) -> int:
    if isinstance(exc, StoreUnavailableError):  # a remote store down (502) or too slow (504)
        return 504 if exc.timeout else 502
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def error_response(exc: Exception, status: int | None = None):
    """The error as JSON or plain text, with its status; reusable by any view."""
    status = status or status_of(exc)
    body = {"status": status, "type": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, ParameterError):
        body["parameter"] = exc.name
    if wants_json():
        response = jsonify({"error": body})
    else:
        response = make_response((f"{status} {type(exc).__name__}: {exc}\n", status,
                                     {"Content-Type": "text/plain; charset=utf-8"}))
    response.status_code = status
    if status == 503:
        response.headers["Retry-After"] = "30"
    return response


def wants_json() -> bool:
    path = request.path
    if path.endswith(".json") or path.endswith(".jsonld") or path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "text/plain", "application/json",
                                                "application/sparql-results+json"])
    return best in ("application/json", "application/sparql-results+json")


@bp.app_errorhandler(MgiGraphError)
def handle_core_error(exc: MgiGraphError):
    return error_response(exc)


@bp.app_errorhandler(RequestEntityTooLarge)
def handle_too_large(exc: RequestEntityTooLarge):
    """A body past the size limit, answered like any error and naming the limit, where Werkzeug's page
    does not. /validate answers its own (its page again, or its JSON)."""
    limit = request.max_content_length
    message = f"the request body is larger than the limit of {megabytes(limit)}" if limit else exc.description
    if wants_json():
        return jsonify({"error": {"status": 413, "type": "RequestEntityTooLarge", "message": message}}), 413
    return f"413 RequestEntityTooLarge: {message}\n", 413, {"Content-Type": "text/plain; charset=utf-8"}
