"""Comparing a country's assessment rounds: the assessments in order and, for each follow-up,
the updates it reports since the previous round (mgi:Update), per MiGOF dimension, grouped by
kind of change (adopted, signed, updated, created, replaced ...), with what each concerns."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import URIRef

from .errors import ParameterError
from .labels import labels_for
from .sparql_files import internal_query
from .store import Store

KIND_ORDER = ("adopted", "signed", "updated", "created", "replaced", "chaired", "provided")
ISO3 = re.compile(r"^[a-z]{3}$")


@dataclass(frozen=True)
class AssessmentInfo:
    iri: URIRef
    title: str
    year: str
    kind: str  # "national" or "local"
    previous: URIRef | None


@dataclass
class UpdateInfo:
    iri: URIRef
    label: str
    year: str
    concerns: list[tuple[URIRef, str]] = field(default_factory=list)


@dataclass
class KindGroup:
    kind: URIRef | None
    label: str
    updates: list[UpdateInfo] = field(default_factory=list)


@dataclass
class DimensionChanges:
    dimension: URIRef | None
    label: str
    kinds: list[KindGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(k.updates) for k in self.kinds)


@dataclass
class Round:
    previous: AssessmentInfo | None
    current: AssessmentInfo
    dimensions: list[DimensionChanges] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(d.count for d in self.dimensions)


@dataclass
class Comparison:
    country: URIRef
    country_label: str
    assessments: list[AssessmentInfo]
    rounds: list[Round]

    def rows(self) -> list[dict[str, str]]:
        out = []
        for r in self.rounds:
            for d in r.dimensions:
                for k in d.kinds:
                    for u in k.updates:
                        out.append({"previous": str(r.previous.iri) if r.previous else "",
                                    "assessment": str(r.current.iri),
                                    "dimension": str(d.dimension or ""), "dimension_label": d.label,
                                    "change_kind": str(k.kind or ""), "change_kind_label": k.label,
                                    "update": str(u.iri), "update_label": u.label, "year": u.year,
                                    "concerns": " ".join(str(c) for c, _ in u.concerns),
                                    "concerns_labels": "; ".join(label for _, label in u.concerns)})
        return out

    def to_json(self) -> dict:
        return {"country": str(self.country), "country_label": self.country_label,
                "assessments": [{"iri": str(a.iri), "title": a.title, "year": a.year, "kind": a.kind,
                                 "previous": str(a.previous) if a.previous else None} for a in self.assessments],
                "updates": self.rows()}


def country_iri(base_iri: str, iso3: str) -> URIRef:
    code = iso3.strip().lower()
    if not ISO3.match(code):
        raise ParameterError("country", f"not an ISO 3166-1 alpha-3 code: {iso3!r}")
    return URIRef(f"{base_iri}country/{code}")


def countries(store: Store) -> list[tuple[URIRef, str, int]]:
    """(country IRI, its name, number of assessments) for every country with an assessment."""
    rows = store.query(internal_query("compare-countries")).rows
    labels = labels_for(store, [r[0] for r in rows])
    return [(c, labels.get(c, str(c)), int(n)) for c, n in rows]  # type: ignore[misc, arg-type]


def compare(store: Store, country: URIRef) -> Comparison:
    rows = store.query(internal_query("compare-assessments"), {"country": country}).rows
    assessments = {a: AssessmentInfo(a, str(t or a), str(y or ""), "local" if str(k).endswith("LocalAssessment")  # type: ignore
                                      else "national", p) for a, t, y, k, p in rows}  # type: ignore[misc]
    updates = store.query(internal_query("compare-updates"), {"country": country}).rows
    labels = labels_for(store, [country] + [t for row in updates for t in (row[3], row[4], row[5]) if t is not None])
    ordered = sorted(assessments.values(), key=lambda a: (a.year, str(a.iri)))
    rounds = [Round(assessments.get(a.previous) if a.previous else None, a, _dimensions(a.iri, updates, labels.get))
              for a in ordered if a.previous is not None or any(row[0] == a.iri for row in updates)]
    return Comparison(country, labels.get(country, str(country)), ordered, rounds)


def _dimensions(assessment: URIRef, rows: list, label: Callable) -> list[DimensionChanges]:
    found: dict[URIRef | None, dict[URIRef | None, dict[URIRef, UpdateInfo]]] = {}
    for a, update, text, dimension, kind, concerns, year in rows:
        if a != assessment:
            continue
        info = found.setdefault(dimension, {}).setdefault(kind, {}).setdefault(
            update, UpdateInfo(update, str(text or update), str(year or "")))
        if concerns is not None and all(c != concerns for c, _ in info.concerns):
            info.concerns.append((concerns, label(concerns) or str(concerns)))
    out = []
    for dimension in sorted(found, key=lambda d: str(d or "~")):
        groups = [KindGroup(k, label(k) or "unspecified", sorted(updates.values(), key=lambda u: str(u.iri)))
                  for k, updates in sorted(found[dimension].items(), key=lambda item: _kind_rank(item[0]))]
        out.append(DimensionChanges(dimension, label(dimension) or "no dimension", groups))
    return out


def _kind_rank(kind: URIRef | None) -> tuple[int, str]:
    slug = str(kind or "").rsplit("/", 1)[-1]
    return (KIND_ORDER.index(slug) if slug in KIND_ORDER else len(KIND_ORDER), slug)
