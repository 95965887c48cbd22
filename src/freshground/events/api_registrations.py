"""Registrations API: register yourself, cancel your own, list yours; the hosts' list and attendance.

Writes go through events.services_registrations; who may see registrations is events.permissions'
can_see_registrations (403 for everyone else). Guests register on the web pages (their link comes by mail).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from freshground.api import AUTH
from freshground.core.exceptions import NotFound, PermissionDenied
from freshground.events import permissions as perms
from freshground.events import queries_registrations as queries
from freshground.events import services_attendance
from freshground.events import services_registrations as services
from freshground.events.models import Event, Registration, Timeslot
from freshground.people.api import ERRORS, actor

router = Router(tags=["registrations"])


class RegistrationIn(Schema):
    timeslot_id: int | None = Field(None, description="Required when the event has sessions.")
    answers: dict[str, str] = Field(default_factory=dict, description="Answers to the event's questions, by key.")


class AttendanceIn(Schema):
    attended: bool = True


class EventRef(Schema):
    slug: str
    title: str
    starts_at: datetime
    status: str


class RegistrationOut(Schema):
    """Your own registration: with its code for the door."""

    id: int
    event: EventRef
    timeslot_id: int | None
    status: str
    code: str
    answers: dict[str, Any]
    created_at: datetime
    waitlisted_at: datetime | None
    attended: bool


class HostRegistrationOut(Schema):
    """A registration as the hosts see it: name, e-mail address and answers."""

    id: int
    name: str
    email: str
    guest: bool
    timeslot_id: int | None
    status: str
    code: str
    answers: dict[str, Any]
    created_at: datetime
    waitlisted_at: datetime | None
    attended: bool

    @staticmethod
    def resolve_name(obj: Registration) -> str:
        return queries.attendee_name(obj)

    @staticmethod
    def resolve_email(obj: Registration) -> str:
        return queries.attendee_email(obj)

    @staticmethod
    def resolve_guest(obj: Registration) -> bool:
        return obj.person_id is None


def _event(slug: str) -> Event:
    event = queries.event_by_slug(slug)
    if event is None:
        raise NotFound(_("No event is called “%(slug)s”.") % {"slug": slug[:80]})
    return event


def _timeslot(event: Event, timeslot_id: int | None) -> Timeslot | None:
    if timeslot_id is None:
        return None
    timeslot = Timeslot.objects.filter(pk=timeslot_id, event=event).first()
    if timeslot is None:
        raise NotFound(_("This event has no such session."), field="timeslot_id")
    return timeslot


def _own(request: HttpRequest, registration_id: int) -> Registration:
    registration = queries.own_registration(actor(request), registration_id)
    if registration is None:
        raise NotFound(_("You have no such registration."))
    return registration


@router.post("/events/{slug}/registrations", auth=AUTH, response={201: RegistrationOut, **ERRORS})
def register(request: HttpRequest, slug: str, payload: RegistrationIn) -> Status[Registration]:
    """Register yourself: a place if one is free, else the waiting list (see `status`)."""
    event = _event(slug)
    registration = services.register(
        person=actor(request),
        event=event,
        timeslot=_timeslot(event, payload.timeslot_id),
        answers=payload.answers,
    )
    return Status(201, registration)


@router.delete("/registrations/{int:registration_id}", auth=AUTH, response={204: None, **ERRORS})
def cancel(request: HttpRequest, registration_id: int) -> Status[None]:
    """Cancel your own registration; the next person on the waiting list gets the place."""
    services.cancel_registration(person=actor(request), registration=_own(request, registration_id))
    return Status(204, None)


@router.get("/me/registrations", auth=AUTH, response={200: list[RegistrationOut], **ERRORS})
@paginate(PageNumberPagination)
def my_registrations(request: HttpRequest) -> QuerySet[Registration]:
    """Your registrations, cancelled ones included (see `status`)."""
    return queries.my_registrations(actor(request))


@router.get("/events/{slug}/registrations", auth=AUTH, response={200: list[HostRegistrationOut], **ERRORS})
@paginate(PageNumberPagination)
def event_registrations(request: HttpRequest, slug: str) -> list[Registration]:
    """Everyone registered for the event: its hosts only (personal data)."""
    event = _event(slug)
    if not perms.can_see_registrations(actor(request), event):
        raise PermissionDenied(_("Only the event's hosts can see who registered."))
    return queries.registrations_for_hosts(event)


@router.post(
    "/registrations/{int:registration_id}/attendance", auth=AUTH, response={200: HostRegistrationOut, **ERRORS}
)
def attendance(request: HttpRequest, registration_id: int, payload: AttendanceIn) -> Registration:
    """Mark someone as having come (or not): the event's hosts."""
    person = actor(request)
    registration = queries.registration_with_event(registration_id)
    if registration is None:
        raise NotFound(_("No such registration."))
    return services_attendance.mark_attendance(person=person, registration=registration, attended=payload.attended)
