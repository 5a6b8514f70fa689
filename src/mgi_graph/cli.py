"""The `mgi-graph` command. Thin: it reads options into Settings and calls the core."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from .cli_common import (
    EXIT_BAD_INPUT,
    EXIT_UNAVAILABLE,
    build_or_exit,
    check_out_folder,
    fail,
    opening_store,
    plural,
    settings_of,
    warn_if_base_unused,
    write_or_exit,
)
from .errors import ReasonerUnavailableError, StoreUnavailableError
from .settings import Settings

IRI_FORBIDDEN = set(' <>"{}|\\^`')


class MainGroup(click.Group):
    """A remote store that is down or answers garbage ends any command the same way `load` does:
    one line and exit 3, wherever the command meets it (opening, counting, querying)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except StoreUnavailableError as exc:
            fail(str(exc), EXIT_UNAVAILABLE)


def check_base_iri(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An absolute http(s) IRI ending in / or #, so that base + "graph/..." and base + "org/..." are IRIs."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or not value.endswith(("/", "#")) \
            or IRI_FORBIDDEN & set(value):
        raise click.BadParameter(f"{value!r} is not an absolute http(s) IRI ending in / or # "
                                 "(e.g. https://example.org/id/)")
    return value


@click.group(cls=MainGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Project folder holding ontology/, data/, shapes/ and queries/ (default: this checkout).")
@click.option("--base-iri", default=None, callback=check_base_iri, metavar="IRI",
              help="The IRIs the app treats as its own (named graphs, /id/ pages, short names, IRIs that "
                   "extract and synth mint); it does not rewrite the IRIs the data files state.")
@click.version_option(package_name="mgi-graph")
@click.pass_context
def main(ctx: click.Context, root: Path | None, base_iri: str | None) -> None:
    """mgi-graph: IOM Migration Governance Indicators profiles as a knowledge graph."""
    settings = Settings()
    if root:
        settings = settings.with_changes(root=root.resolve())
    if base_iri:
        settings = settings.with_changes(base_iri=base_iri)
    ctx.obj = settings


STORE_HELP = ("Where the graph lives: a folder keeps an on-disk index (reopened without parsing while the "
              "sources are unchanged); an http(s) URL is a remote SPARQL endpoint; default: in memory.")


@main.command()
@click.option("--store", "store_location", default=None, metavar="DIR", help=STORE_HELP)
@click.pass_context
def build(ctx: click.Context, store_location: str | None) -> None:
    """Load the ontology, reference data and every profile; report what they hold.

    Exits 2 naming the file and line when a file does not parse (or naming --store when it is a
    file), 3 when a remote store cannot be reached. Warns when no subject starts with --base-iri.
    """
    from .stats import graph_stats
    from .store import inferred_graph

    store = build_or_exit(settings_of(ctx).with_changes(store=store_location or settings_of(ctx).store))
    inferred = inferred_graph(settings_of(ctx))
    stats = graph_stats(store, inferred)
    click.echo(f"{stats.triples} triples, {stats.classes} classes, graphs: {len(store.graph_names())}")
    if stats.derived:
        click.echo(f"of which {stats.derived} derived at build time (the rdf:type closure, graph {inferred})")
    click.echo("instances per class (with the derived superclasses):")
    for cls, n in stats.per_class:
        click.echo(f"  {n:6d}  {cls}")
    warn_if_base_unused(store, settings_of(ctx))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "jsonld"]), default="ttl", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.pass_context
def export(ctx: click.Context, fmt: str, out: Path | None) -> None:
    """Write the whole graph (ontology, reference data, all profiles)."""
    from .export import export_graph

    if out:
        check_out_folder(out)
    data = export_graph(build_or_exit(settings_of(ctx)), fmt)
    if out:
        write_or_exit(out, data)
        click.echo(f"wrote {len(data)} bytes to {out}", err=True)
    else:
        click.echo(data, nl=False)  # bytes go to the binary stream unchanged


@main.command()
@click.pass_context
def reason(ctx: click.Context) -> None:
    """Check the ontology and data with HermiT; list inferred class memberships.

    Exits 1 when inconsistent, 3 when Java is missing.
    """
    from .reason import reason as run_reasoner

    store = build_or_exit(settings_of(ctx))
    try:
        report = run_reasoner(store.to_rdflib())
    except ReasonerUnavailableError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(3)
    if not report.consistent:
        click.echo("INCONSISTENT: " + report.explanation)
        sys.exit(1)
    click.echo(f"consistent; {len(report.inferred)} inferred class memberships")
    for individual, cls in report.inferred:
        click.echo(f"  {individual}  a  {cls}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(min=1))
@click.option("--store", "store_location", default=None, metavar="DIR|URL", help=STORE_HELP)
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Query worker processes (default 2; with the graph in memory, each holds a copy of it, "
                   "so fewer when two would not fit in 1 GB).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int, store_location: str | None,
          workers: int | None) -> None:
    """Serve the graph and the web app under waitress (a production WSGI server). As it starts, it visits
    the pages that count over the whole graph once in the background (web/warm.py).

    Exits 2 naming the file and line when a file does not parse, and when it cannot listen on HOST:PORT.
    """
    import signal

    from .bounded import serving_store
    from .web import create_app
    from .web.warm import start_warm_up

    _check_host(host, port)  # a host that names no address fails before anything starts
    # SIGTERM ends through sys.exit, so exit handlers run (they remove the workers' graph snapshot).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    settings = settings_of(ctx).with_changes(store=store_location or settings_of(ctx).store)
    if workers is not None:
        settings = settings.with_changes(query_workers=workers)
    with opening_store(settings):  # fail early, with file and line, before binding the port
        store = serving_store(settings)  # queries run in worker processes under the time limit
    app = create_app({"MGI_SETTINGS": settings, "MGI_STORE": store})
    server = _listen(app, host, port, threads)  # bound before it is announced
    pool = getattr(getattr(store, "inner", None), "size", None)
    if pool is not None:
        click.echo(f"{plural(pool, 'query worker')}", err=True)
    _warn_about_store(store, settings)
    click.echo(f"serving on http://{host}:{port}/", err=True)
    start_warm_up(app, lambda line: click.echo(line, err=True))
    server.print_listen("Serving on http://{}:{}")  # what waitress.serve() printed, as before
    server.run()


def _check_host(host: str, port: int) -> None:
    import socket

    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


def _listen(app, host: str, port: int, threads: int):
    """waitress's server, its socket bound: a port in use or an address this machine does not have is
    one line and exit 2, not a traceback after "serving on"."""
    import logging

    from waitress.server import create_server

    logging.basicConfig()  # as waitress.serve() does: its warnings (a full task queue ...) reach stderr
    try:
        return create_server(app, host=host, port=port, threads=threads, ident="mgi-graph")
    except (OSError, ValueError) as exc:
        fail(f"cannot listen on {host}:{port}: {getattr(exc, 'strerror', None) or exc}", EXIT_BAD_INPUT)


def _warn_about_store(store, settings: Settings) -> None:
    """The base-IRI check; a remote store that is down now is said so, and served anyway: the app
    answers 502 until it is back, and recovers by itself."""
    try:
        warn_if_base_unused(store, settings)
    except StoreUnavailableError as exc:
        click.echo(f"warning: {exc}; pages that need it answer 502 until it is back", err=True)


# Commands that live in their own modules (one module, one job); each adds itself here.
COMMAND_MODULES: list[str] = ["cli_queries", "cli_store", "cli_validate", "cli_extract"]


def _register_commands() -> None:
    from importlib import import_module

    for name in COMMAND_MODULES:
        for command in import_module(f".{name}", __package__).COMMANDS:
            main.add_command(command)


_register_commands()
