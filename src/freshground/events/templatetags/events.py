"""Template helpers for events: `{% load events %}`."""

from __future__ import annotations

from typing import Any

from django import template

from freshground.core.permissions import is_person
from freshground.events import calendar_pages, queries
from freshground.events.models import Event, RegistrationStatus
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


@register.inclusion_tag("events/calendar_profile_events.html", takes_context=True)
def person_event_lists(context: template.Context, person: Any) -> dict[str, Any]:
    """For a person's profile: the upcoming events they host in their own name (everyone sees those: they are on the
    public calendar) and, for the person themself only, the ones they are registered for. One query, two for the
    person themself."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    is_self = is_person(viewer) and is_person(person) and viewer.pk == person.pk
    return {
        "person": person,
        "is_self": is_self,
        "hosted": queries.person_events(person),
        "registered": calendar_pages.registered_events(person) if is_self else [],
        "waitlisted": RegistrationStatus.WAITLISTED,
    }
