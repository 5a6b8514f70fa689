"""/sparql: a read-only SPARQL 1.1 Protocol endpoint.

GET ?query=, POST form-encoded, POST application/sparql-query; default-graph-uri and
named-graph-uri; results by content negotiation (or ?format=). Every query is inspected
(sparql_policy) before it runs; updates are refused whatever the method.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from ..errors import (
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    StoreUnavailableError,
)
from ..queries import load_catalogue
from ..results import GRAPH_TYPES, SELECT_TYPES
from ..sparql_policy import inspect_query
from .service_description import service_description
from .state import state

bp = Blueprint("sparql", __name__)

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
READ_ONLY = "SPARQL Update is not accepted: this endpoint is read-only."
BOOLEAN_FORMATS = ("json", "xml")


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], strict_slashes=False)
def endpoint():
    if request.method == "OPTIONS":
        return _cors(Response(status=204))
    try:
        text, default_graphs, named_graphs = _read_request()
        if text is None:
            return _cors(_describe_service())
        return _cors(_answer(text, default_graphs, named_graphs))
    except ProtocolError as exc:
        return _cors(_plain(exc.status, str(exc)))


def _read_request() -> tuple[str | None, list[str], list[str]]:
    """The query text (None for a bare GET) and the protocol dataset, or a ProtocolError."""
    args = request.args
    if "update" in args or "using-graph-uri" in args or "using-named-graph-uri" in args:
        raise ProtocolError(403, READ_ONLY)
    default_graphs = args.getlist("default-graph-uri")
    named_graphs = args.getlist("named-graph-uri")
    if request.method == "GET":
        queries = args.getlist("query")
    else:
        mimetype = request.mimetype
        if mimetype == FORM_TYPE:
            form = request.form
            if "update" in form:
                raise ProtocolError(403, READ_ONLY)
            queries = args.getlist("query") + form.getlist("query")
            default_graphs += form.getlist("default-graph-uri")
            named_graphs += form.getlist("named-graph-uri")
        elif mimetype == QUERY_TYPE:
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise ProtocolError(415, f"the query must be sent as UTF-8, not {charset}")
            try:
                queries = [request.get_data(cache=True).decode("utf-8")]
            except UnicodeDecodeError as exc:
                raise ProtocolError(400, f"the query is not valid UTF-8: {exc}") from None
        elif mimetype == UPDATE_TYPE:
            raise ProtocolError(403, READ_ONLY)
        else:
            raise ProtocolError(
                415, f"POST a query as {FORM_TYPE} (query=...) or as {QUERY_TYPE}; got {mimetype or 'no media type'}")
        if not queries:
            raise ProtocolError(400, "no query: send query=... or a SPARQL query body")
    if len(queries) > 1:
        raise ProtocolError(400, "send exactly one query parameter")
    return (queries[0] if queries else None), default_graphs, named_graphs


def _answer(text: str, default_graphs: list[str], named_graphs: list[str]) -> Response:
    app_state = state()
    if len(text.encode("utf-8", "surrogatepass")) > app_state.settings.max_query_bytes:
        raise ProtocolError(413, f"the query is longer than {app_state.settings.max_query_bytes} bytes")
    protocol_dataset = bool(default_graphs or named_graphs)
    try:
        info = inspect_query(text, app_state.store.graph_names())
        result = app_state.store.query(
            info.text,
            default_graphs=default_graphs or None,
            named_graphs=named_graphs or None,
            # The protocol's dataset wins over FROM; without either, the default graph is the union.
            union_default=not (protocol_dataset or info.from_graphs or info.from_named_graphs),
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
    if result.is_graph:
        fmt = _choose(GRAPH_TYPES, "ttl")
        body, mimetype = result.serialize(fmt), GRAPH_TYPES[fmt]
    else:
        if _wants_html():
            return Response(render_template("sparql.html", query=text, result=result, examples=_examples(),
                                            labels=app_state.labels(t for row in result.rows for t in row)))
        allowed = BOOLEAN_FORMATS if result.kind == "ASK" else tuple(SELECT_TYPES)
        fmt = _choose({k: SELECT_TYPES[k] for k in allowed}, "json")
        body, mimetype = result.serialize(fmt), SELECT_TYPES[fmt]
    if len(body) > app_state.settings.max_output_bytes:
        raise ProtocolError(413, f"the result is larger than {app_state.settings.max_output_bytes} bytes; "
                                 "narrow the query or add a LIMIT")
    return Response(body, mimetype=mimetype, headers={"Vary": "Accept"})


def _choose(types: dict[str, str], default: str) -> str:
    """The format asked for by ?format=, else by the Accept header, else the default."""
    asked = request.args.get("format")
    if asked:
        if asked not in types:
            raise ProtocolError(406, f"format {asked!r} is not available here; use one of {', '.join(types)}")
        return asked
    by_type = {media: key for key, media in types.items()}
    best = request.accept_mimetypes.best_match(list(by_type), default=None)
    return by_type.get(best, default) if best else default


def _wants_html() -> bool:
    if request.args.get("format"):
        return False
    accept = request.accept_mimetypes
    return accept.best == "text/html" or (
        accept["text/html"] > accept["application/sparql-results+json"] and accept["text/html"] > 0)


def _describe_service() -> Response:
    app_state = state()
    if _wants_html():
        return Response(render_template("sparql.html", query=None, result=None, labels={}, examples=_examples()))
    graph = service_description(request.base_url.rstrip("/"), app_state.store)
    fmt = _choose(GRAPH_TYPES, "ttl")
    return Response(graph.serialize(format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}[fmt],
                                    encoding="utf-8"), mimetype=GRAPH_TYPES[fmt], headers={"Vary": "Accept"})


def _examples() -> list:
    """Saved queries that run as they are (no required parameter): the page's examples."""
    catalogue = load_catalogue(state().settings)
    return [q for q in catalogue.values() if not any(p.required for p in q.parameters)]


def _plain(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response
