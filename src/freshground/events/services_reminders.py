"""Reminders before an event, sent by the worker: each registration is reminded once per configured lead time."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from freshground.events.mail_registrations import queue_mail
from freshground.events.models import (
    DEFAULT_REMINDER_HOURS,
    Event,
    EventStatus,
    Occurrence,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    ReminderSent,
    Timeslot,
)

# Reminders

# Reminders are looked for this far ahead; a reminder further ahead than a week is not a reminder.
REMINDER_HORIZON_HOURS = 7 * 24


def reminder_hours_of(event: Event) -> list[int]:
    """The event's reminder times in hours before the start (24 and 1 when it has none)."""
    raw = event.reminder_hours if isinstance(event.reminder_hours, list) else []
    chosen = {int(h) for h in raw if isinstance(h, int | float) and 0 < h <= REMINDER_HORIZON_HOURS}
    return sorted(chosen) or list(DEFAULT_REMINDER_HOURS)


def send_due_reminders(now: datetime | None = None) -> int:
    """Mail a reminder to everyone confirmed for an occurrence (or timeslot) starting within one of its event's
    reminder times. Each (registration, start, hours) is sent at most once, whatever runs the job twice: the
    ReminderSent row is created first, inside the same transaction as the queued mail."""
    moment = now or timezone.now()
    horizon = moment + timedelta(hours=REMINDER_HORIZON_HOURS)
    starts: dict[int, list[datetime]] = {}
    for event_id, starts_at in (
        Occurrence.objects.filter(
            starts_at__gt=moment,
            starts_at__lte=horizon,
            event__status=EventStatus.SCHEDULED,
        )
        .exclude(event__registration_mode=RegistrationMode.NONE)
        .values_list("event_id", "starts_at")
    ):
        starts.setdefault(event_id, []).append(starts_at)
    slot_starts = dict(
        Timeslot.objects.filter(
            starts_at__gt=moment, starts_at__lte=horizon, event__status=EventStatus.SCHEDULED
        ).values_list("pk", "starts_at")
    )
    events = Event.objects.in_bulk(
        set(starts) | set(Timeslot.objects.filter(pk__in=slot_starts).values_list("event_id", flat=True))
    )
    sent = 0
    registrations = (
        Registration.objects.filter(status=RegistrationStatus.CONFIRMED)
        .filter(Q(event_id__in=list(starts), timeslot__isnull=True) | Q(timeslot_id__in=list(slot_starts)))
        .only("pk", "event_id", "timeslot_id")
        .order_by("pk")
    )
    for registration in registrations.iterator(chunk_size=500):
        event = events.get(registration.event_id)
        if event is None:
            continue
        hours = reminder_hours_of(event)
        candidates = (
            [slot_starts[registration.timeslot_id]]
            if registration.timeslot_id is not None and registration.timeslot_id in slot_starts
            else starts.get(registration.event_id, [])
        )
        for starts_at in candidates:
            due = [h for h in hours if starts_at <= moment + timedelta(hours=h)]
            if not due:
                continue
            sent += _remind(registration, starts_at, min(due))
    return sent


def _remind(registration: Registration, starts_at: datetime, hours: int) -> int:
    with transaction.atomic():
        _row, created = ReminderSent.objects.get_or_create(
            registration_id=registration.pk, occurrence_starts_at=starts_at, hours_before=hours
        )
        if not created:
            return 0
        queue_mail("reminder", registration, starts_at=starts_at.isoformat(), hours_before=hours)
    return 1
