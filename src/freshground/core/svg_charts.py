"""Server-rendered, accessible SVG charts shared by every app (inquiry results, the reports overview, ...).

Each chart is one `<svg role="img">` with a `<title>` and a `<desc>` it points to with `aria-labelledby` /
`aria-describedby`. A screen reader announces the title and description only, so **every chart must have its data
next to it as a table**: render it with `bar_table` / `time_series_table` below (or write your own `<table>` in the
template). Wrap both in a `<figure>`; the table may sit in a `<details>` if it is long.

Content Security Policy forbids inline `style` attributes, so the charts use SVG presentation attributes (`fill`,
`stroke`, `stroke-dasharray`) and `class`es (`chart`, `chart-bar`, `chart-label`, `chart-value`, `chart-axis`,
`chart-grid`, `chart-series-N`, …) that site.css may refine. Every piece of text is escaped: labels come from users.
Series are told apart by colour *and* by dash pattern and marker shape, so the chart does not rely on colour alone.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Okabe–Ito: distinguishable with the common colour-vision deficiencies; all reach 3:1 on white except the yellow,
# which is left out.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#000000")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4")
BAR_FILL = "#1f5c45"  # --green of site.css
INK = "#1c2321"
INK_SOFT = "#4a5552"
GRID = "#d9d6cc"

WIDTH = 640
FONT_SIZE = 13
CHAR_WIDTH = 8.2  # a generous average width of a character at FONT_SIZE (wide letters too), for truncating labels
BAR_HEIGHT = 20
BAR_GAP = 10
LABEL_WIDTH = 200
VALUE_WIDTH = 64


def _chart_id(kind: str, title: str, payload: object) -> str:
    """A stable id for the title/desc elements: the same chart renders the same bytes (cacheable), two different
    charts on one page do not collide."""
    digest = hashlib.blake2s(repr((kind, title, payload)).encode(), digest_size=5).hexdigest()
    return f"chart-{digest}"


def _truncate(text: str, max_chars: int) -> str:
    text = " ".join(str(text).split())
    if len(text) <= max_chars:
        return text
    return text[: max(1, max_chars - 1)].rstrip() + "…"


def _fmt(value: int) -> str:
    return str(number_format(value, force_grouping=True))


def _svg_open(chart_id: str, width: int, height: int, title: str, description: str, kind: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'font-size="{FONT_SIZE}" font-family="system-ui, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def _empty(chart_id: str, title: str, description: str, kind: str) -> SafeString:
    height = 48
    parts = [
        _svg_open(chart_id, WIDTH, height, title, description, kind),
        f'<text class="chart-empty" x="{WIDTH // 2}" y="{height // 2 + 4}" text-anchor="middle" fill="{INK_SOFT}">'
        f"{escape(_('No data yet.'))}</text>",
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text went through escape()


def _nice_max(value: int) -> int:
    """The top of the value axis: 1, 2 or 5 times a power of ten, at least `value`."""
    if value <= 0:
        return 1
    exponent = int(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * exponent >= value:
            return int(step * exponent)
    return int(10 * exponent)  # pragma: no cover - the loop always returns


def _ticks(top: int, count: int = 4) -> list[int]:
    step = max(1, top // count)
    return list(range(0, top + 1, step))


def bar_chart(rows: Sequence[tuple[str, int]], *, title: str, description: str) -> SafeString:
    """Horizontal bars, one per (label, value) row in the given order, each with its label and its value.

    Long labels are shortened in the drawing (the full text is in a tooltip and, as always, in the data table).
    """
    rows = [(str(label), int(value)) for label, value in rows]
    chart_id = _chart_id("bar", title, rows)
    if not rows:
        return _empty(chart_id, title, description, "bar")
    top = max(max(value for _label, value in rows), 0) or 1
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(rows) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    max_chars = int((LABEL_WIDTH - 12) / CHAR_WIDTH)
    parts = [_svg_open(chart_id, WIDTH, height, title, description, "bar")]
    parts.append(
        f'<line class="chart-axis" x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}" stroke="{INK_SOFT}" />'
    )
    for index, (label, value) in enumerate(rows):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        bar_width = round(plot_width * max(value, 0) / top, 1)
        text_y = y + BAR_HEIGHT // 2 + FONT_SIZE // 2 - 2
        shown = _truncate(label, max_chars)
        tooltip = f"<title>{escape(label)}</title>" if shown != label else ""
        parts.append('<g class="chart-row">')
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" fill="{INK}">'
            f"{tooltip}{escape(shown)}</text>"
        )
        parts.append(
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{bar_width}" height="{BAR_HEIGHT}" '
            f'fill="{BAR_FILL}" />'
        )
        parts.append(
            f'<text class="chart-value" x="{LABEL_WIDTH + bar_width + 6}" y="{text_y}" fill="{INK}">'
            f"{escape(_fmt(value))}</text>"
        )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text went through escape()


def _month(day: date) -> date:
    return day.replace(day=1)


def _months_between(first: date, last: date) -> list[date]:
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def monthly_totals(series: Mapping[str, Sequence[tuple[date, int]]]) -> tuple[list[date], dict[str, list[int]]]:
    """Every month from the first to the last point of any series (gaps filled with 0), and each series' totals per
    month in that order. Points within one month are added up."""
    points = [(_month(day), int(value)) for values in series.values() for day, value in values]
    if not points:
        return [], {str(name): [] for name in series}
    months = _months_between(min(day for day, _v in points), max(day for day, _v in points))
    position = {month: index for index, month in enumerate(months)}
    totals: dict[str, list[int]] = {}
    for name, values in series.items():
        row = [0] * len(months)
        for day, value in values:
            row[position[_month(day)]] += int(value)
        totals[str(name)] = row
    return months, totals


def time_series_chart(series: Mapping[str, Sequence[tuple[date, int]]], *, title: str, description: str) -> SafeString:
    """One line per series over months (points summed per month, missing months count 0), with a value axis, month
    labels and a legend when there is more than one series."""
    months, totals = monthly_totals(series)
    chart_id = _chart_id("time", title, (months, sorted(totals.items())))
    if not months:
        return _empty(chart_id, title, description, "time")
    names = list(totals)
    legend_rows = math.ceil(len(names) / 3) if len(names) > 1 else 0
    left, right, top_pad, bottom = 56, 16, 14, 40
    legend_height = legend_rows * 20
    plot_height = 220
    height = top_pad + plot_height + bottom + legend_height
    plot_width = WIDTH - left - right
    top = _nice_max(max((max(values) for values in totals.values() if values), default=0))
    step_x = plot_width / max(len(months) - 1, 1)

    def x_of(index: int) -> float:
        return round(left + (index * step_x if len(months) > 1 else plot_width / 2), 1)

    def y_of(value: int) -> float:
        return round(top_pad + plot_height - plot_height * max(value, 0) / top, 1)

    parts = [_svg_open(chart_id, WIDTH, height, title, description, "time")]
    # Value axis with grid lines.
    for tick in _ticks(top):
        y = y_of(tick)
        parts.append(
            f'<line class="chart-grid" x1="{left}" y1="{y}" x2="{WIDTH - right}" y2="{y}" stroke="{GRID}" />'
            f'<text class="chart-tick" x="{left - 6}" y="{y + 4}" text-anchor="end" fill="{INK_SOFT}">'
            f"{escape(_fmt(tick))}</text>"
        )
    base_y = top_pad + plot_height
    parts.append(
        f'<line class="chart-axis" x1="{left}" y1="{base_y}" x2="{WIDTH - right}" y2="{base_y}" stroke="{INK_SOFT}" />'
    )
    # Month labels: as many as fit (about 60 px each), always the first and the last.
    every = max(1, math.ceil(len(months) * 60 / plot_width))
    for index, month in enumerate(months):
        if index % every and index != len(months) - 1:
            continue
        label = date_format(month, "M Y")
        parts.append(
            f'<text class="chart-tick" x="{x_of(index)}" y="{base_y + 18}" text-anchor="middle" fill="{INK_SOFT}">'
            f"{escape(label)}</text>"
        )
    # Lines, with a marker on every point so that a single month still shows.
    for number, name in enumerate(names):
        colour = PALETTE[number % len(PALETTE)]
        dash = DASHES[number % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        values = totals[name]
        points = " ".join(f"{x_of(i)},{y_of(v)}" for i, v in enumerate(values))
        parts.append(f'<g class="chart-series chart-series-{number}">')
        parts.append(f"<title>{escape(name)}</title>")
        if len(values) > 1:
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr} />')
        for index, value in enumerate(values):
            parts.append(_marker(number, x_of(index), y_of(value), colour))
        parts.append("</g>")
    # Legend.
    if legend_rows:
        column_width = plot_width // 3
        max_chars = int((column_width - 40) / CHAR_WIDTH)
        for number, name in enumerate(names):
            colour = PALETTE[number % len(PALETTE)]
            dash = DASHES[number % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            lx = left + (number % 3) * column_width
            ly = base_y + bottom + (number // 3) * 20
            parts.append(
                f'<g class="chart-legend">'
                f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 24}" y2="{ly - 4}" stroke="{colour}" stroke-width="2.5"'
                f"{dash_attr} />{_marker(number, lx + 12, ly - 4, colour)}"
                f'<text x="{lx + 30}" y="{ly}" fill="{INK}">{escape(_truncate(name, max_chars))}</text></g>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text went through escape()


def _marker(number: int, x: float, y: float, colour: str) -> str:
    shape = number % 3
    if shape == 0:
        return f'<circle cx="{x}" cy="{y}" r="3.5" fill="{colour}" />'
    if shape == 1:
        return f'<rect x="{x - 3.5}" y="{y - 3.5}" width="7" height="7" fill="{colour}" />'
    return f'<path d="M{x},{y - 4.5} L{x + 4.5},{y + 3.5} L{x - 4.5},{y + 3.5} Z" fill="{colour}" />'


def bar_table(
    rows: Sequence[tuple[str, int]], *, caption: str, label_header: str, value_header: str | None = None
) -> SafeString:
    """The data of a `bar_chart` as a table, to show next to the chart."""
    head = value_header if value_header is not None else _("Count")
    body = format_html_join(
        "", '<tr><th scope="row">{}</th><td class="num">{}</td></tr>', ((label, _fmt(v)) for label, v in rows)
    )
    return format_html(
        '<table class="chart-table"><caption>{}</caption><thead><tr><th scope="col">{}</th>'
        '<th scope="col" class="num">{}</th></tr></thead><tbody>{}</tbody></table>',
        caption,
        label_header,
        head,
        body,
    )


def time_series_table(series: Mapping[str, Sequence[tuple[date, int]]], *, caption: str) -> SafeString:
    """The data of a `time_series_chart` as a table: one row per month, one column per series."""
    months, totals = monthly_totals(series)
    header = format_html_join("", '<th scope="col" class="num">{}</th>', ((name,) for name in totals))
    rows = []
    for index, month in enumerate(months):
        cells = format_html_join("", '<td class="num">{}</td>', ((_fmt(totals[name][index]),) for name in totals))
        rows.append(format_html('<tr><th scope="row">{}</th>{}</tr>', date_format(month, "F Y"), cells))
    return format_html(
        '<table class="chart-table"><caption>{}</caption><thead><tr><th scope="col">{}</th>{}</tr></thead>'
        "<tbody>{}</tbody></table>",
        caption,
        _("Month"),
        header,
        mark_safe("".join(rows)),  # noqa: S308 - each row was built with format_html
    )
