"""The queries the code itself runs, kept as .rq files beside it (queries are data, not strings)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

from rdflib.term import Node


@cache
def internal_query(name: str) -> str:
    """The text of src/mgi_graph/sparql/NAME.rq."""
    return resources.files(__package__).joinpath("sparql").joinpath(f"{name}.rq").read_text(encoding="utf-8")


def values_block(variable: str, terms: Iterable[Node]) -> str:
    """A trailing VALUES clause; each term written with .n3(), which escapes it as an RDF term."""
    return f"\nVALUES ?{variable} {{ {' '.join(t.n3() for t in terms)} }}\n"
