"""What the graph says about one IRI: a CBD-style description (outgoing triples with the blank
nodes they reach), the links that point at it, the memberships it is the member or the
organisation of, and where its facts come from."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .binding import with_value_list
from .export import DATA_PREFIXES, PREFIXES
from .paging import with_page
from .sparql_files import internal_query
from .store import Store

MGI = "https://w3id.org/mgi-graph/ontology#"
SKOS_PREF_LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
ACRONYM = URIRef(MGI + "acronym")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ORG_MEMBER = URIRef("http://www.w3.org/ns/org#member")
ORG_ORGANIZATION = URIRef("http://www.w3.org/ns/org#organization")
SOURCE_PREDICATES = (URIRef("http://www.w3.org/ns/prov#hadPrimarySource"), URIRef("http://purl.org/dc/terms/source"))
MAX_INCOMING = 200  # links listed per predicate (a MiGOF dimension of 150 profiles has thousands; all are counted)


@dataclass(frozen=True)
class SectionSource:
    section: URIRef
    notation: str | None
    title: str | None
    assessment: URIRef | None


@dataclass(frozen=True)
class Membership:
    """An org:Membership: member in organization, with its org:role when stated."""

    membership: URIRef
    member: URIRef
    organization: URIRef
    role: URIRef | None


@dataclass
class Description:
    iri: URIRef
    graph: Graph  # outgoing triples and the blank nodes they reach
    incoming: list[tuple[Node, URIRef]] = field(default_factory=list)  # (subject, predicate), up to MAX_INCOMING each
    sections: list[SectionSource] = field(default_factory=list)
    incoming_counts: dict[URIRef, int] = field(default_factory=dict)  # predicate -> every link through it
    memberships: list[Membership] = field(default_factory=list)  # where it is the member or the organisation

    def member_of(self) -> list[Membership]:
        return [m for m in self.memberships if m.member == self.iri]

    def members(self) -> list[Membership]:
        return [m for m in self.memberships if m.organization == self.iri]

    @property
    def types(self) -> list[URIRef]:
        return sorted(o for o in self.graph.objects(self.iri, RDF_TYPE) if isinstance(o, URIRef))

    def labels(self, language: str) -> list[str]:
        return sorted(str(o) for o in self.graph.objects(self.iri, SKOS_PREF_LABEL)
                      if isinstance(o, Literal) and o.language == language)

    @property
    def acronyms(self) -> list[str]:
        return sorted(str(o) for o in self.graph.objects(self.iri, ACRONYM))

    @property
    def sources(self) -> list[Node]:
        return sorted({o for p in SOURCE_PREDICATES for o in self.graph.objects(self.iri, p)}, key=str)

    def to_rdf(self) -> Graph:
        """The description as RDF: outgoing triples, blank-node closure and incoming links."""
        out = new_graph()
        for triple in self.graph:
            out.add(triple)
        for subject, predicate in self.incoming:
            out.add((subject, predicate, self.iri))
        return out


def new_graph() -> Graph:
    graph = Graph()
    for prefix, iri in {**PREFIXES, **DATA_PREFIXES}.items():
        graph.bind(prefix, iri, replace=True)
    return graph


def describe(store: Store, iri: str) -> Description | None:
    """The description of iri, or None when the graph holds no triple about it (either way)."""
    thing = URIRef(iri)
    graph = new_graph()
    for name in ("describe-triples", "describe-blank-nodes"):
        for _, s, p, o in store.query(internal_query(name), {"thing": thing}).rows:
            graph.add((s, p, o))  # type: ignore[arg-type]
    counts = {p: int(n) for _, p, n in store.query(internal_query("describe-incoming-counts"),  # type: ignore
                                                   {"thing": thing}).rows}
    listing = with_page(internal_query("describe-incoming"), MAX_INCOMING, 0)
    incoming = [(s, p) for predicate in counts
                for _, s, p in store.query(listing, {"thing": thing, "p": predicate}).rows]
    if not len(graph) and not incoming:
        return None
    sections = [
        SectionSource(section, _text(notation), _text(title), assessment)  # type: ignore[arg-type]
        for _, section, notation, title, assessment
        in store.query(internal_query("describe-provenance"), {"thing": thing}).rows
    ]
    return Description(thing, graph, incoming, sections, counts, memberships(store, thing))  # type: ignore[arg-type]


def memberships(store: Store, thing: URIRef) -> list[Membership]:
    """The memberships with thing as member or as organisation, in a stable order."""
    query = internal_query("relation-memberships")
    rows = {tuple(row) for end in ("member", "organization")
            for row in store.query(with_value_list(query, end, [thing])).rows}
    return [Membership(*row) for row in sorted(rows, key=lambda r: tuple(str(t) for t in r))]  # type: ignore[arg-type]


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def grouped(pairs: list[tuple[URIRef, Node]]) -> dict[URIRef, list[Node]]:
    """(predicate, value) pairs grouped by predicate, values deduplicated in first-seen order."""
    groups: dict[URIRef, list[Node]] = {}
    for predicate, value in pairs:
        values = groups.setdefault(predicate, [])
        if value not in values:
            values.append(value)
    return groups


def outgoing(description: Description, node: Node | None = None) -> dict[URIRef, list[Node]]:
    """The predicates and values of node (default: the described IRI), grouped by predicate."""
    subject = description.iri if node is None else node
    pairs = sorted(description.graph.predicate_objects(subject), key=lambda po: (str(po[0]), str(po[1])))
    return grouped(pairs)  # type: ignore[arg-type]

