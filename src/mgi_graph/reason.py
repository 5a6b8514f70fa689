"""OWL reasoning with HermiT through owlready2: consistency and inferred class memberships.

owlready2 follows owl:imports and acts on its own `python_module` annotation, so the graph
handed to it is cleaned of both first. HermiT only knows the OWL 2 datatype map: literals of
other datatypes (xsd:gYear, xsd:date ...) are left out of what it sees, which does not change
the class reasoning we ask of it.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from .errors import ReasonerUnavailableError

OWLREADY_PYTHON_MODULE = URIRef("http://www.lesfleursdunormal.fr/static/_downloads/owlready_ontology.owl#python_module")
OWL2_DATATYPES = {
    RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, RDF.langString, XSD.string, XSD.boolean, XSD.decimal,
    XSD.integer, XSD.double, XSD.float, XSD.dateTime, XSD.anyURI, XSD.normalizedString, XSD.token,
    XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int, XSD.long, XSD.short, XSD.byte,
}
JAVA_HELP = ("HermiT needs a Java runtime and none was found on PATH. Install one, for example "
             "`apt-get install default-jre-headless` on Debian or Ubuntu, then run again.")


@dataclass
class ReasoningReport:
    consistent: bool
    inferred: list[tuple[str, str]] = field(default_factory=list)  # (individual IRI, class IRI)
    explanation: str = ""


def reasoner_input(graph: Graph) -> Graph:
    """The part of the graph HermiT can take, with nothing that triggers a fetch or an import."""
    clean = Graph()
    for s, p, o in graph:
        if p in (OWL.imports, OWLREADY_PYTHON_MODULE):
            continue
        if isinstance(o, Literal) and o.datatype is not None and o.datatype not in OWL2_DATATYPES:
            continue
        if p == RDFS.range and isinstance(o, URIRef) and str(o).startswith(str(XSD)) and o not in OWL2_DATATYPES:
            continue
        clean.add((s, p, o))
    return clean


def reason(graph: Graph) -> ReasoningReport:
    """Run HermiT over the graph; raise ReasonerUnavailableError when Java is missing."""
    if shutil.which("java") is None:
        raise ReasonerUnavailableError(JAVA_HELP)
    import owlready2  # imported here: it is slow to import and only this command needs it

    world = owlready2.World()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.nt"
        reasoner_input(graph).serialize(path, format="nt", encoding="utf-8")
        world.get_ontology(path.as_uri()).load(format="ntriples")
        before = _memberships(world)
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasoningReport(False, explanation=str(exc) or "HermiT found the ontology and data inconsistent")
        except owlready2.OwlReadyJavaError as exc:
            raise ReasonerUnavailableError(f"{JAVA_HELP}\n{exc}") from exc
        after = _memberships(world)
    inferred = sorted(after - before)
    return ReasoningReport(True, inferred)


def _memberships(world: object) -> set[tuple[str, str]]:
    """Every (thing, named class) typing in the world's quadstore, asserted or inferred."""
    graph = world.as_rdflib_graph()  # type: ignore[attr-defined]
    return {(str(s), str(o)) for s, o in graph.subject_objects(RDF.type)
            if isinstance(s, URIRef) and isinstance(o, URIRef) and not str(o).startswith(str(OWL))}
