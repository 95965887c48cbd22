"""The opinion map: every voter as a point in the PCA plane of the last analysis, coloured (and shaped) by opinion
group, the viewer's own position marked. Drawn on the server as one accessible SVG (role="img", title, desc) with
presentation attributes and classes only (the Content Security Policy forbids inline styles); the page shows the
same information as a table next to it. Coordinates are always finite: degenerate data (nobody, one voter, everyone
in one place) gives an empty or centred map, never NaN."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from freshground.core.svg_charts import INK, INK_SOFT, PALETTE

WIDTH = 480
HEIGHT = 360
PADDING = 24
MAX_POINTS = 3_000  # beyond this the map draws an even sample (the table and the counts stay exact)
UNGROUPED = "#6b7570"


@dataclass(frozen=True)
class MapGroup:
    label: int
    number: int  # 1-based, as the page names it ("Group 1")
    size: int
    colour: str
    centre_x: float
    centre_y: float


@dataclass(frozen=True)
class OpinionMap:
    points: tuple[tuple[float, float, int | None], ...]  # x, y, group number (None: not clustered)
    groups: tuple[MapGroup, ...]
    me: tuple[float, float] | None
    my_group: int | None
    voters: int

    @property
    def is_empty(self) -> bool:
        return not self.points


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def group_colour(number: int) -> str:
    return PALETTE[(number - 1) % len(PALETTE)]


def build(summary: Mapping[str, Any], participant_id: int | None) -> OpinionMap:
    """The map's data from a snapshot summary (see analysis_runs.summarise); tolerant of older summaries."""
    group_of: dict[str, int] = {}
    groups: list[MapGroup] = []
    for index, group in enumerate(summary.get("groups") or [], start=1):
        members = group.get("members") or []
        for member in members:
            group_of[str(member)] = index
        centre = group.get("centre") or [0.0, 0.0]
        groups.append(
            MapGroup(
                label=int(group.get("label", index)),
                number=index,
                size=int(group.get("size", len(members))),
                colour=group_colour(index),
                centre_x=_number(centre[0] if centre else 0.0),
                centre_y=_number(centre[1] if len(centre) > 1 else 0.0),
            )
        )
    points: list[tuple[float, float, int | None]] = []
    me: tuple[float, float] | None = None
    for row in summary.get("positions") or []:
        if not isinstance(row, list | tuple) or len(row) != 3:
            continue
        x, y = _number(row[1]), _number(row[2])
        points.append((x, y, group_of.get(str(row[0]))))
        if participant_id is not None and str(row[0]) == str(participant_id):
            me = (x, y)
    my_group = group_of.get(str(participant_id)) if participant_id is not None else None
    return OpinionMap(tuple(points), tuple(groups), me, my_group, len(points))


def _marker(number: int | None, x: float, y: float, colour: str) -> str:
    if number is None:
        return f'<circle class="map-point map-ungrouped" cx="{x}" cy="{y}" r="2.5" fill="none" stroke="{colour}" />'
    shape = (number - 1) % 3
    css = f"map-point map-group-{number}"
    if shape == 0:
        return f'<circle class="{css}" cx="{x}" cy="{y}" r="3" fill="{colour}" />'
    if shape == 1:
        return f'<rect class="{css}" x="{x - 3}" y="{y - 3}" width="6" height="6" fill="{colour}" />'
    return f'<path class="{css}" d="M{x},{y - 4} L{x + 4},{y + 3} L{x - 4},{y + 3} Z" fill="{colour}" />'


def _scale(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(centre x, centre y, factor, -) mapping data to the drawing; one factor for both axes (no distortion)."""
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    usable = min(WIDTH, HEIGHT) - 2 * PADDING
    factor = usable / span if span > 1e-9 else 0.0
    return (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2, factor, 0.0


def svg(opinion_map: OpinionMap, *, title: str) -> SafeString:
    """The map as one `<svg role="img">` (its title and description name what a screen reader cannot see)."""
    digest = hashlib.blake2s(repr((title, opinion_map.voters, opinion_map.me)).encode(), digest_size=5).hexdigest()
    chart_id = f"map-{digest}"
    if opinion_map.groups:
        description = ngettext(
            "%(voters)d voters in %(groups)d opinion group.",
            "%(voters)d voters in %(groups)d opinion groups.",
            len(opinion_map.groups),
        ) % {"voters": opinion_map.voters, "groups": len(opinion_map.groups)}
    elif opinion_map.voters:
        description = _("%(voters)d voters; not enough votes yet to find opinion groups.") % {
            "voters": opinion_map.voters
        }
    else:
        description = _("Nobody has voted yet.")
    if opinion_map.me is not None:
        description += " " + (
            _("You are in group %(n)d.") % {"n": opinion_map.my_group}
            if opinion_map.my_group
            else _("Your position is marked with a ring.")
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart opinion-map" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{chart_id}-title" '
        f'aria-describedby="{chart_id}-desc" font-size="13" font-family="system-ui, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<rect class="map-frame" x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}" fill="none" '
        f'stroke="{INK_SOFT}" stroke-opacity="0.3" />',
    ]
    if opinion_map.is_empty:
        parts.append(
            f'<text class="chart-empty" x="{WIDTH // 2}" y="{HEIGHT // 2}" text-anchor="middle" fill="{INK_SOFT}">'
            f"{escape(_('No analysis yet.'))}</text></svg>"
        )
        return mark_safe("".join(parts))  # noqa: S308 - the texts went through escape()
    cx, cy, factor, _unused = _scale([(x, y) for x, y, _g in opinion_map.points])

    def place(x: float, y: float) -> tuple[float, float]:
        px = round(WIDTH / 2 + (x - cx) * factor, 1)
        py = round(HEIGHT / 2 - (y - cy) * factor, 1)  # up is positive
        return px, py

    step = max(1, math.ceil(len(opinion_map.points) / MAX_POINTS))
    parts.append('<g class="map-points">')
    for x, y, number in opinion_map.points[::step]:
        px, py = place(x, y)
        parts.append(_marker(number, px, py, group_colour(number) if number else UNGROUPED))
    parts.append("</g>")
    for group in opinion_map.groups:
        px, py = place(group.centre_x, group.centre_y)
        px = min(max(px, PADDING), WIDTH - PADDING)
        py = min(max(py, PADDING), HEIGHT - PADDING)
        label = escape(_("Group %(n)d") % {"n": group.number})
        parts.append(
            f'<text class="map-label" x="{px}" y="{py - 8}" text-anchor="middle" fill="{INK}" font-weight="bold" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{label}</text>'
        )
    if opinion_map.me is not None:
        px, py = place(*opinion_map.me)
        parts.append(
            f'<g class="map-me"><circle cx="{px}" cy="{py}" r="9" fill="none" stroke="{INK}" stroke-width="2.5" />'
            f'<text x="{px + 12}" y="{py + 4}" fill="{INK}" font-weight="bold" stroke="#ffffff" stroke-width="3" '
            f'paint-order="stroke">{escape(_("You"))}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers are floats we formatted; texts went through escape()
