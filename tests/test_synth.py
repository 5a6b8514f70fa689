"""Synthetic profiles: deterministic, clearly synthetic, our vocabulary only, conforming to the shapes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from mgi_graph.cli import main
from mgi_graph.settings import Settings
from mgi_graph.store import build_store

MGI = "https://w3id.org/mgi-graph/ontology#"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory, settings) -> Path:
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("synth")
    result = CliRunner().invoke(main, ["--root", str(settings.root), "synth", "--profiles", "3", "--seed", "7",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_same_seed_same_profiles(synthetic, settings, tmp_path):
    from mgi_graph.synth import write_profiles

    write_profiles(settings, 3, tmp_path, seed=7)
    for path in (synthetic / "data" / "profiles").glob("*/profile.nt"):
        assert (tmp_path / path.parent.name / "profile.nt").read_bytes() == path.read_bytes()


def test_profiles_are_marked_and_named_synthetic(synthetic):
    store = build_store(Settings(root=synthetic))
    subclass = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
    rows = store.query(f"SELECT DISTINCT ?a ?s WHERE {{ ?a a/{subclass} <{MGI}Assessment> "
                       f"OPTIONAL {{ ?a <{MGI}synthetic> ?s }} }}").rows
    assert len(rows) == 3 and all(str(s) == "true" for _, s in rows)
    assert all("/syn-" in str(a) for a, _ in rows)
    labels = store.query("SELECT ?l WHERE { ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
                         "FILTER(LANG(?l) = 'en') }").rows
    profile_labels = [str(label) for (label,) in labels if "SYN-" in str(label)]
    assert profile_labels and all("Synthetic" in text or "synthetic" in text for text in profile_labels)


def test_only_our_vocabulary(synthetic, settings):
    known = {str(q.subject) for q in ox.parse(path=settings.ontology_dir / "mgi.ttl", format=ox.RdfFormat.TURTLE)}
    for path in (synthetic / "data" / "profiles").glob("*/profile.nt"):
        for triple in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES):
            if triple.predicate.value.startswith(MGI):
                assert str(triple.predicate) in known, triple.predicate


def test_synthetic_profiles_conform_to_the_shapes(synthetic):
    validate = pytest.importorskip("mgi_graph.validate")
    report = validate.validate(settings=Settings(root=synthetic))
    violations = [r for r in report.results if r.severity == "Violation"]
    assert violations == []


def test_synth_refuses_a_folder_that_is_not_empty(settings, project_copy):
    from click.testing import CliRunner

    query = project_copy / "queries" / "members.rq"
    before = query.read_bytes()
    result = CliRunner().invoke(main, ["--root", str(settings.root), "synth", "--profiles", "1",
                                       "--out", str(project_copy)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {project_copy}: exists and is not empty")
    assert query.read_bytes() == before and not list((project_copy / "data" / "profiles").glob("syn-*"))


def test_synth_says_one_profile_and_needs_the_base_iri_of_the_data(settings, tmp_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["--root", str(settings.root), "synth", "--profiles", "1",
                                       "--out", str(tmp_path / "one")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote 1 synthetic profile (")
    result = CliRunner().invoke(main, ["--root", str(settings.root), "--base-iri", "https://example.org/x/",
                                       "synth", "--profiles", "1", "--out", str(tmp_path / "other")])
    assert result.exit_code == 2 and "https://example.org/x/assessment/gtm-2022" in result.output
    assert not (tmp_path / "other").exists()


def test_each_round_of_a_country_has_its_own_title(settings, tmp_path):
    from mgi_graph.synth import write_profiles

    write_profiles(settings, 6, tmp_path / "data" / "profiles", seed=7)
    titles = {}
    for path in (tmp_path / "data" / "profiles").glob("*/profile.nt"):
        for triple in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES):
            if triple.predicate.value == "http://purl.org/dc/terms/title" and "/assessment/" in triple.subject.value:
                titles[triple.subject.value] = triple.object.value
    follow_ups = [a for a in titles if a.endswith("-2024")]
    assert follow_ups and len(set(titles.values())) == len(titles)  # "... 2022 of ...", "... 2024 of ..."
