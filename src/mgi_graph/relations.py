"""The relation graph between entities, shared by the neighbourhood pictures and the path finder.

What counts as a relation is an allow-list of the ontology's object properties between entities
(issued by, implements, coordinates, unit of, replaced by ...), plus org:Membership collapsed into
one edge from the member to the organisation labelled with the role ("member of", "chair of").
Types, labels, report sections, provenance and links to reference concepts (dimensions, a body's
country, document types) are left out: they would make every entity two steps from every other.
mgi:cites and mgi:concerns (a finding, update or COVID-19 response naming an entity) are kept but
flagged, so callers decide whether to walk through findings.

The edges are read from the store a few nodes at a time, as a picture or a path search reaches
them (sparql/relation-links.rq, relation-memberships.rq, with the nodes listed first), and kept
for the graph version. At 150 profiles the whole relation graph is 180,000 edges: reading it at
once took 1.3 s and passed the row cap of the query workers, while one entity's edges take a
millisecond.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import URIRef

from .binding import with_value_list
from .errors import ResultTooLargeError
from .sparql_files import internal_query
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


CHUNK = 200  # nodes per query (a VALUES list)
MAX_KEPT_NODES = 50_000  # nodes whose edges are kept per graph version; past it, start again


class RelationGraph:
    """The relation graph of one version of the store's graph, filled in as nodes are asked for."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._by_node: dict[URIRef, list[Edge]] = {}
        self._lock = threading.Lock()

    def load(self, nodes: Iterable[URIRef]) -> dict[URIRef, list[Edge]]:
        """Read the edges of every node not read yet (a few queries per CHUNK nodes); the edges of
        every node asked for."""
        wanted = sorted({n for n in nodes if isinstance(n, URIRef)})
        with self._lock:
            known = {n: self._by_node[n] for n in wanted if n in self._by_node}
        todo = [n for n in wanted if n not in known]
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start:start + CHUNK]
            found = _edges_within_the_row_cap(self.store, chunk)
            fresh = {node: found.get(node, []) for node in chunk}
            known.update(fresh)
            with self._lock:
                if len(self._by_node) > MAX_KEPT_NODES:
                    self._by_node.clear()
                self._by_node.update(fresh)
        return known

    def incident(self, node: URIRef, *, through_findings: bool = True) -> list[Edge]:
        """The edges touching node, in a stable order."""
        edges = self.load([node]).get(node, [])
        return [e for e in edges if through_findings or not e.citing]


def _edges_within_the_row_cap(store: Store, nodes: list[URIRef]) -> dict[URIRef, list[Edge]]:
    """_edges_of, in halves when the nodes have more links together than one answer may hold
    (well-cited institutions of many profiles)."""
    try:
        return _edges_of(store, nodes)
    except ResultTooLargeError:
        if len(nodes) == 1:
            raise
        half = len(nodes) // 2
        return {**_edges_within_the_row_cap(store, nodes[:half]), **_edges_within_the_row_cap(store, nodes[half:])}


def _edges_of(store: Store, nodes: list[URIRef]) -> dict[URIRef, list[Edge]]:
    """Every edge touching one of nodes, by node, each list sorted."""
    links = internal_query("relation-links")
    rows = {tuple(row) for end in ("s", "o") for row in store.query(with_value_list(links, end, nodes)).rows}
    labels = property_labels(store)
    edges = {Edge(s, p, o, labels.get(str(p)) or FALLBACK_LABELS.get(str(p)) or local_name(str(p)))
             for s, p, o in without_inverses(store, sorted(rows))}
    memberships = internal_query("relation-memberships")
    rows = {tuple(row) for end in ("member", "organization")
            for row in store.query(with_value_list(memberships, end, nodes)).rows}
    roles = role_labels(store, [r[3] for r in rows if r[3] is not None])
    edges |= {Edge(member, ORG_MEMBER, organization, membership_label(roles.get(role)), role)
              for _, member, organization, role in rows}
    wanted = set(nodes)
    found: dict[URIRef, list[Edge]] = {}
    for edge in sorted(edges, key=_edge_key):
        if edge.subject == edge.object:
            continue
        for end in {edge.subject, edge.object} & wanted:
            found.setdefault(end, []).append(edge)
    return found


def _edge_key(edge: Edge) -> tuple[str, ...]:
    return str(edge.subject), str(edge.predicate), str(edge.object), str(edge.role or "")


_CACHE: dict[str, RelationGraph] = {}
_PROPERTY_LABELS: dict[str, dict[str, str]] = {}
_LOCK = threading.Lock()


def relation_graph(store: Store) -> RelationGraph:
    """The relation graph of the store's current version (its edges read as they are asked for)."""
    version = store.version
    with _LOCK:
        found = _CACHE.get(version)
        if found is None or found.store is not store:
            found = RelationGraph(store)
            _CACHE.clear()  # one version at a time is all a running app needs
            _CACHE[version] = found
    return found


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


def without_inverses(store: Store, rows: list) -> list:
    """The rows less those that only restate another row through the inverse property
    (the Migration Code 'created' IGM when IGM is 'created by' it): the declaring side stays.
    Both rows touch the same nodes, so rows read for some nodes hold both or neither."""
    primary = {q: p for p, q in store.query(internal_query("inverse-properties")).rows}
    present = {(s, p, o) for s, p, o in rows}
    return [(s, p, o) for s, p, o in rows if not (p in primary and (o, primary[p], s) in present)]


def role_labels(store: Store, roles: Iterable) -> dict[URIRef, str]:
    iris = sorted({r for r in roles if isinstance(r, URIRef)})
    if not iris:
        return {}
    query = with_value_list(internal_query("role-labels"), "role", iris)
    return {role: str(label) for role, label in store.query(query).rows}  # type: ignore[misc]


def membership_label(role: str | None) -> str:
    """'member of' for a plain member, '<role> of' otherwise ('chair of')."""
    if not role or role == "member":
        return "member of"
    return f"{role} of"


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
