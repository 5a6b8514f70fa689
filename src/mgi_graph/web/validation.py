"""/validate: check a profile against our shapes, from a page or as an API.

The upload is validated apart from the store, and never added to it; the store is only asked
which of the report's nodes it knows, so that only those link to their /id/ page.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from flask import Blueprint, Response, jsonify, render_template, request
from rdflib import URIRef
from rdflib.term import Node
from werkzeug.exceptions import RequestEntityTooLarge

from ..binding import term_n3, with_value_list
from ..bounded import run_bounded
from ..errors import DataFileError, MgiGraphError, QueryTimeoutError
from ..sources import FORMAT_NAMES, FORMATS
from ..sparql_files import internal_query
from ..validate import validate
from ..validate_input import InputFile, megabytes
from ..validate_report import ValidationReport
from .state import state

bp = Blueprint("validation", __name__)

# Media type of an RDF body -> the format name the validator takes.
RDF_BODY_TYPES = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
                  "application/rdf+xml": "xml"}
PAGE_FORMATS = {"ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "xml": "RDF/XML"}
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# Multipart boundaries and part headers come on top of the files' own bytes, which alone are held to the limit.
FORM_OVERHEAD = 64_000
PASTED = "pasted text"


@bp.get("/validate")
def validate_page():
    return _page()


@bp.post("/validate")
def validate_upload():
    if request.mimetype in FORM_TYPES:
        return _from_page()
    fmt = RDF_BODY_TYPES.get(request.mimetype)
    if fmt is None:
        return _json_error(415, "UnsupportedMediaType", f"POST the profile as one of {', '.join(RDF_BODY_TYPES)}, "
                                                        f"or use the form; got {request.mimetype or 'no media type'}")
    try:
        report = _run([InputFile(f"request body ({request.mimetype})", request.get_data(), fmt)])
    except DataFileError as exc:
        return _json_error(400, "DataFileError", str(exc))
    except QueryTimeoutError as exc:
        return _json_error(503, "QueryTimeoutError", str(exc))
    if request.accept_mimetypes.best_match(["application/json", "text/turtle"]) == "text/turtle":
        return Response(report.to_turtle(), mimetype="text/turtle")
    return Response(report.to_json(), mimetype="application/json")


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(_exc: RequestEntityTooLarge):
    """Past the size limit: the page again (the form's fields cannot be read back), or JSON for a script."""
    message = f"the upload is larger than the limit of {megabytes(state().settings.max_upload_bytes)}"
    if request.mimetype in FORM_TYPES:
        return _page(error=f"{message} (all files together); send fewer or smaller files"), 413
    return _json_error(413, "RequestEntityTooLarge", message)


def _from_page():
    _allow_a_whole_profile()
    text, fmt = request.form.get("text", ""), request.form.get("format") or None
    form = {"text": text, "format": fmt or ""}  # shown again in the form, whatever the outcome
    uploads = [u for u in request.files.getlist("profile") if u.filename]
    if fmt is not None and fmt.lower() not in FORMAT_NAMES:  # the names the CLI's --input-format takes
        return _page(form, error=f"unknown format {fmt!r}; use one of {', '.join(sorted(FORMAT_NAMES))}"), 400
    if uploads and text.strip():
        return _page(form, error="send either files or pasted text, not both: clear the text box, "
                                 "or choose no file"), 400
    files = [InputFile(u.filename, u.read(), fmt) for u in uploads] or [InputFile(PASTED, text.encode(), fmt or "ttl")]
    if not any(f.data.strip() for f in files):
        return _page(form, error="choose a file or paste a profile first"), 400
    limit = state().settings.max_upload_bytes
    if sum(len(f.data) for f in files) > limit:
        return _page(form, error=f"the upload is larger than the limit of {megabytes(limit)} "
                                 "(all files together); send fewer or smaller files"), 413
    try:
        report = _run(files)
    except QueryTimeoutError as exc:  # the validation, not the input, ran out of time: try again
        return _page(form, error=str(exc)), 503, {"Retry-After": "30"}
    except MgiGraphError as exc:
        return _page(form, error=str(exc)), 400
    return _page(form, report=report, checked=[f.name for f in files])


def _allow_a_whole_profile() -> None:
    """Lets the form carry max_upload_bytes of files or of pasted text (Flask's own cap on a text field is 500 kB)."""
    limit = state().settings.max_upload_bytes
    request.max_content_length = limit + FORM_OVERHEAD
    request.max_form_memory_size = limit


def _page(form: dict | None = None, *, report: ValidationReport | None = None, checked: list[str] | None = None,
          error: str | None = None) -> str:
    context = _report_context(report) if report is not None else {}
    return render_template("validate.html", formats=PAGE_FORMATS, accept=",".join(sorted(FORMATS)),
                           form=form or {"text": "", "format": ""}, report=report, checked=checked or [],
                           error=error, **context)


def _report_context(report: ValidationReport) -> dict:
    """Results grouped by focus node; which nodes the served graph knows (linked) and their names there."""
    groups: OrderedDict = OrderedDict()
    for result in report.results:
        groups.setdefault(result.focus_node, []).append(result)
    known = known_iris(list(groups) + [r.value for r in report.results])
    return {"groups": groups, "known": known, "labels": state().labels(known)}


def known_iris(nodes: Iterable[Node | None]) -> set[URIRef]:
    """The IRIs among nodes that the served graph says anything about, in one query, the IRIs bound as terms.
    Nodes only the upload has would link to a 404."""
    iris = sorted({n for n in nodes if isinstance(n, URIRef) and _bindable(n)})
    if not iris:
        return set()
    query = with_value_list(internal_query("known-things"), "thing", iris)
    return {row[0] for row in state().store.query(query).rows}


def _bindable(iri: URIRef) -> bool:
    """Whether the IRI can go into a query; one that cannot is in no graph either."""
    try:
        term_n3(iri)
    except ValueError:
        return False
    return True


def _run(files: list[InputFile]) -> ValidationReport:
    """Validate in a separate process that is killed at the time limit (QueryTimeoutError)."""
    settings = state().settings
    return run_bounded(validate_files, (files, settings), timeout=settings.validate_timeout,
                       memory_bytes=settings.worker_memory_bytes or None)


def validate_files(files: list[InputFile], settings):
    """Module level, so the bounded worker process can run it."""
    return validate(files, settings=settings)


def _json_error(status: int, kind: str, message: str):
    """An error for a script, shaped as the app's other JSON errors (errors.error_response)."""
    response = jsonify({"error": {"status": status, "type": kind, "message": message}})
    response.status_code = status
    if status == 503:
        response.headers["Retry-After"] = "30"
    return response
