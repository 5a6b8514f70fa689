"""The shortest chains of relations between two entities: breadth-first over relations.py's graph,
walked in both directions (a step against a relation reads "B <-issued by- A"), up to a depth
bound. By default the walk does not pass through findings: two bodies named in the same paragraph
are not thereby related. through_findings=True lets it (a finding then joins what it cites)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import URIRef

from .kinds import NodeInfo, describe_nodes
from .relations import Edge, relation_graph
from .store import Store

MAX_DEPTH = 6
MAX_PATHS = 20


@dataclass(frozen=True)
class Step:
    source: NodeInfo
    target: NodeInfo
    label: str
    predicate: URIRef
    forward: bool  # True: source --label--> target; False: target --label--> source

    def sentence(self) -> str:
        if self.forward:
            return f"{self.source.label} —{self.label}→ {self.target.label}"
        return f"{self.source.label} ←{self.label}— {self.target.label}"


@dataclass
class PathResult:
    start: NodeInfo
    end: NodeInfo
    paths: list[list[Step]] = field(default_factory=list)
    max_depth: int = MAX_DEPTH
    through_findings: bool = False
    truncated: bool = False  # more shortest paths exist than were listed

    @property
    def length(self) -> int | None:
        return len(self.paths[0]) if self.paths else None

    def rows(self) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for number, path in enumerate(self.paths, 1):
            for position, step in enumerate(path, 1):
                subject, obj = (step.source, step.target) if step.forward else (step.target, step.source)
                out.append({"path": number, "step": position, "from": str(step.source.iri),
                            "from_label": step.source.label, "relation": str(step.predicate),
                            "relation_label": step.label, "direction": "forward" if step.forward else "backward",
                            "to": str(step.target.iri), "to_label": step.target.label,
                            "subject": str(subject.iri), "object": str(obj.iri)})
        return out

    def to_json(self) -> dict:
        return {"from": _node(self.start), "to": _node(self.end), "length": self.length,
                "max_depth": self.max_depth, "through_findings": self.through_findings,
                "truncated": self.truncated,
                "paths": [[{**row} for row in self.rows() if row["path"] == n] for n in range(1, len(self.paths) + 1)]}


def _node(node: NodeInfo) -> dict[str, str]:
    return {"iri": str(node.iri), "label": node.label, "kind": node.kind}


def shortest_paths(store: Store, start: URIRef, end: URIRef, *, max_depth: int = MAX_DEPTH,
                   through_findings: bool = False, max_paths: int = MAX_PATHS,
                   short: Callable[[str], str] = str) -> PathResult:
    """Every shortest chain from start to end (at most max_paths, each at most max_depth steps)."""
    graph = relation_graph(store)
    parents = _search(lambda node: graph.incident(node, through_findings=through_findings), start, end, max_depth,
                      graph.load)
    chains, truncated = _unwind(parents, start, end, max_paths) if end in parents or start == end else ([], False)
    info = describe_nodes(store, {start, end} | {n for chain in chains for e, n in chain}, short)
    result = PathResult(info[start], info[end], max_depth=max_depth, through_findings=through_findings,
                        truncated=truncated)
    for chain in chains:
        steps, here = [], start
        for edge, there in chain:
            steps.append(Step(info[here], info[there], edge.label, edge.predicate, edge.subject == here))
            here = there
        result.paths.append(steps)
    return result


def _search(neighbours: Callable[[URIRef], list[Edge]], start: URIRef, end: URIRef, max_depth: int,
            prefetch: Callable[[list[URIRef]], object] = lambda nodes: None) -> dict[URIRef, list[tuple[URIRef, Edge]]]:
    """Breadth-first from start, level by level, recording every parent on a shortest route;
    stops after the level that reaches end, or at max_depth. prefetch(frontier) runs before each
    level, so the edges of a whole level are read in a few queries rather than a few per node."""
    parents: dict[URIRef, list[tuple[URIRef, Edge]]] = {start: []}
    frontier = [start]
    for _ in range(max_depth):
        if end in parents or not frontier:
            break
        level: dict[URIRef, list[tuple[URIRef, Edge]]] = {}
        prefetch(frontier)
        for node in frontier:
            for edge in sorted(neighbours(node), key=lambda e: (str(e.other(node)), str(e.predicate))):
                other = edge.other(node)
                if other not in parents:
                    level.setdefault(other, []).append((node, edge))
        parents.update(level)
        frontier = sorted(level)
    return parents


def _unwind(parents: dict[URIRef, list[tuple[URIRef, Edge]]], start: URIRef, end: URIRef,
            max_paths: int) -> tuple[list[list[tuple[Edge, URIRef]]], bool]:
    """The chains start -> end as lists of (edge, node reached), in a stable order."""
    chains: list[list[tuple[Edge, URIRef]]] = []
    truncated = False

    def walk(node: URIRef, tail: list[tuple[Edge, URIRef]]) -> None:
        nonlocal truncated
        if len(chains) >= max_paths:
            truncated = True
            return
        if node == start:
            chains.append(list(reversed(tail)))
            return
        for previous, edge in parents[node]:
            walk(previous, tail + [(edge, node)])

    if start != end:
        walk(end, [])
    return chains, truncated
