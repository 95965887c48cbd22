# mypy: disable-error-code="arg-type,attr-defined"
"""Event services: validation, hosting, editing, cancelling, closing, co-hosts and promotions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.events import hooks, services, services_hosts
from freshground.events.models import Event, EventHost, EventStatus, HostStatus, Promotion
from freshground.events.permissions import can_manage_event, forget_managed_events
from freshground.events.tests.core_helpers import make_event, soon
from freshground.testing import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 161}, "title"),
        ({"ends_at": soon() - timedelta(days=1)}, "ends_at"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"attendance_mode": "online", "online_url": ""}, "online_url"),
        ({"attendance_mode": "hybrid", "online_url": "javascript:alert(1)"}, "online_url"),
        ({"venue_name": "", "address": ""}, "address"),
        ({"latitude": 53.8}, "latitude"),
        ({"latitude": 91.0, "longitude": 0.0}, "latitude"),
        ({"kind": "rave"}, "kind"),
        ({"capacity": 0}, "capacity"),
        ({"registration_mode": "limited"}, "capacity"),
        ({"language": "not a language"}, "language"),
        ({"exdates": ["2026-01-01"]}, "exdates"),
        ({"exdates": ["yesterday"], "rrule": "FREQ=WEEKLY;COUNT=3"}, "exdates"),
        ({"reminder_hours": [0]}, "reminder_hours"),
        ({"description": "x" * 20001}, "description"),
    ],
)
def test_bad_input_is_refused_naming_the_field(cast, values: dict[str, Any], field: str):
    with pytest.raises(DomainError) as caught:
        make_event(cast.outsider, **values)
    assert caught.value.field == field
    assert not Event.objects.exists()


def test_person_hosts_when_no_group_is_given(cast):
    event = make_event(cast.outsider, topics=["Housing", "housing", "Rent"])
    host = event.hosts.get()
    assert host.person == cast.outsider
    assert host.status == HostStatus.ACCEPTED
    assert sorted(t.name for t in event.topics.all()) == ["Housing", "Rent"]
    assert event.reminder_hours == [24, 1]
    assert can_manage_event(cast.outsider, event)


def test_hosting_for_a_circle_needs_its_organiser(cast):
    with pytest.raises(PermissionDenied):
        make_event(cast.member, host_circle=cast.circle)
    event = make_event(cast.organiser, host_circle=cast.circle)
    assert event.hosts.get().circle == cast.circle
    with pytest.raises(PermissionDenied):
        make_event(cast.organiser, host_center=cast.center)
    assert make_event(cast.editor, host_center=cast.center).hosts.get().center == cast.center


def test_all_day_runs_midnight_to_midnight_in_the_event_zone(cast):
    start = soon(hour=15)
    event = make_event(cast.outsider, starts_at=start, ends_at=start + timedelta(hours=1), all_day=True)
    import zoneinfo

    local_start = event.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/London"))
    assert (local_start.hour, local_start.minute) == (0, 0)
    assert event.ends_at - event.starts_at in (timedelta(hours=23), timedelta(hours=24), timedelta(hours=25))


def test_naive_times_are_read_in_the_event_zone(cast):
    from datetime import datetime

    event = make_event(
        cast.outsider,
        starts_at=datetime(2027, 7, 1, 19, 0),
        ends_at=datetime(2027, 7, 1, 21, 0),
        time_zone="America/Chicago",
    )
    assert event.starts_at.astimezone(timezone.UTC).hour == 0  # 19:00 CDT is midnight UTC


def test_update_bumps_sequence_rebuilds_dates_and_tells_listeners(cast):
    heard: list[tuple[str, frozenset[str]]] = []
    hooks.register_change_listener(lambda event, changed: heard.append((event.slug, changed)), name="test")
    try:
        event = make_event(cast.organiser, host_circle=cast.circle)
        later = event.starts_at + timedelta(days=1)
        updated = services.update_event(
            person=cast.organiser, event=event, starts_at=later, ends_at=later + timedelta(hours=1)
        )
    finally:
        hooks.unregister("test")
    assert updated.sequence == 1
    assert list(updated.occurrences.values_list("starts_at", flat=True)) == [later]
    assert heard == [(event.slug, frozenset({"starts_at", "ends_at"}))]


def test_update_without_change_keeps_sequence(cast):
    event = make_event(cast.outsider)
    assert services.update_event(person=cast.outsider, event=event, title=event.title).sequence == 0


def test_capacity_below_registrations_is_refused(cast):
    event = make_event(cast.outsider, capacity=10, registration_mode="limited")
    Event.objects.filter(pk=event.pk).update(registered_count=5)
    event.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        services.update_event(person=cast.outsider, event=event, capacity=4)
    assert caught.value.field == "capacity"
    event.refresh_from_db()
    assert event.capacity == 10
    assert event.sequence == 0


@pytest.mark.parametrize("role", ["member", "editor", "outsider"])
def test_others_cannot_edit_cancel_or_close(cast, role):
    event = make_event(cast.organiser, host_circle=cast.circle)
    person = getattr(cast, role)
    with pytest.raises(PermissionDenied):
        services.update_event(person=person, event=event, title="Hijacked")
    with pytest.raises(PermissionDenied):
        services.cancel_event(person=person, event=event)
    with pytest.raises(PermissionDenied):
        services.close_event(person=person, event=event, minutes="x")


def test_cancel_sets_status_sequence_and_tells_listeners(cast):
    heard: list[str] = []
    hooks.register_cancel_listener(lambda event: heard.append(event.slug), name="test")
    try:
        event = make_event(cast.outsider)
        cancelled = services.cancel_event(person=cast.outsider, event=event)
    finally:
        hooks.unregister("test")
    assert cancelled.status == EventStatus.CANCELLED
    assert cancelled.sequence == 1
    assert heard == [event.slug]
    with pytest.raises(Conflict):
        services.cancel_event(person=cast.outsider, event=event)


def test_close_only_after_it_started(cast):
    event = make_event(cast.outsider)
    with pytest.raises(DomainError, match="once it has started"):
        services.close_event(person=cast.outsider, event=event, minutes="Too early")
    past = timezone.now() - timedelta(days=2)
    Event.objects.filter(pk=event.pk).update(starts_at=past, ends_at=past + timedelta(hours=2))
    closed = services.close_event(
        person=cast.outsider, event=event, minutes="We met.", attendance_count=14, outcomes="A petition."
    )
    assert closed.status == EventStatus.CLOSED
    assert closed.attendance_count == 14
    with pytest.raises(DomainError) as caught:
        services.close_event(person=cast.outsider, event=event, attendance_count=-1)
    assert caught.value.field == "attendance_count"


def test_cohost_needs_the_invited_circles_consent(cast):
    other = factories.CircleFactory(name="Chapeltown Tenants")
    other_organiser = factories.PersonFactory()
    factories.add_member(other, other_organiser, "organiser")
    event = make_event(cast.organiser, host_circle=cast.circle)
    host = services_hosts.invite_cohost(person=cast.organiser, event=event, circle=other)
    assert host.status == HostStatus.PENDING
    assert not can_manage_event(other_organiser, event)
    with pytest.raises(PermissionDenied):
        services_hosts.answer_cohost_invite(person=cast.organiser, host=host, accept=True)
    with pytest.raises(Conflict):
        services_hosts.invite_cohost(person=cast.organiser, event=event, circle=other)
    services_hosts.answer_cohost_invite(person=other_organiser, host=host, accept=True)
    forget_managed_events(other_organiser)
    event = Event.objects.get(pk=event.pk)
    assert can_manage_event(other_organiser, event)


def test_declined_cohost_invite_goes(cast):
    event = make_event(cast.organiser, host_circle=cast.circle)
    host = services_hosts.invite_cohost(person=cast.organiser, event=event, center=cast.center)
    services_hosts.answer_cohost_invite(person=cast.editor, host=host, accept=False)
    assert not EventHost.objects.filter(center=cast.center).exists()


def test_unrelated_circle_promotes_without_the_hosts_permission(cast):
    other = factories.CircleFactory(name="Hyde Park Students")
    other_organiser = factories.PersonFactory()
    factories.add_member(other, other_organiser, "organiser")
    event = make_event(cast.organiser, host_circle=cast.circle)
    promotion = services_hosts.promote(person=other_organiser, event=event, circle=other)
    assert promotion.promoted_by == other_organiser
    assert not can_manage_event(other_organiser, event)
    with pytest.raises(Conflict):
        services_hosts.promote(person=other_organiser, event=event, circle=other)
    with pytest.raises(PermissionDenied):
        services_hosts.promote(person=cast.member, event=event, circle=cast.circle)
    services_hosts.promote(person=cast.editor, event=event, center=cast.center)
    services_hosts.unpromote(person=other_organiser, event=event, circle=other)
    assert list(Promotion.objects.values_list("center", flat=True)) == [cast.center.pk]
