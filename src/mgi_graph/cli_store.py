"""Commands about where the graph lives: `load` (into a SPARQL server) and `synth` (synthetic profiles)."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from .cli_common import EXIT_UNAVAILABLE, build_or_exit, fail, plural, settings_of
from .cli_progress import progress_bar
from .errors import DataFileError, StoreUnavailableError


@click.command()
@click.option("--endpoint", default=None, metavar="URL",
              help="SPARQL 1.1 Update endpoint (Oxigraph: http://HOST:PORT/update; Virtuoso: .../sparql).")
@click.option("--graph-store", default=None, metavar="URL",
              help="Graph Store HTTP Protocol endpoint instead (Oxigraph: http://HOST:PORT/store): one PUT per graph.")
@click.option("--timeout", default=120.0, show_default=True, help="Seconds to wait for each request.")
@click.option("--chunk", default=10_000, show_default=True, type=click.IntRange(1),
              help="Triples per SPARQL Update request (Virtuoso needs about 500).")
@click.pass_context
def load(ctx: click.Context, endpoint: str | None, graph_store: str | None, timeout: float, chunk: int) -> None:
    """Put the graph into a SPARQL server: every named graph replaced whole.

    Parses the sources here (exits 2 naming file and line when one is broken), then sends each
    graph; exits 3 when the server cannot be reached or refuses.
    """
    from .remote_load import push_store

    if not endpoint and not graph_store:
        raise click.UsageError("give --endpoint URL (SPARQL Update) or --graph-store URL")
    if endpoint and graph_store:
        raise click.UsageError("--endpoint and --graph-store are two ways to load the same graphs: give one")
    settings = settings_of(ctx).with_changes(store=None)
    store = build_or_exit(settings).inner
    names = store.graph_names()
    try:
        with progress_bar(len(names), "loading") as step:
            sent = push_store(store, endpoint=endpoint, graph_store=graph_store, timeout=timeout,
                              chunk=chunk, progress=step)
    except StoreUnavailableError as exc:
        fail(str(exc), EXIT_UNAVAILABLE)
    click.echo(f"loaded {store.count()} triples ({sent} sent) in {len(names)} graphs into {graph_store or endpoint}")


@click.command()
@click.option("--profiles", "count", type=click.IntRange(1, 10_000), required=True, help="How many profiles.")
@click.option("--seed", default=0, show_default=True, help="Same seed, same profiles.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="A new (or empty) project folder: synthetic profiles in data/profiles/, with this project's "
                   "ontology, reference data, shapes and queries copied beside them.")
@click.option("--with-real/--synthetic-only", default=False, show_default=True,
              help="Also copy the real profiles from this project.")
@click.pass_context
def synth(ctx: click.Context, count: int, seed: int, out: Path, with_real: bool) -> None:
    """Write synthetic MGI profiles shaped like the Guatemala profile, for scale tests.

    Every synthetic assessment says mgi:synthetic true; names read "Synthetic Public Body 12-1 of
    Country SYN-004". Use the folder with `mgi-graph --root DIR ...`. About 150 profiles make a
    million triples. Exits 2, writing nothing, when DIR exists and is not empty.
    """
    from .synth import check_template, write_profiles

    settings = settings_of(ctx)
    if out.is_dir() and any(out.iterdir()):
        fail(f"{out}: exists and is not empty; synth writes a new project folder (give a new or empty one)")
    try:
        check_template(settings)  # before anything is written
    except DataFileError as exc:
        fail(str(exc))
    copy_project(settings.root, out, with_real)
    with progress_bar(count, "synthesising") as step:
        plans = write_profiles(settings, count, out / "data" / "profiles", seed=seed, progress=step)
    national = sum(1 for p in plans if p.city is None)
    click.echo(f"wrote {plural(len(plans), 'synthetic profile')} ({national} national, {len(plans) - national} "
               f"local) to {out / 'data' / 'profiles'}; use: mgi-graph --root {out} build")


def copy_project(root: Path, out: Path, with_real: bool) -> None:
    """The ontology, reference data, shapes and queries (and, if asked, the real profiles) under out/."""
    for name in ("ontology", "data/reference", "shapes", "queries"):
        if (root / name).is_dir():
            shutil.copytree(root / name, out / name, dirs_exist_ok=True)
    (out / "data" / "profiles").mkdir(parents=True, exist_ok=True)
    if with_real and (root / "data" / "profiles").is_dir():
        shutil.copytree(root / "data" / "profiles", out / "data" / "profiles", dirs_exist_ok=True)


COMMANDS = [load, synth]
