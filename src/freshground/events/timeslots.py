"""Reading an event's times (a zone name, a naive or aware moment) and its timeslots: cleaning the rows a form or
the API sends, and saving them without losing registrations."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError
from freshground.core.text import clean_text
from freshground.events.models import (
    Event,
    Timeslot,
)

MAX_TIMESLOTS = 50


def zone_named(name: Any) -> zoneinfo.ZoneInfo:
    if not isinstance(name, str) or not name or name not in zoneinfo.available_timezones():
        raise DomainError(_("Choose a known time zone, such as Europe/London."), field="time_zone")
    return zoneinfo.ZoneInfo(name)


def moment(value: Any, zone: zoneinfo.ZoneInfo, field: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError as error:
            raise DomainError(_("Give a date and time like 2026-03-31 19:00."), field=field) from error
    if isinstance(value, datetime):
        aware = value if timezone.is_aware(value) else value.replace(tzinfo=zone)
        return aware.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=zone).astimezone(UTC)
    raise DomainError(_("Give a date and time."), field=field)


def timeslot_rows(value: Any, zone_name: str) -> list[dict[str, Any]]:
    """Parse [{id?, label, starts_at, ends_at, capacity}] into clean dicts."""
    if not isinstance(value, list) or len(value) > MAX_TIMESLOTS:
        raise DomainError(_("At most %(n)d timeslots.") % {"n": MAX_TIMESLOTS}, field="timeslots")
    zone = zone_named(zone_name)
    rows: list[dict[str, Any]] = []
    for item in value:
        if not isinstance(item, dict):
            raise DomainError(_("Each timeslot needs a start and an end."), field="timeslots")
        label = clean_text(str(item.get("label") or ""))
        if len(label) > 120:
            raise DomainError(_("A timeslot's label has at most 120 characters."), field="timeslots")
        if item.get("starts_at") is None or item.get("ends_at") is None:
            raise DomainError(_("Each timeslot needs a start and an end."), field="timeslots")
        start = moment(item["starts_at"], zone, "timeslots")
        end = moment(item["ends_at"], zone, "timeslots")
        if end < start:
            raise DomainError(_("A timeslot ends before it starts."), field="timeslots")
        capacity = item.get("capacity")
        if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1):
            raise DomainError(_("A timeslot's places must be a number from 1 up."), field="timeslots")
        rows.append({"id": item.get("id"), "label": label, "starts_at": start, "ends_at": end, "capacity": capacity})
    return rows


def save_timeslots(event: Event, rows: list[dict[str, Any]]) -> None:
    existing = {slot.pk: slot for slot in Timeslot.objects.select_for_update().filter(event=event)}
    keep: set[int] = set()
    for row in rows:
        slot = existing.get(row["id"]) if row["id"] is not None else None
        if slot is None:
            Timeslot.objects.create(
                event=event,
                label=row["label"],
                starts_at=row["starts_at"],
                ends_at=row["ends_at"],
                capacity=row["capacity"],
            )
            continue
        if row["capacity"] is not None and row["capacity"] < slot.registered_count:
            raise DomainError(
                _("%(n)d people have registered for “%(slot)s”: its places cannot be fewer.")
                % {"n": slot.registered_count, "slot": slot.label or slot.starts_at.isoformat()},
                field="timeslots",
            )
        slot.label, slot.starts_at, slot.ends_at, slot.capacity = (
            row["label"],
            row["starts_at"],
            row["ends_at"],
            row["capacity"],
        )
        slot.save()
        keep.add(slot.pk)
    for pk, slot in existing.items():
        if pk in keep:
            continue
        if slot.registered_count or slot.registrations.exclude(status="cancelled").exists():
            raise DomainError(
                _("People have registered for “%(slot)s”: it cannot be removed.")
                % {"slot": slot.label or slot.starts_at.isoformat()},
                field="timeslots",
            )
        slot.delete()
