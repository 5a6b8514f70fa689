"""The saved-query catalogue on the web: /queries, /queries/<name> as a form and results, and data twins.

Every state is a URL: /queries/<name>?param=value answers HTML, and the same with .json,
.xml, .csv, .tsv (tables; .json and .xml for ASK) or .ttl, .nt, .jsonld (graphs; .json is the
JSON-LD) answers data; Accept picks one when no suffix is given (406 when it accepts none).
A field left blank in the HTML form counts as not given; in a data request an empty value is a
400, as is a parameter given twice. A paginated query's answer is one page (`?page=2`); a grlc-style Link header
(rel="first", "prev", "next") and, on the HTML page, Previous / Next links lead to the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, render_template, request, url_for
from rdflib import BNode, Literal, URIRef
from werkzeug.datastructures import MultiDict

from ..errors import ParameterError, ResultTooLargeError
from ..queries import MAX_CANDIDATES, PAGE, Page, SavedQuery, candidates, get_query, load_catalogue, run_page
from ..results import GRAPH_TYPES, SELECT_TYPES, QueryResult
from .errors import error_response
from .formats import NotAcceptable, accepted, xml_problem
from .state import state

bp = Blueprint("queries", __name__)

TABLE_FORMATS = {"json": SELECT_TYPES["json"], "xml": SELECT_TYPES["xml"], "csv": SELECT_TYPES["csv"],
                 "tsv": SELECT_TYPES["tsv"]}
BOOLEAN_FORMATS = {"json": SELECT_TYPES["json"], "xml": SELECT_TYPES["xml"]}
GRAPH_FORMATS = {"ttl": GRAPH_TYPES["ttl"], "nt": GRAPH_TYPES["nt"], "jsonld": GRAPH_TYPES["jsonld"]}
SUFFIX_ALIASES = {"json": "jsonld"}  # a graph's .json is its JSON-LD, as application/json asks for elsewhere
RESERVED_ARGS = {"download"}


def formats_for(query: SavedQuery) -> dict[str, str]:
    return GRAPH_FORMATS if query.kind in ("CONSTRUCT", "DESCRIBE") else TABLE_FORMATS if query.kind == "SELECT" \
        else BOOLEAN_FORMATS


@bp.get("/queries")
def catalogue():
    catalogue = load_catalogue(state().settings)
    by_tag: dict[str, list[SavedQuery]] = {}
    for query in catalogue.values():
        for tag in query.tags or ("untagged",):
            by_tag.setdefault(tag, []).append(query)
    return render_template("queries.html", by_tag=dict(sorted(by_tag.items())), count=len(catalogue))


@bp.get("/queries/<name>")
def query_page(name: str):
    base, _, suffix = name.rpartition(".") if "." in name else (name, "", "")
    saved = get_query(state().settings, base)
    formats = formats_for(saved)
    fmt = _suffix_format(saved, suffix, formats) if suffix else _negotiate(formats)
    if isinstance(fmt, Response):
        return fmt
    values = _values(saved, request.args, from_form=fmt == "html")
    if fmt == "html":
        return _html(saved, values, formats)
    result, page = _run(saved, values)
    data = result.serialize(fmt)
    if fmt == "xml" and (problem := xml_problem(data)):
        return error_response(NotAcceptable(f"{problem}; ask for .json, .csv or .tsv"), 406)
    if len(data) > state().settings.max_output_bytes:
        raise ResultTooLargeError(f"the answer is larger than {state().settings.max_output_bytes} bytes")
    response = Response(data, mimetype=formats[fmt])
    response.headers["Vary"] = "Accept"
    if page is not None:
        response.headers["Link"] = link_header(page)
        response.headers["Access-Control-Expose-Headers"] = "Link"
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="{saved.name}.{fmt}"'
    return response


def page_links(page: Page, absolute: bool = True) -> dict[str, str]:
    """rel -> URL of the first, previous and next pages: this request's URL with only `page` changed
    (absolute for the Link header, as grlc gives them; from the site's root for the page's own links).
    No "last": knowing it would mean counting every row of the answer."""
    base = request.base_url if absolute else request.script_root + request.path

    def url(number: int) -> str:
        args = [(k, v) for k, v in request.args.items(multi=True) if k != PAGE] + [(PAGE, str(number))]
        return base + "?" + urlencode(args)

    links = {"first": url(1)}
    if page.has_previous:
        links["prev"] = url(page.number - 1)
    if page.has_next:
        links["next"] = url(page.number + 1)
    return links


def link_header(page: Page) -> str:
    return ", ".join(f'<{href}>; rel="{rel}"' for rel, href in page_links(page).items())


class NoSuchForm(LookupError):
    """A suffix this query's kind of answer has no form for."""


def _suffix_format(saved: SavedQuery, suffix: str, formats: dict[str, str]) -> str | Response:
    """The format a suffix names, or a 404 that names the suffixes this query has."""
    fmt = suffix if suffix in formats else SUFFIX_ALIASES.get(suffix)
    if fmt in formats:
        return fmt
    offered = ", ".join("." + f for f in formats)
    return error_response(NoSuchForm(f"{saved.name} is a {saved.kind} query; it has no .{suffix} form: "
                                     f"use {offered}"), 404)


def _negotiate(formats: dict[str, str]) -> str | Response:
    """"html" or a key of formats, by Accept (HTML without one); a 406 naming the types offered."""
    offers = {"text/html": "html", "application/xhtml+xml": "html"}
    offers.update({media_type: fmt for fmt, media_type in formats.items()})
    offers["application/json"] = "json" if "json" in formats else "jsonld"
    try:
        return accepted(offers, "html", request.headers.get("Accept"))
    except NotAcceptable as exc:
        response = error_response(exc, 406)
        response.headers["Vary"] = "Accept"
        return response


def _values(saved: SavedQuery, args: MultiDict, from_form: bool) -> dict[str, str]:
    """The parameters' values. A field left blank in the HTML form is not given (its default applies);
    in a data request an empty value is refused rather than quietly read as the default."""
    known = {p.name for p in saved.all_parameters}
    for key in args:
        if key not in known and key not in RESERVED_ARGS:
            raise ParameterError(key, f"query {saved.name!r} has no such parameter; it takes "
                                      f"{', '.join(sorted(known)) or 'none'}")
        if len(args.getlist(key)) > 1:
            raise ParameterError(key, f"is given {len(args.getlist(key))} times; give it once")
    values = {key: args[key] for key in args if key in known}
    if from_form:
        return {key: value for key, value in values.items() if value != ""}
    empty = next((key for key, value in values.items() if value == ""), None)
    if empty is not None:
        raise ParameterError(empty, "is empty; leave it out to use its default, or give a value")
    return values


def _run(saved: SavedQuery, values: dict[str, str]) -> tuple[QueryResult, Page | None]:
    app_state = state()
    return run_page(app_state.store, saved, values, max_rows=app_state.settings.max_rows,
                    base_iri=app_state.settings.base_iri)


def _ready(saved: SavedQuery, values: dict[str, str]) -> bool:
    return all(values.get(p.name) or p.default for p in saved.parameters if p.required)


def _html(saved: SavedQuery, values: dict[str, str], formats: dict[str, str]):
    app_state = state()
    error = None
    result = None
    page = None
    status = 200
    if _ready(saved, values):
        try:
            result, page = _run(saved, values)
        except ParameterError as exc:
            error, status = exc, 400
    fields = [_field(p, values) for p in saved.parameters]
    query_string = ("?" + urlencode(values)) if values else ""
    twins = [(fmt, media_type, url_for("queries.query_page", name=f"{saved.name}.{fmt}") + query_string)
             for fmt, media_type in formats.items()]
    table = _table(result) if result is not None else None
    links = page_links(page, absolute=False) if page is not None else {}
    html = render_template("queries_run.html", query=saved, fields=fields, error=error, result=result,
                           table=table, twins=twins, page=page, links=links, base_iri=app_state.settings.base_iri)
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    if page is not None:
        response.headers["Link"] = link_header(page)
    return response


@dataclass
class Field:
    name: str
    type: str
    required: bool
    value: str
    options: list[tuple[str, str]]  # (value, label)
    input_type: str
    hint: str = ""  # when there are too many candidates to list


def _field(param, values: dict[str, str]) -> Field:
    value = values.get(param.name) or param.default or ""
    found = candidates(state().store, param, MAX_CANDIDATES)
    options = [(str(iri), label) for iri, label in found or []]
    input_type = {"integer": "number", "date": "date"}.get(param.type, "text")
    hint = "" if found is not None else (f"more than {MAX_CANDIDATES} to list: give an IRI (Search finds it by name)")
    return Field(param.name, param.type if not param.language else f"text in {param.language}",
                 param.required, value, options, input_type, hint)


@dataclass
class Cell:
    text: str
    href: str | None = None
    label: str | None = None
    title: str | None = None


def _table(result: QueryResult) -> dict | None:
    """Header and rows of Cells; the parameters' echo columns (named _x) are left out of the page."""
    if result.kind == "ASK":
        return None
    if result.is_graph:
        header = ["subject", "predicate", "object"]
        rows = sorted(result.as_graph(), key=lambda t: tuple(str(x) for x in t))
    else:
        shown = [i for i, v in enumerate(result.variables) if not v.startswith("_")]
        header = [result.variables[i] for i in shown]
        rows = [tuple(row[i] for i in shown) for row in result.rows]
    labels = state().labels(t for row in rows for t in row if isinstance(t, URIRef))
    return {"header": header, "rows": [[_cell(t, labels) for t in row] for row in rows]}


def _cell(term, labels: dict) -> Cell:
    if term is None:
        return Cell("")
    if isinstance(term, URIRef):
        iri = str(term)
        return Cell(state().short(iri), href=entity_href(iri), label=labels.get(term), title=iri)
    if isinstance(term, BNode):
        return Cell(f"_:{term}")
    assert isinstance(term, Literal)
    lang = f"@{term.language}" if term.language else ""
    return Cell(str(term), title=lang or (str(term.datatype) if term.datatype else None))


def entity_href(iri: str) -> str | None:
    """Where an IRI links to: our own things to their /id/ page here, other http(s) IRIs to themselves.

    Anything else (javascript:, data:, urn: ...) gets no link at all.
    """
    base = state().settings.base_iri
    if iri.startswith(base):
        return request.script_root + "/id/" + quote(iri[len(base):], safe="/-._~%")
    if iri.lower().startswith(("http://", "https://")):
        return iri
    return None
