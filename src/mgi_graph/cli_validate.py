"""`mgi-graph validate`: SHACL validation of profile files, for a pipeline and for a person."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_common import settings_of
from .cli_progress import progress_bar
from .errors import DataFileError
from .labels import short_iri

EXIT_CONFORMS, EXIT_FAILS, EXIT_UNREADABLE = 0, 1, 2
SHAPES_NS = "https://w3id.org/mgi-graph/shapes#"


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text", show_default=True,
              help="text for people, json (docs/validation.md) for pipelines, ttl for the sh:ValidationReport.")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--input-format", type=click.Choice(["ttl", "turtle", "nt", "jsonld", "json-ld", "xml", "rdf"]),
              default=None, help="Format of the FILES (default: from each file's extension).")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="fast: mgi-graph's set-based checks on Oxigraph; pyshacl: pySHACL on everything "
                   "(slower; the reference the fast engine is tested against, result for result).")
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str, strict: bool, input_format: str | None,
             engine: str) -> None:
    """Check profile FILES (with the ontology and reference data) against the SHACL shapes.

    Without FILES, checks the whole built graph. Exits 0 when the profile conforms (warnings
    allowed unless --strict), 1 when it does not, 2 when an input cannot be read.
    """
    from .validate import validate as run_validation

    settings = settings_of(ctx)
    try:
        with progress_bar(1, "validating") as step:
            report = run_validation(list(files) if files else None, settings=settings,
                                    input_format=input_format, strict=strict, engine=engine)
            step()
    except DataFileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    if fmt == "json":
        click.echo(report.to_json())
    elif fmt == "ttl":
        click.echo(report.to_turtle())
    else:
        click.echo(report.to_text(report_names(settings.base_iri)), nl=False)
    sys.exit(EXIT_CONFORMS if report.conforms else EXIT_FAILS)


def report_names(base_iri: str):
    """How the text report shows an IRI: mgsh:Shape for our shapes, else short_iri (also for ingest)."""
    def shorten(iri: str) -> str:
        return "mgsh:" + iri[len(SHAPES_NS):] if iri.startswith(SHAPES_NS) else short_iri(iri, base_iri)

    return shorten


COMMANDS = [validate]
