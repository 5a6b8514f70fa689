"""Search over names: skos:prefLabel (English, Spanish), skos:altLabel, mgi:acronym,
dcterms:title and identifiers (eli:id_local, "Decree No. 44-2016"), accent- and case-insensitive
("conamigua", "Instituto Guatemalteco", "migration code" and "44-2016" all find their entity).

Each search asks the engine for the things with a name containing the search's longest word,
whatever its accents and case (sparql/search-things.rq, the word bound as a literal), shortest
names first and at most MAX_CANDIDATES of them, then ranks every name of those things here
(sparql/search-labels.rq). An index of every name was built once per graph version before: at 150
profiles that was 290,000 rows, past the query workers' row cap, and 15 s to build."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from .binding import with_value_list
from .kinds import class_labels, info_for
from .labels import PREFERENCE
from .paging import with_page
from .sparql_files import internal_query
from .store import Store

MAX_RESULTS = 50
MAX_CANDIDATES = 2000  # things whose names are ranked for one search
CHUNK = 200  # things per search-labels query (each has a few names and types)
# How a name matched, best first.
EXACT, PREFIX, WORD_PREFIX, ALL_WORDS, SUBSTRING = range(5)
MATCH_NAMES = ("exact", "prefix", "word", "all words", "contains")


def normalise(text: str) -> str:
    """Lower case, accents dropped, punctuation as spaces, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


@dataclass(frozen=True)
class Name:
    text: str  # as written
    key: str  # normalised
    source: str  # pref, alt, acronym, title, identifier
    lang: str = ""  # its language tag, so pages can mark Spanish names lang="es"


@dataclass
class Entry:
    iri: URIRef
    label: str
    kind: str
    family: str
    names: list[Name] = field(default_factory=list)
    label_lang: str = ""


@dataclass(frozen=True)
class Hit:
    iri: URIRef
    label: str
    kind: str
    family: str
    matched: str  # the name that matched
    rank: int
    label_lang: str = ""  # the language tags of label and matched ("" when untagged)
    matched_lang: str = ""

    def to_json(self) -> dict[str, str]:
        return {"iri": str(self.iri), "label": self.label, "kind": self.kind, "matched": self.matched,
                "match": MATCH_NAMES[self.rank]}


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    truncated: bool = False

    def groups(self) -> list[tuple[str, list[Hit]]]:
        """Hits grouped by kind; groups in the order of their best hit."""
        grouped: dict[str, list[Hit]] = {}
        for hit in self.hits:
            grouped.setdefault(hit.kind, []).append(hit)
        return list(grouped.items())

    def to_json(self) -> dict:
        return {"query": self.query, "count": len(self.hits), "truncated": self.truncated,
                "groups": [{"kind": kind, "results": [h.to_json() for h in hits]} for kind, hits in self.groups()]}


class SearchIndex:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries

    def search(self, query: str, limit: int = MAX_RESULTS) -> SearchResult:
        key = normalise(query)
        if not key:
            return SearchResult(query, [])
        hits = [hit for entry in self.entries if (hit := _match(entry, key)) is not None]
        hits.sort(key=lambda h: (h.rank, len(h.matched), h.label.casefold(), str(h.iri)))
        return SearchResult(query, hits[:limit], len(hits) > limit)


def _match(entry: Entry, key: str) -> Hit | None:
    best: tuple[int, int, str, str] | None = None
    for name in entry.names:
        rank = match_rank(name.key, key)
        # Ties go to the first name in text order, whatever order the store gave the names in.
        if rank is not None and (best is None or (rank, len(name.key), name.text, name.lang) < best):
            best = (rank, len(name.key), name.text, name.lang)
    if best is None:
        return None
    return Hit(entry.iri, entry.label, entry.kind, entry.family, best[2], best[0], entry.label_lang, best[3])


def match_rank(name: str, key: str) -> int | None:
    """How well a normalised name matches a normalised query (None: not at all)."""
    if name == key:
        return EXACT
    if name.startswith(key):
        return PREFIX
    if f" {key}" in f" {name}":
        return WORD_PREFIX
    words = name.split()
    if all(any(w.startswith(part) for w in words) for part in key.split()):
        return ALL_WORDS
    if key in name:
        return SUBSTRING
    return None


def search(store: Store, query: str, limit: int = MAX_RESULTS) -> SearchResult:
    key = normalise(query)
    if not key:
        return SearchResult(query, [])
    text = with_page(internal_query("search-things"), MAX_CANDIDATES + 1, 0)
    things = [row[0] for row in store.query(text, {"_word": Literal(max(key.split(), key=len))}).rows]
    result = build_index(store, things[:MAX_CANDIDATES]).search(query, limit)
    result.truncated = result.truncated or len(things) > MAX_CANDIDATES
    return result


def build_index(store: Store, things: list) -> SearchIndex:
    """An index of every name of the given things."""
    names: dict[URIRef, dict[str, Name]] = {}
    labels: dict[URIRef, list[Literal]] = {}
    types: dict[URIRef, set[URIRef]] = {}
    for start in range(0, len(things), CHUNK):
        query = with_value_list(internal_query("search-labels"), "thing", things[start:start + CHUNK])
        for thing, label, source, cls in store.query(query).rows:
            text = str(label)
            lang = getattr(label, "language", None) or ""
            names.setdefault(thing, {}).setdefault(text, Name(text, normalise(text), str(source), lang))  # type: ignore
            types.setdefault(thing, set()).add(cls)  # type: ignore[arg-type]
            if str(source) in ("pref", "title"):
                labels.setdefault(thing, []).append(label)  # type: ignore[arg-type]
    classes = class_labels(store) if names else {}
    entries = []
    for thing in sorted(names):
        display = _display(labels.get(thing), names[thing])
        info = info_for(thing, display.text, types[thing], classes)
        entries.append(Entry(thing, info.label, info.kind, info.family, list(names[thing].values()), display.lang))
    return SearchIndex(entries)


def _display(labels: list[Literal] | None, names: dict[str, Name]) -> Name:
    """English label first, then untagged, then Spanish; else any name."""
    if not labels:
        return names[sorted(names)[0]]

    def rank(label: Literal) -> tuple[int, str]:
        lang = label.language or ""
        return (PREFERENCE.index(lang) if lang in PREFERENCE else len(PREFERENCE), str(label))

    best = min(labels, key=rank)
    return Name(str(best), normalise(str(best)), "pref", best.language or "")
