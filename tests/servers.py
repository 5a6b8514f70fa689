"""SPARQL servers for the remote-store tests: Oxigraph from PyPI on a free loopback port, and
tiny HTTP servers that misbehave (sleep, or answer garbage)."""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from rdflib import Literal

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """`oxigraph serve` on loopback, union default graph; data kept in `location` across restarts."""

    def __init__(self, location: Path, port: int | None = None) -> None:
        self.location, self.port = location, port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: float = 15.0) -> OxigraphServer:
        command = str(OXIGRAPH) if OXIGRAPH.exists() else shutil.which("oxigraph")
        assert command, "the oxigraph command (pip install oxigraph) is missing"
        self.process = subprocess.Popen(
            [command, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}",
             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/query?query=ASK%7B%7D", timeout=1).read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("oxigraph serve exited") from None
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"oxigraph did not start on port {self.port} within {wait} s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


class _Handler(http.server.BaseHTTPRequestHandler):
    delay = 0.0
    body = b""

    def _answer(self) -> None:
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:  # quiet
        pass


def misbehaving_server(delay: float = 0.0, body: bytes = b"this is not JSON") -> http.server.ThreadingHTTPServer:
    """A local HTTP server that sleeps `delay` seconds, then answers `body` as if it were SPARQL JSON."""
    handler = type("Handler", (_Handler,), {"delay": delay, "body": body})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def normalised(result) -> list[str]:
    """A result as a sorted list, with GROUP_CONCAT lists of IRIs (unordered in SPARQL) sorted."""
    if result.is_graph:
        return sorted(repr(t) for t in result.as_graph())
    if result.kind == "ASK":
        return [repr(result.boolean)]

    def cell(term):
        if isinstance(term, Literal) and term.datatype is None and not term.language and " " in term \
                and all(part.startswith("http") for part in term.split(" ")):
            return " ".join(sorted(term.split(" ")))
        return repr(term)

    return sorted(repr(tuple(cell(t) for t in row)) for row in result.rows)
