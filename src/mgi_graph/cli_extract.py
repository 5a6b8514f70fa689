"""`mgi-graph extract` (draft a profile from a report's text) and `mgi-graph ingest` (add a reviewed draft)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from .cli_common import check_out_folder, fail, read_utf8, settings_of, write_or_exit


@click.command()
@click.argument("report", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--country", required=True, help="ISO 3166-1 alpha-3 code of the country (three letters).")
@click.option("--year", required=True, help="Year of the profile (YYYY).")
@click.option("--local", default=None, help="Name of the locality, for a local profile.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Draft Turtle file.")
@click.pass_context
def extract(ctx: click.Context, report: Path, country: str, year: str, local: str | None, out: Path) -> None:
    """Draft a profile from the plain text of an MGI report (every node marked draft, with its quoted span).

    Exits 2, writing nothing, when REPORT is not UTF-8 text or has no findings under the MGI
    template's headings (docs/extraction.md).
    """
    from .extract import extract as run_extract
    from .extract import finding_count, to_turtle

    if not re.fullmatch(r"[A-Za-z]{3}", country) or not re.fullmatch(r"\d{4}", year):
        raise click.BadParameter("--country takes an ISO alpha-3 code and --year four digits")
    check_out_folder(out)
    settings = settings_of(ctx)
    graph = run_extract(read_utf8(report), country, year, local, settings.base_iri)
    if finding_count(graph) == 0:
        fail(f"{report}: no findings: none of the MGI report's headings (x.1 ... well-developed areas, x.2 Areas "
             "with potential for further development) were found, so there is nothing to draft; nothing was written")
    write_or_exit(out, to_turtle(graph, settings.base_iri).encode("utf-8"))
    click.echo(f"wrote {len(graph)} triples to {out}; review it, then `mgi-graph validate` and `mgi-graph ingest`",
               err=True)


@click.command()
@click.argument("draft", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace the profile folder if it exists.")
@click.pass_context
def ingest(ctx: click.Context, draft: Path, replace: bool) -> None:
    """Add a reviewed draft to data/profiles/ only if it conforms to the shapes (all or nothing).

    Exits 1 (printing the validator's report) when it does not conform, 2 when it cannot be read.
    """
    from .cli_validate import report_names
    from .errors import DataFileError
    from .extract.ingest import IngestError
    from .extract.ingest import ingest as run_ingest

    settings = settings_of(ctx)
    try:
        done = run_ingest(draft, settings, replace=replace)
    except IngestError as exc:
        if exc.report is not None:  # as `mgi-graph validate` prints it
            click.echo(exc.report.to_text(report_names(settings.base_iri)), nl=False)
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except DataFileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"added {done.triples} triples to {done.folder}")
    for name, n in done.counts.items():
        click.echo(f"  {n:6d}  {name}")


COMMANDS = [extract, ingest]
