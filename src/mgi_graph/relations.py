"""The relation graph between entities, shared by the neighbourhood pictures and the path finder.

Built from two queries (sparql/relation-links.rq, relation-memberships.rq) once per graph
version and kept in memory: a few hundred edges for a profile. What counts as a relation is an
allow-list of the ontology's object properties between entities (issued by, implements,
coordinates, unit of, replaced by ...), plus org:Membership collapsed into one edge from the
member to the organisation labelled with the role ("member of", "chair of"). Types, labels,
report sections, provenance and links to reference concepts (dimensions, a body's country,
document types) are left out: they would make every entity two steps from every other.
mgi:cites and mgi:concerns (a finding, update or COVID-19 response naming an entity) are kept
but flagged, so callers decide whether to walk through findings.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from .sparql_files import internal_query, values_block
from .store import Store

MGI = "https://w3id.org/mgi-graph/ontology#"
ORG = "http://www.w3.org/ns/org#"
ORG_MEMBER = URIRef(ORG + "member")
CITING = frozenset({URIRef(MGI + "cites"), URIRef(MGI + "concerns")})
# Reused properties the ontology declares without a label.
FALLBACK_LABELS = {ORG + "unitOf": "unit of", ORG + "originalOrganization": "original organisation",
                   ORG + "resultingOrganization": "resulting organisation", ORG + "member": "member of"}


@dataclass(frozen=True)
class Edge:
    """subject --predicate--> object, with the words to show on it."""

    subject: URIRef
    predicate: URIRef
    object: URIRef
    label: str
    role: URIRef | None = None  # for memberships: the org:role

    @property
    def citing(self) -> bool:
        return self.predicate in CITING

    def other(self, node: URIRef) -> URIRef:
        return self.object if node == self.subject else self.subject


@dataclass
class RelationGraph:
    edges: list[Edge] = field(default_factory=list)
    by_node: dict[URIRef, list[Edge]] = field(default_factory=dict)

    def add(self, edge: Edge) -> None:
        if edge.subject == edge.object:
            return
        self.edges.append(edge)
        self.by_node.setdefault(edge.subject, []).append(edge)
        self.by_node.setdefault(edge.object, []).append(edge)

    def incident(self, node: URIRef, *, through_findings: bool = True) -> list[Edge]:
        """The edges touching node, in a stable order."""
        return [e for e in self.by_node.get(node, []) if through_findings or not e.citing]


_CACHE: dict[str, RelationGraph] = {}
_PROPERTY_LABELS: dict[str, dict[str, str]] = {}
_LOCK = threading.Lock()


def relation_graph(store: Store) -> RelationGraph:
    """The relation graph of the store's current version (built on first use, then kept)."""
    version = store.version
    with _LOCK:
        found = _CACHE.get(version)
    if found is not None:
        return found
    graph = _build(store)
    with _LOCK:
        _CACHE.clear()  # one version at a time is all a running app needs
        _CACHE[version] = graph
    return graph


def property_labels(store: Store) -> dict[str, str]:
    """Property IRI -> its English rdfs:label from the ontology."""
    version = store.version
    with _LOCK:
        found = _PROPERTY_LABELS.get(version)
    if found is None:
        rows = store.query(internal_query("property-labels")).rows
        found = {str(p): str(label) for p, label in rows}
        with _LOCK:
            _PROPERTY_LABELS.clear()
            _PROPERTY_LABELS[version] = found
    return found


def _build(store: Store) -> RelationGraph:
    labels = property_labels(store)
    graph = RelationGraph()
    for s, p, o in without_inverses(store, store.query(internal_query("relation-links")).rows):
        graph.add(Edge(s, p, o, labels.get(str(p)) or FALLBACK_LABELS.get(str(p)) or _local_name(str(p))))
    rows = store.query(internal_query("relation-memberships")).rows
    roles = role_labels(store, [r[3] for r in rows if r[3] is not None])
    for _, member, organization, role in rows:
        graph.add(Edge(member, ORG_MEMBER, organization, membership_label(roles.get(role)), role))  # type: ignore
    return graph


def without_inverses(store: Store, rows: list) -> list:
    """The rows less those that only restate another row through the inverse property
    (the Migration Code 'created' IGM when IGM is 'created by' it): the declaring side stays."""
    primary = {q: p for p, q in store.query(internal_query("inverse-properties")).rows}
    present = {(s, p, o) for s, p, o in rows}
    return [(s, p, o) for s, p, o in rows if not (p in primary and (o, primary[p], s) in present)]


def role_labels(store: Store, roles: Iterable) -> dict[URIRef, str]:
    iris = sorted({r for r in roles if isinstance(r, URIRef)})
    if not iris:
        return {}
    query = internal_query("role-labels") + values_block("role", iris)
    return {role: str(label) for role, label in store.query(query).rows}  # type: ignore[misc]


def membership_label(role: str | None) -> str:
    """'member of' for a plain member, '<role> of' otherwise ('chair of')."""
    if not role or role == "member":
        return "member of"
    return f"{role} of"


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
