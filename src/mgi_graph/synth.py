"""Synthetic MGI profiles for scale tests: the Guatemala profile's shape, none of its content.

Each synthetic profile clones the template profile's graph node by node. Report structure
(the assessment and its sections) is copied once; every other node (body, unit, instrument,
finding, membership, update, web source …) gets k copies, k drawn per node, and every link
to it points at one of its copies. So the numbers of institutions, instruments, findings per
dimension, memberships, links and sources follow the template's distributions, every copy
keeps the exact predicate pattern of a real node (and so conforms to the same shapes), and
links to reference data (MiGOF, MGI sub-areas, SDG, outcomes, roles, document types) stay.
Names and texts are replaced by clearly synthetic ones; the assessment says mgi:synthetic true.

Countries get national profiles in rounds (follow-ups link with mgi:previousAssessment) and
some local profiles. Deterministic for a seed.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import DataFileError
from .settings import Settings
from .sources import graph_iri, source_files
from .store import parse_sources

MGI = "https://w3id.org/mgi-graph/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
NOTE = ox.NamedNode(SKOS + "editorialNote")
TEMPLATE = "gtm-2022"
TEMPLATE_COUNTRY = "country/gtm"
NATIONAL_YEARS = (2016, 2019, 2022, 2024)
LOCAL_YEARS = (2021, 2023)
SOURCE_BASE = "https://example.org/mgi-graph-synthetic/"
_KEEP_PLAIN = {SKOS + "notation"}
INSTRUMENTS = {MGI + "LegalInstrument", MGI + "PolicyInstrument", MGI + "Agreement", MGI + "Instrument"}
TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))


@dataclass(frozen=True)
class Plan:
    """One synthetic profile: its folder name, country number, year, and whether it is local."""

    name: str
    country: int
    year: int
    city: int | None = None
    previous: str | None = None  # the profile name of the previous national round

    @property
    def code(self) -> str:
        return f"SYN-{self.country:03d}"


def plan_profiles(count: int, rng: random.Random) -> list[Plan]:
    """About 60% national profiles (one to four rounds per country) and 40% local ones."""
    plans: list[Plan] = []
    country = 0
    while len(plans) < count:
        country += 1
        rounds = rng.choice((1, 1, 2, 2, 3, 4))
        previous = None
        for year in NATIONAL_YEARS[len(NATIONAL_YEARS) - rounds:]:
            if len(plans) >= count:
                break
            plans.append(Plan(f"syn-{country:03d}-{year}", country, year, previous=previous))
            previous = plans[-1].name
        for city in range(1, rng.choice((0, 1, 1, 2, 3)) + 1):
            if len(plans) >= count:
                break
            year = rng.choice(LOCAL_YEARS)
            plans.append(Plan(f"syn-{country:03d}-c{city}-{year}", country, year, city=city))
    return plans


class _Template:
    """The template profile's triples, grouped by subject, with each subject's kind."""

    def __init__(self, settings: Settings) -> None:
        graph = graph_iri(settings, "profile", TEMPLATE)
        store = parse_sources([f for f in source_files(settings) if f.graph == graph])
        self.base = settings.base_iri
        self.by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
        for quad in store:
            self.by_subject.setdefault(quad.subject, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
        self.types = {s: {t.object.value for t in ts if t.predicate == RDF_TYPE} for s, ts in self.by_subject.items()}
        self.nodes = [s for s in self.by_subject if isinstance(s, ox.NamedNode)]
        self.main = ox.NamedNode(self.base + f"assessment/{TEMPLATE}")
        if self.main not in self.by_subject:  # no template folder, or data IRIs under another base
            raise DataFileError(settings.data_dir / "profiles" / TEMPLATE, None,
                                f"no {self.main.value} here: synth copies that profile, so it needs it, with "
                                f"IRIs under the base IRI {self.base}")
        local = [s for s in self.nodes if MGI + "LocalAssessment" in self.types[s]]
        self.local = local[0] if local else self.main
        self.assessments = {s for s in self.nodes if any(t.endswith("Assessment") for t in self.types[s])}
        self.country = ox.NamedNode(self.base + TEMPLATE_COUNTRY)
        self.sections = {s for s in self.nodes if MGI + "ReportSection" in self.types[s]}
        self.index = {node: i for i, node in enumerate(sorted(self.nodes, key=lambda n: n.value), 1)}
        self.updates = {s for s in self.nodes if MGI + "Update" in self.types[s] or (
            s in self.sections and "/updates-" in s.value)}
        self.uncited = {s for s in self.nodes if MGI + "Finding" in self.types[s]
                        and not any(t.predicate.value == MGI + "cites" for t in self.by_subject[s])}
        self.bodies = [s for s in self.nodes if MGI + "PublicBody" in self.types[s]]
        self.notes = {s: _gap_notes(ts) for s, ts in self.by_subject.items() if self.types[s] & INSTRUMENTS}

    def local_path(self, node: ox.NamedNode) -> str:
        return node.value[len(self.base):] if node.value.startswith(self.base) else ""


class _Profile:
    """Writes one synthetic profile as N-Triples lines."""

    def __init__(self, template: _Template, plan: Plan, seed: int, scale: float) -> None:
        self.t, self.plan, self.seed, self.scale = template, plan, seed, scale
        self.base = template.base
        self.counter = 0
        self.numbers: dict[ox.NamedNode, str] = {}  # the number in a copy's synthetic name
        self.scope = f"syn-{plan.country:03d}" + (f"-c{plan.city}" if plan.city else "")
        self.place = (f"City {plan.city} of Country {plan.code}" if plan.city else f"Country {plan.code}")
        self.country = ox.NamedNode(self.base + f"country/syn-{plan.country:03d}")
        self.main = ox.NamedNode(self.base + f"assessment/{plan.name}")
        self.copies = self._copies()

    def _copies(self) -> dict[ox.NamedNode, list[ox.NamedNode]]:
        """Each template node's copies. A first round or a local profile reports no updates."""
        copies: dict[ox.NamedNode, list[ox.NamedNode]] = {self.t.country: [self.country]}
        self.dropped = set() if self.plan.previous else self.t.updates
        for node in self.t.nodes:
            if node in self.t.assessments or node == self.t.country or node in self.dropped:
                continue
            path = self.t.local_path(node)
            if node in self.t.sections:
                copies[node] = [ox.NamedNode(self.base + path.replace(TEMPLATE, self.plan.name, 1))]
                self.numbers[copies[node][0]] = str(self.t.index[node])
                continue
            # Local profiles are smaller than national ones (about 1.8 and 3 copies of each node).
            # Drawn per country (or city), so every round of it holds the same bodies and instruments.
            rng = random.Random(f"{self.seed}/{self.scope}/{self.t.index[node]}")
            k = 1 + (_binomial(rng, 2, 0.4) if self.plan.city else _binomial(rng, 4, (self.scale - 1) / 4))
            copies[node] = [self._new_iri(node, path, i) for i in range(1, k + 1)]
        copies[self.t.main] = [self.main]
        return copies

    def _new_iri(self, node: ox.NamedNode, path: str, copy: int) -> ox.NamedNode:
        """Facts of a report get the profile's name in their IRI; bodies, instruments and sources the
        country's (or city's), with a number stable across rounds, so rounds share them."""
        kind = path.split("/", 1)[0] if path else "source"
        if kind in ("finding", "update", "covid-response", "membership", "change"):
            self.counter += 1
            number, scope = str(self.counter), self.plan.name
        else:
            number, scope = f"{self.t.index[node]}-{copy}", self.scope
        iri = ox.NamedNode(f"{self.base}{kind}/{scope}/{number}" if path else f"{SOURCE_BASE}{scope}/source/{number}")
        self.numbers[iri] = number
        return iri

    def lines(self) -> Iterator[str]:
        yield from self._assessment()
        yield from self._country()  # in every profile, so each can be validated on its own
        for node, copies in self.copies.items():
            if node in self.t.by_subject and node != self.t.main:
                for copy in copies:
                    yield from self._clone(node, copy, self.numbers.get(copy, "1"))

    def _country(self) -> Iterator[str]:
        """The synthetic country, as a concept of the country scheme (written by its first national profile)."""
        scheme = ox.NamedNode(self.base + "concept/country")
        code = self.plan.code
        for predicate, obj in ((RDF_TYPE, ox.NamedNode(SKOS + "Concept")), (RDF_TYPE, ox.NamedNode(MGI + "Country")),
                               (SKOS + "prefLabel", ox.Literal(f"Synthetic Country {code}", language="en")),
                               (SKOS + "prefLabel", ox.Literal(f"País sintético {code}", language="es")),
                               (SKOS + "definition", ox.Literal(f"A synthetic country for scale tests ({code}).",
                                                                language="en")),
                               (SKOS + "notation", ox.Literal(code)), (SKOS + "inScheme", scheme)):
            yield _nt(self.country, ox.NamedNode(predicate) if isinstance(predicate, str) else predicate, obj)

    def _assessment(self) -> Iterator[str]:
        template = self.t.local if self.plan.city else self.t.main
        year = ox.Literal(str(self.plan.year), datatype=ox.NamedNode(XSD + "gYear"))
        for triple in self.t.by_subject[template]:
            p = triple.predicate.value
            if p in (MGI + "previousAssessment", MGI + "followedBy") or p.endswith("hadPrimarySource") \
                    or p.endswith("/source") or triple.predicate == NOTE:
                continue
            obj = year if p == MGI + "year" else self._object(triple.object, triple.predicate, str(self.plan.year))
            if obj is not None:
                yield _nt(self.main, triple.predicate, obj)
        yield _nt(self.main, ox.NamedNode(MGI + "synthetic"), TRUE)
        if self.plan.previous:
            previous = ox.NamedNode(self.base + f"assessment/{self.plan.previous}")
            yield _nt(self.main, ox.NamedNode(MGI + "previousAssessment"), previous)
            yield _nt(previous, ox.NamedNode(MGI + "followedBy"), self.main)

    def _clone(self, node: ox.NamedNode | ox.BlankNode, copy: ox.NamedNode | ox.BlankNode,
               number: str) -> Iterator[str]:
        what = _kind_name(self.t.types.get(node, set()))
        for triple in self.t.by_subject.get(node, []):
            if isinstance(triple.object, ox.BlankNode):
                self.counter += 1
                blank = ox.BlankNode(f"b{self.counter}")
                yield _nt(copy, triple.predicate, blank)
                yield from self._clone(triple.object, blank, number)
                continue
            obj = self._object(triple.object, triple.predicate, number, what, copy)
            if obj is not None:
                yield _nt(copy, triple.predicate, obj)
        if node in self.t.uncited and self.t.bodies:  # the shapes ask every finding to cite something
            body = self.t.bodies[zlib.crc32(str(copy).encode()) % len(self.t.bodies)]
            yield _nt(copy, ox.NamedNode(MGI + "cites"), self.copies[body][0])
        for note in self.t.notes.get(node, ()):
            yield _nt(copy, NOTE, ox.Literal(note, language="en"))

    def _object(self, obj, predicate: ox.NamedNode, number: str, what: str = "Assessment", subject=None):
        if isinstance(obj, ox.Literal):
            return self._literal(obj, predicate, number, what)
        if obj in self.t.assessments:  # another round of the template: our previous round, else ourselves
            if obj == self.t.main or not self.plan.previous:
                return self.main
            return ox.NamedNode(self.base + f"assessment/{self.plan.previous}")
        if obj in self.dropped:
            return None
        choices = self.copies.get(obj)
        if not choices:
            return obj  # reference data stays
        # The same copy for the same subject in every round that writes it.
        return choices[zlib.crc32(f"{subject}|{obj}".encode()) % len(choices)]

    def _literal(self, literal: ox.Literal, predicate: ox.NamedNode, number: str, what: str) -> ox.Literal | None:
        if predicate == NOTE:
            return None  # real notes name real things; the notes the shapes read are added by _clone
        datatype = literal.datatype.value if literal.language is None else None
        if predicate.value in _KEEP_PLAIN or (datatype and datatype != XSD + "string"):
            return literal
        if literal.language == "es":
            return ox.Literal(f"{what} sintético {number} de {self.place}", language="es")
        if literal.language:
            text = f"Synthetic {what} {number} of {self.place}"
            if predicate.value.endswith("description") or predicate.value.endswith("bibliographicCitation"):
                text += ": synthetic text for scale tests, not from any report."
            return ox.Literal(text, language=literal.language)
        if predicate.value == MGI + "locality":
            return ox.Literal(self.place)
        return ox.Literal(f"{self.scope.upper()}-{what[:3].upper()}{number}")


def _gap_notes(triples: list[ox.Triple]) -> list[str]:
    """The notes an instrument needs when the report gives no issuer or no year (as the shapes ask)."""
    have = {t.predicate.value for t in triples}
    notes = []
    if not have & {MGI + "issuedBy", MGI + "hasParty"}:
        notes.append("The synthetic report does not say who issued it.")
    if not have & {MGI + "year", "http://data.europa.eu/eli/ontology#date_document"}:
        notes.append("The synthetic report gives no year of adoption.")
    return notes


def _kind_name(types: set[str]) -> str:
    local = sorted(t.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in types) or ["Resource"]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local[0])


def _binomial(rng: random.Random, n: int, p: float) -> int:
    p = min(max(p, 0.0), 1.0)
    return sum(rng.random() < p for _ in range(n))


def _nt(s, p, o) -> str:
    return f"{s} {p} {o} ."


def check_template(settings: Settings) -> None:
    """DataFileError when the template profile cannot be copied: callers check before they write."""
    _Template(settings)


def write_profiles(settings: Settings, count: int, out: Path, *, seed: int = 0, scale: float = 3.0,
                   progress: Callable[[Plan], None] | None = None) -> list[Plan]:
    """Write `count` synthetic profiles, each as out/<name>/profile.nt; returns their plans."""
    rng = random.Random(seed)
    template = _Template(settings)
    plans = plan_profiles(count, rng)
    for plan in plans:
        profile = _Profile(template, plan, seed, scale)
        folder = out / plan.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "profile.nt").write_text("\n".join(profile.lines()) + "\n", encoding="utf-8")
        if progress is not None:
            progress(plan)
    return plans
