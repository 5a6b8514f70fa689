"""The VoID + DCAT description of the dataset, its named graphs (subsets), dumps and endpoint.

Counts come from the store; the addresses of the dumps and the endpoint from the base URL of
the running app, which the caller passes in (the core knows nothing of Flask)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS

from .describe import new_graph
from .export import MEDIA_TYPES
from .sparql_files import internal_query
from .store import Store

VOID = Namespace("http://rdfs.org/ns/void#")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
IANA = "https://www.iana.org/assignments/media-types/"
TITLE = "mgi-graph: IOM Migration Governance Indicators profiles as linked data"
DESCRIPTION = ("IOM's Migration Governance Indicators (MGI) country profiles as a knowledge graph: the laws, "
               "policies, agreements and institutions they cite, tied to the principles and objectives of the "
               "Migration Governance Framework (MiGOF), every fact with the report section it comes from.")
GRAPH_TITLES = {"ontology": "The mgi-graph ontology", "reference": "Reference data: MiGOF, MGI domains, "
                "SDG 10.7.2, outcomes, document types, roles, kinds of change, countries",
                "inferred": "Derived at build time: the rdf:type closure over the ontology's superclasses "
                "(left out of the dumps)"}


@dataclass
class Counts:
    iri: URIRef
    title: str
    triples: int = 0
    subjects: int = 0
    properties: int = 0
    objects: int = 0
    entities: int = 0
    classes: list[tuple[URIRef, int]] = field(default_factory=list)


@dataclass
class DatasetFacts:
    base_iri: str
    totals: Counts
    subsets: list[Counts]
    sources: list[URIRef]

    def subset(self, iri: str) -> Counts | None:
        return next((s for s in self.subsets if str(s.iri) == iri), None)


def dataset_iri(base_iri: str) -> URIRef:
    return URIRef(base_iri + "dataset")


def graph_title(graph: str, base_iri: str) -> str:
    name = graph[len(base_iri + "graph/"):] if graph.startswith(base_iri + "graph/") else graph
    if name.startswith("profile/"):
        return f"MGI profile {name[len('profile/'):]}"
    return GRAPH_TITLES.get(name, name)


def dataset_facts(store: Store, base_iri: str) -> DatasetFacts:
    """Every count the description needs, from a handful of queries."""
    row = store.query(internal_query("void-totals")).rows[0]
    totals = Counts(dataset_iri(base_iri), TITLE, *(int(v) for v in row))  # type: ignore[arg-type]
    # Our named graphs only: a remote server may hold its own (Virtuoso's system graphs).
    subsets = {str(g): Counts(g, graph_title(str(g), base_iri), *(int(v) for v in rest))  # type: ignore[arg-type]
               for g, *rest in store.query(internal_query("void-graphs")).rows
               if str(g).startswith(base_iri + "graph/")}
    for graph, entities in store.query(internal_query("void-entities"), {"_base": Literal(base_iri)}).rows:
        counts = totals if graph is None else subsets.get(str(graph))
        if counts is not None:
            counts.entities = int(entities)  # type: ignore[arg-type]
    totals.classes = [(c, int(n)) for c, n in store.query(internal_query("class-counts")).rows]  # type: ignore[misc]
    for graph, cls, n in store.query(internal_query("void-graph-classes")).rows:
        if str(graph) in subsets:
            subsets[str(graph)].classes.append((cls, int(n)))  # type: ignore[arg-type]
    sources = sorted(r[0] for r in store.query(internal_query("void-sources")).rows)  # type: ignore[type-var]
    return DatasetFacts(base_iri, totals, list(subsets.values()), sources)  # type: ignore[arg-type]


def _add_counts(graph: Graph, node: URIRef, counts: Counts) -> None:
    graph.add((node, RDF.type, VOID.Dataset))
    graph.add((node, DCTERMS.title, Literal(counts.title, lang="en")))
    for predicate, value in ((VOID.triples, counts.triples), (VOID.entities, counts.entities),
                             (VOID.classes, len(counts.classes)), (VOID.properties, counts.properties),
                             (VOID.distinctSubjects, counts.subjects), (VOID.distinctObjects, counts.objects)):
        graph.add((node, predicate, Literal(value, datatype=XSD.integer)))
    for cls, n in counts.classes:
        partition = BNode()
        graph.add((node, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], cls))
        graph.add((partition, VOID.entities, Literal(n, datatype=XSD.integer)))


def _add_access(graph: Graph, node: URIRef, facts: DatasetFacts, base_url: str) -> None:
    """The endpoint (a dcat:DataService) and the dumps (dcat:Distribution) of the dataset."""
    endpoint = URIRef(base_url + "/sparql")
    graph.add((node, VOID.sparqlEndpoint, endpoint))
    graph.add((endpoint, RDF.type, DCAT.DataService))
    graph.add((endpoint, DCTERMS.title, Literal("mgi-graph SPARQL 1.1 endpoint (read-only)", lang="en")))
    graph.add((endpoint, DCAT.endpointURL, endpoint))
    graph.add((endpoint, DCAT.servesDataset, node))
    graph.add((endpoint, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    graph.add((node, DCAT.landingPage, URIRef(base_url + "/downloads")))
    for fmt, media_type in MEDIA_TYPES.items():
        dump = URIRef(f"{base_url}/graph.{fmt}")
        graph.add((node, VOID.dataDump, dump))
        graph.add((node, DCAT.distribution, dump))
        graph.add((dump, RDF.type, DCAT.Distribution))
        title = f"What the sources state ({media_type}; the inferred subset left out)"
        graph.add((dump, DCTERMS.title, Literal(title, lang="en")))
        graph.add((dump, DCAT.downloadURL, dump))
        graph.add((dump, DCAT.accessURL, dump))
        graph.add((dump, DCAT.mediaType, URIRef(IANA + media_type)))
        graph.add((dump, DCTERMS.license, LICENSE))


def dataset_description(facts: DatasetFacts, base_url: str) -> Graph:
    """VoID + DCAT for the whole dataset; base_url is the running app's root (no trailing slash)."""
    graph = new_graph()
    graph.bind("void", VOID)
    node = facts.totals.iri
    graph.add((node, RDF.type, DCAT.Dataset))
    _add_counts(graph, node, facts.totals)
    graph.add((node, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    graph.add((node, DCTERMS.license, LICENSE))
    graph.add((node, VOID.uriSpace, Literal(facts.base_iri)))
    graph.add((node, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    for source in facts.sources:
        graph.add((node, DCTERMS.source, source))
    _add_access(graph, node, facts, base_url)
    for subset in facts.subsets:
        graph.add((node, VOID.subset, subset.iri))
        _add_subset(graph, subset, node, base_url)
    return graph


def _add_subset(graph: Graph, subset: Counts, dataset: URIRef, base_url: str) -> None:
    _add_counts(graph, subset.iri, subset)
    graph.add((subset.iri, DCTERMS.isPartOf, dataset))
    graph.add((subset.iri, DCTERMS.license, LICENSE))
    graph.add((subset.iri, VOID.sparqlEndpoint, URIRef(base_url + "/sparql")))


def subset_description(facts: DatasetFacts, graph_name: str, base_url: str) -> Graph | None:
    """VoID for one named graph (what /id/graph/... answers), or None when no graph has that name."""
    subset = facts.subset(graph_name)
    if subset is None:
        return None
    graph = new_graph()
    graph.bind("void", VOID)
    _add_subset(graph, subset, facts.totals.iri, base_url)
    return graph
