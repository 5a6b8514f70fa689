"""The dimensions dashboard: per MiGOF dimension, the profile's findings (well-developed vs
potential for further development) and the instruments and institutions those findings cite; per
SDG 10.7.2 sub-category, the findings the profile links to it, so thin evidence shows.

Counts derived from the profile's text as encoded here. They are not an official SDG 10.7.2
score or an IOM assessment result."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from .kinds import CLASS_FAMILY
from .sparql_files import internal_query
from .store import Store

NOTE = ("Counts derived from the profile's text as encoded in this graph: not an official SDG 10.7.2 score, "
        "nor an IOM assessment result.")
WELL_DEVELOPED = "https://w3id.org/mgi-graph/id/concept/outcome/well-developed"
POTENTIAL = "https://w3id.org/mgi-graph/id/concept/outcome/potential-development"
INSTITUTION_FAMILIES = {"body", "council", "forum", "unit"}
MAX_LISTED = 1000  # findings listed by name under their sub-categories; past it, counts and a link


@dataclass
class DimensionRow:
    iri: URIRef
    notation: str
    label: str
    short: str
    well_developed: int = 0
    potential: int = 0
    instruments: int = 0
    institutions: int = 0

    @property
    def findings(self) -> int:
        return self.well_developed + self.potential

    def to_json(self) -> dict[str, object]:
        return {"dimension": str(self.iri), "notation": self.notation, "label": self.label, "short": self.short,
                "findings": self.findings, "well_developed": self.well_developed, "potential": self.potential,
                "instruments_cited": self.instruments, "institutions_cited": self.institutions}


@dataclass(frozen=True)
class Evidence:
    iri: URIRef
    label: str
    outcome: str  # "well-developed", "potential-development" or ""


@dataclass
class SdgRow:
    iri: URIRef
    notation: str
    label: str
    domain: URIRef
    domain_label: str
    count: int = 0  # findings linked
    well_developed: int = 0
    potential: int = 0
    findings: list[Evidence] = field(default_factory=list)  # listed only when the graph is small (MAX_LISTED)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"subcategory": str(self.iri), "notation": self.notation, "label": self.label,
                                  "domain": str(self.domain), "domain_label": self.domain_label,
                                  "findings": self.count, "well_developed": self.well_developed,
                                  "potential": self.potential}
        if self.count == len(self.findings):
            out["finding_iris"] = [str(e.iri) for e in self.findings]
        return out


@dataclass
class Dashboard:
    dimensions: list[DimensionRow]
    sdg: list[SdgRow]
    note: str = NOTE

    @property
    def total_findings(self) -> int:
        return sum(d.findings for d in self.dimensions)

    @property
    def thin(self) -> list[SdgRow]:
        """Sub-categories with no finding linked."""
        return [row for row in self.sdg if not row.count]

    @property
    def evidence_listed(self) -> bool:
        return all(row.count == len(row.findings) for row in self.sdg)

    def to_json(self) -> dict[str, object]:
        return {"note": self.note, "total_findings": self.total_findings,
                "dimensions": [d.to_json() for d in self.dimensions], "sdg_10_7_2": [s.to_json() for s in self.sdg]}

    def csv_rows(self) -> list[list[object]]:
        """One table for both parts: a 'section' column says which."""
        rows: list[list[object]] = [["section", "iri", "notation", "label", "findings", "well_developed",
                                     "potential", "instruments_cited", "institutions_cited"]]
        rows += [["migof-dimension", str(d.iri), d.notation, d.label, d.findings, d.well_developed, d.potential,
                  d.instruments, d.institutions] for d in self.dimensions]
        rows += [["sdg-10-7-2-subcategory", str(s.iri), s.notation, s.label, s.count, s.well_developed,
                  s.potential, "", ""] for s in self.sdg]
        return rows


def dashboard(store: Store) -> Dashboard:
    rows = {str(d): DimensionRow(d, str(n), str(label), str(short or label))  # type: ignore[arg-type]
            for d, n, label, short in store.query(internal_query("dashboard-dimensions")).rows}
    for dimension, outcome, count in store.query(internal_query("dashboard-findings")).rows:
        row = rows.get(str(dimension))
        if row is None:
            continue
        if str(outcome) == WELL_DEVELOPED:
            row.well_developed += int(count)  # type: ignore[arg-type]
        elif str(outcome) == POTENTIAL:
            row.potential += int(count)  # type: ignore[arg-type]
    _count_cited(store, rows)
    return Dashboard(sorted(rows.values(), key=lambda r: r.notation), _sdg_rows(store))


def _count_cited(store: Store, rows: dict[str, DimensionRow]) -> None:
    classes = ", ".join(URIRef(c).n3() for c in sorted(CLASS_FAMILY))
    query = internal_query("dashboard-cited").replace("FAMILY_CLASSES", classes)
    for dimension, best, things in store.query(query).rows:
        row = rows.get(str(dimension))
        family = CLASS_FAMILY.get(str(best), "other")
        if row is not None and family == "instrument":
            row.instruments += int(things)  # type: ignore[arg-type]
        elif row is not None and family in INSTITUTION_FAMILIES:
            row.institutions += int(things)  # type: ignore[arg-type]


def _sdg_rows(store: Store) -> list[SdgRow]:
    """Counts per sub-category; the findings themselves only while there are at most MAX_LISTED
    (one profile has a few dozen; 150 profiles, 12,000: the saved query lists them a page at a time)."""
    rows: dict[URIRef, SdgRow] = {}
    for sub, notation, label, domain, domain_label, outcome, count in \
            store.query(internal_query("dashboard-sdg-counts")).rows:
        row = rows.setdefault(sub, SdgRow(sub, str(notation), str(label), domain,  # type: ignore[arg-type]
                                          str(domain_label or domain)))
        row.count += int(count)  # type: ignore[arg-type]
        if str(outcome) == WELL_DEVELOPED:
            row.well_developed += int(count)  # type: ignore[arg-type]
        elif str(outcome) == POTENTIAL:
            row.potential += int(count)  # type: ignore[arg-type]
    if sum(row.count for row in rows.values()) <= MAX_LISTED:
        for sub, *_, finding, finding_label, outcome in store.query(internal_query("dashboard-sdg")).rows:
            row = rows.get(sub)  # type: ignore[arg-type]
            if row is not None and finding is not None and all(e.iri != finding for e in row.findings):
                outcome_name = str(outcome).rsplit("/", 1)[-1] if outcome is not None else ""
                row.findings.append(Evidence(finding, str(finding_label or finding), outcome_name))  # type: ignore
    return sorted(rows.values(), key=lambda r: r.notation)
