"""At the door and afterwards: check-in by registration code, attendance marking, and attendees' feedback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.text import clean_text
from freshground.events import permissions as perms
from freshground.events.models import (
    Event,
    EventStatus,
    Feedback,
    Registration,
    RegistrationStatus,
)
from freshground.events.services_registrations import CODE_ALPHABET, MAX_FEEDBACK_COMMENT, registration_by_token
from freshground.people.models import Person

# At the door and afterwards


def _require_manager(person: Any, event: Event) -> None:
    if not perms.can_manage_event(person, event):
        raise PermissionDenied(_("Only the event's hosts can do this."))


@transaction.atomic
def mark_attendance(*, person: Person, registration: Registration, attended: bool = True) -> Registration:
    _require_manager(person, registration.event)
    if attended and registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError(_("Only a confirmed registration can be marked as attended."))
    Registration.objects.filter(pk=registration.pk).update(attended=attended)
    registration.attended = attended
    return registration


def normalise_code(code: str) -> str:
    return "".join(character for character in (code or "").upper() if character.isalnum())


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    already: bool


@transaction.atomic
def check_in(*, person: Person, event: Event, code: str) -> CheckIn:
    """A host types or scans a registration's code at the door: it is marked attended."""
    _require_manager(person, event)
    wanted = normalise_code(code)
    if not wanted or len(wanted) > 16 or not set(wanted) <= CODE_ALPHABET:
        raise DomainError(_("That is not a registration code."), field="code")
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .filter(event=event, code=wanted)
        .select_related("person", "timeslot")
        .first()
    )
    if registration is None:
        raise NotFound(_("No registration for this event has that code."), field="code")
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError(
            _("This registration is not confirmed (%(status)s).") % {"status": registration.get_status_display()},
            field="code",
        )
    already = registration.attended
    if not already:
        registration.attended = True
        registration.save(update_fields=["attended"])
    return CheckIn(registration=registration, already=already)


@transaction.atomic
def leave_feedback(*, person: Person, registration: Registration, rating: int, comment: str = "") -> Feedback:
    """An attendee's word after the event was closed: a rating from 1 to 5 and an optional comment, once."""
    if not perms.can_leave_feedback(person, registration):
        if registration.event.status != EventStatus.CLOSED:
            raise DomainError(_("Feedback opens when the hosts close the event."))
        raise PermissionDenied(_("Only people who were registered can leave feedback."))
    return _save_feedback(registration, rating, comment)


@transaction.atomic
def leave_guest_feedback(*, token: str, rating: int, comment: str = "") -> Feedback:
    """A guest's word after the event was closed, through the link with their registration's token: as for people,
    a rating from 1 to 5 and an optional comment, once, for a confirmed registration."""
    registration = registration_by_token(token)
    if registration is None:
        raise NotFound(_("This link is not valid. It may have been mistyped."))
    if not perms.can_leave_guest_feedback(registration):
        if registration.event.status != EventStatus.CLOSED:
            raise DomainError(_("Feedback opens when the hosts close the event."))
        if perms.has_feedback(registration):
            raise Conflict(_("You have already left feedback for this event."))
        raise PermissionDenied(_("Only people who had a place can leave feedback."))
    return _save_feedback(registration, rating, comment)


def _save_feedback(registration: Registration, rating: int, comment: str) -> Feedback:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("Choose a rating from 1 to 5."), field="rating")
    text = clean_text(comment or "").strip()
    if len(text) > MAX_FEEDBACK_COMMENT:
        raise DomainError(_("At most %(n)d characters.") % {"n": MAX_FEEDBACK_COMMENT}, field="comment")
    if Feedback.objects.filter(registration=registration).exists():
        raise Conflict(_("You have already left feedback for this event."))
    try:
        with transaction.atomic():
            return Feedback.objects.create(registration=registration, rating=rating, comment=text)
    except IntegrityError as error:
        raise Conflict(_("You have already left feedback for this event.")) from error
