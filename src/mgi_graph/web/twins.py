"""The data twins of the analysts' pages: the same state as JSON or CSV, beside the HTML."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response, jsonify, request, url_for


def json_twin(payload: object, name: str) -> Response:
    response = jsonify(payload)
    return _finish(response, name, "json")


def csv_twin(rows: Iterable[Sequence[object]], name: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return _finish(Response(buffer.getvalue(), mimetype="text/csv"), name, "csv")


def dict_rows(records: list[dict[str, object]], header: Sequence[str] | None = None) -> list[list[object]]:
    """A header row and one row per record (the header: the first record's keys, or the one given)."""
    keys = list(header or (records[0].keys() if records else []))
    return [keys] + [[record.get(k, "") for k in keys] for record in records]


def twin_links(endpoint: str, **values: object) -> list[tuple[str, str, str]]:
    """(format, media type, URL) of an HTML page's twins, for <link rel=alternate> and the page's links."""
    args = {k: v for k, v in request.args.items() if k != "download"}
    return [(fmt, media, url_for(endpoint, fmt=fmt, **values, **args)) for fmt, media in
            (("json", "application/json"), ("csv", "text/csv"))]


def _finish(response: Response, name: str, fmt: str) -> Response:
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
