"""Conditional GETs. What a GET answers depends only on the graph's version, the URL and the
Accept header (no cookies, no sessions, no clock), so its ETag is a digest of those, known before
any query runs: a client or cache that sends it back in If-None-Match gets a 304 and the work is
not done again. Answers that carry an ETag of their own (the dumps, static files) keep it."""

from __future__ import annotations

from hashlib import blake2b

from flask import Flask, Response, request

from ..errors import MgiGraphError
from .state import state

READS = ("GET", "HEAD")


def register(app: Flask) -> None:
    app.before_request(_answer_if_unchanged)
    app.after_request(_tag)


def current_etag() -> str | None:
    """The ETag of the answer to this request; None when the graph's version cannot be had (a
    remote store that is down: the answer is an error then anyway)."""
    try:
        version = state().store.version
    except MgiGraphError:
        return None
    key = "\n".join((version, request.url, request.headers.get("Accept", "")))
    return blake2b(key.encode(), digest_size=12).hexdigest()


def _applies() -> bool:
    return request.method in READS and request.endpoint not in (None, "static")


def _answer_if_unchanged() -> Response | None:
    if not _applies() or not request.if_none_match:
        return None
    tag = current_etag()
    if tag is None or not request.if_none_match.contains_weak(tag):
        return None
    response = Response(status=304)
    response.set_etag(tag, weak=True)
    response.headers["Vary"] = "Accept"
    return response


def _tag(response: Response) -> Response:
    if _applies() and response.status_code == 200 and "ETag" not in response.headers:
        tag = current_etag()
        if tag is not None:
            response.set_etag(tag, weak=True)
            response.headers.setdefault("Cache-Control", "no-cache")  # keep it, but ask again each time
    return response
