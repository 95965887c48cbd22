"""Mails registrants get: reminders (once each), event changes and cancellations through events-core's hooks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from freshground.core import scheduler
from freshground.events import mail_registrations, services_reminders
from freshground.events import services as event_services
from freshground.events import services_registrations as services
from freshground.events.models import Event, Registration, RegistrationMode, RegistrationStatus, ReminderSent
from freshground.testing import factories
from freshground.testing.events_factories import new_event, new_timeslot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail_at_once(monkeypatch):
    monkeypatch.setattr(mail_registrations.transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def person():
    return factories.PersonFactory()


def test_reminders_go_once_at_each_time():
    now = timezone.now()
    event = new_event(starts_in=timedelta(hours=30))
    someone = person()
    registration = services.register(person=someone, event=event)
    waiting_guest = services.register_guest(event=event, email="unconfirmed@example.org", name="Una")
    mail.outbox.clear()
    assert services_reminders.send_due_reminders(now) == 0  # 30 hours ahead: nothing yet
    assert services_reminders.send_due_reminders(now + timedelta(hours=7)) == 1  # 23 hours before: the day-before one
    assert services_reminders.send_due_reminders(now + timedelta(hours=8)) == 0  # never twice
    assert services_reminders.send_due_reminders(now + timedelta(hours=29, minutes=15)) == 1  # 45 minutes before
    assert services_reminders.send_due_reminders(now + timedelta(hours=31)) == 0  # it has started
    assert [m.to for m in mail.outbox] == [[someone.email], [someone.email]]
    assert "Reminder" in mail.outbox[0].subject
    assert registration.code in mail.outbox[0].body
    assert sorted(ReminderSent.objects.values_list("hours_before", flat=True)) == [1, 24]
    assert "unconfirmed@example.org" not in [m.to[0] for m in mail.outbox]
    assert waiting_guest.status == RegistrationStatus.UNCONFIRMED


def test_reminders_follow_the_events_own_hours_and_timeslots():
    now = timezone.now()
    event = new_event(starts_in=timedelta(hours=2), reminder_hours=[3])
    slot = new_timeslot(event, offset_hours=10)  # starts 12 hours from now
    services.register(person=person(), event=event, timeslot=slot)
    assert (
        services_reminders.send_due_reminders(now) == 0
    )  # the session is 12 hours away, the event's reminder is 3 hours
    assert services_reminders.send_due_reminders(now + timedelta(hours=9, minutes=30)) == 1


def test_reminder_job_is_registered_every_fifteen_minutes():
    scheduler.autodiscover()
    jobs = {job.name: job for job in scheduler.jobs()}
    assert jobs["events.send_reminders"].every == timedelta(minutes=15)
    assert "events.extend_occurrences" in jobs


def test_reminder_task_runs():
    from freshground.events.tasks import send_reminders

    event = new_event(starts_in=timedelta(minutes=30))
    services.register(person=person(), event=event)
    result = send_reminders.enqueue()
    assert result.return_value == 1


def test_event_changes_are_mailed_to_registrants(cast):
    event = new_event(circle=cast.circle)
    services.register(person=cast.member, event=event)
    services.register_guest(event=event, email="unconfirmed@example.org", name="Una")
    mail.outbox.clear()
    event_services.update_event(person=cast.organiser, event=event, venue_name="The Old Library")
    assert [m.to for m in mail.outbox] == [[cast.member.email]]
    assert "Changed" in mail.outbox[0].subject
    assert "the venue" in mail.outbox[0].body
    assert "The Old Library" in mail.outbox[0].body
    mail.outbox.clear()
    event_services.update_event(person=cast.organiser, event=Event.objects.get(pk=event.pk), description="More.")
    assert mail.outbox == []  # a quiet change


def test_raising_capacity_through_events_core_promotes_the_waiting_list(cast):
    event = new_event(
        circle=cast.circle, registration_mode=RegistrationMode.LIMITED, capacity=1, venue_name="Union Hall"
    )
    services.register(person=person(), event=event)
    waiting = services.register(person=cast.member, event=event)
    mail.outbox.clear()
    event_services.update_event(person=cast.organiser, event=event, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [m.to for m in mail.outbox] == [[cast.member.email]]
    assert "place came free" in mail.outbox[0].subject


def test_cancelling_the_event_is_mailed(cast):
    event = new_event(circle=cast.circle, registration_mode=RegistrationMode.LIMITED, capacity=1)
    services.register(person=cast.member, event=event)
    services.register(person=cast.outsider, event=event)  # waiting: told too
    mail.outbox.clear()
    event_services.cancel_event(person=cast.organiser, event=event)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.member.email, cast.outsider.email])
    assert all("Cancelled" in m.subject for m in mail.outbox)


def test_mail_for_a_registration_that_is_gone_is_dropped():
    registration = services.register(person=person(), event=new_event())
    mail.outbox.clear()
    Registration.objects.filter(pk=registration.pk).delete()
    assert mail_registrations.send("confirmed", registration.pk) is False
    assert mail.outbox == []


def test_no_mail_address_in_the_logs(caplog):
    with caplog.at_level("DEBUG"):
        services.register_guest(event=new_event(), email="secret.person@example.org", name="Sec")
    assert "secret.person@example.org" not in caplog.text
