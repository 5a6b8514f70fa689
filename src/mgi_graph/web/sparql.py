"""/sparql: a read-only SPARQL 1.1 Protocol endpoint.

GET (or HEAD) ?query=, POST form-encoded, POST application/sparql-query; default-graph-uri and
named-graph-uri; results by content negotiation, or by a format name in `format=` / `output=`
(formats.py). Every query is inspected (sparql_policy) before it runs; updates are refused whatever
the method. Browsers get the query page, with the results or the error under the query they sent.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict

from ..errors import (
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    StoreUnavailableError,
)
from ..queries import load_catalogue
from ..results import GRAPH_TYPES, RDFLIB_GRAPH_FORMATS, SELECT_TYPES, QueryResult
from ..sparql_policy import inspect_query
from .formats import FORMAT_NAMES, NotAcceptable, accepted, named_format, xml_problem
from .service_description import service_description
from .state import state

bp = Blueprint("sparql", __name__)

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
READ_ONLY = "SPARQL Update is not accepted: this endpoint is read-only."
RETRY_AFTER = "30"  # seconds, as errors.error_response says on the app's other 503s

# What each kind of answer is offered as (media type -> format key), in the order Accept's ties are
# broken: the first is what */* gets. application/json is the common alias of each JSON form.
HTML_OFFERS = {"text/html": "html", "application/xhtml+xml": "html"}
TABLE_OFFERS = {SELECT_TYPES["json"]: "json", "application/json": "json", SELECT_TYPES["xml"]: "xml",
                "application/xml": "xml", SELECT_TYPES["csv"]: "csv", SELECT_TYPES["tsv"]: "tsv", **HTML_OFFERS}
BOOLEAN_OFFERS = {media: key for media, key in TABLE_OFFERS.items() if key in ("json", "xml", "html")}
GRAPH_OFFERS = {GRAPH_TYPES["ttl"]: "ttl", "application/x-turtle": "ttl", "application/turtle": "ttl",
                GRAPH_TYPES["nt"]: "nt", GRAPH_TYPES["jsonld"]: "jsonld", "application/json": "jsonld",
                GRAPH_TYPES["rdf"]: "rdf", "application/xml": "rdf"}
SERVICE_OFFERS = {**GRAPH_OFFERS, **HTML_OFFERS}
ERROR_OFFERS = {"text/plain": "plain", **HTML_OFFERS}
MEDIA_TYPES = {**SELECT_TYPES, **GRAPH_TYPES}
XML_FORMATS = ("xml", "rdf")


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Sent:
    """What a request sends: the query (None for a bare GET), its dataset and the format names it asks for."""

    query: str | None
    default_graphs: list[str]
    named_graphs: list[str]
    formats: list[str]

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], strict_slashes=False)
def endpoint():
    if request.method == "OPTIONS":
        return Response(status=204)  # a CORS preflight: the app's after_request adds the headers
    sent = None
    try:
        sent = _read_request()
        response = _describe_service(sent) if sent.query is None else _answer(sent)
    except ProtocolError as exc:
        response = _error(exc, sent)
    response.vary.add("Accept")  # every answer here, errors included, is chosen by Accept
    return response


# -- reading the request ---------------------------------------------------------------------
def _read_request() -> Sent:
    """The query, dataset and format names, from the URL and (for a form) the body; or a ProtocolError."""
    params = _decoded_params(request.query_string, "the URL's query string")
    _refuse_updates(params)
    if request.method in ("GET", "HEAD"):  # Flask answers HEAD with the GET route: the same answer, no body
        return _sent(params, params.getlist("query"))
    mimetype = request.mimetype
    if mimetype == FORM_TYPE:
        _require_utf8()
        params = MultiDict(list(params.items(multi=True)) +
                           list(_decoded_params(request.get_data(cache=True), "the form body").items(multi=True)))
        _refuse_updates(params)
        queries = params.getlist("query")
    elif mimetype == QUERY_TYPE:
        _require_utf8()
        try:
            # A query= in the URL as well is two queries: refused below rather than one ignored.
            queries = params.getlist("query") + [request.get_data(cache=True).decode("utf-8")]
        except UnicodeDecodeError as exc:
            raise ProtocolError(400, f"the query is not valid UTF-8: {exc}") from None
    elif mimetype == UPDATE_TYPE:
        raise ProtocolError(403, READ_ONLY)
    else:
        raise ProtocolError(
            415, f"POST a query as {FORM_TYPE} (query=...) or as {QUERY_TYPE}; got {mimetype or 'no media type'}")
    if not queries:
        raise ProtocolError(400, "no query: send query=... or a SPARQL query body")
    return _sent(params, queries)


def _sent(params: MultiDict, queries: list[str]) -> Sent:
    if len(queries) > 1:
        raise ProtocolError(400, "send exactly one query parameter")
    return Sent(queries[0] if queries else None, params.getlist("default-graph-uri"),
                params.getlist("named-graph-uri"), params.getlist("format") + params.getlist("output"))


def _decoded_params(raw: bytes, where: str) -> MultiDict:
    """Parameters of a query string or form body, refused unless they are UTF-8 once percent-decoded.
    Werkzeug would keep an invalid %FF as the text "%FF", and drop a form field whose bytes do not decode."""
    try:
        return MultiDict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"))
    except UnicodeDecodeError:
        raise ProtocolError(400, f"{where} is not valid UTF-8 once percent-decoded; send the query as UTF-8") from None


def _refuse_updates(params: MultiDict) -> None:
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise ProtocolError(403, READ_ONLY)


def _require_utf8() -> None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"send the request body as UTF-8, not {charset}")


# -- answering ---------------------------------------------------------------------------------
def _answer(sent: Sent) -> Response:
    app_state = state()
    text = sent.query or ""
    if not text.strip():  # rdflib reads an empty text as an empty update: say what is wrong instead
        raise ProtocolError(400, "the query is empty: send a SPARQL query in query=... or as the body")
    if len(text.encode("utf-8", "surrogatepass")) > app_state.settings.max_query_bytes:
        raise ProtocolError(413, f"the query is longer than {app_state.settings.max_query_bytes} bytes")
    known = set(app_state.store.graph_names())
    default_graphs, named_graphs = _protocol_dataset(sent, known)
    with _in_lane(app_state):
        result = _run(app_state, text, known, sent, default_graphs, named_graphs)
    fmt = _format(sent, *_offers(result))
    if fmt == "html":
        return _page(text, result=result)
    body = _body(result, fmt)
    if len(body) > app_state.settings.max_output_bytes:
        raise ProtocolError(413, f"the result is larger than {app_state.settings.max_output_bytes} bytes; "
                                 "narrow the query or add a LIMIT")
    return Response(body, mimetype=MEDIA_TYPES[fmt])


def _run(app_state, text: str, known: set[str], sent: Sent, default_graphs, named_graphs) -> QueryResult:
    """Check the query, then run the text that was checked; the store's errors as protocol errors."""
    try:
        info = _inspect(app_state.store, text, known)
        result = app_state.store.query(
            info.text,  # as checked: its codepoint escapes expanded (sparql_policy.expand_escapes)
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            # The protocol's dataset wins over FROM; without either, the default graph is the union.
            union_default=not (sent.has_dataset or info.from_graphs or info.from_named_graphs),
            max_rows=app_state.settings.max_rows,
            base_iri=request.base_url,  # relative IRIs resolve against the endpoint, as the protocol allows
        )
    except (QuerySyntaxError, QueryRefusedError) as exc:
        raise ProtocolError(400, str(exc)) from None
    except ResultTooLargeError as exc:
        raise ProtocolError(413, str(exc)) from None
    except QueryTimeoutError as exc:
        raise ProtocolError(503, str(exc)) from None
    except StoreUnavailableError as exc:
        raise ProtocolError(504 if exc.timeout else 502, str(exc)) from None
    return result


@contextmanager
def _in_lane(app_state):
    """Hold one of the /sparql places (AppState.sparql_lane) while the query is checked and runs;
    a request that finds none free within the time limit gets a 503, like a query past it."""
    lane = app_state.sparql_lane
    if lane is None:
        yield
        return
    limit = app_state.settings.query_timeout
    if not lane.acquire(timeout=limit):
        raise ProtocolError(503, f"every place for queries from outside stayed busy for {limit:g} s; "
                                 "try again in a moment")
    try:
        yield
    finally:
        lane.release()


def _inspect(store, text: str, known: set[str]):
    """The query policy's verdict: from a query worker, under the time limit, when the store has
    workers (BoundedStore.inspect_query); here otherwise."""
    in_worker = getattr(store, "inspect_query", None)
    return in_worker(text) if in_worker is not None else inspect_query(text, known)


def _protocol_dataset(sent: Sent, known: set[str]) -> tuple[list[str] | None, list[str] | None]:
    """The dataset the protocol's parameters name. Like FROM / FROM NAMED, once either is given the
    dataset is exactly what they name, the other part empty; (None, None) when neither is."""
    if not sent.has_dataset:
        return None, None
    unknown = [g for g in sent.default_graphs + sent.named_graphs if g not in known]
    if unknown:
        raise ProtocolError(400, "default-graph-uri / named-graph-uri may only name graphs this service holds; "
                                 f"{unknown[0]} is not one of them "
                                 "(nothing is ever fetched from the web or from files)")
    return sent.default_graphs, sent.named_graphs


def _offers(result: QueryResult) -> tuple[dict[str, str], str]:
    if result.is_graph:
        return GRAPH_OFFERS, "ttl"
    return (BOOLEAN_OFFERS if result.kind == "ASK" else TABLE_OFFERS), "json"


def _format(sent: Sent, offers: dict[str, str], default: str) -> str:
    """The format the answer is written in: the first of format= / output= this answer can be, else
    what Accept rates highest (406 when it accepts nothing offered), else the default. A name this
    answer cannot be (SPARQLWrapper sends format=xml for a SELECT and a CONSTRUCT alike) falls back to Accept."""
    try:
        named = named_format(sent.formats, offers)
    except KeyError as exc:
        raise ProtocolError(406, f"format {exc.args[0]!r} is not known; use a media type or one of "
                                 f"{', '.join(FORMAT_NAMES)}") from None
    if named:
        return named
    try:
        return accepted(offers, default, request.headers.get("Accept"))
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from None


def _body(result: QueryResult, fmt: str) -> bytes:
    """The answer written in fmt; 406 when that format cannot carry it (XML has no way to write some
    characters, and RDF/XML no way to write a predicate whose IRI ends in no XML name)."""
    try:
        body = result.serialize(fmt)
    except ValueError as exc:  # rdflib: "Can't split 'http://x/p/'", "no valid way to shorten ..."
        if fmt != "rdf":
            raise
        raise ProtocolError(406, f"this graph cannot be written as RDF/XML, which writes every predicate as an XML "
                                 f"element name ({exc}); ask for Turtle, N-Triples or JSON-LD") from None
    if fmt in XML_FORMATS and (problem := xml_problem(body)):
        other = "Turtle, N-Triples or JSON-LD" if result.is_graph else "JSON, CSV or TSV"
        raise ProtocolError(406, f"{problem}, so it cannot be written as XML; ask for {other}")
    return body


def _describe_service(sent: Sent) -> Response:
    fmt = _format(sent, SERVICE_OFFERS, "ttl")
    if fmt == "html":
        return _page(None)
    graph = service_description(request.base_url.rstrip("/"), state().store)
    return Response(graph.serialize(format=RDFLIB_GRAPH_FORMATS[fmt], encoding="utf-8"), mimetype=GRAPH_TYPES[fmt])


def _error(exc: ProtocolError, sent: Sent | None) -> Response:
    """The error in plain text, or for a browser the query page again, the query kept and the message shown."""
    try:
        as_html = accepted(ERROR_OFFERS, "plain", request.headers.get("Accept")) == "html"
    except NotAcceptable:
        as_html = False  # nothing fits: plain text says it best
    if as_html:
        response = _page(sent.query if sent else None, error=str(exc), status=exc.status)
    else:
        response = Response(str(exc) + "\n", status=exc.status, mimetype="text/plain")
    if exc.status == 503:
        response.headers["Retry-After"] = RETRY_AFTER
    return response


def _page(query: str | None, result: QueryResult | None = None, error: str | None = None,
          status: int = 200) -> Response:
    app_state = state()
    labels = app_state.labels(t for row in result.rows for t in row) if result is not None else {}
    html = render_template("sparql.html", query=query, result=result, error=error, labels=labels,
                           examples=_examples())
    return Response(html, status=status, mimetype="text/html")


def _examples() -> list:
    """Saved queries that run as they are (no required parameter): the page's examples."""
    catalogue = load_catalogue(state().settings)
    return [q for q in catalogue.values() if not any(p.required for p in q.parameters)]
