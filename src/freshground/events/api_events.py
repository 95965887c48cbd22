"""Events API: an event, creating and changing it, cancelling and closing, co-hosts and promotions.

Same predicates as the pages: the private address and the online link are left out (null) for callers who may not
see them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.core.exceptions import DomainError, NotFound
from freshground.events import queries, services, services_hosts
from freshground.events.models import Event, EventHost
from freshground.network import queries as network_queries
from freshground.network.models import Center, Circle
from freshground.people.api import ERRORS, actor, viewer

router = Router(tags=["events"])


class HostOut(Schema):
    id: int
    role: str
    status: str
    circle: str | None = None
    center: str | None = None
    person_id: int | None = None
    name: str


class OccurrenceOut(Schema):
    starts_at: datetime
    ends_at: datetime


class EventOut(Schema):
    slug: str
    uid: str
    sequence: int
    title: str
    description: str
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    all_day: bool
    rrule: str
    exdates: list[str]
    attendance_mode: str
    venue_name: str
    place_name: str
    latitude: float | None
    longitude: float | None
    address: str | None = Field(None, description="Null when the host shows it only to registered people.")
    online_url: str | None = Field(None, description="Null when the host shows it only to registered people.")
    step_free: bool
    hearing_loop: bool
    childcare: bool
    quiet_room: bool
    accessibility_notes: str
    topics: list[str]
    language: str
    speakers_text: str
    registration_mode: str
    capacity: int | None
    registered_count: int
    hosts: list[HostOut]
    pending_cohosts: list[HostOut] | None = None
    promoted_by: list[dict[str, str]]
    upcoming: list[OccurrenceOut]
    minutes: str | None = None
    attendance_count: int | None = None
    outcomes: str | None = None
    you: dict[str, bool]


class TimeslotIn(Schema):
    id: int | None = None
    label: str = Field("", max_length=120)
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = Field(None, ge=1)


class EventPatch(Schema):
    title: str | None = Field(None, max_length=160)
    description: str | None = Field(None, max_length=20000)
    kind: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    time_zone: str | None = Field(None, max_length=64)
    all_day: bool | None = None
    rrule: str | None = Field(None, max_length=500)
    exdates: list[str] | None = None
    attendance_mode: str | None = None
    venue_name: str | None = Field(None, max_length=160)
    address: str | None = Field(None, max_length=300)
    address_for_registered_only: bool | None = None
    online_url: str | None = Field(None, max_length=500)
    online_url_for_registered_only: bool | None = None
    place_name: str | None = Field(None, max_length=160)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    step_free: bool | None = None
    hearing_loop: bool | None = None
    childcare: bool | None = None
    quiet_room: bool | None = None
    accessibility_notes: str | None = Field(None, max_length=2000)
    topics: list[str] | None = None
    language: str | None = Field(None, max_length=12)
    speakers_text: str | None = Field(None, max_length=300)
    registration_mode: str | None = None
    capacity: int | None = Field(None, ge=1)
    registration_closes_at: datetime | None = None
    questions: list[Any] | None = None
    reminder_hours: list[int] | None = None
    timeslots: list[TimeslotIn] | None = None


class EventIn(EventPatch):
    title: str = Field(..., max_length=160)
    starts_at: datetime
    circle: str | None = Field(None, description="Host in a circle's name (its organisers).")
    center: str | None = Field(None, description="Host in a center's name (its editors).")


class CloseIn(Schema):
    minutes: str = Field("", max_length=20000)
    attendance_count: int | None = Field(None, ge=0)
    outcomes: str = Field("", max_length=5000)


class GroupIn(Schema):
    circle: str | None = Field(None, max_length=90)
    center: str | None = Field(None, max_length=90)


def _event(slug: str) -> Event:
    event = queries.event_by_slug(slug)
    if event is None:
        raise NotFound(_("No event is called “%(slug)s”.") % {"slug": slug[:90]})
    return event


def _group(payload: GroupIn) -> tuple[Circle | None, Center | None]:
    if bool(payload.circle) == bool(payload.center):
        raise DomainError(_("Give a circle or a center."), field="circle")
    if payload.circle:
        circle = network_queries.circle_by_slug(payload.circle)
        if circle is None:
            raise NotFound(_("No circle is called “%(slug)s”.") % {"slug": payload.circle}, field="circle")
        return circle, None
    center = network_queries.center_by_slug(payload.center or "")
    if center is None:
        raise NotFound(_("No center is called “%(slug)s”.") % {"slug": payload.center}, field="center")
    return None, center


def _host(host: EventHost) -> dict[str, Any]:
    return {
        "id": host.pk,
        "role": host.role,
        "status": host.status,
        "circle": host.circle.slug if host.circle else None,
        "center": host.center.slug if host.center else None,
        "person_id": host.person_id,
        "name": host.name,
    }


def _detail(request: HttpRequest, event: Event) -> dict[str, Any]:
    fresh = _event(event.slug)
    page = queries.event_page(viewer(request), fresh)
    closed = fresh.status == "closed"
    data = {name: getattr(fresh, name) for name in EventOut.model_fields if hasattr(fresh, name)}
    data.update(
        {
            "address": fresh.address if page.can_see_address else None,
            "online_url": fresh.online_url if page.can_see_online_link else None,
            "topics": [tag.name for tag in fresh.topics.all()],
            "hosts": [_host(h) for h in page.hosts],
            "pending_cohosts": [_host(h) for h in page.pending_hosts] if page.can_manage else None,
            "promoted_by": [
                {"circle": p.circle.slug} if p.circle else {"center": p.center.slug if p.center else ""}
                for p in page.promotions
            ],
            "upcoming": [{"starts_at": o.starts_at, "ends_at": o.ends_at} for o in page.upcoming],
            "minutes": fresh.minutes if closed else None,
            "attendance_count": fresh.attendance_count if closed else None,
            "outcomes": fresh.outcomes if closed else None,
            "you": {"can_manage": page.can_manage, "can_close": page.can_close, "is_registered": page.is_registered},
        }
    )
    return data


def _values(payload: EventPatch) -> dict[str, Any]:
    values = payload.model_dump(exclude_unset=True, exclude={"circle", "center"})
    if "timeslots" in values and values["timeslots"] is not None:
        values["timeslots"] = [dict(slot) for slot in values["timeslots"]]
    return values


@router.get("/events/{slug}", auth=OPTIONAL_AUTH, response={200: EventOut, **ERRORS})
def get_event(request: HttpRequest, slug: str) -> dict[str, Any]:
    """An event, its hosts, promoters and next dates. Address and link only for those who may see them."""
    return _detail(request, _event(slug))


@router.post("/events", auth=AUTH, response={201: EventOut, **ERRORS})
def create_event(request: HttpRequest, payload: EventIn) -> Status[dict[str, Any]]:
    """Put an event on the calendar: in your own name, or a circle's (organisers) or center's (editors)."""
    person = actor(request)
    circle = center = None
    if payload.circle or payload.center:
        circle, center = _group(GroupIn(circle=payload.circle, center=payload.center))
    event = services.create_event(person=person, host_circle=circle, host_center=center, **_values(payload))
    return Status(201, _detail(request, event))


@router.patch("/events/{slug}", auth=AUTH, response={200: EventOut, **ERRORS})
def update_event(request: HttpRequest, slug: str, payload: EventPatch) -> dict[str, Any]:
    """Change an event (its hosts). SEQUENCE goes up and registrants hear about changes to time or place."""
    event = services.update_event(person=actor(request), event=_event(slug), **_values(payload))
    return _detail(request, event)


@router.post("/events/{slug}/cancel", auth=AUTH, response={200: EventOut, **ERRORS})
def cancel_event(request: HttpRequest, slug: str) -> dict[str, Any]:
    event = services.cancel_event(person=actor(request), event=_event(slug))
    return _detail(request, event)


@router.post("/events/{slug}/close", auth=AUTH, response={200: EventOut, **ERRORS})
def close_event(request: HttpRequest, slug: str, payload: CloseIn) -> dict[str, Any]:
    """The report after the event: minutes, how many came, outcomes (hosts, once it has started)."""
    event = services.close_event(person=actor(request), event=_event(slug), **payload.model_dump())
    return _detail(request, event)


@router.post("/events/{slug}/cohosts", auth=AUTH, response={201: HostOut, **ERRORS})
def invite_cohost(request: HttpRequest, slug: str, payload: GroupIn) -> Status[dict[str, Any]]:
    """Invite a circle or center to co-host (hosts). It co-hosts once its organisers or editors accept."""
    circle, center = _group(payload)
    host = services_hosts.invite_cohost(person=actor(request), event=_event(slug), circle=circle, center=center)
    return Status(201, _host(host))


def _invite(event: Event, host_id: int) -> EventHost:
    host = queries.host_by_pk(event, host_id)
    if host is None:
        raise NotFound(_("No such co-host invitation."))
    return host


@router.post("/events/{slug}/cohosts/{int:host_id}/accept", auth=AUTH, response={200: HostOut, **ERRORS})
def accept_cohost(request: HttpRequest, slug: str, host_id: int) -> dict[str, Any]:
    host = services_hosts.answer_cohost_invite(person=actor(request), host=_invite(_event(slug), host_id), accept=True)
    assert host is not None
    return _host(host)


@router.post("/events/{slug}/cohosts/{int:host_id}/decline", auth=AUTH, response={204: None, **ERRORS})
def decline_cohost(request: HttpRequest, slug: str, host_id: int) -> Status[None]:
    services_hosts.answer_cohost_invite(person=actor(request), host=_invite(_event(slug), host_id), accept=False)
    return Status(204, None)


@router.post("/events/{slug}/promotions", auth=AUTH, response={201: EventOut, **ERRORS})
def promote(request: HttpRequest, slug: str, payload: GroupIn) -> Status[dict[str, Any]]:
    """Promote the event to a circle's or center's followers (its organisers/editors). The host is not asked."""
    circle, center = _group(payload)
    event = _event(slug)
    services_hosts.promote(person=actor(request), event=event, circle=circle, center=center)
    return Status(201, _detail(request, event))


@router.delete("/events/{slug}/promotions", auth=AUTH, response={204: None, **ERRORS})
def unpromote(request: HttpRequest, slug: str, payload: GroupIn) -> Status[None]:
    circle, center = _group(payload)
    services_hosts.unpromote(person=actor(request), event=_event(slug), circle=circle, center=center)
    return Status(204, None)
