"""A server-side sketch of a tour: home and the stops projected onto a small SVG, with text for screen readers."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 400
PADDING = 40


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    label: str
    number: int  # 0 for home


@dataclass(frozen=True)
class Sketch:
    width: int
    height: int
    marks: list[Mark]
    # Polyline points per trip ("x,y x,y …"), each starting and ending at home.
    paths: list[str]


def sketch(home: tuple[float, float, str], trips: list[list[tuple[float, float, str]]]) -> Sketch:
    """Project with an equirectangular map scaled by the cosine of the mean latitude, then fit the box."""
    points = [(home[0], home[1])] + [(lat, lon) for trip in trips for lat, lon, _ in trip]
    mean_lat = sum(lat for lat, _ in points) / len(points)
    scale_x = math.cos(math.radians(mean_lat))
    xs = [lon * scale_x for _, lon in points]
    ys = [-lat for lat, _ in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    factor = min((WIDTH - 2 * PADDING), (HEIGHT - 2 * PADDING)) / span
    off_x = (WIDTH - (max(xs) - min(xs)) * factor) / 2
    off_y = (HEIGHT - (max(ys) - min(ys)) * factor) / 2

    def place(lat: float, lon: float) -> tuple[float, float]:
        return (
            round(off_x + (lon * scale_x - min(xs)) * factor, 1),
            round(off_y + (-lat - min(ys)) * factor, 1),
        )

    hx, hy = place(home[0], home[1])
    marks = [Mark(hx, hy, home[2], 0)]
    paths: list[str] = []
    number = 0
    for trip in trips:
        coords = [f"{hx},{hy}"]
        for lat, lon, label in trip:
            number += 1
            x, y = place(lat, lon)
            marks.append(Mark(x, y, label, number))
            coords.append(f"{x},{y}")
        coords.append(f"{hx},{hy}")
        paths.append(" ".join(coords))
    return Sketch(WIDTH, HEIGHT, marks, paths)
