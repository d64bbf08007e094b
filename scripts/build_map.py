"""Build the portal's map of Africa and Europe from Natural Earth data (public domain).

Reads the TopoJSON of the npm package world-atlas (countries at 1:50m, which keeps the small
island states), decodes its delta-encoded arcs, clips every country to a window around Africa
and Europe, projects it (Lambert azimuthal equal-area centred on the two continents) and writes
a compact SVG with one <path> per country, keyed by its ISO alpha-2 code:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/build_map.py /tmp/package/countries-50m.json

The output, static/maps/africa-europe.svg, is committed and served as one static file that
browsers cache; static/js/portal.js colours a page's states on it and makes them links to
their country pages (templates/includes/country_map.html). Needs only Django and django-countries.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "static" / "maps" / "africa-europe.svg"

# The projection's centre, and the window: points (lon, lat) on its left, right, top and
# bottom edges, projected.
CENTRE_LON, CENTRE_LAT = 16.0, 18.0
WINDOW_EDGES = {
    "left": (-27.5, 15.0),
    "right": (64.0, -20.0),
    "top": (16.0, 73.5),
    "bottom": (16.0, -37.0),
}
WIDTH = 800.0
# Below this many square units a state is drawn with a marker too, so that one can see it.
SMALL_AREA = 40.0
# Points closer than this (in SVG units) to the previous one are dropped: a compact file.
TOLERANCE = 1.4
# World-atlas features without an ISO number, and the state each belongs to (or none).
UNNUMBERED = {"Somaliland": "SO", "N. Cyprus": "CY", "Kosovo": "XK"}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs as lists of (longitude, latitude): undo the quantisation and delta encoding."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    """A ring's points from its arc indexes (a negative index ~i is arc i reversed)."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def clip(points, edge_inside, intersect):
    """One step of Sutherland–Hodgman clipping against one edge of the window."""
    result = []
    for i, current in enumerate(points):
        previous = points[i - 1]
        if edge_inside(current):
            if not edge_inside(previous):
                result.append(intersect(previous, current))
            result.append(current)
        elif edge_inside(previous):
            result.append(intersect(previous, current))
    return result


def clip_to_window(points, window):
    """The part of a ring (in projected units) inside the window (left, right, top, bottom)."""
    left, right, top, bottom = window

    def at_x(x):
        return lambda a, b: (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))

    def at_y(y):
        return lambda a, b: (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)

    for inside, intersect in (
        (lambda p: p[0] >= left, at_x(left)),
        (lambda p: p[0] <= right, at_x(right)),
        (lambda p: p[1] >= top, at_y(top)),
        (lambda p: p[1] <= bottom, at_y(bottom)),
    ):
        if not points:
            return []
        points = clip(points, inside, intersect)
    return points


def visible(lon: float, lat: float) -> bool:
    """Far enough from the antipode for the projection to stay finite."""
    phi, phi0 = math.radians(lat), math.radians(CENTRE_LAT)
    cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(
        math.radians(lon - CENTRE_LON)
    )
    return cos_c > -0.8


def project(lon: float, lat: float) -> tuple[float, float]:
    """Lambert azimuthal equal-area, centred on Africa and Europe."""
    lam, phi = math.radians(lon - CENTRE_LON), math.radians(lat)
    phi0 = math.radians(CENTRE_LAT)
    k = math.sqrt(
        2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam))
    )
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return x, -y


def ring_area(points) -> float:
    return (
        abs(
            sum(
                a[0] * b[1] - b[0] * a[1]
                for a, b in zip(points, points[1:] + points[:1], strict=True)
            )
        )
        / 2
    )


def build(topology: dict) -> str:
    arcs = decode_arcs(topology)
    window = (
        project(*WINDOW_EDGES["left"])[0],
        project(*WINDOW_EDGES["right"])[0],
        project(*WINDOW_EDGES["top"])[1],
        project(*WINDOW_EDGES["bottom"])[1],
    )
    shapes = []  # (iso2, name, [projected rings])
    for geometry in topology["objects"]["countries"]["geometries"]:
        rings = _projected_rings(geometry, arcs, window)
        if rings:
            shapes.append((*_identify(geometry), rings))
    shapes = _merge_by_code(shapes)

    left, right, top, bottom = window
    scale = WIDTH / (right - left)
    height = round((bottom - top) * scale)

    def to_svg(point):
        return (round((point[0] - left) * scale, 1), round((point[1] - top) * scale, 1))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {height}" '
        'class="country-map">',
        "<!-- Made by scripts/build_map.py from Natural Earth (public domain) via world-atlas. -->",
    ]
    for iso2, _name, rings in sorted(shapes, key=lambda s: (s[0] or "~", s[1])):
        out.extend(_svg_shape(iso2, rings, to_svg))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _identify(geometry: dict) -> tuple[str, str]:
    """(ISO code or "", name) of a TopoJSON country."""
    from django_countries import countries

    name = geometry.get("properties", {}).get("name", "")
    number = geometry.get("id")
    iso2 = countries.alpha2(int(number)) if number and number.isdigit() else ""
    iso2 = iso2 or UNNUMBERED.get(name, "")
    if iso2 and iso2 not in dict(countries):
        iso2 = ""
    return iso2, name


def _projected_rings(geometry: dict, arcs, window) -> list:
    """The country's rings, projected and clipped to the window."""
    rings = []
    for polygon in polygons(geometry):
        for ring in polygon:
            points = ring_points(ring, arcs)
            if not all(visible(lon, lat) for lon, lat in points):
                continue
            clipped = clip_to_window([project(lon, lat) for lon, lat in points], window)
            # Rings outside the window collapse onto its edges: drop what has no area.
            if len(clipped) >= 3 and ring_area(clipped) > 1e-7:
                rings.append(clipped)
    return rings


def _svg_shape(iso2: str, rings, to_svg) -> list[str]:
    """The <path> of one state, and a <circle> marking it when it is too small to see."""
    commands = []
    area = 0.0
    for ring in rings:
        points = []
        for point in map(to_svg, ring):
            if (
                not points
                or abs(point[0] - points[-1][0]) + abs(point[1] - points[-1][1]) >= TOLERANCE
            ):
                points.append(point)
        if len(points) < 3:
            points = [to_svg(p) for p in ring][:3]
        area += ring_area(points)
        commands.append("M" + "L".join(f"{_num(x)} {_num(y)}" for x, y in points) + "Z")
    attributes = f' data-iso2="{iso2}"' if iso2 else ""
    path_id = f' id="map-{iso2.lower()}"' if iso2 else ""
    elements = [f'<path{path_id}{attributes} d="{"".join(commands)}"/>']
    if iso2 and area < SMALL_AREA:
        cx = sum(x for ring in rings for x, _ in map(to_svg, ring)) / sum(len(r) for r in rings)
        cy = sum(y for ring in rings for _, y in map(to_svg, ring)) / sum(len(r) for r in rings)
        elements.append(f'<circle data-iso2="{iso2}" cx="{cx:.1f}" cy="{cy:.1f}" r="4"/>')
    return elements


def _merge_by_code(shapes):
    """One shape per state (Somaliland is drawn within Somalia, Northern Cyprus within Cyprus)."""
    merged: dict[str, tuple] = {}
    unnamed = []
    for iso2, name, rings in shapes:
        if not iso2:
            unnamed.append((iso2, name, rings))
        elif iso2 in merged:
            merged[iso2][2].extend(rings)
        else:
            merged[iso2] = (iso2, name, list(rings))
    return [*merged.values(), *unnamed]


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "topojson",
        nargs="?",
        default="/tmp/npmget/world-atlas-2.0.2/countries-50m.json",
        help="world-atlas countries-50m.json",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmd_portal.settings.base")
    import django

    django.setup()
    with open(args.topojson, encoding="utf-8") as handle:
        svg = build(json.load(handle))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(svg, encoding="utf-8")
    print(f"wrote {args.output} ({len(svg.encode()) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
