"""The route sketch: every mark inside the drawing, home first, stops numbered in order, one line per trip."""

from __future__ import annotations

from freshground.speakers.route_svg import HEIGHT, WIDTH, sketch


def test_marks_fit_the_box_and_follow_the_order() -> None:
    drawn = sketch(
        (53.80, -1.55, "Leeds"),
        [[(53.96, -1.08, "York"), (55.86, -4.25, "Glasgow")], [(51.51, -0.13, "London")]],
    )
    assert [m.number for m in drawn.marks] == [0, 1, 2, 3]
    assert [m.label for m in drawn.marks] == ["Leeds", "York", "Glasgow", "London"]
    assert all(0 <= m.x <= WIDTH and 0 <= m.y <= HEIGHT for m in drawn.marks)
    glasgow, london = drawn.marks[2], drawn.marks[3]
    assert glasgow.y < london.y  # north is up
    assert glasgow.x < london.x  # west is left
    assert len(drawn.paths) == 2
    home = f"{drawn.marks[0].x},{drawn.marks[0].y}"
    assert all(path.startswith(home) and path.endswith(home) for path in drawn.paths)


def test_a_single_place_does_not_divide_by_zero() -> None:
    drawn = sketch((53.8, -1.55, "Leeds"), [[(53.8, -1.55, "Leeds again")]])
    assert len(drawn.marks) == 2
