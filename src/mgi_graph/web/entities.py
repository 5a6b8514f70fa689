"""/id/...: every IRI the graph mints, as an HTML page or as RDF (Turtle, N-Triples, JSON-LD).

The suffix (.ttl, .nt, .jsonld) wins over the Accept header. Named graphs (/id/graph/...) answer
their VoID description; /id/dataset is the dataset itself and redirects to /dataset."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD
from rdflib.term import Node

from ..dataset_description import dataset_facts, dataset_iri, subset_description
from ..describe import Description, describe, outgoing
from ..incoming import incoming_groups, inverse_properties, phrase
from ..ontology_doc import NAMESPACE
from .cache import cached
from .conneg import alternates, negotiate, rdf_response, split_suffix, vary
from .links import term_href
from .state import state

bp = Blueprint("entities", __name__)
ELI_ID_LOCAL = URIRef("http://data.europa.eu/eli/ontology#id_local")
# Datatypes not worth showing beside a value: what they say is plain from the value itself.
PLAIN_DATATYPES = {XSD.string, XSD.integer, XSD.decimal, XSD.boolean}


@bp.get("/id/<path:path>")
def entity(path: str):
    app_state = state()
    path, suffix = split_suffix(path)
    iri = app_state.settings.base_iri + path
    if iri == str(dataset_iri(app_state.settings.base_iri)):
        return redirect(url_for("dataset.dataset_page", fmt=suffix) if suffix else url_for("dataset.dataset_page"),
                        code=303)
    description = _named_graph(iri) or describe(app_state.store, iri)
    if description is None:
        abort(404, description=f"The graph says nothing about {iri}.")
    fmt = negotiate(suffix)
    if fmt != "html":
        return rdf_response(description.to_rdf(), fmt)
    return vary(render_template("entity.html", **page_context(description, "/id/" + path)))


def _named_graph(iri: str) -> Description | None:
    """A named graph of the store, described by its VoID (counts, classes), or None."""
    app_state = state()
    if iri not in app_state.store.graph_names():
        return None
    facts = cached("dataset-facts", lambda: dataset_facts(app_state.store, app_state.settings.base_iri))
    graph = subset_description(facts, iri, request.url_root.rstrip("/"))
    return None if graph is None else Description(URIRef(iri), graph)


@bp.app_template_global("page_href")
def href(term: Node) -> str | None:
    """Where a term links to: ontology terms to /ontology#Term, our IRIs to /id/..., web IRIs out."""
    iri = str(term)
    if iri.startswith(NAMESPACE):
        return url_for("ontology.ontology_page") + "#" + iri[len(NAMESPACE):]
    if iri == NAMESPACE[:-1]:
        return url_for("ontology.ontology_page")
    return term_href(term, state().settings.base_iri)


def _nested(description: Description) -> dict[BNode, dict[URIRef, list[Node]]]:
    """The description of every blank node reached, shown inline where it is used."""
    blanks = {s for s in description.graph.subjects() if isinstance(s, BNode)}
    return {b: outgoing(description, b) for b in blanks}


def _title(description: Description, labels: dict) -> str:
    title = description.graph.value(description.iri, DCTERMS.title)
    candidates = [*description.labels("en"), labels.get(description.iri), str(title) if title else None]
    return next((c for c in candidates if c), state().short(description.iri))


def _texts(description: Description, predicate: URIRef) -> list[Literal]:
    """The literal values of one of its own predicates, English first, then Spanish, then the rest."""
    values = [o for o in description.graph.objects(description.iri, predicate) if isinstance(o, Literal)]
    order = {"en": 0, "es": 1}
    return sorted(values, key=lambda v: (order.get(v.language or "", 2), str(v)))


def page_context(description: Description, page_path: str) -> dict:
    """Everything entity.html shows, with the labels of every IRI on the page."""
    app_state = state()
    out_groups = outgoing(description)
    in_groups = incoming_groups(description, inverse_properties(app_state.store))
    nested = _nested(description)
    terms: set[Node] = {description.iri, *out_groups, *description.types}
    terms |= {t for g in in_groups for t in (g.predicate, g.inverse, *g.subjects) if t is not None}
    terms |= {v for values in out_groups.values() for v in values}
    terms |= {t for groups in nested.values() for p, vs in groups.items() for t in (p, *vs)}
    terms |= {s.assessment for s in description.sections if s.assessment is not None}
    terms |= {t for m in description.memberships for t in (m.membership, m.member, m.organization, m.role) if t}
    labels = app_state.labels(terms)

    def by_label(item: tuple) -> tuple[str, str]:
        return labels.get(item[0], app_state.short(item[0])).lower(), str(item[0])

    lists = [values for values in out_groups.values()] + [g.subjects for g in in_groups]
    phrased = sorted(((phrase(g, labels, app_state.short), g) for g in in_groups),
                     key=lambda pair: (pair[0].lower(), str(pair[1].predicate)))
    return {
        "iri": description.iri, "title": _title(description, labels), "labels": labels,
        "labels_en": description.labels("en"), "labels_es": description.labels("es"),
        "acronyms": description.acronyms, "types": description.types,
        "identifiers": _texts(description, ELI_ID_LOCAL), "descriptions": _texts(description, DCTERMS.description),
        "out_groups": sorted(out_groups.items(), key=by_label), "in_groups": phrased,
        "member_of": sorted(description.member_of(), key=lambda m: by_label((m.organization,))),
        "members": sorted(description.members(), key=lambda m: by_label((m.member,))),
        "nested": nested, "sections": description.sections, "sources": description.sources,
        "alternates": alternates(page_path), "href": href, "is_literal": lambda t: isinstance(t, Literal),
        "plain_datatypes": PLAIN_DATATYPES, "same_name": same_name(lists, labels),
    }


def same_name(lists: list[list[Node]], labels: dict) -> set[Node]:
    """The IRIs that share their label with another in the same list (a finding and the system it
    is about, both "Electronic apostille system"): the page says what kind of thing each is."""
    shared: set[Node] = set()
    for values in lists:
        by_label: dict[str, list[Node]] = {}
        for value in values:
            if isinstance(value, URIRef) and value in labels:
                by_label.setdefault(labels[value].lower(), []).append(value)
        shared |= {v for same in by_label.values() if len(same) > 1 for v in same}
    return shared

