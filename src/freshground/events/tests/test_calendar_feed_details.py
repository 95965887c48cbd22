# mypy: disable-error-code="list-item"
"""Feeds load each event's hosts and topics as plain lists (two queries, no querysets per event): the same text as
before, hosts in the order they were added, topics by name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from freshground.events import ical
from freshground.events.models import Event, Occurrence
from freshground.testing import factories
from freshground.testing.calendar_factories import make_event

pytestmark = pytest.mark.django_db


def test_window_events_carry_hosts_and_topics_without_prefetch_caches(client: Client, cast: Any) -> None:
    other = factories.CircleFactory(name="Zeta Tenants")
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    make_event(title="Assembly", starts_at=start, circles=[cast.circle], cohosts=[other], topics=["Rent", "Housing"])
    make_event(title="Quiet one", starts_at=start + timedelta(days=1))

    found = ical.window_events(Occurrence.objects.all())
    assert [e.title for e in found] == ["Assembly", "Quiet one"]
    assembly, quiet = found
    assert [h.name for h in assembly.feed_hosts] == [cast.circle.name, "Zeta Tenants"]  # type: ignore[attr-defined]
    assert assembly.feed_topics == ["Housing", "Rent"]  # type: ignore[attr-defined]
    assert len(quiet.feed_hosts) == 1  # type: ignore[attr-defined]  # the factory's person hosts it
    assert quiet.feed_topics == []  # type: ignore[attr-defined]
    assert not hasattr(assembly, "_prefetched_objects_cache")

    # The text is what an event loaded the usual way (its own hosts and topics) gives.
    fresh = Event.objects.get(title="Assembly")
    assert ical.vevent(assembly).to_ical() == ical.vevent(fresh).to_ical()
    assert ical.fingerprint([assembly], "x") == ical.fingerprint([fresh], "x")

    body = Calendar.from_ical(client.get(reverse("events:calendar_ics")).content)
    description = str(body.walk("VEVENT")[0]["DESCRIPTION"])
    assert f"Hosted by: {cast.circle.name}, Zeta Tenants" in description
