"""An invited co-host that has not accepted is not shown, filtered or fed as hosting the event."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from freshground.events import services, services_hosts
from freshground.network.models import Role
from freshground.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(cast):
    other = factories.CircleFactory(name="Dockside Tenants")
    factories.add_member(other, factories.PersonFactory(), Role.ORGANISER)
    start = timezone.now() + timedelta(days=3)
    event = services.create_event(
        person=cast.organiser,
        host_circle=cast.circle,
        title="Joint meeting",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="UTC",
        venue_name="Hall",
        address="1 Quay St",
    )
    services_hosts.invite_cohost(person=cast.organiser, event=event, circle=other)
    return event, other


def test_calendar_filter_by_an_invited_circle_does_not_list_the_event(client, invited):
    event, other = invited
    page = client.get(reverse("events:list"), {"circle": other.slug}).content.decode()
    assert event.title not in page


def test_feeds_do_not_name_an_invited_circle_as_host(client, cast, invited):
    event, other = invited
    body = client.get(reverse("events:calendar_ics")).content
    calendar = icalendar.Calendar.from_ical(body)
    descriptions = " ".join(str(c.get("DESCRIPTION", "")) for c in calendar.walk("VEVENT"))
    assert cast.circle.name in descriptions
    assert other.name not in descriptions
    other_feed = client.get(reverse("events:circle_ics", args=[other.slug])).content.decode()
    assert event.uid not in other_feed


def test_calendar_list_names_only_accepted_hosts(client, cast, invited):
    event, other = invited
    page = client.get(reverse("events:list")).content.decode()
    assert event.title in page
    assert other.name not in page
