"""Linked data: /id/... pages and their RDF twins, /ontology, /dataset and /.well-known/void."""

from __future__ import annotations

import json
from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef

from mgi_graph.describe import describe
from mgi_graph.sources import parse_bytes
from mgi_graph.store import EmbeddedStore, inferred_graph
from mgi_graph.web import create_app

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
ORG = Namespace("http://www.w3.org/ns/org#")
MGI = Namespace("https://w3id.org/mgi-graph/ontology#")
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}


@pytest.fixture(scope="module")
def igm_page(app):
    response = app.test_client().get("/id/org/gtm/igm", headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_entity_page_shows_labels_types_and_provenance(igm_page):
    assert "Guatemalan Migration Institute" in igm_page
    assert "Instituto Guatemalteco de Migración" in igm_page
    assert 'href="/ontology#PublicBody"' in igm_page  # its type, linked to the ontology docs
    assert 'href="/id/section/gtm-2022/2.1"' in igm_page  # stated in section 2.1 ...
    assert 'href="/id/assessment/gtm-2022"' in igm_page  # ... of the 2022 assessment
    for fmt in ("ttl", "nt", "jsonld"):
        assert '<link rel="alternate" type="' in igm_page and f'href="/id/org/gtm/igm.{fmt}"' in igm_page


def test_entity_page_groups_outgoing_and_incoming_links(igm_page):
    outgoing = igm_page.split('id="outgoing"')[1].split('id="incoming"')[0]
    incoming = igm_page.split('id="incoming"')[1]
    assert "created by" in outgoing and "Migration Code" in outgoing
    assert 'href="/id/instrument/gtm/decree-no-44-2016"' in outgoing
    assert "replaces" in incoming and 'href="/id/org/gtm/directorate-general-of-migration"' in incoming
    memberships = igm_page.split('id="memberships"')[1].split('id="outgoing"')[0]
    assert "member of" in memberships and 'href="/id/membership/gtm/cap/gtm/igm"' in memberships


def test_an_entity_linked_from_many_things_lists_some_and_counts_all(app, store, monkeypatch):
    monkeypatch.setattr("mgi_graph.describe.MAX_INCOMING", 2)
    page = app.test_client().get("/id/concept/migof/1", headers={"Accept": "text/html"}).get_data(as_text=True)
    incoming = page.split('id="incoming"')[1]
    assert "more, not listed here" in incoming
    full = describe(store, "https://w3id.org/mgi-graph/id/concept/migof/1")
    assert full is not None and max(full.incoming_counts.values()) > 2
    assert all(n <= 2 for n in Counter(p for _, p in full.incoming).values())


def test_blank_node_periods_are_shown_inline(client):
    page = client.get("/id/membership/int/rcm/country/gtm-pro-tempore-presidency").get_data(as_text=True)
    assert "2019" in page and "/ontology#" in page


@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_content_negotiation(client, media_type):
    response = client.get("/id/org/gtm/igm", headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    graph = Graph().parse(data=response.data, format=RDF_TYPES[media_type])
    igm = URIRef("https://w3id.org/mgi-graph/id/org/gtm/igm")
    assert (igm, MGI.createdBy, URIRef("https://w3id.org/mgi-graph/id/instrument/gtm/decree-no-44-2016")) in graph
    assert (URIRef("https://w3id.org/mgi-graph/id/membership/gtm/cap/gtm/igm"), ORG.member, igm) in graph


@pytest.mark.parametrize("suffix,media_type", [("ttl", "text/turtle"), ("nt", "application/n-triples"),
                                               ("jsonld", "application/ld+json")])
def test_suffix_wins_over_accept(client, suffix, media_type):
    response = client.get(f"/id/org/gtm/igm.{suffix}", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == media_type
    if suffix == "jsonld":
        json.loads(response.data)


def test_rdf_includes_blank_node_closure(client):
    response = client.get("/id/membership/int/rcm/country/gtm-pro-tempore-presidency.ttl")
    graph = Graph().parse(data=response.data, format="turtle")
    period = graph.value(URIRef("https://w3id.org/mgi-graph/id/membership/int/rcm/country/gtm-pro-tempore-presidency"),
                         ORG.memberDuring)
    assert period is not None and graph.value(period, DCAT.startDate) is not None


def test_unknown_iri_is_404(client):
    assert client.get("/id/org/gtm/no-such-body").status_code == 404
    assert client.get("/id/org/gtm/no-such-body.ttl").status_code == 404


def test_every_minted_iri_resolves(client, graph, store, settings):
    base = settings.base_iri
    minted = {t for triple in graph for t in (triple[0], triple[2])
              if isinstance(t, URIRef) and str(t).startswith(base)}
    minted |= {URIRef(g) for g in store.graph_names() if g.startswith(base)}
    assert len(minted) > 400
    failed = [str(iri) for iri in sorted(minted)
              if client.get("/id/" + str(iri)[len(base):]).status_code != 200]
    assert failed == []


def test_named_graph_pages_describe_their_content(client):
    response = client.get("/id/graph/profile/gtm-2022.ttl")
    graph = Graph().parse(data=response.data, format="turtle")
    node = URIRef("https://w3id.org/mgi-graph/id/graph/profile/gtm-2022")
    assert (node, RDF.type, VOID.Dataset) in graph
    assert int(graph.value(node, VOID.triples)) > 1000


def test_ontology_page_lists_every_class_and_property(client, store, settings):
    page = client.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    ontology = Graph().parse(data=client.get("/ontology", headers={"Accept": "text/turtle"}).data, format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {s for kind in kinds for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    assert len(terms) > 100
    missing = [str(t) for t in terms if f"<code>{t}</code>" not in page]
    assert missing == []
    assert 'id="Finding"' in page and "Hallazgo" in page


def test_ontology_turtle_and_term_redirects(client):
    response = client.get("/ontology.ttl")
    assert response.mimetype == "text/turtle"
    assert (URIRef("https://w3id.org/mgi-graph/ontology"), RDF.type, OWL.Ontology) in Graph().parse(
        data=response.data, format="turtle")
    redirect = client.get("/ontology/Finding")
    assert redirect.status_code == 303 and redirect.headers["Location"].endswith("/ontology#Finding")
    assert client.get("/ontology/NoSuchTerm").status_code == 404


@pytest.mark.parametrize("path", ["/dataset", "/.well-known/void"])
def test_dataset_description(client, graph, settings, path):
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    description = Graph().parse(data=response.data, format="turtle")
    dataset = URIRef("https://w3id.org/mgi-graph/id/dataset")
    assert (dataset, RDF.type, VOID.Dataset) in description and (dataset, RDF.type, DCAT.Dataset) in description
    inferred = URIRef(inferred_graph(settings))
    # The dataset is what the sources state (the dumps, `graph`) plus the derived inferred subset.
    assert int(description.value(dataset, VOID.triples)) == len(graph) + int(description.value(inferred, VOID.triples))
    assert description.value(dataset, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    dumps = {str(d).rsplit("/", 1)[1] for d in description.objects(dataset, VOID.dataDump)}
    assert dumps == {"graph.ttl", "graph.nt", "graph.jsonld"}
    service = description.value(predicate=DCAT.servesDataset, object=dataset)
    assert (service, RDF.type, DCAT.DataService) in description
    assert str(description.value(service, DCAT.endpointURL)).endswith("/sparql")
    assert len(list(description.objects(dataset, VOID.subset))) == 4 and (dataset, VOID.subset, inferred) in description
    assert len(list(description.objects(dataset, VOID.classPartition))) > 10


def test_dataset_html_links_downloads(client):
    page = client.get("/dataset", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/downloads"' in page and 'href="/graph.ttl"' in page and "CC BY 4.0" in page
    assert client.get("/id/dataset").status_code == 303


TINY = b"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/mgi-graph/id/org/gtm/evil> skos:prefLabel "<script>alert(1)</script>"@en ;
    prov:hadPrimarySource <javascript:alert(2)> , <https://example.org/source> .
"""


def test_labels_stay_escaped_and_odd_iris_are_not_links(settings):
    store = EmbeddedStore()
    store.replace_all(parse_bytes(TINY, ox.RdfFormat.TURTLE, name="tiny.ttl", graph=settings.base_iri + "graph/t"),
                      "v")
    client = create_app({"MGI_SETTINGS": settings, "MGI_STORE": store, "TESTING": True}).test_client()
    page = client.get("/id/org/gtm/evil").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    assert 'href="https://example.org/source" title="https://example.org/source" rel="noopener nofollow"' in page
    assert Literal("<script>alert(1)</script>", lang="en") in Graph().parse(
        data=client.get("/id/org/gtm/evil.ttl").data, format="turtle").objects()
