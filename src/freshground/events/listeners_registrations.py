"""Registrants hear about changes, cancellations and the close (an invitation to leave feedback): listeners on
events-core's hooks (registered in EventsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from freshground.events import hooks
from freshground.events import services_registrations as services
from freshground.events.mail_registrations import queue_mail
from freshground.events.models import Event, Registration, RegistrationStatus

TOLD = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
CHANGE_NAMES = {
    "starts_at": _("the start"),
    "ends_at": _("the end"),
    "time_zone": _("the time zone"),
    "all_day": _("all day or not"),
    "rrule": _("the repeats"),
    "exdates": _("the skipped dates"),
    "attendance_mode": _("how people attend"),
    "venue_name": _("the venue"),
    "address": _("the address"),
    "online_url": _("the online link"),
    "timeslots": _("the sessions"),
    "title": _("the title"),
}
PLACE_FIELDS = frozenset({"capacity", "timeslots", "registration_mode"})


def _told(event: Event) -> list[Registration]:
    return list(Registration.objects.filter(event=event, status__in=TOLD).only("pk").order_by("pk"))


def event_changed(event: Event, changed: frozenset[str]) -> None:
    """More places (a raised capacity, a new session) go to the waiting list; noteworthy changes are mailed."""
    if changed & PLACE_FIELDS:
        services.fill_from_waitlist(event=event)
    noteworthy = sorted(changed & hooks.NOTEWORTHY_FIELDS)
    if not noteworthy:
        return
    names = [str(CHANGE_NAMES.get(name, name)) for name in noteworthy]
    for registration in _told(event):
        queue_mail("event_changed", registration, changes=names)


def event_cancelled(event: Event) -> None:
    for registration in _told(event):
        queue_mail("event_cancelled", registration)


def event_closed(event: Event) -> None:
    """The hosts closed the event: everyone who had a place (people and guests) is invited to leave feedback."""
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).only("pk").order_by("pk")
    for registration in confirmed:
        queue_mail("feedback_invite", registration)


def register() -> None:
    hooks.register_change_listener(event_changed, name="registrations.event_changed")
    hooks.register_cancel_listener(event_cancelled, name="registrations.event_cancelled")
    hooks.register_close_listener(event_closed, name="registrations.event_closed")
