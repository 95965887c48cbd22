"""Small builders for the speakers tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from freshground.network.models import Circle
from freshground.people.models import Person
from freshground.speakers import services
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
    return services.send_request(
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
