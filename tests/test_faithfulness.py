"""The data says only what the report says: names and sources are checked against its text."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "source" / "mgi-guatemala-2022.txt"
ID = "https://w3id.org/mgi-graph/id/"


def normalise(text: str) -> str:
    """Fold what PDF extraction varies: quotes, line-broken hyphens, runs of white space, case."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"-\s*\n\s*", "-", text)
    return re.sub(r"\s+", " ", text).lower()


@pytest.fixture(scope="module")
def report() -> str:
    if not SOURCE.exists():
        pytest.fail(f"the source report is missing at {SOURCE}")
    return normalise(SOURCE.read_text(encoding="utf-8"))


NAMES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX mgi: <https://w3id.org/mgi-graph/ontology#>
SELECT ?thing ?name (BOUND(?note) AS ?noted) WHERE {
  ?thing skos:prefLabel|mgi:acronym ?name ; mgi:statedIn ?section .
  FILTER NOT EXISTS { ?thing a mgi:Finding } FILTER NOT EXISTS { ?thing a mgi:Update }
  FILTER NOT EXISTS { ?thing a mgi:CovidResponse }
  OPTIONAL { ?thing skos:editorialNote ?note }
}"""


def test_every_name_is_the_reports_own_words_or_is_flagged(store, report):
    """A body's or instrument's name appears verbatim in the report, unless an editorial note says why not."""
    unflagged = sorted({(str(thing).removeprefix(ID), str(name)) for thing, name, noted in store.query(NAMES).rows
                        if normalise(str(name)) not in report and not noted.toPython()})
    assert unflagged == []


def test_spanish_names_appear_in_the_report(store, report):
    rows = store.query("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX mgi: <https://w3id.org/mgi-graph/ontology#>
        SELECT ?thing ?name WHERE { ?thing skos:prefLabel ?name ; mgi:statedIn ?s FILTER(lang(?name) = "es") }""").rows
    assert rows, "the profile should carry Spanish names"
    missing = [(str(t), str(n)) for t, n in rows if normalise(str(n)) not in report]
    assert missing == []


def test_every_web_source_is_footnoted_in_the_report(store, report):
    rows = store.query("SELECT ?url WHERE { ?url a <https://w3id.org/mgi-graph/ontology#WebSource> }").rows
    assert len(rows) > 20
    compact = report.replace(" ", "")
    for (url,) in rows:
        forms = {re.sub(r"^https?://(www\.)?", "", form).lower().replace(" ", "")
                 for form in (str(url), unquote(str(url)))}
        assert any(form in compact for form in forms), f"{url} is not in the report's footnotes"
