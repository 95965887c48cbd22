"""Events made directly with the ORM for the registration tests (until events-core's create_event is everywhere).

An event needs its row, at least one host and one Occurrence row per date; `new_event` makes all three.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any, cast

from django.utils import timezone

from freshground.events.models import Event, EventHost, Occurrence, RegistrationMode, Timeslot
from freshground.network.models import Center, Circle
from freshground.people.models import Person

_numbers = itertools.count(1)


def new_event(
    *,
    circle: Circle | None = None,
    center: Center | None = None,
    person: Person | None = None,
    starts_in: timedelta = timedelta(days=7),
    hours: float = 2,
    capacity: int | None = None,
    registration_mode: str = RegistrationMode.OPEN,
    **fields: Any,
) -> Event:
    """An event starting `starts_in` from now, hosted by the circle, center or person given (a new circle if none)."""
    if circle is None and center is None and person is None:
        from freshground.testing.factories import CircleFactory

        circle = cast(Circle, CircleFactory())
    number = next(_numbers)
    starts_at: datetime = fields.pop("starts_at", None) or timezone.now() + starts_in
    ends_at: datetime = fields.pop("ends_at", None) or starts_at + timedelta(hours=hours)
    event = Event.objects.create(
        title=fields.pop("title", f"Event {number}"),
        slug=fields.pop("slug", f"event-{number}"),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        registration_mode=registration_mode,
        **fields,
    )
    EventHost.objects.create(event=event, circle=circle, center=center, person=person)
    Occurrence.objects.create(event=event, starts_at=starts_at, ends_at=ends_at)
    return event


def new_timeslot(event: Event, *, capacity: int | None = None, label: str = "", offset_hours: float = 0) -> Timeslot:
    starts_at = event.starts_at + timedelta(hours=offset_hours)
    return Timeslot.objects.create(
        event=event,
        label=label or f"Session {next(_numbers)}",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        capacity=capacity,
    )
