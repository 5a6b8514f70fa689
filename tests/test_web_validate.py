"""/validate: the page and the API (Flask test client)."""

from __future__ import annotations

import io
import json
import re

from rdflib import Graph, URIRef

BROKEN = b'@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unclosed .\n'


def whole_profile(settings) -> bytes:
    # Turtle allows its directives to repeat, so the profile's files concatenate into one document.
    return b"\n".join(p.read_bytes() for p in sorted((settings.data_dir / "profiles" / "gtm-2022").glob("*.ttl")))


def test_the_page_offers_upload_and_paste(client):
    page = client.get("/validate")
    assert page.status_code == 200
    assert b'type="file"' in page.data and b"<textarea" in page.data


def test_api_reports_json_for_a_conforming_profile(client, settings, store):
    before = store.count()
    response = client.post("/validate", data=whole_profile(settings), content_type="text/turtle")
    assert response.status_code == 200
    report = json.loads(response.data)
    assert report["conforms"] is True
    assert [d["score"] for d in report["completeness"][0]["dimensions"]] == [1.0] * 6
    assert store.count() == before  # the upload never touches the stored graph


def test_api_gives_the_shacl_report_in_turtle(client, settings):
    response = client.post("/validate", data=whole_profile(settings), content_type="text/turtle",
                           headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.data, format="turtle")
    assert (None, None, URIRef("http://www.w3.org/ns/shacl#ValidationReport")) in graph


def test_api_unreadable_turtle_is_400_naming_the_line(client):
    response = client.post("/validate", data=BROKEN, content_type="text/turtle")
    assert response.status_code == 400
    assert ":3:" in response.get_json()["error"]["message"]


def test_api_refuses_unknown_media_types(client):
    assert client.post("/validate", data=b"hello", content_type="text/plain").status_code == 415


def test_page_shows_a_readable_report(client):
    profile = b"""@prefix mgi: <https://w3id.org/mgi-graph/ontology#> .
    <https://w3id.org/mgi-graph/id/finding/x/1> a mgi:Finding ."""
    response = client.post("/validate", data={"profile": (io.BytesIO(profile), "draft.ttl")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Does not conform" in text
    assert "Violation" in text


def test_page_broken_upload_names_the_problem(client):
    response = client.post("/validate", data={"profile": (io.BytesIO(BROKEN), "broken.ttl")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert b"broken.ttl:3" in response.data


def test_uploads_over_the_size_limit_are_413(app, settings, store):
    from mgi_graph.web import create_app

    small = create_app({"MGI_SETTINGS": settings.with_changes(max_upload_bytes=1000), "MGI_STORE": store,
                        "TESTING": True})
    response = small.test_client().post("/validate", data=b"#" * 5000, content_type="text/turtle")
    assert response.status_code == 413


def test_validation_past_its_time_limit_is_stopped_with_503(settings, store):
    from mgi_graph.web import create_app

    hurried = create_app({"MGI_SETTINGS": settings.with_changes(validate_timeout=0.05), "MGI_STORE": store,
                          "TESTING": True})
    response = hurried.test_client().post("/validate", data=whole_profile(settings), content_type="text/turtle")
    assert response.status_code == 503
    assert "limit" in response.get_json()["error"]["message"]


# -- the page's form, rule by rule (reviewer's report) ------------------------------------------------

GTM = "https://w3id.org/mgi-graph/id/finding/gtm-2022/1.1-a"
TWO = f'<{GTM}> <https://w3id.org/mgi-graph/ontology#dimension> "two" .\n'.encode()
RDF_XML = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:mgi="https://w3id.org/mgi-graph/ontology#">
  <mgi:Finding rdf:about="https://w3id.org/mgi-graph/id/finding/x/1"/>
</rdf:RDF>
"""


def post_form(client, **fields):
    return client.post("/validate", data=fields, content_type="multipart/form-data")


def profile_files(settings) -> list:
    folder = settings.data_dir / "profiles" / "gtm-2022"
    return [(io.BytesIO(p.read_bytes()), p.name) for p in sorted(folder.glob("*.ttl"))]


def app_with(settings, store, **changes):
    from mgi_graph.web import create_app

    return create_app({"MGI_SETTINGS": settings.with_changes(**changes), "MGI_STORE": store, "TESTING": True})


def test_pasted_text_and_format_come_back_after_an_error(client):
    text = BROKEN.decode() + "# <script>alert(1)</script>\n"
    response = post_form(client, text=text, format="ttl")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "pasted text:3" in page
    assert 'spellcheck="false">\n@prefix ex: &lt;http://example.org/&gt; .' in page and "&lt;script&gt;alert(1)" in page
    assert '<option value="ttl" selected>' in page


def test_an_xml_file_is_read_as_rdf_xml(client):
    response = post_form(client, profile=(io.BytesIO(RDF_XML), "x.xml"))
    assert response.status_code == 200 and b"Does not conform" in response.data


def test_the_picker_accepts_exactly_the_extensions_read(client):
    from mgi_graph.sources import FORMATS

    accept = re.search(r'id="profile"[^>]* accept="([^"]*)"', client.get("/validate").get_data(as_text=True))
    assert set(accept.group(1).split(",")) == set(FORMATS) and ".xml" in FORMATS


def test_the_cli_reads_an_xml_file_too(runner, settings, tmp_path):
    from mgi_graph.cli import main

    (tmp_path / "x.xml").write_bytes(RDF_XML)
    result = runner.invoke(main, ["--root", str(settings.root), "validate", str(tmp_path / "x.xml")])
    assert result.exit_code == 1 and "unknown RDF format" not in result.output


def test_several_files_are_checked_together_as_one_profile(client, settings):
    page = client.get("/validate").get_data(as_text=True)
    assert 'type="file" multiple' in page and "choose all its files together" in page
    response = post_form(client, profile=profile_files(settings))
    assert response.status_code == 200 and b"Conforms" in response.data
    assert b"11 files together (assessments.ttl, covid-19.ttl" in response.data


def test_a_broken_file_among_several_is_named(client, settings):
    response = post_form(client, profile=profile_files(settings)[:2] + [(io.BytesIO(BROKEN), "broken.ttl")])
    assert response.status_code == 400 and b"broken.ttl:3" in response.data


def test_several_files_over_the_limit_together_are_413(settings, store):
    client = app_with(settings, store, max_upload_bytes=1000).test_client()
    files = [(io.BytesIO(b"#" * 600), "a.ttl"), (io.BytesIO(b"#" * 600), "b.ttl")]  # each under, both over
    response = post_form(client, profile=files)
    assert response.status_code == 413 and b"limit of 0.001 MB (all files together)" in response.data


def test_only_nodes_the_graph_knows_are_linked(client, settings):
    new = b"<https://w3id.org/mgi-graph/id/finding/x/new> a <https://w3id.org/mgi-graph/ontology#Finding> .\n"
    response = post_form(client, text=(whole_profile(settings) + TWO + new).decode())
    page = response.get_data(as_text=True)
    assert 'href="/id/finding/gtm-2022/1.1-a"' in page
    assert 'href="/id/finding/x/new"' not in page
    assert '<code title="https://w3id.org/mgi-graph/id/finding/x/new">finding/x/new</code>' in page


def test_a_result_is_reported_once_with_its_path_and_value(client, settings):
    profile = whole_profile(settings) + TWO  # DimensionScheme's sh:nodeKind and sh:node both fail on "two"
    report = client.post("/validate", data=profile, content_type="text/turtle").get_json()
    assert [(r["focus_node"], r["value"]) for r in report["results"] if r["severity"] == "Violation"] == [(GTM, "two")]
    page = post_form(client, text=profile.decode()).get_data(as_text=True)
    assert page.count("<li><strong>") == len(report["results"])
    assert '<code class="path">mgi:dimension</code> value <span class="value"><q>two</q>' in page


def test_an_upload_over_the_limit_is_the_page_naming_it_in_mb(settings, store):
    client = app_with(settings, store, max_upload_bytes=1000).test_client()
    response = post_form(client, profile=(io.BytesIO(b"#" * 100_000), "big.ttl"))
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert b'role="alert">the upload is larger than the limit of 0.001 MB' in response.data


def test_an_api_upload_over_the_limit_is_json_naming_it_in_mb(settings, store):
    client = app_with(settings, store, max_upload_bytes=1000).test_client()
    response = client.post("/validate", data=b"#" * 5000, content_type="text/turtle")
    assert response.status_code == 413 and "0.001 MB" in response.get_json()["error"]["message"]


def test_counts_are_pluralised_and_the_checked_file_named(client, settings):
    response = post_form(client, profile=(io.BytesIO(whole_profile(settings) + TWO), "gtm.ttl"))
    page = response.get_data(as_text=True)
    assert "1 Violation ·" in page and "184 Warnings" in page and "0 Infos" in page
    assert "Checked gtm.ttl with the ontology" in page


def test_a_file_and_pasted_text_together_are_refused(client):
    response = post_form(client, profile=(io.BytesIO(RDF_XML), "x.xml"), text="<a> <b> <c> .")
    assert response.status_code == 400
    assert b'role="alert">send either files or pasted text, not both' in response.data
    assert b"&lt;a&gt; &lt;b&gt; &lt;c&gt; .</textarea>" in response.data


def test_the_page_says_503_when_the_validation_runs_out_of_time(settings, store):
    from mgi_graph.web import create_app

    hurried = create_app({"MGI_SETTINGS": settings.with_changes(validate_timeout=0.05), "MGI_STORE": store,
                          "TESTING": True})
    response = hurried.test_client().post("/validate", data={"text": whole_profile(settings).decode()})
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert b"limit" in response.data and b"<textarea" in response.data


def test_the_page_takes_the_format_names_the_cli_takes(client, settings):
    text = (settings.root / "data" / "profiles" / "gtm-2022" / "assessments.ttl").read_text(encoding="utf-8")
    response = client.post("/validate", data={"text": text, "format": "turtle"})
    assert response.status_code == 200 and b"unknown format" not in response.data
