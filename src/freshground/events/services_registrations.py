"""Every change to registrations: places, the waiting list, guests' confirmation, cancelling. Check-in, attendance
and feedback are in services_attendance.py, reminders in services_reminders.py.

Places are counted under a lock. Every write that can take or free a place locks the event's row
(SELECT … FOR UPDATE; on SQLite the IMMEDIATE transaction serialises writers) and recounts inside the transaction,
so concurrent requests can never over-fill an event or a timeslot. The denormalised counters (Event.registered_count,
Event.waitlist_count, Timeslot.registered_count) are recomputed from the rows in the same transaction.

Capacity: only events with registration_mode "limited" have a limit. A registration for a timeslot is limited by the
timeslot's capacity, or by the event's capacity when the timeslot has none; a registration without a timeslot by
the event's capacity. No capacity at all means no limit. Guests' registrations hold no place until confirmed.

Mail goes out after the commit, through a background task (events.mail_registrations.queue_mail).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.permissions import is_person
from freshground.core.text import clean_text
from freshground.events import permissions as perms
from freshground.events.mail_registrations import queue_mail
from freshground.events.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    Timeslot,
)
from freshground.people.models import Person

LIVE = (RegistrationStatus.UNCONFIRMED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
DEFAULT_ANSWER_LENGTH = 500
MAX_ANSWER_LENGTH = 2000
MAX_GUEST_NAME = 80
MAX_FEEDBACK_COMMENT = 2000
CODE_ALPHABET = frozenset("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


# Questions


@dataclass(frozen=True)
class Question:
    """One of the event's optional questions, read from Event.questions.

    Each item of Event.questions is a dict: "key" (or "id"), "label" (or "text"/"question"), optional "required"
    (bool), "max_length" (int, at most 2000, default 500) and "choices" (list of strings). A bare string is a question
    with that label, not required.
    """

    key: str
    label: str
    required: bool = False
    max_length: int = DEFAULT_ANSWER_LENGTH
    choices: tuple[str, ...] = ()


def questions_of(event: Event) -> list[Question]:
    found: list[Question] = []
    raw = event.questions if isinstance(event.questions, list) else []
    for index, item in enumerate(raw):
        if isinstance(item, str):
            found.append(Question(key=f"q{index + 1}", label=item))
            continue
        if not isinstance(item, dict):
            continue
        label = str(item.get("label") or item.get("text") or item.get("question") or "").strip()
        if not label:
            continue
        key = str(item.get("key") or item.get("id") or f"q{index + 1}")
        try:
            limit = int(item.get("max_length") or DEFAULT_ANSWER_LENGTH)
        except (TypeError, ValueError):
            limit = DEFAULT_ANSWER_LENGTH
        choices = item.get("choices") or ()
        found.append(
            Question(
                key=key,
                label=label,
                required=bool(item.get("required")),
                max_length=max(1, min(limit, MAX_ANSWER_LENGTH)),
                choices=tuple(str(choice) for choice in choices) if isinstance(choices, list | tuple) else (),
            )
        )
    return found


def clean_answers(event: Event, answers: Mapping[str, Any] | None) -> dict[str, str]:
    """Keep the answers to the event's own questions; refuse a missing required answer or an over-long one."""
    given = answers or {}
    cleaned: dict[str, str] = {}
    for question in questions_of(event):
        value = given.get(question.key, "")
        text = clean_text(value if isinstance(value, str) else str(value or "")).strip()
        if not text:
            if question.required:
                raise DomainError(
                    _("Please answer “%(question)s”.") % {"question": question.label}, field=f"answer_{question.key}"
                )
            continue
        if len(text) > question.max_length:
            raise DomainError(
                _("At most %(n)d characters.") % {"n": question.max_length}, field=f"answer_{question.key}"
            )
        if question.choices and text not in question.choices:
            raise DomainError(_("Choose one of the answers offered."), field=f"answer_{question.key}")
        cleaned[question.key] = text
    return cleaned


# Places


def capacity_for(event: Event, timeslot: Timeslot | None) -> int | None:
    """How many places there are for a registration in this event (and timeslot); None is no limit."""
    if event.registration_mode != RegistrationMode.LIMITED:
        return None
    if timeslot is not None and timeslot.capacity is not None:
        return timeslot.capacity
    return event.capacity


def places_taken(event: Event, timeslot: Timeslot | None = None) -> int:
    """Confirmed registrations for the event, or for one of its timeslots. events-core checks a lowered capacity
    against this (a capacity below the places already taken is refused)."""
    registrations = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    if timeslot is not None:
        registrations = registrations.filter(timeslot=timeslot)
    return registrations.count()


def places_left(event: Event, timeslot: Timeslot | None = None) -> int | None:
    limit = capacity_for(event, timeslot)
    if limit is None:
        return None
    return max(0, limit - places_taken(event, timeslot))


def _has_place(event: Event, timeslot: Timeslot | None) -> bool:
    limit = capacity_for(event, timeslot)
    return limit is None or places_taken(event, timeslot) < limit


def refresh_counters(event: Event, timeslots: list[Timeslot | None] | None = None) -> None:
    """Recount the event's (and the given timeslots') denormalised counters from the rows."""
    counts = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
    )
    Event.objects.filter(pk=event.pk).update(registered_count=counts["confirmed"], waitlist_count=counts["waiting"])
    event.registered_count = counts["confirmed"]
    event.waitlist_count = counts["waiting"]
    for timeslot in timeslots or []:
        if timeslot is None:
            continue
        confirmed = places_taken(event, timeslot)
        Timeslot.objects.filter(pk=timeslot.pk).update(registered_count=confirmed)
        timeslot.registered_count = confirmed


def _lock(event: Event) -> Event:
    """Lock the event's row for the rest of the transaction: every change of places for it queues behind this."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _check_timeslot(event: Event, timeslot: Timeslot | None) -> None:
    if timeslot is not None and timeslot.event_id != event.pk:
        raise DomainError(_("That session belongs to another event."), field="timeslot")
    if timeslot is None and event.timeslots.exists():
        raise DomainError(_("Choose a session."), field="timeslot")


def _check_open(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("This event is cancelled."))
    if not perms.registration_is_open(event):
        if event.registration_mode == RegistrationMode.NONE:
            raise DomainError(_("This event needs no registration: just come."))
        raise DomainError(_("Registration for this event is closed."))


def _take_place_or_wait(event: Event, registration: Registration) -> None:
    """Under the event's lock: confirm the registration if a place is free, else put it on the waiting list."""
    now = timezone.now()
    if _has_place(event, registration.timeslot):
        registration.status = RegistrationStatus.CONFIRMED
        registration.waitlisted_at = None
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlisted_at = now


def _live(event: Event, timeslot: Timeslot | None) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event, timeslot=timeslot, status__in=LIVE)


# Registering


@transaction.atomic
def register(
    *, person: Person, event: Event, timeslot: Timeslot | None = None, answers: Mapping[str, Any] | None = None
) -> Registration:
    """Register a signed-in person: a place if one is free, else the waiting list."""
    if not is_person(person):
        raise PermissionDenied(_("Sign in to register, or register with your e-mail address."))
    _check_timeslot(event, timeslot)
    cleaned = clean_answers(event, answers)
    locked = _lock(event)
    _check_open(locked)
    if _live(locked, timeslot).filter(person=person).exists():
        raise Conflict(_("You are already registered for this event."))
    registration = Registration(event=locked, timeslot=timeslot, person=person, answers=cleaned)
    _take_place_or_wait(locked, registration)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise Conflict(_("You are already registered for this event.")) from error
    refresh_counters(locked, [timeslot])
    _sync(event, locked)
    perms.forget_managed_events(person)
    queue_mail(registration_mail_kind(registration), registration)
    return registration


def registration_mail_kind(registration: Registration) -> str:
    return "confirmed" if registration.status == RegistrationStatus.CONFIRMED else "waitlisted"


def _sync(event: Event, locked: Event) -> None:
    event.registered_count = locked.registered_count
    event.waitlist_count = locked.waitlist_count


def _normalise_email(email: str) -> str:
    address = (email or "").strip()
    try:
        validate_email(address)
    except ValidationError as error:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from error
    local, _at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


@transaction.atomic
def register_guest(
    *,
    event: Event,
    email: str,
    name: str,
    timeslot: Timeslot | None = None,
    answers: Mapping[str, Any] | None = None,
) -> Registration:
    """A guest's registration, unconfirmed until they follow the link mailed to them; it holds no place till then.

    Registering an address again never says whether it was already registered (that would tell anyone who is
    coming): it mails the address its link again and answers the same way.
    """
    address = _normalise_email(email)
    guest_name = clean_text(name or "").strip()
    if not guest_name:
        raise DomainError(_("Tell the hosts your name."), field="name")
    if len(guest_name) > MAX_GUEST_NAME:
        raise DomainError(_("At most %(n)d characters.") % {"n": MAX_GUEST_NAME}, field="name")
    _check_timeslot(event, timeslot)
    cleaned = clean_answers(event, answers)
    _check_open(event)
    existing = (
        _live(event, timeslot).filter(person__isnull=True, guest_email__iexact=address).select_related("event").first()
    )
    if existing is not None:
        kind = (
            "guest_confirm" if existing.status == RegistrationStatus.UNCONFIRMED else registration_mail_kind(existing)
        )
        queue_mail(kind, existing)
        return existing
    registration = Registration(
        event=event,
        timeslot=timeslot,
        guest_email=address,
        guest_name=guest_name,
        answers=cleaned,
        status=RegistrationStatus.UNCONFIRMED,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # The same address registered at the same moment: treat it as the repeat it is.
        existing = _live(event, timeslot).filter(person__isnull=True, guest_email__iexact=address).first()
        if existing is None:
            raise
        return existing
    queue_mail("guest_confirm", registration)
    return registration


def registration_by_token(token: str) -> Registration | None:
    if not token or len(token) > 64:
        return None
    return (
        Registration.objects.filter(confirmation_token=token, person__isnull=True)
        .select_related("event", "timeslot")
        .first()
    )


@transaction.atomic
def confirm_guest(*, token: str) -> Registration:
    """The guest followed their link: a place if one is free, else the waiting list. Confirming twice is harmless."""
    found = registration_by_token(token)
    if found is None:
        raise NotFound(_("This link is not valid. It may have been mistyped."))
    locked = _lock(found.event)
    registration = Registration.objects.select_for_update(of=("self",)).select_related("timeslot").get(pk=found.pk)
    registration.event = locked
    if registration.status != RegistrationStatus.UNCONFIRMED:
        if registration.status == RegistrationStatus.CANCELLED:
            raise Conflict(_("This registration was cancelled. You can register again."))
        return registration
    _check_open(locked)
    _take_place_or_wait(locked, registration)
    registration.save(update_fields=["status", "waitlisted_at"])
    refresh_counters(locked, [registration.timeslot])
    queue_mail(registration_mail_kind(registration), registration)
    return registration


# Cancelling and the waiting list


def promote_waitlist(event: Event, timeslot: Timeslot | None) -> list[Registration]:
    """Under the event's lock: give free places to the waiting list in order (waitlisted_at, then id), mail them.

    events-core may call this (inside its transaction) after raising a capacity."""
    promoted: list[Registration] = []
    while _has_place(event, timeslot):
        waiting = (
            Registration.objects.select_for_update()
            .filter(event=event, timeslot=timeslot, status=RegistrationStatus.WAITLISTED)
            .order_by("waitlisted_at", "id")
            .first()
        )
        if waiting is None:
            break
        waiting.status = RegistrationStatus.CONFIRMED
        waiting.waitlisted_at = None
        waiting.save(update_fields=["status", "waitlisted_at"])
        promoted.append(waiting)
        queue_mail("moved_up", waiting)
    return promoted


def fill_from_waitlist(*, event: Event) -> list[Registration]:
    """Promote waiting people wherever places are free (after a capacity was raised). Takes the event's lock."""
    with transaction.atomic():
        locked = _lock(event)
        slots: list[Timeslot | None] = [None, *Timeslot.objects.filter(event=locked)]
        promoted: list[Registration] = []
        for slot in slots:
            promoted += promote_waitlist(locked, slot)
        refresh_counters(locked, slots)
        _sync(event, locked)
        return promoted


def _cancel(registration: Registration, *, after_close: bool = False) -> Registration:
    locked = _lock(registration.event)
    current = Registration.objects.select_for_update(of=("self",)).select_related("timeslot").get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        raise Conflict(_("This registration is already cancelled."))
    if locked.status == EventStatus.CLOSED and not after_close:
        # The attendance record of a past event stays as it was; only account deletion removes it.
        raise Conflict(_("This event has already taken place, so there is nothing to cancel."))
    held_place = current.status == RegistrationStatus.CONFIRMED
    current.status = RegistrationStatus.CANCELLED
    current.cancelled_at = timezone.now()
    current.waitlisted_at = None
    current.save(update_fields=["status", "cancelled_at", "waitlisted_at"])
    if (
        held_place
        and locked.status == EventStatus.SCHEDULED
        and (locked.is_recurring or locked.ends_at > timezone.now())
    ):
        promote_waitlist(locked, current.timeslot)
    refresh_counters(locked, [current.timeslot])
    _sync(registration.event, locked)
    registration.status = current.status
    registration.cancelled_at = current.cancelled_at
    return current


@transaction.atomic
def cancel_registration(*, person: Person, registration: Registration) -> Registration:
    """The attendee (or one of the event's managers) cancels; the next person waiting gets the place."""
    if not perms.can_cancel_registration(person, registration):
        raise PermissionDenied(_("Only the person registered, or the event's hosts, can cancel this registration."))
    cancelled = _cancel(registration)
    if is_person(person) and registration.person_id == person.pk:
        perms.forget_managed_events(person)
    return cancelled


@transaction.atomic
def cancel_guest_registration(*, token: str) -> Registration:
    """A guest cancels through the link in their mail."""
    found = registration_by_token(token)
    if found is None:
        raise NotFound(_("This link is not valid. It may have been mistyped."))
    return _cancel(found)


def erase_person(person: Person) -> None:
    """Account deletion: cancel the person's live registrations (freeing places for the waiting list) before the
    rows go with the person, so counters stay right and nobody waits for a place that is free."""
    live = Registration.objects.filter(person=person, status__in=LIVE).select_related("event").order_by("event_id")
    for registration in live:
        _cancel(registration, after_close=True)
