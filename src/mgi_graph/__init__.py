"""mgi-graph: IOM Migration Governance Indicators profiles as a knowledge graph.

The public API. Importing it reads nothing from disk; heavy libraries (pySHACL) are
imported only when a function that needs them runs.
"""

from __future__ import annotations

# The function shadows its module's name on the package on purpose: `mgi_graph.validate(...)`.
# Import the module's other names with `from mgi_graph.validate import ...`.
from .validate import validate

__all__ = ["validate"]
