"""The queries the code itself runs, kept as .rq files beside it (queries are data, not strings)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def internal_query(name: str) -> str:
    """The text of src/mgi_graph/sparql/NAME.rq."""
    return resources.files(__package__).joinpath("sparql").joinpath(f"{name}.rq").read_text(encoding="utf-8")

