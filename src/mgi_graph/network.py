"""An entity's neighbourhood: the entities one relation away (instruments it issues, implements or
coordinates, councils and forums it sits on and in which role, its units, what replaced what), as
data and as a radial SVG picture drawn here, on the server: no script, no library.

The relations are those of relations.py. Findings that cite the entity are not drawn (they would
swamp the picture; the entity page lists them); a finding's own picture shows what it cites. A
thing the relation graph does not reach (a membership, a report section, an assessment, a concept)
shows the links it states itself instead (sparql/own-links.rq): its member, organisation and role,
its assessment and dimension, its scheme."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import URIRef

from . import svg
from .kinds import FAMILIES, NodeInfo, describe_nodes
from .relations import Edge, local_name, property_labels, relation_graph
from .sparql_files import internal_query
from .store import Store

MAX_NEIGHBOURS = 60
# Words for the reused properties a thing's own links go through (the ontology labels its own).
OWN_LINK_LABELS = {"http://www.w3.org/ns/org#member": "member", "http://www.w3.org/ns/org#organization": "organisation",
                   "http://www.w3.org/ns/org#role": "role", "http://purl.org/dc/terms/publisher": "publisher",
                   "http://www.w3.org/2004/02/skos/core#inScheme": "in scheme",
                   "http://www.w3.org/2004/02/skos/core#topConceptOf": "top concept of",
                   "http://www.w3.org/2004/02/skos/core#hasTopConcept": "has top concept",
                   "http://www.w3.org/2004/02/skos/core#broader": "broader",
                   "http://www.w3.org/2004/02/skos/core#narrower": "narrower",
                   "http://data.europa.eu/eli/ontology#type_document": "document type"}


@dataclass(frozen=True)
class Link:
    """One relation between the centre and a neighbour, read subject -> object."""

    label: str
    outgoing: bool  # True: centre --label--> neighbour; False: neighbour --label--> centre
    predicate: URIRef


@dataclass
class Neighbour:
    node: NodeInfo
    links: list[Link] = field(default_factory=list)

    @property
    def label(self) -> str:
        return " · ".join(dict.fromkeys(link.label for link in self.links))


@dataclass
class Neighbourhood:
    centre: NodeInfo
    neighbours: list[Neighbour]
    hidden: int = 0  # neighbours left out beyond MAX_NEIGHBOURS

    def rows(self) -> list[dict[str, str]]:
        """One row per relation: subject, relation, object, with labels and kinds."""
        out = []
        for n in self.neighbours:
            for link in n.links:
                s, o = (self.centre, n.node) if link.outgoing else (n.node, self.centre)
                out.append({"subject": str(s.iri), "subject_label": s.label, "subject_kind": s.kind,
                            "relation": str(link.predicate), "relation_label": link.label,
                            "object": str(o.iri), "object_label": o.label, "object_kind": o.kind})
        return out

    def to_json(self) -> dict:
        return {"centre": _node_json(self.centre), "neighbours": [_node_json(n.node) for n in self.neighbours],
                "relations": self.rows(), "hidden": self.hidden,
                "note": "Relations between entities only: findings citing the entity are not included."}


def _node_json(node: NodeInfo) -> dict[str, str]:
    return {"iri": str(node.iri), "label": node.label, "kind": node.kind, "family": node.family}


def neighbourhood(store: Store, iri: URIRef, short: Callable[[str], str] = str,
                  limit: int = MAX_NEIGHBOURS) -> Neighbourhood:
    """The entity and everything one relation away (citations only outwards, from a finding)."""
    edges = [e for e in relation_graph(store).incident(iri) if not e.citing or e.subject == iri]
    if not edges:
        edges = own_links(store, iri)
    others = sorted({e.other(iri) for e in edges} | {iri})
    info = describe_nodes(store, others, short)
    grouped: dict[URIRef, Neighbour] = {}
    for edge in edges:
        other = edge.other(iri)
        grouped.setdefault(other, Neighbour(info[other])).links.append(_link(edge, iri))
    order = list(FAMILIES)
    ranked = sorted(grouped.values(), key=lambda n: (order.index(n.node.family), n.node.label.casefold(),
                                                     str(n.node.iri)))
    for n in ranked:
        n.links.sort(key=lambda link: (not link.outgoing, link.label))
    return Neighbourhood(info[iri], ranked[:limit], max(0, len(ranked) - limit))


def own_links(store: Store, iri: URIRef) -> list[Edge]:
    """The links iri states itself to typed things, as edges from it."""
    labels = property_labels(store)
    rows = store.query(internal_query("own-links"), {"thing": iri}).rows
    return [Edge(iri, p, o, labels.get(str(p)) or OWN_LINK_LABELS.get(str(p)) or local_name(str(p)))
            for _, p, o in rows]  # type: ignore[misc]


def _link(edge: Edge, centre: URIRef) -> Link:
    return Link(edge.label, edge.subject == centre, edge.predicate)


# -- the picture ----------------------------------------------------------------------------------

LABEL_ROOM = 250  # room outside the ring for a neighbour's name
NODE_CHARS = 34
EDGE_CHARS = 34


def ring_radius(count: int) -> float:
    return float(min(420, max(170, 15 * count)))


def position(i: int, count: int, radius: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / max(count, 1)
    return radius * math.cos(angle), radius * math.sin(angle)


def to_svg(hood: Neighbourhood, href: Callable[[URIRef], str | None]) -> str:
    """The neighbourhood as an SVG document; every node a link (href(iri)), every name escaped."""
    count = len(hood.neighbours)
    radius = ring_radius(count)
    half = radius + LABEL_ROOM
    families = [f for f in FAMILIES if f in {hood.centre.family, *(n.node.family for n in hood.neighbours)}]
    legend_height = 40 + 20 * math.ceil(len(families) / 2)
    width, height = 2 * half, 2 * half + legend_height
    parts = [f'<g transform="translate({svg.fmt(half)},{svg.fmt(half)})">', _defs()]
    parts += [_spoke(n, i, count, radius, hood.centre) for i, n in enumerate(hood.neighbours)]
    parts += [_node(n.node, i, count, radius, href) for i, n in enumerate(hood.neighbours)]
    parts.append(_centre(hood.centre, href))
    if not count:
        parts.append(svg.text("No relations to other entities.", x=0.0, y=48.0, text_anchor="middle",
                              fill="#5f6b7a"))
    parts.append("</g>")
    parts.append(_legend(families, 2 * half + 8, hood.hidden))
    label = f"Neighbourhood of {hood.centre.label}: {count} related entities"
    return svg.document(width, height, "".join(parts), label)


def _defs() -> str:
    arrow = svg.element("path", d="M0,0 L8,4 L0,8 z", fill="#8895a7")
    marker_end = svg.element("marker", arrow, id="arrow-end", viewBox="0 0 8 8", refX="8", refY="4",
                             markerWidth="7", markerHeight="7", orient="auto")
    marker_start = svg.element("marker", arrow, id="arrow-start", viewBox="0 0 8 8", refX="0", refY="4",
                               markerWidth="7", markerHeight="7", orient="auto-start-reverse")
    return f"<defs>{marker_end}{marker_start}</defs>"


def _spoke(n: Neighbour, i: int, count: int, radius: float, centre: NodeInfo) -> str:
    inner, outer = 24.0, radius - 13
    ux, uy = position(i, count, 1.0)
    out_any = any(link.outgoing for link in n.links)
    in_any = any(not link.outgoing for link in n.links)
    line = svg.element("line", x1=ux * inner, y1=uy * inner, x2=ux * outer, y2=uy * outer, stroke="#a9b3c1",
                       stroke_width="1.3", marker_end="url(#arrow-end)" if out_any else None,
                       marker_start="url(#arrow-start)" if in_any else None)
    sentences = "; ".join(f"{centre.label} {link.label} {n.node.label}" if link.outgoing
                          else f"{n.node.label} {link.label} {centre.label}" for link in n.links)
    mid = (inner + outer) / 2
    words = svg.text(svg.shorten(n.label, EDGE_CHARS), x=0.0, y=-3.0, text_anchor="middle", font_size="10",
                     fill="#3d4753", stroke="#fbfcfd", stroke_width="3", paint_order="stroke",
                     transform=_along(ux, uy, mid))
    return svg.element("g", svg.title(sentences) + line + words, class_="edge")


def _along(ux: float, uy: float, distance: float) -> str:
    """A transform that puts text at distance along the unit direction, rotated to read left to right."""
    degrees = math.degrees(math.atan2(uy, ux))
    if degrees > 90 or degrees < -90:
        degrees += 180
    return f"translate({svg.fmt(ux * distance)},{svg.fmt(uy * distance)}) rotate({svg.fmt(degrees)})"


def _node(node: NodeInfo, i: int, count: int, radius: float, href: Callable[[URIRef], str | None]) -> str:
    x, y = position(i, count, radius)
    ux, uy = position(i, count, 1.0)
    fill, shape, _ = FAMILIES[node.family]
    marker = svg.shape(shape, x, y, 9.0, fill, stroke="#ffffff", stroke_width="1.5")
    degrees = math.degrees(math.atan2(uy, ux))
    left = degrees > 90 or degrees < -90
    words = svg.text(svg.shorten(node.label, NODE_CHARS), x=x + ux * 15, y=y + uy * 15, dy="0.35em",
                     text_anchor="end" if left else "start", fill="#1d2733",
                     transform=f"rotate({svg.fmt(degrees + (180 if left else 0))},"
                               f"{svg.fmt(x + ux * 15)},{svg.fmt(y + uy * 15)})")
    body = svg.title(f"{node.label} ({node.kind})") + marker + words
    return _linked(body, node, href, "node")


def _centre(node: NodeInfo, href: Callable[[URIRef], str | None]) -> str:
    fill, shape, _ = FAMILIES[node.family]
    marker = svg.shape(shape, 0.0, 0.0, 16.0, fill, stroke="#1d2733", stroke_width="2")
    words = svg.text(svg.shorten(node.label, 48), x=0.0, y=-26.0, text_anchor="middle", font_weight="700",
                     font_size="14", fill="#1d2733", stroke="#fbfcfd", stroke_width="4", paint_order="stroke")
    return _linked(svg.title(f"{node.label} ({node.kind})") + marker + words, node, href, "node centre")


def _linked(body: str, node: NodeInfo, href: Callable[[URIRef], str | None], css: str) -> str:
    target = href(node.iri)
    if target is None:
        return svg.element("g", body, class_=css)
    return svg.element("a", body, href=target, class_=css, data_iri=str(node.iri))


def _legend(families: list[str], top: float, hidden: int) -> str:
    parts = [svg.text("Legend", x=16.0, y=top + 10, font_weight="700", fill="#1d2733")]
    for i, family in enumerate(families):
        fill, shape, words = FAMILIES[family]
        x, y = 24 + (i % 2) * 320, top + 30 + (i // 2) * 20
        parts.append(svg.shape(shape, float(x), float(y), 6.0, fill))
        parts.append(svg.text(words, x=float(x + 14), y=float(y), dy="0.35em", fill="#1d2733"))
    if hidden:
        parts.append(svg.text(f"{hidden} more related entities not drawn; see the data.", x=360.0, y=top + 10,
                              fill="#5f6b7a"))
    return "".join(parts)
