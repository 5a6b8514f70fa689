"""Add a reviewed draft to the project's data, all or nothing: only when it conforms to the shapes."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from ..errors import MgiGraphError
from ..settings import Settings
from ..validate import validate
from ..validate_report import ValidationReport

MGI = Namespace("https://w3id.org/mgi-graph/ontology#")


class IngestError(MgiGraphError):
    """The draft cannot be added (it does not conform, names no assessment, or its folder exists)."""

    def __init__(self, message: str, report: ValidationReport | None = None) -> None:
        self.report = report
        super().__init__(message)


@dataclass(frozen=True)
class Ingested:
    folder: Path
    triples: int
    counts: dict[str, int]  # instances per class (local name)


def ingest(draft: Path, settings: Settings, *, replace: bool = False) -> Ingested:
    """Validate the draft with the ontology and reference data; if it conforms, copy it to
    data/profiles/<assessment key>/ (written to a temporary folder, then renamed)."""
    report = validate([draft], settings=settings)
    if not report.conforms:
        raise IngestError(f"{draft} does not conform; nothing was added", report)
    graph = Graph().parse(draft, format="turtle")
    folder = settings.data_dir / "profiles" / _profile_key(graph)
    if folder.exists() and not replace:
        raise IngestError(f"{folder} already exists; nothing was added (use --replace to replace it)")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        shutil.copyfile(draft, staging / "profile.ttl")
        if folder.exists():
            old = folder.with_name(f".{folder.name}-old")
            os.replace(folder, old)
            os.replace(staging, folder)
            shutil.rmtree(old)
        else:
            os.replace(staging, folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    counts: dict[str, int] = {}
    for cls in graph.objects(None, RDF.type):
        name = str(cls).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        counts[name] = counts.get(name, 0) + 1
    return Ingested(folder, len(graph), dict(sorted(counts.items())))


def _profile_key(graph: Graph) -> str:
    assessments = sorted({str(a) for a in graph.objects(None, MGI.sectionOf)})
    if len(assessments) != 1:
        raise IngestError(f"the draft's sections belong to {len(assessments)} assessments; expected exactly one")
    return assessments[0].rstrip("/").rsplit("/", 1)[-1]
