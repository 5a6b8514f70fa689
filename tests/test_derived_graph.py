"""What the build derives: the default graph as the set union of the named graphs, and the
rdf:type closure in its own named graph."""

from __future__ import annotations

from mgi_graph.bounded import BoundedStore
from mgi_graph.settings import Settings
from mgi_graph.store import build_store, inferred_graph, open_store

MIGRATION_CODE = "https://w3id.org/mgi-graph/id/instrument/gtm/decree-no-44-2016"
LABELS = f"SELECT ?label WHERE {{ <{MIGRATION_CODE}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }}"
INSTRUMENT = "https://w3id.org/mgi-graph/ontology#Instrument"


def _restated(project) -> Settings:
    """A second profile folder that states the Migration Code's labels again, as a later round
    describing the same law would."""
    folder = project / "data" / "profiles" / "gtm-2026"
    folder.mkdir()
    lines = [line for line in (project / "data" / "profiles" / "gtm-2022" / "instruments.ttl").read_text().splitlines()
             if line.startswith("@prefix")]
    lines.append(f'<{MIGRATION_CODE}> skos:prefLabel "Migration Code"@en .')
    (folder / "restated.ttl").write_text("\n".join(lines) + "\n")
    return Settings(root=project)


def test_a_triple_two_profiles_state_matches_once(project_copy):
    settings = _restated(project_copy)
    store = build_store(settings)
    labels = [row[0] for row in store.query(LABELS).rows]
    assert len(labels) == len(set(labels))
    english = [label for label in labels if label.language == "en"]
    assert [str(label) for label in english] == ["Migration Code"]


def test_the_on_disk_index_and_the_query_workers_answer_as_a_set_too(project_copy, tmp_path):
    settings = _restated(project_copy)
    on_disk = open_store(settings.with_changes(store=str(tmp_path / "index"))).inner
    assert len(on_disk.query(LABELS).rows) == len(build_store(settings).query(LABELS).rows)
    with BoundedStore.from_settings(settings, build_store(settings)) as bounded:
        assert sorted(bounded.query(LABELS).rows) == sorted(build_store(settings).query(LABELS).rows)


def test_subclass_instances_carry_their_superclasses(store):
    assert store.query(f"ASK {{ <{MIGRATION_CODE}> a <{INSTRUMENT}> }}").boolean


def test_the_closure_is_in_the_inferred_graph_and_states_nothing_new_twice(store, settings):
    graph = inferred_graph(settings)
    assert graph in store.graph_names()
    assert store.query(f"ASK {{ GRAPH <{graph}> {{ <{MIGRATION_CODE}> a <{INSTRUMENT}> }} }}").boolean
    restated = store.query(f"""SELECT (COUNT(*) AS ?n) WHERE {{
        GRAPH <{graph}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{graph}>) }}""")
    assert int(restated.rows[0][0]) == 0
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    other = store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o FILTER(?p != <{rdf_type}>) }} }}")
    assert not other.boolean


def test_the_inferred_graph_is_left_out_of_exports(store):
    exported = store.to_rdflib()
    from rdflib import RDF, URIRef

    assert (URIRef(MIGRATION_CODE), RDF.type, URIRef(INSTRUMENT)) not in exported
    assert (URIRef(MIGRATION_CODE), None, None) in exported


def test_the_derived_dump_is_what_queries_see(store):
    import pyoxigraph as ox

    derived = store.dump(ox.RdfFormat.N_TRIPLES, derived=True).decode()
    assert f"<{MIGRATION_CODE}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{INSTRUMENT}> ." in derived
    assert len(derived.splitlines()) == int(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0])


def test_the_dataset_dump_holds_every_named_graph_and_no_derived_default_graph(store):
    import pyoxigraph as ox

    dumped = ox.Dataset(ox.parse(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name for q in dumped}
    assert {g.value for g in graphs if isinstance(g, ox.NamedNode)} == set(store.graph_names())
    assert not any(isinstance(g, ox.DefaultGraph) for g in graphs)
    inferred = ox.NamedNode(store.inferred_graph)
    assert len([q for q in dumped if q.graph_name == inferred]) == int(
        store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {inferred} {{ ?s ?p ?o }} }}").rows[0][0])
