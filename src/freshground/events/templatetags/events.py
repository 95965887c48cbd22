"""Template helpers for events: `{% load events %}`."""

from __future__ import annotations

from typing import Any

from django import template

from freshground.events import queries
from freshground.events.models import Event
from freshground.network.models import Center, Circle

register = template.Library()


@register.simple_tag
def group_events(circle: Any = None, center: Any = None) -> list[Event]:
    """Upcoming events a circle or center hosts or promotes (one query), for the circle and center pages."""
    if isinstance(circle, Circle):
        return queries.group_events(circle=circle)
    if isinstance(center, Center):
        return queries.group_events(center=center)
    return []
