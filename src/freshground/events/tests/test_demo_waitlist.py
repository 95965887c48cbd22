"""The demo's sold-out talk (places filled, two waiting, made through the services) and the reserved "feeds" slug."""

from __future__ import annotations

import pytest

from freshground.core.demo_data import load_demo
from freshground.core.demo_network import DEMO_DOMAIN
from freshground.events.models import Event, Registration, RegistrationStatus
from freshground.events.tests.core_helpers import make_event

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_sold_out_talk_with_two_waiting_and_loading_again_adds_nothing():
    load_demo()
    talk = Event.objects.get(slug="leeds-rent-strikes-talk")
    rows = list(Registration.objects.filter(event=talk).order_by("pk").values_list("person__email", "status"))
    confirmed = [email for email, status in rows if status == RegistrationStatus.CONFIRMED]
    waiting = [email for email, status in rows if status == RegistrationStatus.WAITLISTED]
    assert len(confirmed) == talk.capacity == 4
    assert waiting == [f"member@{DEMO_DOMAIN}", f"ailsa@{DEMO_DOMAIN}"]
    assert (talk.registered_count, talk.waitlist_count) == (4, 2)
    assert Registration.objects.filter(event=talk, waitlisted_at__isnull=False).count() == 2

    before = Registration.objects.count(), Event.objects.count()
    load_demo()
    assert (Registration.objects.count(), Event.objects.count()) == before


def test_the_demo_leaves_a_talk_with_registrations_alone():
    load_demo()
    talk = Event.objects.get(slug="leeds-rent-strikes-talk")
    Registration.objects.filter(event=talk).exclude(person__email=f"priya@{DEMO_DOMAIN}").delete()
    load_demo()
    assert Registration.objects.filter(event=talk).count() == 1


@pytest.mark.parametrize("title", ["Feeds", "feeds"])
def test_feeds_is_no_event_slug(cast, title):
    """/events/feeds/<token>.ics is the personal feed: an event called "feeds" would lose its event.ics there."""
    event = make_event(cast.organiser, host_circle=cast.circle, title=title)
    assert event.slug == "event-feeds"
