# mypy: disable-error-code="arg-type,attr-defined"
"""A person's profile lists the events they host in their own name (for everyone) and, for the person themself
only, the events they are registered for (the events' person_event_lists tag)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.events import services
from freshground.events.models import Registration, RegistrationStatus
from freshground.events.tests.core_helpers import make_event, soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(cast):
    hosted = make_event(cast.member, title="Member's own reading group", starts_at=soon(3))
    going = make_event(cast.organiser, host_circle=cast.circle, title="Ward meeting", starts_at=soon(2))
    waiting = make_event(cast.organiser, host_circle=cast.circle, title="Sold-out talk", starts_at=soon(4))
    past = make_event(cast.organiser, host_circle=cast.circle, title="Last year's fair", starts_at=soon(-30))
    cancelled = make_event(cast.organiser, host_circle=cast.circle, title="Called off", starts_at=soon(5))
    dropped = make_event(cast.organiser, host_circle=cast.circle, title="Changed my mind", starts_at=soon(6))
    statuses = [
        (going, RegistrationStatus.CONFIRMED),
        (waiting, RegistrationStatus.WAITLISTED),
        (past, RegistrationStatus.CONFIRMED),
        (cancelled, RegistrationStatus.CONFIRMED),
        (dropped, RegistrationStatus.CANCELLED),
    ]
    for event, status in statuses:
        Registration.objects.create(event=event, person=cast.member, status=status)
    services.cancel_event(person=cast.organiser, event=cancelled)
    return hosted


def test_own_profile_lists_hosted_and_registered_events(client, cast, events):
    client.force_login(cast.member)
    page = client.get(reverse("people:profile", args=[cast.member.pk])).content.decode()
    assert "Events you host" in page
    assert "Member&#x27;s own reading group" in page
    assert "Events you are registered for" in page
    registered = page.split("Events you are registered for", 1)[1]
    assert registered.index("Ward meeting") < registered.index("Sold-out talk")  # soonest first
    assert "On the waiting list" in registered
    for absent in ("Last year", "Called off", "Changed my mind"):
        assert absent not in page
    assert reverse("events:my_registrations") in registered


@pytest.mark.parametrize("role", ["anonymous", "outsider", "organiser"])
def test_others_see_hosted_events_only(client, cast, events, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    page = client.get(reverse("people:profile", args=[cast.member.pk])).content.decode()
    assert "Events hosted" in page
    assert "Member&#x27;s own reading group" in page
    assert "registered for" not in page
    assert "Ward meeting" not in page
    assert "Sold-out talk" not in page


def test_profile_without_events_says_so(client, cast):
    page = client.get(reverse("people:profile", args=[cast.outsider.pk])).content.decode()
    assert "No upcoming events hosted in their own name." in page
    client.force_login(cast.outsider)
    page = client.get(reverse("people:profile", args=[cast.outsider.pk])).content.decode()
    assert "You host no upcoming events in your own name." in page
    assert "You are not registered for any upcoming event." in page


def test_own_profile_costs_two_more_queries_whatever_the_events(client, cast, django_assert_num_queries):
    # The profile's own 6 queries when the person looks at it themself (others' views cost 8 + 1, see
    # people/tests/test_views.py), +1 for the events they host, +1 for the events they are registered for.
    client.force_login(cast.member)
    url = reverse("people:profile", args=[cast.member.pk])
    client.get(url)
    with django_assert_num_queries(8):
        client.get(url)
    for n in range(12):
        make_event(cast.member, title=f"Mine {n}", starts_at=soon(n + 1), rrule="FREQ=WEEKLY;COUNT=3")
        other = make_event(cast.organiser, host_circle=cast.circle, title=f"Theirs {n}", starts_at=soon(n + 1))
        Registration.objects.create(event=other, person=cast.member, status=RegistrationStatus.CONFIRMED)
    with django_assert_num_queries(8):
        page = client.get(url).content.decode()
    assert "Mine 7" in page  # eight of each are listed
    assert "Mine 8" not in page
    assert "Theirs 7" in page
