"""Reading profile files to validate, safely: size limit, no entity expansion, no remote context.

Only the data of an input file is kept. Everything a file could use to change how it is
checked or to make us fetch something is refused or dropped before validation:
- RDF/XML with a DOCTYPE or ENTITY declaration is refused before parsing (entity expansion);
- JSON-LD whose @context (or @import) is a remote document is refused (nothing is fetched);
- owl:imports triples are dropped (never followed);
- every triple about a SHACL shape (a subject typed sh:NodeShape / sh:PropertyShape / ...,
  or a subject of any sh: predicate) is dropped: only our own shapes are ever used.
Parse errors are DataFileErrors naming the file, the line and the parser's message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import DataFileError
from .sources import format_for, parse_bytes

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OWL_IMPORTS = ox.NamedNode("http://www.w3.org/2002/07/owl#imports")
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class InputFile:
    """One file to validate: its name (for messages), its bytes and, optionally, its format."""

    name: str
    data: bytes
    format: str | None = None  # "ttl", "nt", "jsonld", "xml"...; None: from the name's extension

    @classmethod
    def from_path(cls, path: Path | str, fmt: str | None = None, max_bytes: int | None = None) -> InputFile:
        path = Path(path)
        try:
            size = path.stat().st_size
            if max_bytes is not None and size > max_bytes:
                raise DataFileError(path, None, _too_large(size, max_bytes))
            return cls(str(path), path.read_bytes(), fmt)
        except OSError as exc:
            raise DataFileError(path, None, exc.strerror or str(exc)) from None


@dataclass(frozen=True)
class ParsedInput:
    quads: list[ox.Quad]
    ignored_shape_triples: int
    ignored_imports: int


def read_inputs(files: Sequence[InputFile], max_bytes: int | None = None) -> ParsedInput:
    """Parse every input file; refuse what is unsafe; drop owl:imports and shape triples."""
    total = sum(len(f.data) for f in files)
    if max_bytes is not None and total > max_bytes:
        name = files[0].name if len(files) == 1 else f"{len(files)} files"
        raise DataFileError(name, None, _too_large(total, max_bytes))
    quads: list[ox.Quad] = []
    for file in files:
        quads += _parse_one(file)
    kept, shapes, imports = _without_shapes_and_imports(quads)
    return ParsedInput(kept, shapes, imports)


def _parse_one(file: InputFile) -> list[ox.Quad]:
    fmt = format_for(Path(file.name), file.format)
    if fmt == ox.RdfFormat.RDF_XML:
        _refuse_doctype(file)
    elif fmt == ox.RdfFormat.JSON_LD:
        _refuse_remote_context(file)
    try:
        # parse_bytes's parse, without its copy of every quad (3x slower): with no named graphs allowed,
        # the quads are in the default graph already.
        return list(ox.parse(file.data, format=fmt, rename_blank_nodes=True, without_named_graphs=True))
    except (SyntaxError, ValueError, OSError):
        return parse_bytes(file.data, fmt, name=file.name)  # raises the DataFileError naming file and line


def _refuse_doctype(file: InputFile) -> None:
    # NULs removed, so a UTF-16 or UTF-32 file cannot hide the declaration.
    match = _DOCTYPE.search(file.data.replace(b"\x00", b""))
    if match:
        line = file.data.replace(b"\x00", b"")[:match.start()].count(b"\n") + 1
        raise DataFileError(file.name, line, f"RDF/XML with a {match.group(1).decode().upper()} declaration is "
                                             "refused (entity expansion can hang the parser); remove it")


def _refuse_remote_context(file: InputFile) -> None:
    try:
        document = json.loads(file.data)
    except (ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise DataFileError(file.name, line, f"not valid JSON: {getattr(exc, 'msg', exc)}") from None
    remote = next(_remote_contexts(document), None)
    if remote is not None:
        raise DataFileError(file.name, None, f"remote JSON-LD context {remote!r} is refused (nothing is "
                                             "fetched); put the context inline in the file")


def _remote_contexts(node: object) -> Iterable[str]:
    if isinstance(node, list):
        for item in node:
            yield from _remote_contexts(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("@context", "@import"):
                contexts = value if isinstance(value, list) else [value]
                yield from (c for c in contexts if isinstance(c, str))
            yield from _remote_contexts(value)


def _without_shapes_and_imports(quads: list[ox.Quad]) -> tuple[list[ox.Quad], int, int]:
    shapes, imports = set(), False
    for q in quads:
        predicate = q.predicate.value
        if predicate.startswith(SH) or (predicate == RDF_TYPE.value and isinstance(q.object, ox.NamedNode)
                                        and q.object.value.startswith(SH)):
            shapes.add(q.subject)
        elif predicate == OWL_IMPORTS.value:
            imports = True
    if not shapes and not imports:
        return quads, 0, 0
    kept = [q for q in quads if q.subject not in shapes and q.predicate != OWL_IMPORTS]
    imports = sum(1 for q in quads if q.predicate == OWL_IMPORTS and q.subject not in shapes)
    return kept, len(quads) - len(kept) - imports, imports


def _too_large(size: int, limit: int) -> str:
    return f"the input is {size:,} bytes; the limit is {megabytes(limit)}"


def megabytes(size: int) -> str:
    """A size for people, in MB (10^6 bytes); three decimals at most, so a small limit does not read 0.0 MB."""
    return f"{round(size / 1e6, 3):g} MB"
