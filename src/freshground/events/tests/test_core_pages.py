# mypy: disable-error-code="arg-type,attr-defined"
"""Event pages through the HTTP client: what each role sees and may do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from freshground.events import services, services_hosts
from freshground.events.models import Event, EventStatus, Registration, RegistrationStatus
from freshground.events.tests.core_helpers import make_event
from freshground.testing import factories

pytestmark = pytest.mark.django_db
SECRET = "7 Hidden Yard, Leeds LS2"


def text(response) -> str:
    return str(response.content.decode())


@pytest.fixture
def event(cast):
    return make_event(
        cast.organiser,
        host_circle=cast.circle,
        description="Bring *Capital*.",
        address=SECRET,
        address_for_registered_only=True,
        attendance_mode="hybrid",
        online_url="https://meet.example.org/secret-room",
        step_free=True,
        topics=["Political economy"],
        rrule="FREQ=WEEKLY;COUNT=6",
    )


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "editor", "organiser", "admin"])
def test_event_page_renders_for_every_role(client, cast, event, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    body = text(client.get(event.get_absolute_url()))
    assert event.title in body
    assert "<em>Capital</em>" in body
    assert "Every week, 6 times" in body
    assert "Step-free access" in body
    assert cast.circle.name in body
    manages = role in ("organiser", "admin")
    assert (SECRET in body) == manages
    assert ("meet.example.org/secret-room" in body) == manages
    assert (reverse("events:event_edit", args=[event.slug]) in body) == manages


def test_registered_person_sees_the_private_address(client, cast, event):
    Registration.objects.create(event=event, person=cast.outsider, status=RegistrationStatus.CONFIRMED)
    client.force_login(cast.outsider)
    assert SECRET in text(client.get(event.get_absolute_url()))


def test_event_page_query_count_is_fixed(client, cast, event, django_assert_max_num_queries):
    for n in range(5):
        other = factories.CircleFactory(name=f"Promoter {n}")
        organiser = factories.PersonFactory()
        factories.add_member(other, organiser, "organiser")
        services_hosts.promote(person=organiser, event=event, circle=other)
    client.force_login(cast.organiser)
    client.get(event.get_absolute_url())
    # 22 + 1: the speakers app's panel ({% event_speakers event %}) reads the event's roster speakers in one query
    # (a second one for their topics when there are any: see speakers/tests/test_appearances.py).
    with django_assert_max_num_queries(23):
        body = text(client.get(event.get_absolute_url()))
    assert "Promoter 4" in body


def test_create_through_the_form(client, cast):
    client.force_login(cast.organiser)
    assert client.get(reverse("events:event_create")).status_code == 200
    data = {
        "host": f"circle:{cast.circle.slug}",
        "title": "Ward meeting",
        "kind": "public_meeting",
        "starts_at": "2031-03-04T18:30",
        "ends_at": "2031-03-04T20:00",
        "time_zone": "Europe/London",
        "repeat": "weekly",
        "repeat_count": "4",
        "exdates": "2031-03-11",
        "attendance_mode": "in_person",
        "venue_name": "The Infirmary canteen",
        "language": "en",
        "registration_mode": "open",
        "topics": "health, unions",
        "step_free": "on",
        "slots-TOTAL_FORMS": "2",
        "slots-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("events:event_create"), data)
    event = Event.objects.get(title="Ward meeting")
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert event.hosts.get().circle == cast.circle
    assert event.rrule == "FREQ=WEEKLY;COUNT=4"
    assert event.occurrences.count() == 3
    assert event.step_free


def test_bad_form_rerenders_with_the_error_and_saves_nothing(client, cast):
    client.force_login(cast.outsider)
    data = {
        "title": "Backwards",
        "kind": "talk",
        "starts_at": "2031-03-04T18:30",
        "ends_at": "2031-03-04T17:00",
        "time_zone": "Europe/London",
        "attendance_mode": "in_person",
        "venue_name": "Hall",
        "language": "en",
        "registration_mode": "open",
        "slots-TOTAL_FORMS": "0",
        "slots-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("events:event_create"), data)
    assert response.status_code == 400
    assert "The end is before the start." in text(response)
    assert not Event.objects.exists()


@pytest.mark.parametrize("role", ["member", "editor", "outsider"])
def test_host_tools_refused_to_others(client, cast, event, role):
    client.force_login(getattr(cast, role))
    for name in ("event_edit", "event_cancel", "event_close", "event_cohosts"):
        assert client.get(reverse(f"events:{name}", args=[event.slug])).status_code == 403
    assert client.post(reverse("events:event_cancel", args=[event.slug])).status_code == 403
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED


def test_cancel_with_confirmation(client, cast, event):
    client.force_login(cast.organiser)
    assert "Cancel the event?" in text(client.get(reverse("events:event_cancel", args=[event.slug])))
    response = client.post(reverse("events:event_cancel", args=[event.slug]), follow=True)
    assert "The event is cancelled" in text(response)
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED


def test_close_with_minutes_shows_the_report(client, cast):
    past = timezone.now() - timedelta(days=1)
    event = make_event(cast.organiser, host_circle=cast.circle)
    Event.objects.filter(pk=event.pk).update(starts_at=past, ends_at=past + timedelta(hours=1))
    client.force_login(cast.organiser)
    url = reverse("events:event_close", args=[event.slug])
    response = client.post(url, {"minutes": "We agreed to **leaflet**.", "attendance_count": "12", "outcomes": ""})
    assert response.status_code == 302
    body = text(client.get(event.get_absolute_url()))
    assert "<strong>leaflet</strong>" in body
    assert "12 people came." in body


def test_cohost_invite_and_accept_through_pages(client, cast, event):
    client.force_login(cast.organiser)
    url = reverse("events:event_cohosts", args=[event.slug])
    client.post(url, {"kind": "center", "slug": cast.center.slug})
    host = event.hosts.get(center=cast.center)
    assert host.is_pending
    client.force_login(cast.editor)
    body = text(client.get(event.get_absolute_url()))
    assert "is invited to co-host" in body
    client.post(reverse("events:cohost_answer", args=[event.slug, host.pk]), {"answer": "accept"})
    host.refresh_from_db()
    assert not host.is_pending
    assert reverse("events:event_edit", args=[event.slug]) in text(client.get(event.get_absolute_url()))


def test_promote_and_list_on_group_pages(client, cast, event, django_assert_max_num_queries):
    other = factories.CircleFactory(name="Chapeltown Tenants")
    organiser = factories.PersonFactory()
    factories.add_member(other, organiser, "organiser")
    client.force_login(organiser)
    assert "Promote this event" in text(client.get(event.get_absolute_url()))
    client.post(reverse("events:event_promote", args=[event.slug]), {"group": f"circle:{other.slug}"})
    assert other.name in text(client.get(event.get_absolute_url()))
    client.logout()
    body = text(client.get(other.get_absolute_url()))
    assert event.title in body
    assert "Promoted" in body
    assert event.title in text(client.get(cast.circle.get_absolute_url()))
    assert SECRET not in body


def test_group_list_costs_one_query(cast, event, django_assert_num_queries):
    from freshground.events import queries

    for n in range(4):
        make_event(cast.organiser, host_circle=cast.circle, title=f"Meeting {n}")
    with django_assert_num_queries(1):
        found = queries.group_events(circle=cast.circle)
    assert len(found) == 5


def test_unknown_event_is_404(client):
    assert client.get(reverse("events:event", args=["no-such-event"])).status_code == 404


def test_event_page_shows_the_local_time_where_it_happens(client, cast):
    """19:00 in Chicago is shown as 19:00 (America/Chicago), and in the viewer's zone beside it."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    chicago = ZoneInfo("America/Chicago")
    start = datetime(2030, 3, 1, 19, 0, tzinfo=chicago)
    event = services.create_event(
        person=cast.organiser,
        host_circle=cast.circle,
        title="Evening meeting",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="America/Chicago",
        venue_name="Union hall",
        address="1 Main St",
    )
    page = text(client.get(event.get_absolute_url()))
    assert "19:00–21:00 (America/Chicago)" in page
    client.cookies["fg_tz"] = "Europe/London"
    assert "01:00 your time (Europe/London)" in text(client.get(event.get_absolute_url()))
