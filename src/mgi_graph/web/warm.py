"""The pages that count over the whole graph, visited once as `serve` starts, so the first person
to open them does not wait: at 150 profiles the dataset description took 2.4 s the first time,
the dashboard 1.2 s, the home page and the query list about 0.6 s each, and a few ms after."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from flask import Flask

WARM_PATHS = ("/", "/dashboard", "/dataset", "/queries", "/sparql")


def warm_up(app: Flask, paths: Sequence[str] = WARM_PATHS) -> dict[str, int]:
    """GET each path through the app itself (no socket, so no outbound connection), which fills
    the app's caches for the store's current version. Each path's status."""
    client = app.test_client()
    return {path: client.get(path).status_code for path in paths}


def start_warm_up(app: Flask, report: Callable[[str], None], paths: Sequence[str] = WARM_PATHS) -> threading.Thread:
    """warm_up in a daemon thread while the server starts answering; report() gets one line."""
    def run() -> None:
        started = time.perf_counter()
        try:
            statuses = warm_up(app, paths)
        except Exception as exc:  # a failed warm-up must not stop the server; the page will say why
            report(f"warm-up stopped: {type(exc).__name__}: {exc}")
            return
        failed = [f"{path} ({status})" for path, status in statuses.items() if status >= 400]
        report(f"warmed {len(paths)} pages in {time.perf_counter() - started:.1f} s"
               + (f"; these failed: {', '.join(failed)}" if failed else ""))

    thread = threading.Thread(target=run, name="mgi-graph warm-up", daemon=True)
    thread.start()
    return thread
