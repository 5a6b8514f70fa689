"""The links that point at a described IRI, phrased to read from its own page.

"Directorate-General of Migration replaced by IGM" is, on IGM's page, "replaces: Directorate-General
of Migration": an incoming link is shown under its inverse's label where the ontology declares one
(owl:inverseOf), under a phrase of ours for the reused vocabularies (ORG, DCTERMS, PROV, SKOS), and
otherwise as "<property> this". A link that only restates one of the page's own statements through
the inverse property is left out (the Migration Code "created" IGM, and IGM is "created by" it);
so are the memberships, which the page shows as "member of" / "members" with their roles."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from .describe import ORG_MEMBER, ORG_ORGANIZATION, Description, grouped
from .sparql_files import internal_query
from .store import Store

ORG = "http://www.w3.org/ns/org#"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
MGI = "https://w3id.org/mgi-graph/ontology#"
# Inverse pairs SKOS declares, which the ontology does not restate (the reference data states both).
SKOS_INVERSES = ((SKOS + "broader", SKOS + "narrower"), (SKOS + "hasTopConcept", SKOS + "topConceptOf"))
# How a link through a property without a labelled inverse reads from its object's page.
PHRASES = {
    ORG + "unitOf": "has unit", ORG + "role": "role in", ORG + "member": "memberships held",
    ORG + "organization": "memberships in it", ORG + "originalOrganization": "original organisation of",
    ORG + "resultingOrganization": "resulting organisation of",
    DCTERMS + "publisher": "publisher of", DCTERMS + "source": "source of", DCTERMS + "references": "referenced by",
    DCTERMS + "isPartOf": "has part", DCTERMS + "license": "licence of",
    "http://www.w3.org/ns/prov#hadPrimarySource": "primary source of",
    "http://data.europa.eu/eli/ontology#type_document": "document type of",
    SKOS + "inScheme": "scheme of", SKOS + "broader": "narrower", SKOS + "narrower": "broader",
    SKOS + "hasTopConcept": "top concept of", SKOS + "topConceptOf": "has top concept",
    SKOS + "exactMatch": "exact match", SKOS + "closeMatch": "close match",
    RDFS + "isDefinedBy": "defines", RDFS + "domain": "domain of", RDFS + "range": "range of",
    RDFS + "subClassOf": "superclass of", RDFS + "subPropertyOf": "superproperty of",
    MGI + "dimension": "MiGOF dimension of", MGI + "outcome": "outcome of", MGI + "subArea": "MGI sub-area of",
    MGI + "sdgSubCategory": "SDG 10.7.2 sub-category of", MGI + "country": "country of",
    MGI + "changeKind": "kind of change of", MGI + "basedOn": "basis of",
}


@dataclass(frozen=True)
class IncomingGroup:
    """The things linking to the page's subject through one predicate, and how that reads."""

    predicate: URIRef  # as stated: subject --predicate--> the page's IRI
    inverse: URIRef | None  # the declared inverse, whose label is the phrase when it has one
    subjects: list[Node]
    total: int  # every link through predicate, less those left out here


def inverse_properties(store: Store) -> dict[URIRef, URIRef]:
    """Property -> its inverse, both ways round, as the ontology (and SKOS) declare them."""
    pairs = [(URIRef(p), URIRef(q)) for p, q in SKOS_INVERSES]
    pairs += [(p, q) for p, q in store.query(internal_query("inverse-properties")).rows]  # type: ignore[misc]
    return {**{q: p for p, q in pairs}, **dict(pairs)}


def incoming_groups(description: Description, inverses: dict[URIRef, URIRef]) -> list[IncomingGroup]:
    """The incoming links by predicate, less restatements of the page's own statements and the
    memberships shown on their own."""
    own = set(description.graph.predicate_objects(description.iri))
    shown_memberships = {m.membership for m in description.memberships}
    left_out: dict[URIRef, int] = {}
    kept = []
    for subject, predicate in description.incoming:
        restated = predicate in inverses and (inverses[predicate], subject) in own
        membership = predicate in (ORG_MEMBER, ORG_ORGANIZATION) and subject in shown_memberships
        if restated or membership:
            left_out[predicate] = left_out.get(predicate, 0) + 1
        else:
            kept.append((predicate, subject))
    groups = []
    for predicate, subjects in grouped(kept).items():  # type: ignore[arg-type]
        total = description.incoming_counts.get(predicate, len(subjects)) - left_out.get(predicate, 0)
        groups.append(IncomingGroup(predicate, inverses.get(predicate), subjects, max(total, len(subjects))))
    return groups


def phrase(group: IncomingGroup, labels: dict, short) -> str:
    """The words for the group, read from the page's subject: 'replaces', 'has unit', 'concerns this'."""
    if group.inverse is not None and group.inverse in labels:
        return labels[group.inverse]
    if str(group.predicate) in PHRASES:
        return PHRASES[str(group.predicate)]
    return f"{labels.get(group.predicate) or short(group.predicate)} this"
