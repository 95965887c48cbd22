"""A simple server-side SVG timeline for a campaign's plan: one mark per action along a line, today marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from freshground.campaigns.models import Action

WIDTH = 1000
LEFT = 20
RIGHT = 980


@dataclass(frozen=True)
class Mark:
    x: int
    action: Action
    day: date
    row: int  # 0 or 1: alternate label rows so neighbours do not overlap


@dataclass(frozen=True)
class Timeline:
    marks: list[Mark]
    start: date | None
    end: date | None
    today_x: int | None
    width: int = WIDTH


def timeline(actions: Sequence[Action], *, today: date) -> Timeline:
    if not actions:
        return Timeline([], None, None, None)
    days = [timezone.localtime(a.starts_at).date() for a in actions]
    start, end = min([*days, today]), max([*days, today])
    span = max((end - start).days, 1)

    def x_of(day: date) -> int:
        return LEFT + round((RIGHT - LEFT) * (day - start).days / span)

    marks = [Mark(x_of(day), action, day, i % 2) for i, (action, day) in enumerate(zip(actions, days, strict=True))]
    return Timeline(marks, start, end, x_of(today))
