"""/sparql as client libraries meet it, over a real waitress server (the live_server fixture)."""

from __future__ import annotations

from rdflib import Graph
from SPARQLWrapper import SPARQLWrapper

IGM = "https://w3id.org/mgi-graph/id/org/gtm/igm"


def test_sparqlwrapper_construct_and_describe_with_default_settings(live_server):
    """SPARQLWrapper's defaults send format=xml&output=xml&results=xml and Accept: application/rdf+xml."""
    for query in (f"CONSTRUCT {{ <{IGM}> ?p ?o }} WHERE {{ <{IGM}> ?p ?o }}", f"DESCRIBE <{IGM}>"):
        wrapper = SPARQLWrapper(f"{live_server}/sparql")
        wrapper.setQuery(query)
        graph = wrapper.queryAndConvert()
        assert isinstance(graph, Graph) and len(graph) > 3, query


def test_sparqlwrapper_post_with_its_format_parameters(live_server):
    from SPARQLWrapper import POST, TSV

    wrapper = SPARQLWrapper(f"{live_server}/sparql")
    wrapper.setMethod(POST)  # the format names then travel in the form body
    wrapper.setQuery(f"SELECT ?o WHERE {{ <{IGM}> ?p ?o }} LIMIT 1")
    wrapper.setReturnFormat(TSV)  # sends format=tsv and format=text/tab-separated-values
    assert wrapper.queryAndConvert().decode("utf-8").startswith("?o\n")
