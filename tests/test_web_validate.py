"""/validate: the page and the API (Flask test client)."""

from __future__ import annotations

import io
import json

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
    assert ":3:" in response.get_json()["error"]


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
    assert "limit" in response.get_json()["error"]
