"""What kind of thing a node is: its most specific class, that class's label, and a family
(instrument, body, council, forum, unit, programme, finding ...) that pictures colour by."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import URIRef

from .binding import with_value_list
from .labels import labels_for
from .sparql_files import internal_query
from .store import Store

MGI = "https://w3id.org/mgi-graph/ontology#"
ORG = "http://www.w3.org/ns/org#"

# family -> (fill colour, shape, legend text); the order is the legend's order.
FAMILIES: dict[str, tuple[str, str, str]] = {
    "instrument": ("#1f6fb2", "square", "Instrument (law, policy, agreement)"),
    "body": ("#d9731a", "circle", "Public body or organisation"),
    "council": ("#b8322a", "diamond", "Council or commission"),
    "forum": ("#7b4fa3", "hexagon", "Forum, process or mechanism"),
    "unit": ("#e7a04a", "circle-small", "Unit of a body"),
    "programme": ("#2e8b57", "triangle", "Programme, register, facility or event"),
    "change": ("#5f6b7a", "diamond", "Change of body"),
    "finding": ("#138a8a", "square", "Finding, update or response"),
    "country": ("#8a6d3b", "hexagon", "Country"),
    "other": ("#8895a7", "circle", "Other"),
}

CLASS_FAMILY: dict[str, str] = {
    **{MGI + c: "instrument" for c in ("LegalInstrument", "PolicyInstrument", "Agreement", "Instrument")},
    **{MGI + c: "body" for c in ("PublicBody", "ForeignGovernmentBody", "InternationalOrganisation",
                                 "CivilSocietyOrganisation", "PrivateSectorOrganisation")},
    ORG + "FormalOrganization": "body",
    ORG + "Organization": "body",
    MGI + "CollegialBody": "council",
    MGI + "Forum": "forum",
    MGI + "Mechanism": "forum",
    ORG + "OrganizationalCollaboration": "forum",
    ORG + "OrganizationalUnit": "unit",
    **{MGI + c: "programme" for c in ("Programme", "Campaign", "InformationSystem", "StatisticalSource",
                                      "Facility", "Event")},
    ORG + "ChangeEvent": "change",
    **{MGI + c: "finding" for c in ("Finding", "Update", "CovidResponse")},
    MGI + "Country": "country",
}
# Reused classes the ontology declares without a label.
FALLBACK_CLASS_LABELS = {ORG + "OrganizationalUnit": "Unit of a body", ORG + "FormalOrganization": "Organisation",
                         ORG + "Organization": "Organisation", ORG + "ChangeEvent": "Change of body",
                         ORG + "Membership": "Membership", ORG + "Role": "Role",
                         "http://www.w3.org/2004/02/skos/core#Concept": "Concept",
                         "http://www.w3.org/2004/02/skos/core#ConceptScheme": "Concept scheme"}
# A more specific class wins: our own first, then ORG, then anything else.
_NAMESPACE_RANK = (MGI, ORG)


@dataclass(frozen=True)
class NodeInfo:
    iri: URIRef
    label: str
    cls: URIRef | None
    kind: str  # the class's English label ("Public body"), or "Other"
    family: str


def best_class(types: Iterable[URIRef]) -> URIRef | None:
    def rank(cls: URIRef) -> tuple[int, int, str]:
        text = str(cls)
        ns = next((i for i, prefix in enumerate(_NAMESPACE_RANK) if text.startswith(prefix)), len(_NAMESPACE_RANK))
        return (0 if text in CLASS_FAMILY else 1, ns, text)

    options = sorted(types, key=rank)
    return options[0] if options else None


_CLASS_LABELS: dict[str, dict[str, str]] = {}
_LOCK = threading.Lock()


def class_labels(store: Store) -> dict[str, str]:
    """Class IRI -> its English label, once per graph version."""
    with _LOCK:
        found = _CLASS_LABELS.get(store.version)
    if found is None:
        found = dict(FALLBACK_CLASS_LABELS)
        found.update({str(c): str(label) for c, label in store.query(internal_query("class-labels")).rows})
        with _LOCK:
            _CLASS_LABELS.clear()
            _CLASS_LABELS[store.version] = found
    return found


def node_types(store: Store, iris: Iterable[URIRef], chunk: int = 400) -> dict[URIRef, list[URIRef]]:
    nodes = sorted({i for i in iris if isinstance(i, URIRef)})
    found: dict[URIRef, list[URIRef]] = {}
    for start in range(0, len(nodes), chunk):
        query = with_value_list(internal_query("node-types"), "thing", nodes[start:start + chunk])
        for thing, cls in store.query(query).rows:
            found.setdefault(thing, []).append(cls)  # type: ignore[arg-type]
    return found


def describe_nodes(store: Store, iris: Iterable[URIRef], short=lambda iri: iri) -> dict[URIRef, NodeInfo]:
    """Label, class and family of each IRI (a node the graph has no label for shows short(iri))."""
    nodes = sorted(set(iris))
    labels = labels_for(store, nodes)
    types = node_types(store, nodes)
    names = class_labels(store)
    out = {}
    for iri in nodes:
        out[iri] = info_for(iri, labels.get(iri) or short(str(iri)), types.get(iri, []), names)
    return out


def info_for(iri: URIRef, label: str, types: Iterable[URIRef], names: dict[str, str]) -> NodeInfo:
    cls = best_class(types)
    family = CLASS_FAMILY.get(str(cls), "other") if cls is not None else "other"
    kind = names.get(str(cls), "Other") if cls is not None else "Other"
    return NodeInfo(iri, label, cls, kind, family)
