"""Helpers for the events-core tests: events made through the services, as users make them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from freshground.events import services
from freshground.events.models import Event
from freshground.network.models import Center, Circle
from freshground.people.models import Person


def soon(days: int = 7, hour: int = 18) -> datetime:
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def make_event(
    person: Person, *, host_circle: Circle | None = None, host_center: Center | None = None, **values: Any
) -> Event:
    start = values.pop("starts_at", soon())
    fields: dict[str, Any] = {
        "title": "Reading group: Capital, chapter one",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "time_zone": "Europe/London",
        "venue_name": "Community Centre",
        "address": "12 Quarry Street, Leeds",
        **values,
    }
    return services.create_event(person=person, host_circle=host_circle, host_center=host_center, **fields)
