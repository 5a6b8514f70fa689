"""/dataset and /.well-known/void: the VoID + DCAT description of the dataset, its named graphs,
dumps and SPARQL endpoint; Turtle, N-Triples or JSON-LD by content negotiation, HTML for browsers."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from ..dataset_description import DatasetFacts, dataset_description, dataset_facts
from ..export import MEDIA_TYPES
from .cache import cached
from .conneg import RDF_FORMATS, alternates, negotiate, rdf_response, vary
from .state import state

bp = Blueprint("dataset", __name__)


def facts() -> DatasetFacts:
    app_state = state()
    return cached("dataset-facts", lambda: dataset_facts(app_state.store, app_state.settings.base_iri))


@bp.get("/dataset", defaults={"fmt": None})
@bp.get("/dataset.<fmt>")
def dataset_page(fmt: str | None):
    if fmt is not None and fmt not in RDF_FORMATS:
        abort(404)
    return _answer(fmt)


@bp.get("/.well-known/void", defaults={"fmt": None})
@bp.get("/.well-known/void.<fmt>")
def well_known_void(fmt: str | None):
    return dataset_page(fmt)


def _answer(suffix: str | None):
    chosen = negotiate(suffix)
    base_url = request.url_root.rstrip("/")
    if chosen != "html":
        return rdf_response(dataset_description(facts(), base_url), chosen)
    app_state = state()
    described = facts()
    labels = app_state.labels([*(c for c, _ in described.totals.classes), *described.sources])
    return vary(render_template("dataset.html", facts=described, base_url=base_url, labels=labels,
                                dumps=MEDIA_TYPES, alternates=alternates(url_for(".dataset_page"))))
