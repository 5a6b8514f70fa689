"""/ontology: documentation generated from the ontology graph, and the ontology as RDF by content
negotiation (or /ontology.ttl, .nt, .jsonld). Term IRIs (…/ontology#Term) reach the server as
/ontology/Term at most (the fragment stays in the browser), so those redirect to /ontology#Term."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from rdflib import OWL, Graph

from ..ontology_doc import NAMESPACE, OntologyDoc, ontology_doc, ontology_graph
from ..settings import ONTOLOGY_IRI
from ..sources import graph_iri
from .cache import cached
from .conneg import RDF_FORMATS, alternates, negotiate, rdf_response, vary
from .state import state

bp = Blueprint("ontology", __name__)


def _graph() -> Graph:
    app_state = state()
    return cached("ontology-graph", lambda: ontology_graph(app_state.store, graph_iri(app_state.settings, "ontology")))


def _doc() -> OntologyDoc:
    return cached("ontology-doc", lambda: ontology_doc(_graph()))


@bp.get("/ontology", defaults={"fmt": None})
@bp.get("/ontology.<fmt>")
def ontology_page(fmt: str | None):
    if fmt is not None and fmt not in RDF_FORMATS:
        abort(404)
    chosen = negotiate(fmt)
    if chosen != "html":
        return rdf_response(_graph(), chosen)
    doc = _doc()
    if not doc.sections:
        abort(404, description="No ontology is loaded.")
    return vary(render_template("ontology.html", doc=doc, alternates=alternates(url_for(".ontology_page"))))


@bp.get("/ontology/<path:name>")
def term(name: str):
    """303 to the term's anchor; the version IRI (…/ontology/0.1.0) to the page itself."""
    page = url_for(".ontology_page")
    anchors = {t.ref.anchor for t in _doc().terms() if t.ref.iri.startswith(NAMESPACE)}
    if name in anchors:
        return redirect(f"{page}#{name}", code=303)
    versions = {str(v) for v in _graph().objects(predicate=OWL.versionIRI)}
    if f"{ONTOLOGY_IRI}/{name}" in versions:
        return redirect(page, code=303)
    abort(404, description=f"The ontology has no term {name!r}.")

