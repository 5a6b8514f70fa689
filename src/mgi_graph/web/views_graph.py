"""Pictures and paths: an entity's neighbourhood (/network/<id path>, .svg, .json, .csv) and the
path finder (/paths?from=...&to=..., .json, .csv). Also the network_figure() template global, so
any page (the entity page) can show the picture inline, where its links are clickable."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from markupsafe import Markup
from rdflib import URIRef

from ..errors import ParameterError
from ..network import Neighbourhood, neighbourhood, to_svg
from ..paths import MAX_DEPTH, shortest_paths
from ..search import search
from .links import term_href
from .state import state
from .twins import csv_twin, dict_rows, json_twin, twin_links

bp = Blueprint("graphviews", __name__)
NETWORK_COLUMNS = ["subject", "subject_label", "subject_kind", "relation", "relation_label", "object",
                   "object_label", "object_kind"]
PATH_COLUMNS = ["path", "step", "from", "from_label", "relation", "relation_label", "direction", "to", "to_label"]


def _hood(path: str) -> Neighbourhood:
    app_state = state()
    iri = URIRef(app_state.settings.base_iri + path)
    hood = neighbourhood(app_state.store, iri, app_state.short)
    if _says_nothing(hood):
        abort(404, description=f"The graph says nothing about {iri}.")
    return hood


def _says_nothing(hood: Neighbourhood) -> bool:
    """No relation and no class: a named graph, or an IRI the graph does not hold (the page is a 404)."""
    return not hood.neighbours and hood.centre.cls is None


def _svg(hood: Neighbourhood) -> str:
    base = state().settings.base_iri
    return to_svg(hood, lambda iri: term_href(iri, base))


@bp.get("/network/<path:path>", defaults={"fmt": "html"})
@bp.get("/network/<path:path>.<any(svg, json, csv):fmt>")
def network(path: str, fmt: str):
    hood = _hood(path)
    name = "network-" + path.replace("/", "-")
    if fmt == "svg":
        return Response(_svg(hood), mimetype="image/svg+xml")
    if fmt == "json":
        return json_twin(hood.to_json(), name)
    if fmt == "csv":
        return csv_twin(dict_rows(hood.rows(), NETWORK_COLUMNS), name)
    return render_template("network.html", hood=hood, path=path, figure=_figure(hood, path),
                           twins=twin_links("graphviews.network", path=path))


def _figure(hood: Neighbourhood, path: str) -> Markup:
    # The SVG is markup built by network.to_svg, which escapes every name and link it draws.
    return Markup(render_template("_network_figure.html", svg=Markup(_svg(hood)), path=path, hood=hood))


@bp.app_template_global("network_figure")
def network_figure(iri: object) -> Markup:
    """The neighbourhood picture of an IRI of ours, inline (for the entity page), with links to its
    network page; empty when that page would answer 404 (a named graph) or the IRI is not ours."""
    base = state().settings.base_iri
    text = str(iri)
    if not text.startswith(base):
        return Markup("")
    hood = neighbourhood(state().store, URIRef(text), state().short)
    return Markup("") if _says_nothing(hood) else _figure(hood, text[len(base):])


@bp.get("/paths", defaults={"fmt": "html"})
@bp.get("/paths.<any(json, csv):fmt>")
def paths(fmt: str):
    start, start_note = _entity_arg("from")
    end, end_note = _entity_arg("to")
    depth = _depth()
    through = request.args.get("findings") in ("1", "on", "true")
    result = None
    if start is not None and end is not None:
        result = shortest_paths(state().store, start, end, max_depth=depth, through_findings=through,
                                short=state().short)
    if fmt != "html":
        if result is None:
            raise ParameterError("from" if start is None else "to", "give an entity IRI or name")
        if fmt == "json":
            return json_twin(result.to_json(), "paths")
        return csv_twin(dict_rows(result.rows(), PATH_COLUMNS), "paths")
    return render_template("paths.html", result=result, depth=depth, through=through,
                           values={"from": request.args.get("from", ""), "to": request.args.get("to", "")},
                           notes={"from": start_note, "to": end_note}, max_depth=MAX_DEPTH,
                           twins=twin_links("graphviews.paths") if result else [])


def _entity_arg(name: str) -> tuple[URIRef | None, list]:
    """An IRI given as is, or a name resolved by search (the best hit; the others offered)."""
    value = request.args.get(name, "").strip()[:300]
    if not value:
        return None, []
    if value.startswith(("http://", "https://")):
        return URIRef(value), []
    hits = search(state().store, value, limit=8).hits
    if not hits:
        if request.path.endswith((".json", ".csv")):
            raise ParameterError(name, f"nothing is called {value!r}")
        return None, []
    return hits[0].iri, [(hit, _with(name, str(hit.iri))) for hit in hits]


def _with(name: str, value: str) -> str:
    """This page's URL with one argument changed."""
    args = request.args.to_dict()
    args[name] = value
    return url_for("graphviews.paths", **args)


def _depth() -> int:
    raw = request.args.get("depth", "")
    if not raw:
        return MAX_DEPTH
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_DEPTH:
        raise ParameterError("depth", f"a whole number from 1 to {MAX_DEPTH}")
    return int(raw)
