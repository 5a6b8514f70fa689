"""/validate: check a profile against our shapes, from a page or as an API. Never touches the store."""

from __future__ import annotations

from collections import OrderedDict

from flask import Blueprint, Response, jsonify, render_template, request

from ..bounded import run_bounded
from ..errors import DataFileError, MgiGraphError, QueryTimeoutError
from ..validate import validate
from ..validate_input import InputFile
from .state import state

bp = Blueprint("validation", __name__)

# Media type of an RDF body -> the format name the validator takes.
RDF_BODY_TYPES = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
                  "application/rdf+xml": "xml"}
PAGE_FORMATS = {"ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "xml": "RDF/XML"}


@bp.get("/validate")
def validate_page():
    return render_template("validate.html", formats=PAGE_FORMATS, report=None, error=None)


@bp.post("/validate")
def validate_upload():
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return _from_page()
    fmt = RDF_BODY_TYPES.get(request.mimetype)
    if fmt is None:
        return _json_error(415, f"POST the profile as one of {', '.join(RDF_BODY_TYPES)}, "
                                f"or use the form; got {request.mimetype or 'no media type'}")
    try:
        report = _run(InputFile(f"request body ({request.mimetype})", request.get_data(), fmt))
    except DataFileError as exc:
        return _json_error(400, str(exc))
    except QueryTimeoutError as exc:
        return _json_error(503, str(exc))
    if request.accept_mimetypes.best_match(["application/json", "text/turtle"]) == "text/turtle":
        return Response(report.to_turtle(), mimetype="text/turtle")
    return Response(report.to_json(), mimetype="application/json")


def _from_page():
    upload = request.files.get("profile")
    fmt = request.form.get("format") or None
    if fmt is not None and fmt not in PAGE_FORMATS:
        return _page_error(f"unknown format {fmt!r}")
    if upload is not None and upload.filename:
        data, name = upload.read(), upload.filename
    else:
        data, name = request.form.get("text", "").encode("utf-8"), "pasted text"
        fmt = fmt or "ttl"
    if not data.strip():
        return _page_error("choose a file or paste a profile first")
    try:
        report = _run(InputFile(name, data, fmt))
    except MgiGraphError as exc:
        return _page_error(str(exc))
    app_state = state()
    groups: OrderedDict = OrderedDict()
    for result in report.results:
        groups.setdefault(result.focus_node, []).append(result)
    return render_template("validate.html", formats=PAGE_FORMATS, report=report, groups=groups, error=None,
                           labels=app_state.labels(groups))


def _run(file: InputFile):
    """Validate in a separate process that is killed at the time limit (QueryTimeoutError)."""
    settings = state().settings
    return run_bounded(validate_files, ([file], settings), timeout=settings.validate_timeout,
                       memory_bytes=settings.worker_memory_bytes or None)


def validate_files(files: list[InputFile], settings):
    """Module level, so the bounded worker process can run it."""
    return validate(files, settings=settings)


def _page_error(message: str):
    return render_template("validate.html", formats=PAGE_FORMATS, report=None, error=message), 400


def _json_error(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    return response
