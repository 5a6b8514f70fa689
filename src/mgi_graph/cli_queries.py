"""`mgi-graph query`, `queries` and `sparql`: saved and ad hoc queries from the terminal."""

from __future__ import annotations

from pathlib import Path

import click
from rdflib import BNode, URIRef

from .cli_common import build_or_exit, fail, read_utf8, settings_of
from .errors import MgiGraphError
from .paging import Page
from .results import QueryResult
from .settings import Settings

FORMATS = ["table", "json", "csv", "tsv", "ttl", "jsonld"]


@click.command("queries")
@click.pass_context
def queries(ctx: click.Context) -> None:
    """List the saved queries with their summaries."""
    from .queries import load_catalogue

    catalogue = _or_exit(lambda: load_catalogue(settings_of(ctx)))
    width = max((len(n) for n in catalogue), default=0)
    for name, query in catalogue.items():
        params = ", ".join(_parameter_usage(p) for p in query.all_parameters)
        paged = f"  ({query.pagination} rows a page)" if query.pagination else ""
        click.echo(f"{name:<{width}}  {query.summary}" + (f"  [{params}]" if params else "") + paged)
    click.echo("name=type: required; name=type?: optional (left out, it takes its default, or does not filter)")


def _parameter_usage(param) -> str:
    """name=type, with ? when it may be left out (it has a default, or it is optional) and the default."""
    optional = not param.required or param.default is not None
    return f"{param.name}={param.type}" + ("?" if optional else "") \
        + (f" (default {param.default})" if param.default is not None else "")


@click.command("query")
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter value; repeat for several. Values are bound as typed RDF terms.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_context
def query(ctx: click.Context, name: str, params: tuple[str, ...], fmt: str) -> None:
    """Run the saved query NAME (see `mgi-graph queries`).

    A paginated query answers one page: `--param page=2` for the second; a note on stderr says
    when more pages follow."""
    from .queries import get_query, run_page

    settings = settings_of(ctx)
    saved = _or_exit(lambda: get_query(settings, name))
    values = parameter_values(params)
    store = build_or_exit(settings)
    result, page = _or_exit(lambda: run_page(store, saved, values, max_rows=settings.max_rows,
                                             base_iri=settings.base_iri))
    _emit(result, fmt, store, settings)
    if page is not None:
        _page_note(name, page)


def parameter_values(params: tuple[str, ...]) -> dict[str, str]:
    """NAME=VALUE options as a map; exit 2 on a missing "=", an empty value (the core would take the
    default for it: a form's empty field) or a name given twice (one of them would be dropped)."""
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep:
            fail(f"--param {item!r}: write NAME=VALUE")
        if value == "":
            fail(f"--param {item!r}: empty value; give a value, or leave the parameter out")
        if key in values:
            fail(f"--param {key}= given twice ({values[key]!r} and {value!r}); give it once")
        values[key] = value
    return values


def _page_note(name: str, page: Page) -> None:
    """On stderr, so that piped output stays clean: where this page sits and how to get the next."""
    if page.has_next:
        click.echo(f"{name}: page {page.number} holds rows {page.first_row}-{page.last_row}; more rows follow: "
                   f"--param page={page.number + 1}", err=True)
    elif page.count == 0 and page.has_previous:
        click.echo(f"{name}: page {page.number} is past the last row ({page.size} rows a page)", err=True)


@click.command("sparql")
@click.argument("query_text", metavar="QUERY_OR_@FILE")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_context
def sparql(ctx: click.Context, query_text: str, fmt: str) -> None:
    """Run an ad hoc SPARQL query, given inline or as @path/to/file.rq.

    The web endpoint's policy applies: no SPARQL Update (LOAD included), no SERVICE, and FROM /
    FROM NAMED only for graphs the store holds, so that no query makes a request or reads a file.
    """
    from .sparql_policy import inspect_query

    settings = settings_of(ctx)
    if query_text.startswith("@"):
        query_text = read_utf8(Path(query_text[1:]))
    store = build_or_exit(settings)
    info = _or_exit(lambda: inspect_query(query_text, store.graph_names()))
    # As the web endpoint: a query with its own FROM sees those graphs, one without sees their union.
    union = not (info.from_graphs or info.from_named_graphs)
    result = _or_exit(lambda: store.query(info.text, max_rows=settings.max_rows, union_default=union))
    _emit(result, fmt, store, settings)


COMMANDS = [query, queries, sparql]


def _or_exit(thunk):
    try:
        return thunk()
    except MgiGraphError as exc:
        fail(str(exc))


def _emit(result: QueryResult, fmt: str, store, settings: Settings) -> None:
    if fmt == "table":
        if result.is_graph:
            fmt = "ttl"
        else:
            click.echo(render_table(result, store, settings))
            return
    if result.is_graph and fmt in ("csv", "tsv", "json"):
        fail(f"{_a(result.kind)} query gives a graph: use --format ttl or jsonld")
    if not result.is_graph and fmt in ("ttl", "jsonld"):
        answer = "a yes or no" if result.kind == "ASK" else "a table"
        fail(f"{_a(result.kind)} query gives {answer}: use --format table, json, csv or tsv")
    click.echo(result.serialize(fmt), nl=False)  # bytes go to the binary stream unchanged


def _a(kind: str) -> str:
    return ("an " if kind[:1] in "AEIOU" else "a ") + kind


def render_table(result: QueryResult, store, settings: Settings) -> str:
    """A plain-text table; IRIs shown short, with their label beside them."""
    from .labels import labels_for, short_iri

    if result.kind == "ASK":
        return "yes" if result.boolean else "no"
    labels = labels_for(store, (t for row in result.rows for t in row if isinstance(t, URIRef)))

    def cell(term) -> str:
        if term is None:
            return ""
        if isinstance(term, URIRef):
            short = short_iri(str(term), settings.base_iri)
            label = labels.get(term)
            return f"{label} <{short}>" if label else short
        if isinstance(term, BNode):
            return f"_:{term}"
        return " ".join(str(term).split())

    shown = [i for i, v in enumerate(result.variables) if not v.startswith("_")]  # not the parameters' echo
    header = [result.variables[i] for i in shown]
    body = [[cell(row[i]) for i in shown] for row in result.rows]
    widths = [min(60, max([len(h)] + [len(r[i]) for r in body])) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(_clip(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in body]
    out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(out)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
