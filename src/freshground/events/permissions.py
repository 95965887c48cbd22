"""Who may do what with events and registrations. Pure predicates: the only home of these rules.

Roles: anonymous visitor, unrelated person, the event's host person, organisers of a hosting circle, editors of a
hosting center, organisers/editors of a promoting circle/center, registered attendee, site admin.
"""

from __future__ import annotations

from typing import Any

from freshground.core.permissions import is_person, is_site_admin
from freshground.events.models import (
    Event,
    EventHost,
    EventStatus,
    HostStatus,
    Registration,
    RegistrationMode,
    RegistrationStatus,
)
from freshground.network import permissions as network_perms
from freshground.network.models import Center, Circle

_CACHE_ATTRIBUTE = "_fg_event_managers"


def can_create_event(person: Any) -> bool:
    return is_person(person)


def can_host_for_circle(person: Any, circle: Circle) -> bool:
    """Put on (or co-host, or promote) an event in a circle's name: its organisers."""
    return network_perms.is_organiser(person, circle) or is_site_admin(person)


def can_host_for_center(person: Any, center: Center) -> bool:
    """Put on (or co-host, or promote) an event in a center's name: its editors."""
    return network_perms.is_center_editor(person, center) or is_site_admin(person)


def can_manage_event(person: Any, event: Event) -> bool:
    """Edit, cancel, close, see registrations, mark attendance: the event's host person, the organisers of any
    hosting circle, the editors of any hosting center, and site admins. A promoter gains nothing."""
    if not is_person(person):
        return False
    if is_site_admin(person):
        return True
    cache: dict[int, bool] = vars(person).setdefault(_CACHE_ATTRIBUTE, {})
    if event.pk not in cache:
        cache[event.pk] = _manages(person, event)
    return cache[event.pk]


def _manages(person: Any, event: Event) -> bool:
    for host in event.hosts.all():
        if host.status != HostStatus.ACCEPTED:
            continue  # an invited co-host gains nothing until it accepts
        if host.person_id is not None and host.person_id == person.pk:
            return True
        if host.circle is not None and network_perms.is_organiser(person, host.circle):
            return True
        if host.center is not None and network_perms.is_center_editor(person, host.center):
            return True
    return False


def can_answer_cohost_invite(person: Any, host: EventHost) -> bool:
    """Accept or decline an invitation to co-host: the invited circle's organisers or center's editors."""
    if host.circle is not None:
        return can_host_for_circle(person, host.circle)
    if host.center is not None:
        return can_host_for_center(person, host.center)
    return False


def can_close_event(person: Any, event: Event) -> bool:
    """Write the report (minutes, attendance, outcomes): the managers, once the event has started."""
    from django.utils import timezone

    return (
        can_manage_event(person, event) and event.status != EventStatus.CANCELLED and event.starts_at <= timezone.now()
    )


def forget_managed_events(person: Any) -> None:
    if is_person(person):
        vars(person).pop(_CACHE_ATTRIBUTE, None)


def can_view_event(person: Any, event: Event) -> bool:
    """Every event on the calendar is public, cancelled ones included (so people learn they are off)."""
    return True


def can_see_registrations(person: Any, event: Event) -> bool:
    """Registrations carry personal data: only the hosts' organisers (and site admins) see them."""
    return can_manage_event(person, event)


def is_registered(person: Any, event: Event) -> bool:
    if not is_person(person):
        return False
    return Registration.objects.filter(event=event, person=person, status=RegistrationStatus.CONFIRMED).exists()


def can_see_private_address(person: Any, event: Event) -> bool:
    """The exact address, when the host keeps it for registered people."""
    if not event.address_for_registered_only:
        return True
    return can_manage_event(person, event) or is_registered(person, event)


def can_see_online_link(person: Any, event: Event) -> bool:
    if not event.online_url_for_registered_only:
        return True
    return can_manage_event(person, event) or is_registered(person, event)


def registration_is_open(event: Event) -> bool:
    from django.utils import timezone

    if event.status != EventStatus.SCHEDULED or event.registration_mode == RegistrationMode.NONE:
        return False
    closes = event.registration_closes_at or event.ends_at
    return closes > timezone.now() or event.is_recurring


def can_register(person: Any, event: Event) -> bool:
    """Signed-in people register directly; guests register with an e-mail address (see can_register_as_guest)."""
    return is_person(person) and registration_is_open(event)


def can_register_as_guest(event: Event) -> bool:
    return registration_is_open(event)


def can_cancel_registration(person: Any, registration: Registration) -> bool:
    """The attendee themselves (guests use the link in their confirmation mail), or the event's managers."""
    if is_person(person) and registration.person_id == person.pk:
        return True
    return can_manage_event(person, registration.event)


def can_promote(person: Any, *, circle: Circle | None = None, center: Center | None = None) -> bool:
    """Any circle or center may promote any event to its followers; the host's permission is never needed."""
    if circle is not None:
        return can_host_for_circle(person, circle)
    if center is not None:
        return can_host_for_center(person, center)
    return False


def can_leave_feedback(person: Any, registration: Registration) -> bool:
    """A signed-in attendee: their own confirmed registration, once the hosts closed the event."""
    return (
        is_person(person)
        and registration.person_id == person.pk
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.event.status == EventStatus.CLOSED
    )


def can_leave_guest_feedback(registration: Registration) -> bool:
    """A guest, through the link with their registration's token (the token is the proof of who they are): a
    confirmed guest registration, once the hosts closed the event, and only once."""
    return (
        registration.person_id is None
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.event.status == EventStatus.CLOSED
        and not has_feedback(registration)
    )


def has_feedback(registration: Registration) -> bool:
    """Whether the registration's feedback was left (one query at most; none when it was fetched with it)."""
    return hasattr(registration, "feedback")
