"""/openapi.json: an OpenAPI 3 description of the saved queries, generated from their headers."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..queries import Parameter, SavedQuery, candidates, load_catalogue
from .queries import formats_for
from .state import state

bp = Blueprint("openapi", __name__)

SCHEMAS = {
    "iri": {"type": "string", "format": "uri"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "gYear": {"type": "string", "pattern": "^-?[0-9]{4,}$"},
}


@bp.get("/openapi.json")
def spec():
    catalogue = load_catalogue(state().settings)
    paths = {f"/queries/{q.name}": {"get": operation(q)} for q in catalogue.values()}
    tags = sorted({t for q in catalogue.values() for t in q.tags})
    document = {
        "openapi": "3.0.3",
        "info": {"title": "mgi-graph saved queries", "version": "1",
                 "description": "Parameterised SPARQL queries over IOM Migration Governance Indicators profiles. "
                                "Parameter values are bound as typed RDF terms."},
        "servers": [{"url": request.host_url.rstrip("/") + request.script_root}],
        "tags": [{"name": t} for t in tags],
        "paths": paths,
        "components": {"schemas": {"Error": {"type": "object", "properties": {"error": {
            "type": "object", "properties": {"status": {"type": "integer"}, "type": {"type": "string"},
                                             "message": {"type": "string"}, "parameter": {"type": "string"}}}}}}},
    }
    return jsonify(document)


def operation(query: SavedQuery) -> dict:
    content = {media_type: {} for media_type in formats_for(query).values()}
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    ok: dict = {"description": f"The {query.kind} result", "content": content}
    if query.pagination:
        ok["description"] = f"One page of the {query.kind} result, {query.pagination} rows a page"
        ok["headers"] = {"Link": {
            "description": 'The first, previous and next pages (rel="first", "prev", "next"); '
                           'no "next" on the last page',
            "schema": {"type": "string"}}}
    return {
        "operationId": query.name.replace("-", "_"),
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "parameters": [parameter(p, query) for p in query.all_parameters],
        "responses": {
            "200": ok,
            "400": {"description": "A parameter is missing or not of its type", "content": error},
            "404": {"description": "No such query"},
        },
    }


def parameter(param: Parameter, query: SavedQuery | None = None) -> dict:
    schema = dict(SCHEMAS.get(param.type, {"type": "string"}))
    if param.minimum is not None:
        schema["minimum"] = param.minimum
    if param.default is not None:
        schema["default"] = int(param.default) if param.type == "integer" and param.default.lstrip("-").isdigit() \
            else param.default
    listed = candidates(state().store, param) if param.enumerate and param.candidate_classes else None
    if listed is not None:
        schema["enum"] = [str(iri) for iri, _ in listed]
    description = f"{param.type}" + (f" in {param.language}" if param.language else "")
    if param.candidate_classes:
        description += "; an instance of " + ", ".join(param.candidate_classes)
    if query is not None and param == query.page_parameter:
        description = f"the page of the answer to return, {query.pagination} rows a page; 1 is the first"
    return {"name": param.name, "in": "query", "required": param.required and param.default is None,
            "description": description, "schema": schema}
