"""The calendar's three pages (month, week, list) and a person's upcoming registrations, built on events.calendar's
filtered, permission-aware occurrence queries."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone
from django.utils.formats import get_format

from freshground.core.permissions import is_person
from freshground.events.calendar import (
    DAY_LIMIT,
    LIST_PAGE_SIZE,
    MAX_SPAN,
    PERSON_LIST_SIZE,
    WEEK_DAY_LIMIT,
    CalendarFilters,
    Day,
    annotate,
    fill_days,
    local_days,
    occurrences,
    with_details,
)
from freshground.events.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)

# Month


@dataclass
class MonthView:
    year: int
    month: int
    weeks: list[list[Day]]
    weekdays: list[int]
    previous: date
    next: date
    today: date

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)


def first_weekday() -> int:
    """Monday is 0 (Python's numbering); Django's FIRST_DAY_OF_WEEK counts from Sunday."""
    return (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7


def month_view(filters: CalendarFilters, viewer: Any, year: int, month: int) -> MonthView:
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    weekday = first_weekday()
    grid = pycalendar.Calendar(firstweekday=weekday).monthdatescalendar(year, month)
    weeks = [[Day(date=d, in_range=d.month == month, is_today=d == today) for d in week] for week in grid]
    fill_days(filters, viewer, [day for week in weeks for day in week], zone, DAY_LIMIT)
    first = date(year, month, 1)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return MonthView(year, month, weeks, [(weekday + i) % 7 for i in range(7)], previous, following, today)


# Week


@dataclass
class WeekView:
    days: list[Day]
    previous: date
    next: date
    today: date

    @property
    def first(self) -> date:
        return self.days[0].date

    @property
    def last(self) -> date:
        return self.days[-1].date


def week_start(day: date) -> date:
    return day - timedelta(days=(day.weekday() - first_weekday()) % 7)


def week_view(filters: CalendarFilters, viewer: Any, around: date) -> WeekView:
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    first = week_start(around)
    days = [Day(date=first + timedelta(days=i), is_today=first + timedelta(days=i) == today) for i in range(7)]
    fill_days(filters, viewer, days, zone, WEEK_DAY_LIMIT)
    return WeekView(days, first - timedelta(days=7), first + timedelta(days=7), today)


# List


@dataclass
class ListView:
    days: list[Day]
    number: int
    has_previous: bool
    has_next: bool
    start: date

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def list_view(
    filters: CalendarFilters, viewer: Any, start: date | None = None, page: int = 1, size: int = LIST_PAGE_SIZE
) -> ListView:
    """Upcoming occurrences from the start of `start` (default: now), a page at a time, grouped by the viewer's day.

    No count query: one more row than the page size says whether there is a next page.
    """
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    page = max(1, page)
    since = datetime.combine(start, time(0), zone) if start else timezone.now()
    offset = (page - 1) * size
    rows = list(
        with_details(occurrences(filters, viewer).filter(ends_at__gt=since, starts_at__gte=since - MAX_SPAN))[
            offset : offset + size + 1
        ]
    )
    has_next = len(rows) > size
    days: dict[date, Day] = {}
    for occurrence in rows[:size]:
        local = next(
            iter(
                local_days(
                    max(occurrence.starts_at, since),
                    max(occurrence.ends_at, since),
                    occurrence.event.all_day,
                    occurrence.event.time_zone,
                    zone,
                )
            ),
            timezone.localtime(occurrence.starts_at, zone).date(),
        )
        day = days.setdefault(local, Day(date=local, is_today=local == today))
        day.occurrences.append(annotate(occurrence))
    return ListView(list(days.values()), page, page > 1, has_next, start or today)


# A person's upcoming registrations (their profile page)


def registered_events(person: Any, limit: int = PERSON_LIST_SIZE) -> list[Event]:
    """Upcoming events the person has a place at or is on the waiting list for, by their next date: one query.

    Each event carries `next_start` and `registration_status`. For the person's own eyes only: the caller decides.
    """
    if not is_person(person):
        return []
    live = Registration.objects.filter(
        person=person, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    )
    now = timezone.now()
    return list(
        Event.objects.filter(status=EventStatus.SCHEDULED, pk__in=live.values("event_id"))
        .annotate(
            next_start=Min("occurrences__starts_at", filter=Q(occurrences__ends_at__gte=now)),
            registration_status=Subquery(live.filter(event=OuterRef("pk")).order_by("status").values("status")[:1]),
        )
        .filter(next_start__isnull=False)
        .order_by("next_start", "id")[:limit]
    )
