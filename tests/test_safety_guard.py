"""The outbound/file guard. Audit hooks cannot be removed, so every test that installs it runs
in a fresh interpreter; the listener records any connection that gets through."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mgi_graph.guard import GuardPolicy
from mgi_graph.settings import Settings

from .safety_support import Listener

PROJECT = Path(__file__).resolve().parents[1]

PRELUDE = """
import json, sys
from mgi_graph.settings import Settings
from mgi_graph.guard import GuardPolicy, install
settings = Settings(root=__import__("pathlib").Path({root!r}))
results = {{}}
def attempt(name, func):
    try:
        func()
        results[name] = "allowed"
    except Exception as exc:
        results[name] = "refused" if guarded(exc) else "other " + type(exc).__name__ + ": " + str(exc)[:200]
def guarded(exc):
    # the guard refused, even when a library wrapped its error in its own
    seen = 0
    while exc is not None and seen < 20:
        if "mgi-graph guard" in str(exc):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False
"""


def run_guarded(body: str, timeout: float = 120) -> dict:
    code = PRELUDE.format(root=str(PROJECT)) + textwrap.dedent(body) + "\nprint(json.dumps(results))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          cwd="/")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_outbound_route_is_refused_and_nothing_reaches_the_listener(tmp_path):
    with Listener() as listener:
        results = run_guarded(f"""
            install(GuardPolicy.for_settings(settings))
            import socket, urllib.request, rdflib
            url = {listener.url!r}
            attempt("socket", lambda: socket.create_connection(("127.0.0.1", {listener.port}), timeout=2))
            attempt("dns", lambda: socket.getaddrinfo("example.org", 80))
            attempt("urlopen", lambda: urllib.request.urlopen(url, timeout=2))
            attempt("urlopen file", lambda: urllib.request.urlopen("file:///etc/passwd"))
            attempt("rdflib parse url", lambda: rdflib.Graph().parse(url + "x.ttl"))
            attempt("rdflib SERVICE", lambda: list(rdflib.Graph().query(
                "SELECT * WHERE {{ SERVICE <" + url + "sparql> {{ ?s ?p ?o }} }}")))
            attempt("rdflib FROM http", lambda: list(rdflib.Dataset().query(
                "SELECT * FROM <" + url + "g> WHERE {{ ?s ?p ?o }}")))
            attempt("rdflib FROM file", lambda: list(rdflib.Dataset().query(
                "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}")))
            attempt("jsonld remote context", lambda: rdflib.Graph().parse(
                data='{{"@context": "' + url + 'ctx.jsonld", "@id": "urn:a", "name": "x"}}', format="json-ld"))
            import subprocess
            attempt("subprocess", lambda: subprocess.run(["true"]))
            import os
            attempt("os.system", lambda: os.system("true"))
        """)
    assert listener.hits == 0
    assert {k: v for k, v in results.items() if v != "refused"} == {}


def test_files_outside_the_project_and_writes_are_refused(tmp_path):
    results = run_guarded(f"""
        install(GuardPolicy.for_settings(settings))
        attempt("read /etc/passwd", lambda: open("/etc/passwd").read())
        attempt("read via /proc/self/root", lambda: open("/proc/self/root/etc/passwd").read())
        attempt("read a data file", lambda: next((settings.data_dir / "reference").glob("*.ttl")).read_bytes())
        attempt("read a shape", lambda: [p.read_bytes() for p in settings.shapes_dir.glob("*.ttl")])
        attempt("write into data", lambda: open(settings.data_dir / "x.ttl", "w"))
        attempt("append to the ontology", lambda: open(next(settings.ontology_dir.glob("*.ttl")), "a"))
        attempt("write via os.open", lambda: __import__("os").open(str(settings.root / "x"), 0o101))
        attempt("read the tests folder", lambda: open({str(PROJECT / "tests" / "conftest.py")!r}).read())
        attempt("write tmp", lambda: open({str(tmp_path / "ok.txt")!r}, "w").write("ok"))
        attempt("dev null", lambda: open("/dev/null", "w").write("x"))
    """)
    assert results == {
        "read /etc/passwd": "refused", "read via /proc/self/root": "refused", "read a data file": "allowed",
        "read a shape": "allowed", "write into data": "refused", "append to the ontology": "refused",
        "write via os.open": "refused", "read the tests folder": "refused", "write tmp": "allowed",
        "dev null": "allowed",
    }


def test_the_app_serves_normally_under_the_guard():
    results = run_guarded("""
        from mgi_graph.web import create_app
        from mgi_graph.guard import installed_policy
        app = create_app({"MGI_SETTINGS": settings.with_changes(query_workers=1)})
        results["installed"] = "allowed" if installed_policy() else "missing"
        client = app.test_client()
        for path in ("/", "/sparql", "/downloads", "/static/style.css", "/graph.ttl", "/queries"):
            attempt("GET " + path, lambda: (_ for _ in ()).throw(RuntimeError(client.get(path).status))
                    if client.get(path).status_code >= 500 else None)
        q = "SELECT * WHERE { ?s ?p ?o } LIMIT 3"
        attempt("sparql", lambda: client.get("/sparql", query_string={"query": q}).get_json()["results"])
        attempt("sparql html", lambda: client.get("/sparql", query_string={"query": q},
                                                  headers={"Accept": "text/html"}).status_code == 200 or 1 / 0)
        attempt("rdflib plugins", lambda: __import__("rdflib").Graph().parse(data="<urn:a> <urn:b> 1 .",
                                                                              format="turtle").serialize(format="json-ld"))
        attempt("second install changes nothing", lambda: install(GuardPolicy()) and 1 / 0)
    """)
    assert set(results.values()) == {"allowed"}, results


def test_a_remote_store_host_is_the_only_connection_allowed():
    with Listener() as store_server, Listener() as other:
        results = run_guarded(f"""
            install(GuardPolicy.for_settings(settings.with_changes(store={store_server.url + "sparql"!r})))
            import socket
            attempt("store", lambda: socket.create_connection(("127.0.0.1", {store_server.port}), timeout=2).close())
            attempt("other port", lambda: socket.create_connection(("127.0.0.1", {other.port}), timeout=2))
        """)
    assert results == {"store": "allowed", "other port": "refused"}
    assert other.hits == 0


def test_policy_decisions_without_installing():
    policy = GuardPolicy.for_settings(Settings(root=PROJECT))
    assert not policy.may_connect(("127.0.0.1", 80)) and not policy.may_connect("/run/socket")
    assert policy.may_resolve("127.0.0.1") and policy.may_resolve("localhost") and not policy.may_resolve("a.b")
    assert policy.may_open(str(PROJECT / "ontology"), "r", 0)
    assert not policy.may_open(str(PROJECT / "ontology" / "x.ttl"), "w", 0)
    assert not policy.may_request("file:///etc/passwd")


@pytest.mark.parametrize("event", ["subprocess.Popen", "os.system"])
def test_the_hook_is_never_installed_by_importing(event):
    done = subprocess.run([sys.executable, "-c", "import mgi_graph.web, mgi_graph.guard, mgi_graph.bounded, "
                           "subprocess; print(subprocess.run(['true']).returncode)"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "0", done.stderr


def test_a_checkout_under_the_temporary_folder_is_still_protected(tmp_path):
    # CI may clone the project under /tmp, which the guard lets the app write to.
    root = tmp_path / "checkout"
    (root / "data").mkdir(parents=True)
    policy = GuardPolicy.for_settings(Settings(root=root))
    assert policy.may_open(str(root / "data" / "a.ttl"), "r", 0)
    assert not policy.may_open(str(root / "data" / "a.ttl"), "w", 0)
    assert not policy.may_open(str(root / "tests" / "conftest.py"), "r", 0)
    assert policy.may_open(str(tmp_path / "elsewhere.txt"), "w", 0)


def test_an_on_disk_index_folder_may_be_read(tmp_path):
    policy = GuardPolicy.for_settings(Settings(root=PROJECT, store=str(tmp_path / "index")))
    assert policy.may_open(str(tmp_path / "index" / "sources-version"), "r", 0)


def test_giving_memory_back_works_under_the_guard_and_starts_no_program():
    results = run_guarded("""
        started = []
        sys.addaudithook(lambda event, args: started.append(event) if event == "subprocess.Popen" else None)
        install(GuardPolicy.closed())
        from mgi_graph.memory import release_freed_memory
        attempt("release", release_freed_memory)
        results["programs started"] = len(started)
    """)
    assert results == {"release": "allowed", "programs started": 0}
