"""Events for the calendar's tests, written with the ORM directly (Event, EventHost, Occurrence rows).

The calendar reads what the event services write; until tests can go through those services, this module builds the
same rows itself: an event, its hosts, its topics and its occurrences (a recurring event's expanded from its RRULE in
the event's own zone, like events.occurrences does).
"""

from __future__ import annotations

import itertools
import zoneinfo
from datetime import UTC, datetime, timedelta
from typing import Any

from dateutil.rrule import rrulestr
from django.utils.text import slugify

from freshground.core.models import Tag
from freshground.events.models import Event, EventHost, HostRole, Occurrence, Promotion
from freshground.network.models import Center, Circle
from freshground.people.models import Person

_numbers = itertools.count(1)


def topic(name: str) -> Tag:
    tag, _ = Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return tag


def expand(event: Event, limit: int = 200) -> list[tuple[datetime, datetime]]:
    """The event's (start, end) pairs in UTC: one for a single event, the RRULE's dates minus EXDATEs otherwise."""
    duration = event.ends_at - event.starts_at
    if not event.rrule:
        return [(event.starts_at, event.ends_at)]
    zone = zoneinfo.ZoneInfo(event.time_zone)
    local_start = event.starts_at.astimezone(zone).replace(tzinfo=None)
    rule = rrulestr(event.rrule, dtstart=local_start)
    skipped = {datetime.fromisoformat(value).astimezone(UTC) for value in event.exdates}
    pairs = []
    for local in itertools.islice(rule, limit):
        start = local.replace(tzinfo=zone).astimezone(UTC)
        if start not in skipped:
            pairs.append((start, start + duration))
    return pairs


def make_event(
    *,
    title: str | None = None,
    starts_at: datetime | None = None,
    duration: timedelta = timedelta(hours=2),
    circles: list[Circle] | None = None,
    cohosts: list[Circle | Center] | None = None,
    centers: list[Center] | None = None,
    person: Person | None = None,
    topics: list[str] | None = None,
    promoted_by: list[Circle | Center] | None = None,
    **fields: Any,
) -> Event:
    """An event with hosts, topics, promotions and occurrences. Unknown keywords are Event fields."""
    number = next(_numbers)
    title = title or f"Event {number}"
    starts_at = starts_at or datetime(2030, 3, 14, 18, 0, tzinfo=UTC)
    event = Event.objects.create(
        title=title,
        slug=f"{slugify(title)[:70]}-{number}",
        starts_at=starts_at,
        ends_at=starts_at + duration,
        **fields,
    )
    for circle in circles or []:
        EventHost.objects.create(event=event, circle=circle)
    for center in centers or []:
        EventHost.objects.create(event=event, center=center)
    for host in cohosts or []:
        if isinstance(host, Circle):
            EventHost.objects.create(event=event, circle=host, role=HostRole.COHOST)
        else:
            EventHost.objects.create(event=event, center=host, role=HostRole.COHOST)
    if person is not None or not (circles or centers or cohosts):
        EventHost.objects.create(event=event, person=person or _host_person())
    for promoter in promoted_by or []:
        if isinstance(promoter, Circle):
            Promotion.objects.create(event=event, circle=promoter)
        else:
            Promotion.objects.create(event=event, center=promoter)
    if topics:
        event.topics.set([topic(name) for name in topics])
    Occurrence.objects.bulk_create(Occurrence(event=event, starts_at=s, ends_at=e) for s, e in expand(event))
    return event


def _host_person() -> Person:
    from freshground.testing.factories import PersonFactory

    person: Person = PersonFactory.create()
    return person
