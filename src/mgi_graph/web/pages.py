"""The home page and the whole-graph downloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from ..export import MEDIA_TYPES, export_graph
from ..stats import graph_stats
from .state import state

bp = Blueprint("pages", __name__)

ASSESSMENTS = """
PREFIX mgi: <https://w3id.org/mgi-graph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?assessment ?title ?year ?kind WHERE {
  ?assessment a ?kind ; mgi:year ?year .
  VALUES ?kind { mgi:NationalAssessment mgi:LocalAssessment }
  OPTIONAL { ?assessment dcterms:title ?title }
} ORDER BY DESC(?year) ?assessment
"""

@bp.get("/")
def home():
    app_state = state()
    stats = graph_stats(app_state.store)
    per_dimension = app_state.store.query(
        """PREFIX mgi: <https://w3id.org/mgi-graph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?dimension ?notation ?label
               (COUNT(DISTINCT ?finding) AS ?findings) (COUNT(DISTINCT ?cited) AS ?entities) WHERE {
          ?dimension a ?kind ; skos:notation ?notation ; skos:prefLabel ?label .
          VALUES ?kind { mgi:MigofPrinciple mgi:MigofObjective }
          FILTER(lang(?label) = "en")
          OPTIONAL { ?finding mgi:dimension ?dimension ; a mgi:Finding .
                     OPTIONAL { ?finding mgi:cites ?cited } }
        } GROUP BY ?dimension ?notation ?label ORDER BY ?notation"""
    ).rows
    assessments = app_state.store.query(ASSESSMENTS).rows
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
    data = export_graph(state().store, fmt)
    response = Response(data, mimetype=MEDIA_TYPES[fmt])
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="mgi-graph.{fmt}"'
    return response
