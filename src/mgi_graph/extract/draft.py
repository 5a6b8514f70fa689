"""The draft profile as RDF, in our vocabulary, with the provenance of every node.

Every extracted node carries `bibo:status bibo-status:draft` and `prov:wasQuotedFrom` a
Web Annotation specific resource: the report (the assessment) and selectors giving the
character offsets in the input (oa:TextPositionSelector) and the quoted text
(oa:TextQuoteSelector, oa:exact = input[start:end]).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, PROV, RDF, SKOS, XSD

from .entities import Candidate
from .names import slug
from .patterns import INTERNATIONAL
from .sources import WebSource
from .text import Layout, Paragraph, Section

MGI = Namespace("https://w3id.org/mgi-graph/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
BIBO = Namespace("http://purl.org/ontology/bibo/")
DRAFT = URIRef("http://purl.org/ontology/bibo/status/draft")
NO_YEAR = "Draft: the extractor found no year; the report may give no year. Check the report."
NO_ISSUER = "Draft: the extractor does not say who issued it; check the report."
_INT_TYPES = {"convention", "compact", "framework", "agenda"}


@dataclass(frozen=True)
class Target:
    country: str  # ISO 3166-1 alpha-3, lower case
    year: str
    local: str | None = None
    base: str = "https://w3id.org/mgi-graph/id/"

    @property
    def key(self) -> str:
        return f"{self.country}-{slug(self.local)}-{self.year}" if self.local else f"{self.country}-{self.year}"

    def iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)


class DraftWriter:
    def __init__(self, text: str, target: Target) -> None:
        self.text, self.target = text, target
        self.graph = Graph()
        for prefix, ns in (("mgi", MGI), ("skos", SKOS), ("dcterms", DCTERMS), ("prov", PROV), ("org", ORG),
                           ("eli", ELI), ("dcat", DCAT), ("oa", OA), ("bibo", BIBO), ("xsd", XSD)):
            self.graph.bind(prefix, ns)
        self.assessment = target.iri(f"assessment/{target.key}")
        self.iris: dict[int, URIRef] = {}

    def write(self, layout: Layout, candidates: list[Candidate], sources: list[WebSource]) -> Graph:
        self._assessment()
        for section in layout.sections:
            self._section(section)
        for cand in candidates:
            self.iris[id(cand)] = self._candidate_iri(cand)
        for cand in candidates:
            self._candidate(cand)
        for section in layout.sections:
            if section.outcome:
                for index, para in enumerate(section.paragraphs):
                    self._finding(section, index, para, candidates)
        for source in sources:
            self._source(source)
        return self.graph

    # -- nodes -------------------------------------------------------------------------
    def _assessment(self) -> None:
        g, t, a = self.graph, self.target, self.assessment
        g.add((a, RDF.type, MGI.LocalAssessment if t.local else MGI.NationalAssessment))
        where = f"{t.local} ({t.country.upper()})" if t.local else t.country.upper()
        g.add((a, DCTERMS.title, Literal(f"Migration Governance Indicators: {where} {t.year} (draft)", lang="en")))
        g.add((a, MGI.year, Literal(t.year, datatype=XSD.gYear)))
        g.add((a, MGI.country, t.iri(f"country/{t.country}")))
        if t.local:
            g.add((a, MGI.locality, Literal(t.local)))
        g.add((a, BIBO.status, DRAFT))

    def _section(self, section: Section) -> None:
        g, node = self.graph, self._section_iri(section.key)
        g.add((node, RDF.type, MGI.ReportSection))
        g.add((node, DCTERMS.title, Literal(section.title, lang="en")))
        g.add((node, SKOS.notation, Literal(section.key)))
        g.add((node, MGI.sectionOf, self.assessment))
        if section.dimension:
            g.add((node, MGI.dimension, self.target.iri(f"concept/migof/{section.dimension}")))
        g.add((node, BIBO.status, DRAFT))

    def _finding(self, section: Section, index: int, para: Paragraph, candidates: list[Candidate]) -> None:
        g, letter = self.graph, _letter(index)
        node = self.finding_iri(section.key, index)
        g.add((node, RDF.type, MGI.Finding))
        g.add((node, SKOS.prefLabel, Literal(f"Finding {section.key}-{letter} (draft)", lang="en")))
        g.add((node, MGI.outcome, self.target.iri(f"concept/outcome/{section.outcome}")))
        g.add((node, MGI.dimension, self.target.iri(f"concept/migof/{section.dimension}")))
        g.add((node, MGI.statedIn, self._section_iri(section.key)))
        cited = [self.iris[id(c)] for c in candidates
                 if any(m.section == section.key and m.paragraph == index for m in c.mentions)]
        for iri in cited:
            g.add((node, MGI.cites, iri))
        if not cited:
            g.add((node, MGI.cites, self.target.iri(f"country/{self.target.country}")))
            g.add((node, SKOS.editorialNote, Literal("Draft: no institution or instrument was recognised in this "
                                                     "paragraph; it cites the country until a reviewer names them.",
                                                     lang="en")))
        self._provenance(node, para.fragments)

    def _candidate(self, cand: Candidate) -> None:
        g, node = self.graph, self.iris[id(cand)]
        g.add((node, SKOS.prefLabel, Literal(cand.name, lang="en")))
        if cand.spanish:
            g.add((node, SKOS.prefLabel, Literal(cand.spanish, lang="es")))
        if cand.acronym:
            g.add((node, MGI.acronym, Literal(cand.acronym)))
        for section in sorted({m.section for m in cand.mentions}):
            g.add((node, MGI.statedIn, self._section_iri(section)))
        if cand.kind == "org":
            self._org(node, cand)
        else:
            self._instrument(node, cand)
        first = cand.mentions[0]
        self._provenance(node, [(first.start, first.end)])

    def _org(self, node: URIRef, cand: Candidate) -> None:
        g = self.graph
        cls = cand.cls
        if cls == "Unit":
            cls = "OrganizationalUnit" if cand.parent is not None else "PublicBody"
        g.add((node, RDF.type, ORG[cls] if cls in ("OrganizationalUnit", "FormalOrganization") else MGI[cls]))
        if cand.parent is not None:
            g.add((node, ORG.unitOf, self.iris[id(cand.parent)]))
        if not cand.international:
            g.add((node, MGI.country, self.target.iri(f"country/{self.target.country}")))

    def _instrument(self, node: URIRef, cand: Candidate) -> None:
        g = self.graph
        g.add((node, RDF.type, MGI[cand.cls]))
        g.add((node, ELI.type_document, self.target.iri(f"concept/doctype/{cand.doctype}")))
        if cand.identifier:
            g.add((node, ELI.id_local, Literal(cand.identifier)))
        if cand.year:
            g.add((node, MGI.year, Literal(cand.year, datatype=XSD.gYear)))
        else:
            g.add((node, SKOS.editorialNote, Literal(NO_YEAR, lang="en")))
        if cand.period:
            period = BNode(f"period-{slug(cand.key)}")
            g.add((node, DCTERMS.temporal, period))
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            g.add((period, DCAT.startDate, Literal(cand.period[0], datatype=XSD.gYear)))
            g.add((period, DCAT.endDate, Literal(cand.period[1], datatype=XSD.gYear)))
        g.add((node, SKOS.editorialNote, Literal(NO_ISSUER, lang="en")))

    def _source(self, source: WebSource) -> None:
        g, node = self.graph, URIRef(source.url)
        g.add((node, RDF.type, MGI.WebSource))
        g.add((node, DCTERMS.bibliographicCitation, Literal(source.footnote.text, lang="en")))
        g.add((node, BIBO.status, DRAFT))
        self._provenance(node, [source.footnote.span])
        if source.section is None:
            return
        g.add((node, MGI.statedIn, self._section_iri(source.section)))
        supported = (self.finding_iri(source.section, source.paragraph) if source.section[:1].isdigit()
                     else self._section_iri(source.section))
        g.add((supported, PROV.hadPrimarySource, node))

    def _provenance(self, node: URIRef, spans: list[tuple[int, int]]) -> None:
        g = self.graph
        g.add((node, BIBO.status, DRAFT))
        for start, end in spans:
            key = f"{slug(str(node))}-{start}-{end}"
            quote, position, exact = BNode(f"q-{key}"), BNode(f"p-{key}"), BNode(f"e-{key}")
            g.add((node, PROV.wasQuotedFrom, quote))
            g.add((quote, RDF.type, OA.SpecificResource))
            g.add((quote, OA.hasSource, self.assessment))
            g.add((quote, OA.hasSelector, position))
            g.add((quote, OA.hasSelector, exact))
            g.add((position, RDF.type, OA.TextPositionSelector))
            g.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
            g.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
            g.add((exact, RDF.type, OA.TextQuoteSelector))
            g.add((exact, OA.exact, Literal(self.text[start:end])))

    # -- IRIs ----------------------------------------------------------------------------
    def _section_iri(self, key: str) -> URIRef:
        return self.target.iri(f"section/{self.target.key}/{key}")

    def finding_iri(self, section: str, index: int) -> URIRef:
        return self.target.iri(f"finding/{self.target.key}/{section}-{_letter(index)}")

    def _candidate_iri(self, cand: Candidate) -> URIRef:
        own = slug(cand.acronym) if cand.acronym and cand.kind == "org" else slug(cand.identifier or cand.name)
        if cand.kind == "instrument":
            scope = "int" if cand.doctype in _INT_TYPES or INTERNATIONAL.search(cand.name) else self.target.country
            return self.target.iri(f"instrument/{scope}/{own}")
        if cand.parent is not None:
            return URIRef(f"{self._candidate_iri(cand.parent)}/{own}")
        return self.target.iri(f"org/{'int' if cand.international else self.target.country}/{own}")


def _letter(index: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]
