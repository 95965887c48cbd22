"""The shared SVG charts: well-formed XML, accessible, hostile text inert, no inline styles, empty data handled."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from freshground.core.svg_charts import (
    bar_chart,
    bar_table,
    monthly_totals,
    time_series_chart,
    time_series_table,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "]]><!-- & &amp; &#x3c;",
    "</title><script>alert(2)</script>",
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def one(root: ET.Element, path: str) -> ET.Element:
    found = root.find(path)
    assert found is not None, path
    return found


def text_of(root: ET.Element, path: str) -> str:
    return one(root, path).text or ""


def number(element: ET.Element, name: str) -> float:
    return float(element.get(name) or "nan")


def all_text(root: ET.Element) -> str:
    return "".join(root.itertext())


def assert_accessible(root: ET.Element) -> None:
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = one(root, f"{SVG}title")
    desc = one(root, f"{SVG}desc")
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    for element in root.iter():
        assert "style" not in element.attrib, element.tag
        assert not any(name.startswith("on") for name in element.attrib), element.attrib
        assert not element.tag.endswith("script")
        assert not element.tag.endswith("foreignObject")


def test_bar_chart_draws_a_bar_label_and_value_per_row() -> None:
    svg = bar_chart([("Warehouses", 12), ("Hospitals", 3)], title="Reports by sector", description="Two sectors")
    root = parse(svg)
    assert_accessible(root)
    assert text_of(root, f"{SVG}title") == "Reports by sector"
    bars = root.findall(f".//{SVG}rect[@class='chart-bar']")
    assert len(bars) == 2
    assert number(bars[0], "width") > number(bars[1], "width") > 0
    labels = [t.text for t in root.findall(f".//{SVG}text[@class='chart-label']")]
    assert labels == ["Warehouses", "Hospitals"]
    assert [t.text for t in root.findall(f".//{SVG}text[@class='chart-value']")] == ["12", "3"]


def test_bar_chart_zero_values_and_long_labels() -> None:
    long = "A very long answer option that would never fit in the label column of the chart"
    root = parse(bar_chart([(long, 0), ("b", 0)], title="t", description="d"))
    assert_accessible(root)
    assert all(number(bar, "width") == 0 for bar in root.findall(f".//{SVG}rect[@class='chart-bar']"))
    label = one(root, f".//{SVG}text[@class='chart-label']")
    tooltip = one(label, f"{SVG}title")
    assert tooltip.text == long  # the full text as a tooltip
    assert (tooltip.tail or "").endswith("…")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_labels_titles_and_series_names_are_escaped(hostile: str) -> None:
    charts = [
        bar_chart([(hostile, 1)], title=hostile, description=hostile),
        time_series_chart(
            {hostile: [(date(2025, 1, 5), 2)], "b": [(date(2025, 3, 1), 1)]}, title=hostile, description=hostile
        ),
    ]
    for svg in charts:
        root = parse(svg)  # still well-formed XML
        assert_accessible(root)
        assert text_of(root, f"{SVG}title") == hostile
        assert hostile in all_text(root) or hostile[:10] in all_text(root)
        assert "<script" not in svg
        assert "<img" not in svg


def test_empty_data_renders_an_accessible_placeholder() -> None:
    for svg in (
        bar_chart([], title="Nothing", description="No rows"),
        time_series_chart({}, title="Nothing", description="No series"),
        time_series_chart({"a": []}, title="Nothing", description="Empty series"),
    ):
        root = parse(svg)
        assert_accessible(root)
        assert "No data yet." in all_text(root)


def test_time_series_sums_per_month_and_fills_gaps() -> None:
    series = {
        "Reports": [(date(2025, 1, 3), 2), (date(2025, 1, 20), 3), (date(2025, 4, 1), 1)],
        "Wins": [(date(2025, 2, 14), 1)],
    }
    months, totals = monthly_totals(series)
    assert months == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)]
    assert totals == {"Reports": [5, 0, 0, 1], "Wins": [0, 1, 0, 0]}
    root = parse(time_series_chart(series, title="Over time", description="Two series"))
    assert_accessible(root)
    assert len(root.findall(f".//{SVG}polyline")) == 2
    assert len(root.findall(f".//{SVG}g[@class='chart-legend']")) == 2
    text = all_text(root)
    assert "Jan 2025" in text
    assert "Apr 2025" in text


def test_time_series_across_years_and_a_single_month() -> None:
    months, _totals = monthly_totals({"a": [(date(2024, 11, 30), 1), (date(2025, 2, 1), 1)]})
    assert [m.month for m in months] == [11, 12, 1, 2]
    root = parse(time_series_chart({"a": [(date(2025, 6, 2), 4)]}, title="t", description="d"))
    assert_accessible(root)
    assert root.findall(f".//{SVG}polyline") == []
    assert len(root.findall(f".//{SVG}circle")) == 1  # a single month still shows its point


def test_two_charts_have_distinct_ids_and_the_same_chart_is_stable() -> None:
    one = bar_chart([("a", 1)], title="One", description="d")
    two = bar_chart([("a", 1)], title="Two", description="d")
    assert parse(one).get("aria-labelledby") != parse(two).get("aria-labelledby")
    assert one == bar_chart([("a", 1)], title="One", description="d")


def test_tables_escape_and_carry_the_data() -> None:
    table = bar_table([(HOSTILE[0], 3)], caption="Answers", label_header="Option")
    root = ET.fromstring(table)  # noqa: S314
    assert text_of(root, "caption") == "Answers"
    assert text_of(root, "tbody/tr/th") == HOSTILE[0]
    assert text_of(root, "tbody/tr/td") == "3"
    series_table = time_series_table({HOSTILE[1]: [(date(2025, 1, 1), 2)]}, caption="c")
    root = ET.fromstring(series_table)  # noqa: S314
    assert text_of(root, "thead/tr/th[2]") == HOSTILE[1]
    assert text_of(root, "tbody/tr/td") == "2"
