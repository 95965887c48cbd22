"""Feedback after a closed event: guests through their link, and the invitation mailed to attendees at the close."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.events import hooks, services_attendance
from freshground.events import permissions as perms
from freshground.events import services as event_services
from freshground.events import services_registrations as services
from freshground.events.models import Event, EventStatus, Feedback, Registration, RegistrationStatus
from freshground.testing.events_factories import new_event

pytestmark = pytest.mark.django_db


def guest(event: Event, email: str = "gil@example.org", *, confirm: bool = True) -> Registration:
    registration = services.register_guest(event=event, email=email, name="Gil")
    if confirm:
        registration = services.confirm_guest(token=registration.confirmation_token)
    return Registration.objects.select_related("event").get(pk=registration.pk)


def close(event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CLOSED)


def fresh(registration: Registration) -> Registration:
    return Registration.objects.select_related("event").get(pk=registration.pk)


# The predicate


@pytest.mark.parametrize(
    ("status", "event_status", "has_feedback", "expected"),
    [
        (RegistrationStatus.CONFIRMED, EventStatus.CLOSED, False, True),
        (RegistrationStatus.CONFIRMED, EventStatus.CLOSED, True, False),
        (RegistrationStatus.CONFIRMED, EventStatus.SCHEDULED, False, False),
        (RegistrationStatus.CONFIRMED, EventStatus.CANCELLED, False, False),
        (RegistrationStatus.UNCONFIRMED, EventStatus.CLOSED, False, False),
        (RegistrationStatus.WAITLISTED, EventStatus.CLOSED, False, False),
        (RegistrationStatus.CANCELLED, EventStatus.CLOSED, False, False),
    ],
)
def test_guest_feedback_matrix(status, event_status, has_feedback, expected):
    event = new_event()
    registration = guest(event)
    Registration.objects.filter(pk=registration.pk).update(status=status)
    Event.objects.filter(pk=event.pk).update(status=event_status)
    if has_feedback:
        Feedback.objects.create(registration=registration, rating=4)
    assert perms.can_leave_guest_feedback(fresh(registration)) is expected


def test_a_persons_registration_is_not_a_guests(cast):
    event = new_event(circle=cast.circle)
    registration = services.register(person=cast.member, event=event)
    close(event)
    registration = fresh(registration)
    assert perms.can_leave_guest_feedback(registration) is False
    assert perms.can_leave_feedback(cast.member, registration) is True


# The service


def test_guest_leaves_feedback_once_through_the_token():
    event = new_event()
    registration = guest(event)
    token = registration.confirmation_token
    with pytest.raises(DomainError, match="close"):
        services_attendance.leave_guest_feedback(token=token, rating=5)
    close(event)
    with pytest.raises(NotFound):
        services_attendance.leave_guest_feedback(token="not-a-token", rating=5)
    with pytest.raises(DomainError) as bad:
        services_attendance.leave_guest_feedback(token=token, rating=6)
    assert bad.value.field == "rating"
    feedback = services_attendance.leave_guest_feedback(token=token, rating=4, comment=" Lively ")
    assert (feedback.registration_id, feedback.rating, feedback.comment) == (registration.pk, 4, "Lively")
    with pytest.raises(Conflict):
        services_attendance.leave_guest_feedback(token=token, rating=3)
    assert Feedback.objects.count() == 1


def test_only_guests_who_had_a_place_leave_feedback():
    event = new_event()
    unconfirmed = guest(event, "una@example.org", confirm=False)
    cancelled = guest(event, "cy@example.org")
    services.cancel_guest_registration(token=cancelled.confirmation_token)
    close(event)
    for registration in (unconfirmed, cancelled):
        with pytest.raises(PermissionDenied):
            services_attendance.leave_guest_feedback(token=registration.confirmation_token, rating=5)
    assert not Feedback.objects.exists()


# The pages


def test_guest_page_links_to_the_feedback_form_after_the_close(client):
    event = new_event()
    registration = guest(event)
    page_url = reverse("events:guest_registration", args=[registration.confirmation_token])
    form_url = reverse("events:guest_registration_feedback", args=[registration.confirmation_token])
    assert form_url not in client.get(page_url).content.decode()
    assert client.get(form_url).status_code == 403
    close(event)
    assert form_url in client.get(page_url).content.decode()
    form = client.get(form_url).content.decode()
    assert "How was it?" in form
    assert page_url in form  # "Not now" leads back to the guest's page
    assert client.post(form_url, {"rating": "9"}).status_code == 400
    assert not Feedback.objects.exists()
    done = client.post(form_url, {"rating": "5", "comment": "Very good"}, follow=True).content.decode()
    assert "Thank you for your feedback" in done
    assert "Feedback sent" in done
    assert form_url not in done
    assert Feedback.objects.get().comment == "Very good"
    again = client.get(form_url, follow=True).content.decode()
    assert "already left feedback" in again


def test_guest_feedback_form_refuses_unknown_links_and_unconfirmed_guests(client):
    event = new_event()
    unconfirmed = guest(event, confirm=False)
    close(event)
    assert client.get(reverse("events:guest_registration_feedback", args=["nope"])).status_code == 404
    url = reverse("events:guest_registration_feedback", args=[unconfirmed.confirmation_token])
    assert client.get(url).status_code == 403
    assert client.post(url, {"rating": "5"}).status_code == 403
    assert not Feedback.objects.exists()


def test_a_persons_registration_page_links_to_feedback_after_the_close(client, cast):
    event = new_event(circle=cast.circle)
    registration = services.register(person=cast.member, event=event)
    client.force_login(cast.member)
    page_url = reverse("events:registration", args=[registration.pk])
    form_url = reverse("events:registration_feedback", args=[registration.pk])
    assert form_url not in client.get(page_url).content.decode()
    close(event)
    assert form_url in client.get(page_url).content.decode()
    client.post(form_url, {"rating": "4"})
    assert "Feedback sent" in client.get(page_url).content.decode()


# The invitation mailed at the close


def closeable(cast) -> Event:
    return new_event(circle=cast.circle)


def happened(event: Event) -> Event:
    """Registrations made, the event took place: it can be closed."""
    past = timezone.now() - timedelta(hours=3)
    Event.objects.filter(pk=event.pk).update(starts_at=past, ends_at=past + timedelta(hours=2))
    return Event.objects.get(pk=event.pk)


def test_closing_invites_people_and_guests_who_had_a_place_once_after_commit(cast, django_capture_on_commit_callbacks):
    event = closeable(cast)
    services.register(person=cast.member, event=event)
    confirmed_guest = guest(event, "gil@example.org")
    guest(event, "una@example.org", confirm=False)
    left = services.register(person=cast.outsider, event=event)
    services.cancel_registration(person=cast.outsider, registration=left)
    mail.outbox.clear()
    event = happened(event)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event_services.close_event(person=cast.organiser, event=event, minutes="Good turnout")
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.member.email, "gil@example.org"])
    assert all("How was it?" in m.subject for m in mail.outbox)
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert (
        reverse("events:guest_registration_feedback", args=[confirmed_guest.confirmation_token])
        in by_address["gil@example.org"]
    )
    own = Registration.objects.get(event=event, person=cast.member)
    assert reverse("events:registration_feedback", args=[own.pk]) in by_address[cast.member.email]
    # Correcting the report later mails no one again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.close_event(person=cast.organiser, event=Event.objects.get(pk=event.pk), minutes="Corrected")
    assert mail.outbox == []


def test_no_invitation_to_someone_who_already_left_feedback(cast, django_capture_on_commit_callbacks):
    event = closeable(cast)
    registration = guest(event)
    mail.outbox.clear()
    event = happened(event)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event_services.close_event(person=cast.organiser, event=event)
    services_attendance.leave_guest_feedback(token=registration.confirmation_token, rating=5)
    for callback in callbacks:
        callback()  # the worker gets to the mail after the guest already answered
    assert mail.outbox == []


def test_close_listeners_hear_the_first_close_only(cast):
    heard: list[str] = []
    hooks.register_close_listener(lambda event: heard.append(event.slug), name="test")
    try:
        event = happened(closeable(cast))
        event_services.close_event(person=cast.organiser, event=event)
        event_services.close_event(person=cast.organiser, event=Event.objects.get(pk=event.pk), minutes="More")
    finally:
        hooks.unregister("test")
    assert heard == [event.slug]
