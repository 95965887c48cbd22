"""Small builders for the speakers tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from freshground.events.models import Event
from freshground.network.models import Circle
from freshground.people.models import Person
from freshground.speakers import services, services_requests
from freshground.speakers.models import Speaker, SpeakingRequest

YORK = (53.96, -1.08)
MANCHESTER = (53.48, -2.24)
LEEDS = (53.80, -1.55)


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


def make_speaker(person: Person, **values: Any) -> Speaker:
    defaults: dict[str, Any] = {
        "name": "Sam Speaker",
        "topics": ["housing", "unions"],
        "talks": [{"title": "Rent strikes that won", "abstract": "Stories from three cities."}],
        "languages": ["en", "de"],
        "place_name": "Leeds",
        "latitude": LEEDS[0],
        "longitude": LEEDS[1],
        "regions": ["North of England", "Scotland"],
        "availability": [(days(1), days(30))],
        "fees": "Travel costs only",
        "accessibility_needs": "Step-free venue",
    }
    defaults.update(values)
    return services.create_speaker(person=person, **defaults)


def make_request(
    organiser: Person, speaker: Speaker, circle: Circle, *, first: int = 3, last: int = 10, where: Any = YORK
) -> SpeakingRequest:
    return services_requests.send_request(
        person=organiser,
        speaker=speaker,
        circle=circle,
        topic="housing",
        place_name="York",
        latitude=where[0],
        longitude=where[1],
        earliest=days(first),
        latest=days(last),
        time_zone="Europe/London",
        expected_audience=40,
        offer="Train fare and a bed",
    )


def make_event(person: Person, circle: Circle | None = None, *, in_days: int = 5, **values: Any) -> Event:
    """An event put on by `circle` (or by `person` alone), `in_days` from now at 19:00."""
    from freshground.events import services as event_services

    starts_at = datetime.combine(
        days(in_days), datetime.min.time().replace(hour=19), tzinfo=timezone.get_current_timezone()
    )
    fields: dict[str, Any] = {
        "title": "Housing assembly",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "time_zone": "Europe/London",
        "venue_name": "Miners' Hall",
        "address": "3 Pit Lane, York",
        "place_name": "York",
        **values,
    }
    return event_services.create_event(person=person, host_circle=circle, **fields)
