"""Draft an MGI profile from the plain text of its report: sections, findings, institutions,
instruments and footnoted sources, each with the span of the input it was read from.

Deterministic and offline: patterns over the generic vocabulary of MGI reports, no model.
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDF

from .draft import MGI, DraftWriter, Target
from .entities import find_candidates
from .sources import web_sources
from .text import read_layout


def extract(text: str, country: str, year: str, local: str | None = None,
            base_iri: str = "https://w3id.org/mgi-graph/id/") -> Graph:
    """The draft profile of a report's text, as an rdflib Graph."""
    layout = read_layout(text)
    target = Target(country.lower(), str(year), local, base_iri)
    return DraftWriter(text, target).write(layout, find_candidates(layout.sections), web_sources(layout))


def finding_count(graph: Graph) -> int:
    """The findings a draft holds: none means the text had none of the template's x.1 / x.2 headings."""
    return sum(1 for _ in graph.subjects(RDF.type, MGI.Finding))


def to_turtle(graph: Graph, base_iri: str = "https://w3id.org/mgi-graph/id/") -> str:
    return graph.serialize(format="turtle", base=base_iri)


__all__ = ["extract", "finding_count", "to_turtle", "Target"]
