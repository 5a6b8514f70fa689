"""The analysts' overview pages: search (/search), the dimensions dashboard (/dashboard) and the
comparison of assessment rounds (/compare/<iso3>). Each answers HTML, and .json / .csv beside it."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup

from ..compare import compare, countries, country_iri
from ..dashboard import dashboard as build_dashboard
from ..dashboard_chart import dimensions_chart, sdg_chart
from ..search import search as run_search
from .state import state
from .twins import csv_twin, dict_rows, json_twin, twin_links

bp = Blueprint("views", __name__)
MAX_QUERY = 200


@bp.get("/search", defaults={"fmt": "html"})
@bp.get("/search.<any(json, csv):fmt>")
def search(fmt: str):
    query = request.args.get("q", "")[:MAX_QUERY]
    result = run_search(state().store, query)
    if fmt == "json":
        return json_twin(result.to_json(), "search")
    if fmt == "csv":
        rows = [{**hit.to_json()} for hit in result.hits]
        return csv_twin(dict_rows(rows, ["iri", "label", "kind", "matched", "match"]), "search")
    return render_template("search.html", query=query, result=result, twins=twin_links("views.search"))


@bp.get("/dashboard", defaults={"fmt": "html"})
@bp.get("/dashboard.<any(json, csv):fmt>")
def dashboard(fmt: str):
    board = build_dashboard(state().store)
    if fmt == "json":
        return json_twin(board.to_json(), "dashboard")
    if fmt == "csv":
        return csv_twin(board.csv_rows(), "dashboard")
    # The charts are SVG markup built by dashboard_chart, which escapes every text it draws.
    charts = {"dimensions": Markup(dimensions_chart(board)), "sdg": Markup(sdg_chart(board))}
    return render_template("dashboard.html", board=board, charts=charts, twins=twin_links("views.dashboard"))


@bp.get("/compare")
def compare_index():
    rows = [(iri, label, n, str(iri).rsplit("/", 1)[-1]) for iri, label, n in countries(state().store)]
    return render_template("compare_index.html", countries=rows)


@bp.get("/compare/<iso3>", defaults={"fmt": "html"})
@bp.get("/compare/<iso3>.<any(json, csv):fmt>")
def compare_rounds(iso3: str, fmt: str):
    app_state = state()
    comparison = compare(app_state.store, country_iri(app_state.settings.base_iri, iso3))
    if not comparison.assessments:
        abort(404, description=f"No assessment of {iso3!r} is loaded.")
    name = f"compare-{iso3.lower()}"
    if fmt == "json":
        return json_twin(comparison.to_json(), name)
    if fmt == "csv":
        return csv_twin(dict_rows(comparison.rows(), COMPARE_COLUMNS), name)
    return render_template("compare.html", comparison=comparison, iso3=iso3.lower(),
                           twins=twin_links("views.compare_rounds", iso3=iso3.lower()))


COMPARE_COLUMNS = ["previous", "assessment", "dimension", "dimension_label", "change_kind", "change_kind_label",
                   "update", "update_label", "year", "concerns", "concerns_labels"]
