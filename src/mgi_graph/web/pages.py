"""The home page and the whole-graph downloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, send_file

from ..export import MEDIA_TYPES, export_graph
from ..sparql_files import internal_query
from ..stats import graph_stats
from ..store import inferred_graph
from .state import state

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    app_state = state()
    stats = graph_stats(app_state.store, inferred_graph(app_state.settings))
    per_dimension = app_state.store.query(internal_query("home-dimensions")).rows
    assessments = app_state.store.query(internal_query("home-assessments")).rows
    ours = [(cls, n) for cls, n in stats.per_class if cls.startswith("https://w3id.org/mgi-graph/ontology#")
            or cls.startswith("http://www.w3.org/ns/org#")]
    return render_template("home.html", stats=stats, kinds=ours, dimensions=per_dimension,
                           assessments=assessments, labels=app_state.labels(r[0] for r in assessments))


@bp.get("/downloads")
def downloads():
    return render_template("downloads.html", formats=MEDIA_TYPES)


@bp.get("/graph.<fmt>")
def graph_dump(fmt: str):
    if fmt not in MEDIA_TYPES:
        abort(404)
    app_state = state()
    path = app_state.exports.path(app_state.store, fmt)
    if path is not None:  # written by the store itself, streamed from the file
        response = send_file(path, mimetype=MEDIA_TYPES[fmt], conditional=True)
    else:
        response = Response(export_graph(app_state.store, fmt), mimetype=MEDIA_TYPES[fmt])
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="mgi-graph.{fmt}"'
    return response
