"""Registration services: places, the waiting list, guests, double and closed registration, timeslots, mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.events import mail_registrations, services_attendance
from freshground.events import services_registrations as services
from freshground.events.models import Event, EventStatus, Registration, RegistrationMode, RegistrationStatus
from freshground.testing import factories
from freshground.testing.events_factories import new_event, new_timeslot

pytestmark = pytest.mark.django_db


def person(**fields):
    return factories.PersonFactory(**fields)


@pytest.fixture
def mails(monkeypatch):
    """Queue the mail tasks at once instead of at the commit (which a test's transaction never reaches)."""
    monkeypatch.setattr(mail_registrations.transaction, "on_commit", lambda fn, using=None, robust=False: fn())
    return mail.outbox


def test_mail_waits_for_the_commit(django_capture_on_commit_callbacks):
    event = new_event()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.register(person=person(), event=event)
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


def limited(capacity: int, **fields) -> Event:
    return new_event(registration_mode=RegistrationMode.LIMITED, capacity=capacity, **fields)


def test_open_rsvp_has_no_limit():
    event = new_event(capacity=1)  # a capacity on an open-RSVP event is ignored
    for _ in range(3):
        assert services.register(person=person(), event=event).status == RegistrationStatus.CONFIRMED
    event.refresh_from_db()
    assert (event.registered_count, event.waitlist_count) == (3, 0)


def test_capacity_fills_then_waitlists_and_counters_follow():
    event = limited(2)
    first, second, third = (services.register(person=person(), event=event) for _ in range(3))
    assert [r.status for r in (first, second, third)] == ["confirmed", "confirmed", "waitlisted"]
    assert third.waitlisted_at is not None
    event.refresh_from_db()
    assert (event.registered_count, event.waitlist_count) == (2, 1)
    assert services.places_taken(event) == 2
    assert services.places_left(event) == 0


def test_cancel_promotes_the_waiting_list_in_order_and_mails_them(mails):
    event = limited(1)
    holder = person()
    services.register(person=holder, event=event)
    early, late = person(), person()
    first_waiting = services.register(person=early, event=event)
    second_waiting = services.register(person=late, event=event)
    # The later registration gets an earlier time: the order is waitlisted_at, whatever the ids.
    Registration.objects.filter(pk=second_waiting.pk).update(waitlisted_at=first_waiting.waitlisted_at - timedelta(1))
    mail.outbox.clear()
    services.cancel_registration(person=holder, registration=Registration.objects.get(event=event, person=holder))
    second_waiting.refresh_from_db()
    first_waiting.refresh_from_db()
    assert second_waiting.status == RegistrationStatus.CONFIRMED
    assert first_waiting.status == RegistrationStatus.WAITLISTED
    assert [m.to for m in mails] == [[late.email]]
    assert "place came free" in mails[0].subject
    assert second_waiting.code in mails[0].body
    event.refresh_from_db()
    assert (event.registered_count, event.waitlist_count) == (1, 1)


def test_double_registration_is_refused_and_nothing_changes():
    event = limited(5)
    someone = person()
    services.register(person=someone, event=event)
    with pytest.raises(Conflict, match="already registered"):
        services.register(person=someone, event=event)
    assert Registration.objects.filter(event=event).count() == 1
    event.refresh_from_db()
    assert event.registered_count == 1


def test_registering_again_after_cancelling_is_allowed():
    event = new_event()
    someone = person()
    first = services.register(person=someone, event=event)
    services.cancel_registration(person=someone, registration=first)
    again = services.register(person=someone, event=event)
    assert again.status == RegistrationStatus.CONFIRMED
    with pytest.raises(Conflict):
        services.cancel_registration(person=someone, registration=first)


@pytest.mark.parametrize(
    "fields",
    [
        {"registration_closes_at": timezone.now() - timedelta(hours=1)},
        {"status": EventStatus.CANCELLED},
        {"status": EventStatus.CLOSED},
        {"registration_mode": RegistrationMode.NONE},
    ],
)
def test_registration_after_close_is_refused(fields):
    event = new_event(**fields)
    with pytest.raises(DomainError):
        services.register(person=person(), event=event)
    with pytest.raises(DomainError):
        services.register_guest(event=event, email="guest@example.org", name="Gil")
    assert not Registration.objects.filter(event=event).exists()


def test_past_event_refuses_registration():
    event = new_event(starts_in=timedelta(days=-2))
    with pytest.raises(DomainError, match="closed"):
        services.register(person=person(), event=event)


def test_anonymous_cannot_register_without_an_address():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.register(person=AnonymousUser(), event=new_event())


def test_guest_registration_holds_no_place_until_confirmed(mails):
    event = limited(1)
    guest = services.register_guest(event=event, email="Gil@Example.ORG", name="Gil")
    assert guest.status == RegistrationStatus.UNCONFIRMED
    assert guest.guest_email == "Gil@example.org"
    assert [m.to for m in mails] == [["Gil@example.org"]]
    assert guest.confirmation_token in mails[0].body
    assert guest.code not in mails[0].body  # no code until the place is real
    # Someone else takes the only place before the guest confirms.
    services.register(person=person(), event=event)
    confirmed = services.confirm_guest(token=guest.confirmation_token)
    assert confirmed.status == RegistrationStatus.WAITLISTED
    assert "waiting list" in mails[-1].subject
    # Confirming twice changes nothing.
    assert services.confirm_guest(token=guest.confirmation_token).status == RegistrationStatus.WAITLISTED
    event.refresh_from_db()
    assert (event.registered_count, event.waitlist_count) == (1, 1)


def test_guest_confirmation_gives_a_place_and_mails_the_code(mails):
    event = limited(3, address="1 Mill Lane", address_for_registered_only=True, online_url="https://meet.example/x")
    guest = services.register_guest(event=event, email="gil@example.org", name="Gil")
    confirmed = services.confirm_guest(token=guest.confirmation_token)
    assert confirmed.status == RegistrationStatus.CONFIRMED
    last = mails[-1]
    assert confirmed.code in last.body
    assert "1 Mill Lane" in last.body
    assert "https://meet.example/x" in last.body
    html = last.alternatives[0].content
    assert confirmed.code in html


def test_guest_registering_again_gets_the_link_again_and_learns_nothing_new(mails):
    event = new_event()
    first = services.register_guest(event=event, email="gil@example.org", name="Gil")
    again = services.register_guest(event=event, email="gil@example.org", name="Someone else")
    assert again.pk == first.pk
    assert len(mails) == 2
    assert mails[1].to == ["gil@example.org"]
    assert Registration.objects.filter(event=event).count() == 1


def test_guest_cancels_with_the_link_and_the_next_moves_up(mails):
    event = limited(1)
    guest = services.register_guest(event=event, email="gil@example.org", name="Gil")
    services.confirm_guest(token=guest.confirmation_token)
    waiting = services.register(person=person(), event=event)
    services.cancel_guest_registration(token=guest.confirmation_token)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    with pytest.raises(NotFound):
        services.cancel_guest_registration(token="not-a-token")


def test_bad_guest_input_is_refused():
    event = new_event()
    with pytest.raises(DomainError) as error:
        services.register_guest(event=event, email="not an address", name="Gil")
    assert error.value.field == "email"
    with pytest.raises(DomainError) as error:
        services.register_guest(event=event, email="gil@example.org", name="")
    assert error.value.field == "name"
    with pytest.raises(DomainError):
        services.register_guest(event=event, email="gil@example.org", name="x" * 81)
    assert not Registration.objects.exists()


def test_capacity_per_timeslot():
    event = new_event(registration_mode=RegistrationMode.LIMITED, capacity=None)
    morning = new_timeslot(event, capacity=1, label="Morning")
    evening = new_timeslot(event, capacity=2, label="Evening", offset_hours=6)
    someone, other = person(), person()
    assert services.register(person=someone, event=event, timeslot=morning).status == "confirmed"
    assert services.register(person=other, event=event, timeslot=morning).status == "waitlisted"
    assert services.register(person=other, event=event, timeslot=evening).status == "confirmed"
    assert services.register(person=someone, event=event, timeslot=evening).status == "confirmed"
    with pytest.raises(Conflict):
        services.register(person=someone, event=event, timeslot=evening)
    with pytest.raises(DomainError, match="session"):
        services.register(person=person(), event=event)  # an event with sessions needs one chosen
    morning.refresh_from_db()
    evening.refresh_from_db()
    event.refresh_from_db()
    assert (morning.registered_count, evening.registered_count) == (1, 2)
    assert (event.registered_count, event.waitlist_count) == (3, 1)
    assert services.places_taken(event, morning) == 1
    assert services.places_left(event, evening) == 0
    # Cancelling in the evening frees a place there only; the morning's waiting list stays put.
    services.cancel_registration(person=other, registration=Registration.objects.get(timeslot=evening, person=other))
    assert Registration.objects.get(timeslot=morning, person=other).status == "waitlisted"


def test_timeslot_without_capacity_uses_the_events():
    event = limited(1)
    slot = new_timeslot(event)
    services.register(person=person(), event=event, timeslot=slot)
    assert services.register(person=person(), event=event, timeslot=slot).status == "waitlisted"


def test_timeslot_of_another_event_is_refused():
    event = new_event()
    other_slot = new_timeslot(new_event())
    with pytest.raises(DomainError):
        services.register(person=person(), event=event, timeslot=other_slot)


def test_answers_are_checked():
    event = new_event(
        questions=[
            {"key": "diet", "label": "Dietary needs", "max_length": 10},
            {"key": "why", "label": "Why do you come?", "required": True},
            {"key": "size", "label": "T-shirt", "choices": ["S", "M"]},
        ]
    )
    with pytest.raises(DomainError) as error:
        services.register(person=person(), event=event, answers={"diet": "none"})
    assert error.value.field == "answer_why"
    with pytest.raises(DomainError, match="At most 10"):
        services.register(person=person(), event=event, answers={"why": "x", "diet": "x" * 11})
    with pytest.raises(DomainError):
        services.register(person=person(), event=event, answers={"why": "x", "size": "XXL"})
    registration = services.register(
        person=person(), event=event, answers={"why": " Learning ", "size": "M", "unasked": "dropped"}
    )
    assert registration.answers == {"why": "Learning", "size": "M"}


def test_raising_capacity_fills_from_the_waiting_list():
    event = limited(1)
    services.register(person=person(), event=event)
    waiting = [services.register(person=person(), event=event) for _ in range(2)]
    Event.objects.filter(pk=event.pk).update(capacity=2)
    event.refresh_from_db()
    promoted = services.fill_from_waitlist(event=event)
    assert [r.pk for r in promoted] == [waiting[0].pk]
    assert (event.registered_count, event.waitlist_count) == (2, 1)


def test_only_the_attendee_or_the_hosts_cancel(cast):
    event = new_event(circle=cast.circle)
    registration = services.register(person=cast.member, event=event)
    with pytest.raises(PermissionDenied):
        services.cancel_registration(person=cast.outsider, registration=registration)
    services.cancel_registration(person=cast.organiser, registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_check_in_and_attendance(cast):
    event = new_event(circle=cast.circle)
    registration = services.register(person=cast.member, event=event)
    with pytest.raises(PermissionDenied):
        services_attendance.check_in(person=cast.member, event=event, code=registration.code)
    code = registration.code.lower()
    result = services_attendance.check_in(person=cast.organiser, event=event, code=f" {code[:5]}-{code[5:]} ")
    assert result.registration.pk == registration.pk
    assert not result.already
    assert services_attendance.check_in(person=cast.organiser, event=event, code=registration.code).already
    with pytest.raises(NotFound):
        services_attendance.check_in(person=cast.organiser, event=event, code="ABCDEFGH22")
    with pytest.raises(DomainError):
        services_attendance.check_in(person=cast.organiser, event=event, code="<script>")
    services_attendance.mark_attendance(person=cast.organiser, registration=registration, attended=False)
    registration.refresh_from_db()
    assert not registration.attended
    with pytest.raises(PermissionDenied):
        services_attendance.mark_attendance(person=cast.outsider, registration=registration)


def test_check_in_refuses_a_code_of_another_event(cast):
    event = new_event(circle=cast.circle)
    elsewhere = services.register(person=cast.member, event=new_event())
    with pytest.raises(NotFound):
        services_attendance.check_in(person=cast.organiser, event=event, code=elsewhere.code)


def test_feedback_only_after_closing(cast):
    event = new_event(circle=cast.circle)
    registration = services.register(person=cast.member, event=event)
    with pytest.raises(DomainError, match="close"):
        services_attendance.leave_feedback(person=cast.member, registration=registration, rating=5)
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CLOSED)
    registration = Registration.objects.select_related("event").get(pk=registration.pk)
    with pytest.raises(PermissionDenied):
        services_attendance.leave_feedback(person=cast.outsider, registration=registration, rating=5)
    with pytest.raises(DomainError):
        services_attendance.leave_feedback(person=cast.member, registration=registration, rating=6)
    feedback = services_attendance.leave_feedback(
        person=cast.member, registration=registration, rating=4, comment=" Good "
    )
    assert (feedback.rating, feedback.comment) == (4, "Good")
    with pytest.raises(Conflict):
        services_attendance.leave_feedback(person=cast.member, registration=registration, rating=3)


def test_account_deletion_frees_places_for_the_waiting_list():
    from freshground.people import services as people_services

    event = limited(1)
    leaving = person()
    services.register(person=leaving, event=event)
    waiting = services.register(person=person(), event=event)
    people_services.delete_account(person=leaving)
    waiting.refresh_from_db()
    event.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert (event.registered_count, event.waitlist_count) == (1, 0)


def test_export_lists_the_persons_registrations():
    from freshground.people import services as people_services

    someone = person()
    event = new_event(title="Reading group")
    services.register(person=someone, event=event)
    data = people_services.export_person_data(person=someone)
    rows = data["events_registrations"]["registrations"]
    assert rows[0]["event"] == "Reading group"
    assert rows[0]["status"] == "confirmed"


def test_a_past_events_registrations_cannot_be_cancelled(cast):
    """Once an event is closed its attendance record stays; only account deletion removes a registration."""
    event = new_event(circle=cast.circle)
    registration = services.register(person=cast.member, event=event)
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CLOSED)
    registration.refresh_from_db()
    with pytest.raises(Conflict):
        services.cancel_registration(person=cast.member, registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
