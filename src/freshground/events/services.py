"""Every change to an event goes through here: create, edit, cancel, close (co-hosts and promotions are in
services_hosts.py).

Times: a naive datetime is read in the event's time zone; an aware one is kept as it is; all are stored in UTC.
An all-day event runs from local midnight of its first day to local midnight after its last day (the end is
exclusive, as in iCalendar).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.core.permissions import is_person
from freshground.core.tags import tags_from_names
from freshground.core.text import clean_text, unique_slug
from freshground.events import hooks, occurrences
from freshground.events import permissions as perms
from freshground.events.models import (
    DEFAULT_REMINDER_HOURS,
    AttendanceMode,
    Event,
    EventHost,
    EventKind,
    EventStatus,
    HostRole,
    RegistrationMode,
    Timeslot,
)
from freshground.events.timeslots import moment, save_timeslots, timeslot_rows, zone_named
from freshground.network.models import Center, Circle
from freshground.notifications.send import notify_new_content
from freshground.people.models import Person

EVENT_FIELDS = (
    "title",
    "description",
    "kind",
    "starts_at",
    "ends_at",
    "time_zone",
    "all_day",
    "rrule",
    "exdates",
    "attendance_mode",
    "venue_name",
    "address",
    "address_for_registered_only",
    "online_url",
    "online_url_for_registered_only",
    "step_free",
    "hearing_loop",
    "childcare",
    "quiet_room",
    "accessibility_notes",
    "language",
    "speakers_text",
    "registration_mode",
    "capacity",
    "registration_closes_at",
    "questions",
    "reminder_hours",
    "place_name",
    "latitude",
    "longitude",
)
LIMITS = {
    "title": 160,
    "description": 20000,
    "venue_name": 160,
    "address": 300,
    "online_url": 500,
    "accessibility_notes": 2000,
    "speakers_text": 300,
    "place_name": 160,
    "minutes": 20000,
    "outcomes": 5000,
    "rrule": 500,
}
# Slugs that are other pages under /events/ ("feeds": /events/feeds/<token>.ics would take /events/feeds/event.ics).
RESERVED_EVENT_SLUGS = frozenset(
    {"new", "mine", "calendar", "calendar-ics", "calendarics", "week", "month", "list", "feeds"}
)
MAX_QUESTIONS = 20
MAX_REMINDERS = 5
MAX_DURATION = timedelta(days=31)
TIME_FIELDS = frozenset({"starts_at", "ends_at", "time_zone", "all_day", "rrule", "exdates"})


# Cleaning and validation


def _check_lengths(values: dict[str, Any]) -> None:
    for key, limit in LIMITS.items():
        value = values.get(key)
        if isinstance(value, str) and len(value) > limit:
            raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=key)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key in EVENT_FIELDS:
        if key in values:
            value = values[key]
            cleaned[key] = clean_text(value) if isinstance(value, str) else value
    return cleaned


def _all_day_bounds(starts_at: datetime, ends_at: datetime, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    """Local midnight of the first day to local midnight after the last day (an end at midnight is exclusive)."""
    first = starts_at.astimezone(zone).date()
    local_end = ends_at.astimezone(zone)
    last = local_end.date()
    if local_end.time() == time(0, 0) and last > first:
        last -= timedelta(days=1)
    start = datetime.combine(first, time(0, 0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=zone).astimezone(UTC)
    return start, end


def _resolve_times(fields: dict[str, Any], event: Event) -> None:
    """Parse the time fields given (others come from the event) into UTC, in place; check their order."""
    zone = zone_named(fields.get("time_zone", event.time_zone))
    if "time_zone" in fields:
        fields["time_zone"] = zone.key
    for key in ("starts_at", "ends_at", "registration_closes_at"):
        if key in fields and fields[key] is not None:
            fields[key] = moment(fields[key], zone, key)
    if fields.get("starts_at", event.starts_at) is None:
        raise DomainError(_("When does it start?"), field="starts_at")
    starts_at: datetime = fields.get("starts_at", event.starts_at)
    ends_at: datetime | None = fields.get("ends_at", event.ends_at)
    if ends_at is None:
        raise DomainError(_("When does it end?"), field="ends_at")
    all_day = bool(fields.get("all_day", event.all_day))
    if all_day:
        starts_at, ends_at = _all_day_bounds(starts_at, ends_at, zone)
        fields["starts_at"], fields["ends_at"] = starts_at, ends_at
    if ends_at < starts_at:
        raise DomainError(_("The end is before the start."), field="ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise DomainError(_("An event lasts at most 31 days. Make a longer one repeat instead."), field="ends_at")
    if starts_at.year < 2000 or ends_at.year > 2200:
        raise DomainError(_("Choose a date between 2000 and 2200."), field="starts_at")


def _validate(fields: dict[str, Any], event: Event) -> None:
    """Check the merged state (given fields over the event's current ones). Refusals name the field."""

    def get(key: str) -> Any:
        return fields.get(key, getattr(event, key))

    _check_lengths(fields)
    if ("title" in fields or event.pk is None) and not get("title"):
        raise DomainError(_("An event needs a title."), field="title")
    if get("kind") not in EventKind.values:
        raise DomainError(_("Choose one of the kinds of event."), field="kind")
    if get("attendance_mode") not in AttendanceMode.values:
        raise DomainError(_("Choose in person, online or both."), field="attendance_mode")
    if get("registration_mode") not in RegistrationMode.values:
        raise DomainError(_("Choose how people register."), field="registration_mode")
    _resolve_times(fields, event)
    mode = get("attendance_mode")
    if mode in (AttendanceMode.ONLINE, AttendanceMode.HYBRID) and not get("online_url"):
        raise DomainError(_("An online event needs its link."), field="online_url")
    online_url = get("online_url")
    if online_url and not str(online_url).lower().startswith(("https://", "http://")):
        raise DomainError(_("The online link starts with https://."), field="online_url")
    if mode in (AttendanceMode.IN_PERSON, AttendanceMode.HYBRID) and not (get("address") or get("venue_name")):
        raise DomainError(_("Say where it happens: a venue or an address."), field="address")
    lat, lon = get("latitude"), get("longitude")
    if (lat is None) != (lon is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), field="latitude")
    if lat is not None and not -90 <= float(lat) <= 90:
        raise DomainError(_("Latitude must be between -90 and 90."), field="latitude")
    if lon is not None and not -180 <= float(lon) <= 180:
        raise DomainError(_("Longitude must be between -180 and 180."), field="longitude")
    capacity = get("capacity")
    if capacity is not None:
        if not isinstance(capacity, int) or capacity < 1 or capacity > 1_000_000:
            raise DomainError(_("Places must be a number from 1 up."), field="capacity")
        if capacity < event.registered_count:
            raise DomainError(
                _("%(n)d people have registered already: the places cannot be fewer.") % {"n": event.registered_count},
                field="capacity",
            )
    limited = get("registration_mode") == RegistrationMode.LIMITED
    if limited and capacity is None and "timeslots" not in fields and not (event.pk and event.timeslots.exists()):
        raise DomainError(_("Limited registration needs a number of places."), field="capacity")
    language = str(get("language") or "")
    if not language or len(language) > 12 or not all(part.isalnum() for part in language.split("-")):
        raise DomainError(_("Give a language code such as en or pt-br."), field="language")
    if "language" in fields:
        fields["language"] = language.lower()
    if "questions" in fields:
        fields["questions"] = _questions(fields["questions"])
    if "reminder_hours" in fields:
        fields["reminder_hours"] = _reminders(fields["reminder_hours"])
    if "rrule" in fields:
        fields["rrule"] = occurrences.normalise_rule(fields["rrule"] or "")
    if "exdates" in fields or ("starts_at" in fields and get("exdates")):
        fields["exdates"] = occurrences.parse_exdates(
            get("exdates") or [], starts_at=get("starts_at"), time_zone=get("time_zone")
        )
        if fields["exdates"] and not get("rrule"):
            raise DomainError(_("Only a repeating event has dates to skip."), field="exdates")


def _questions(value: Any) -> list[Any]:
    if not isinstance(value, list) or len(value) > MAX_QUESTIONS:
        raise DomainError(_("At most %(n)d questions.") % {"n": MAX_QUESTIONS}, field="questions")
    result: list[Any] = []
    for item in value:
        if isinstance(item, str):
            text = clean_text(item)
            if len(text) > 300:
                raise DomainError(_("A question has at most 300 characters."), field="questions")
            if text:
                result.append(text)
        elif isinstance(item, dict):
            result.append(item)
        else:
            raise DomainError(_("Questions are short texts."), field="questions")
    return result


def _reminders(value: Any) -> list[int]:
    if not isinstance(value, list) or len(value) > MAX_REMINDERS:
        raise DomainError(_("At most %(n)d reminders.") % {"n": MAX_REMINDERS}, field="reminder_hours")
    hours: set[int] = set()
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 24 * 14:
            raise DomainError(_("A reminder goes 1 to 336 hours before."), field="reminder_hours")
        hours.add(item)
    return sorted(hours, reverse=True)


def _event_slug(title: str, wanted: str | None = None) -> str:
    base = slugify(wanted or title)[:80] or "event"
    if base in RESERVED_EVENT_SLUGS:
        base = f"event-{base}"
    return unique_slug(Event, base, max_length=90)


def require_manager(person: Any, event: Event, message: str) -> None:
    if not perms.can_manage_event(person, event):
        raise PermissionDenied(message)


# Events


@transaction.atomic
def create_event(
    *,
    person: Person,
    host_circle: Circle | None = None,
    host_center: Center | None = None,
    topics: Iterable[str] | None = None,
    timeslots: list[dict[str, Any]] | None = None,
    slug: str | None = None,
    **values: Any,
) -> Event:
    """Put an event on the calendar, hosted by a circle or center the person organises/edits, or by themselves."""
    if not perms.can_create_event(person):
        raise PermissionDenied(_("Sign in to put an event on the calendar."))
    if host_circle is not None and host_center is not None:
        raise DomainError(_("Choose one host: a circle or a center."), field="host")
    if host_circle is not None and not perms.can_host_for_circle(person, host_circle):
        raise PermissionDenied(_("Only the circle's organisers can put on events in its name."))
    if host_center is not None and not perms.can_host_for_center(person, host_center):
        raise PermissionDenied(_("Only the center's editors can put on events in its name."))
    fields = _clean(values)
    fields.setdefault("title", "")
    fields.setdefault("time_zone", getattr(person, "time_zone", "") or "UTC")
    if "starts_at" not in fields or fields["starts_at"] is None:
        raise DomainError(_("When does it start?"), field="starts_at")
    if fields.get("ends_at") is None:
        fields["ends_at"] = fields["starts_at"]
    fields.setdefault("reminder_hours", list(DEFAULT_REMINDER_HOURS))
    event = Event(created_by=person)
    if timeslots is not None:
        fields["timeslots"] = timeslots
    _validate(fields, event)
    fields.pop("timeslots", None)
    for key, value in fields.items():
        setattr(event, key, value)
    occurrences.validate_recurrence(event)
    slot_rows = timeslot_rows(timeslots, event.time_zone) if timeslots else []
    topic_tags = tags_from_names(topics or [], "topics", limit=10)
    event.slug = _event_slug(event.title, slug)
    event.save()
    EventHost.objects.create(
        event=event,
        circle=host_circle,
        center=host_center,
        person=person if host_circle is None and host_center is None else None,
        role=HostRole.HOST,
        invited_by=person,
    )
    perms.forget_managed_events(person)
    if topic_tags:
        event.topics.set(topic_tags)
    if slot_rows:
        save_timeslots(event, slot_rows)
    occurrences.rebuild_occurrences(event)
    notify_new_content(
        target=event,
        actor=person,
        summary=_("%(host)s put a new event on the calendar: %(title)s")
        % {"host": str(host_circle or host_center or person.display_name), "title": event.title},
        url=event.get_absolute_url(),
        circle=host_circle,
        center=host_center,
        topics=topic_tags,
    )
    return event


@transaction.atomic
def update_event(
    *,
    person: Person,
    event: Event,
    topics: Iterable[str] | None = None,
    timeslots: list[dict[str, Any]] | None = None,
    **values: Any,
) -> Event:
    """Change an event (its managers). SEQUENCE goes up, dates are rebuilt, registrants hear of what matters."""
    require_manager(person, event, _("Only the event's hosts can change it."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        raise Conflict(_("This event is cancelled. Put on a new one instead."))
    fields = _clean(values)
    if timeslots is not None:
        fields["timeslots"] = timeslots
    _validate(fields, event)
    fields.pop("timeslots", None)
    changed = {key for key, value in fields.items() if getattr(event, key) != value}
    for key in changed:
        setattr(event, key, fields[key])
    if changed & TIME_FIELDS:
        occurrences.validate_recurrence(event)
    if timeslots is not None:
        before = list(Timeslot.objects.filter(event=event).values_list("pk", "starts_at", "ends_at", "capacity"))
        save_timeslots(event, timeslot_rows(timeslots, event.time_zone))
        after = list(Timeslot.objects.filter(event=event).values_list("pk", "starts_at", "ends_at", "capacity"))
        if before != after:
            changed.add("timeslots")
    if topics is not None:
        tags = tags_from_names(topics, "topics", limit=10)
        if {tag.pk for tag in tags} != set(event.topics.values_list("pk", flat=True)):
            event.topics.set(tags)
            changed.add("topics")
    if not changed:
        return event
    event.sequence += 1
    event.updated_at = timezone.now()
    event.save()
    if changed & TIME_FIELDS:
        occurrences.rebuild_occurrences(event)
    hooks.on_event_changed(event, frozenset(changed))
    return event


@transaction.atomic
def cancel_event(*, person: Person, event: Event) -> Event:
    """Call the event off (its managers). It stays on the calendar, marked cancelled, and registrants are told."""
    require_manager(person, event, _("Only the event's hosts can cancel it."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        raise Conflict(_("This event is already cancelled."))
    if event.status == EventStatus.CLOSED:
        raise Conflict(_("This event has happened and is closed."))
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    event.updated_at = timezone.now()
    event.save(update_fields=["status", "sequence", "updated_at"])
    hooks.on_event_cancelled(event)
    return event


@transaction.atomic
def close_event(
    *, person: Person, event: Event, minutes: str = "", attendance_count: int | None = None, outcomes: str = ""
) -> Event:
    """Write the event's report once it has started (its managers). Closing again corrects the report.

    The first close tells the close listeners (attendees are invited to leave feedback); a correction tells no one."""
    require_manager(person, event, _("Only the event's hosts can close it."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        raise Conflict(_("A cancelled event cannot be closed."))
    if event.starts_at > timezone.now():
        raise DomainError(_("An event can be closed once it has started."), field="minutes")
    report = {"minutes": clean_text(minutes or ""), "outcomes": clean_text(outcomes or "")}
    _check_lengths(report)
    if attendance_count is not None and (
        isinstance(attendance_count, bool)
        or not isinstance(attendance_count, int)
        or not 0 <= attendance_count <= 1_000_000
    ):
        raise DomainError(_("How many came: a number from 0 up."), field="attendance_count")
    first_close = event.status != EventStatus.CLOSED
    event.minutes, event.outcomes = report["minutes"], report["outcomes"]
    event.attendance_count = attendance_count
    event.status = EventStatus.CLOSED
    event.closed_at = event.closed_at or timezone.now()
    event.updated_at = timezone.now()
    event.save(update_fields=["minutes", "outcomes", "attendance_count", "status", "closed_at", "updated_at"])
    if first_close:
        hooks.on_event_closed(event)
    return event


def timeslot_places(event: Event) -> int | None:
    """All the places across the event's timeslots, or None when any slot is unlimited (or there are none)."""
    slots = event.timeslots.all()
    if not slots or any(slot.capacity is None for slot in slots):
        return None
    return int(slots.aggregate(total=Sum("capacity"))["total"] or 0)


def require_person(actor: Any) -> Person:
    if not is_person(actor):
        raise PermissionDenied(_("Sign in first."))
    return actor
