"""Reads for the shared calendar: occurrences in a date range, filtered, grouped into days, months and weeks.

Every view costs a fixed number of queries whatever the number of events:
- month and week: the first DAY_LIMIT occurrences of each day, the all-day events and the timed occurrences that
  began before the range and still run into it (one compound query), the rows shown, then hosts and topics: 4 queries;
- list: one page of occurrences (one more than the page size tells whether a next page exists), hosts, topics: 3.

Days are the viewer's days: times are converted to the active time zone (core.middleware.TimezoneMiddleware); an
all-day event sits on its own dates, whatever the viewer's zone. A timed occurrence that runs over several of the
viewer's days (a weekend conference, Friday 18:00 to Sunday 16:00) sits on each of them in the month and week views,
marked as continuing on the days after its start; the list shows it once, under its start day, with its end.
"""

from __future__ import annotations

import copy
import math
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from django.db import connection
from django.db.models import (
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from freshground.core.permissions import is_person
from freshground.events.details import attach_details
from freshground.events.models import (
    AttendanceMode,
    Event,
    EventHost,
    EventKind,
    EventStatus,
    HostStatus,
    Occurrence,
    Promotion,
)
from freshground.network.models import CenterEditor, Follow, Membership
from freshground.network.queries import Near

DAY_LIMIT = 4  # occurrences listed in a month cell; a link leads to the rest of the day
WEEK_DAY_LIMIT = 25  # occurrences listed in a week view's day
LIST_PAGE_SIZE = 30
PERSON_LIST_SIZE = 8  # events listed on a person's profile, as on a circle's page
# Multi-day occurrences are found by their start: one that began up to this long before a range still shows in it.
MAX_SPAN = timedelta(days=14)
# Day indexes in the compound query for the parts that are not one day's starts.
ALL_DAY = -1
RUNNING = -2
EARTH_RADIUS_KM = 6371.0

ACCESS_FEATURES = ("step_free", "hearing_loop", "childcare", "quiet_room")
MODES = ("in_person", "online", "hybrid")


@dataclass(frozen=True)
class CalendarFilters:
    """What the calendar shows. Empty values mean "any"; cancelled events are shown (marked) unless hidden."""

    place: str = ""
    near: Near | None = None
    kind: str = ""
    topic: str = ""
    language: str = ""
    circle: str = ""
    center: str = ""
    mode: str = ""
    access: tuple[str, ...] = ()
    mine: bool = False
    hide_cancelled: bool = False

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def params(self) -> dict[str, Any]:
        """The filters as query parameters (for links and feed URLs), without empty values."""
        values: dict[str, Any] = {}
        for name in ("place", "kind", "topic", "language", "circle", "center", "mode"):
            if getattr(self, name):
                values[name] = getattr(self, name)
        if self.near is not None:
            values.update(lat=self.near.latitude, lon=self.near.longitude, km=self.near.km)
        if self.access:
            values["access"] = list(self.access)
        if self.mine:
            values["mine"] = "1"
        if self.hide_cancelled:
            values["hide_cancelled"] = "1"
        return values

    def without_person(self) -> CalendarFilters:
        return replace(self, mine=False)


def event_url(event: Event) -> str:
    """The event page's path (events:event); the plain path while that page is not wired yet."""
    try:
        return reverse("events:event", args=[event.slug])
    except NoReverseMatch:
        return f"/events/{event.slug}/"


def _haversine_km(near: Near, prefix: str) -> Any:
    lat = Radians(F(f"{prefix}latitude"))
    d_lat = lat - Value(math.radians(near.latitude))
    d_lon = Radians(F(f"{prefix}longitude")) - Value(math.radians(near.longitude))
    a = Power(Sin(d_lat / Value(2.0)), 2) + Value(math.cos(math.radians(near.latitude))) * Cos(lat) * Power(
        Sin(d_lon / Value(2.0)), 2
    )
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a), output_field=FloatField())


def _hosted_or_promoted(who: Q, prefix: str) -> Q:
    """Events hosted (or co-hosted) or promoted by the circles or centers `who` matches."""
    hosted = EventHost.objects.filter(who, status=HostStatus.ACCEPTED).values("event_id")
    promoted = Promotion.objects.filter(who).values("event_id")
    return Q(**{f"{prefix}pk__in": hosted}) | Q(**{f"{prefix}pk__in": promoted})


def filter_events[M: (Event, Occurrence)](
    rows: QuerySet[M], filters: CalendarFilters, viewer: Any, *, prefix: str = ""
) -> QuerySet[M]:
    """Apply the filters to events (prefix "") or to occurrences (prefix "event__")."""
    p = prefix

    def q(**lookups: Any) -> Q:
        return Q(**{f"{p}{name}": value for name, value in lookups.items()})

    if filters.hide_cancelled:
        rows = rows.exclude(q(status=EventStatus.CANCELLED))
    if filters.kind:
        rows = rows.filter(q(kind=filters.kind))
    if filters.language:
        rows = rows.filter(q(language__iexact=filters.language))
    if filters.topic:
        rows = rows.filter(
            **{f"{p}pk__in": Event.topics.through.objects.filter(tag__slug=filters.topic).values("event_id")}
        )
    if filters.place:
        rows = rows.filter(q(place_name__icontains=filters.place) | q(venue_name__icontains=filters.place))
    if filters.mode == AttendanceMode.IN_PERSON:
        rows = rows.filter(q(attendance_mode__in=[AttendanceMode.IN_PERSON, AttendanceMode.HYBRID]))
    elif filters.mode == AttendanceMode.ONLINE:
        rows = rows.filter(q(attendance_mode__in=[AttendanceMode.ONLINE, AttendanceMode.HYBRID]))
    elif filters.mode == AttendanceMode.HYBRID:
        rows = rows.filter(q(attendance_mode=AttendanceMode.HYBRID))
    for feature in filters.access:
        if feature in ACCESS_FEATURES:
            rows = rows.filter(q(**{feature: True}))
    if filters.circle:
        rows = rows.filter(_hosted_or_promoted(Q(circle__slug=filters.circle), p))
    if filters.center:
        rows = rows.filter(_hosted_or_promoted(Q(center__slug=filters.center), p))
    if filters.mine:
        if not is_person(viewer):
            return rows.none()
        circles = Q(circle_id__in=Membership.objects.filter(person=viewer).values("circle_id")) | Q(
            circle_id__in=Follow.objects.filter(person=viewer, circle__isnull=False).values("circle_id")
        )
        centers = Q(center_id__in=CenterEditor.objects.filter(person=viewer).values("center_id")) | Q(
            center_id__in=Follow.objects.filter(person=viewer, center__isnull=False).values("center_id")
        )
        own = q(pk__in=EventHost.objects.filter(person=viewer, status=HostStatus.ACCEPTED).values("event_id"))
        rows = rows.filter(_hosted_or_promoted(circles | centers, p) | own)
    if filters.near is not None:
        near = filters.near
        (south, north), lon_ranges = near.bounding_box()
        lon_q = Q()
        for west, east in lon_ranges:
            lon_q |= q(longitude__gte=west, longitude__lte=east)
        rows = rows.filter(lon_q, q(latitude__gte=south, latitude__lte=north))
        rows = rows.annotate(distance_km=_haversine_km(near, p)).filter(distance_km__lte=near.km)
    return rows


def occurrences(filters: CalendarFilters, viewer: Any) -> QuerySet[Occurrence]:
    return filter_events(Occurrence.objects.all(), filters, viewer, prefix="event__").order_by("starts_at", "id")


def with_details(rows: QuerySet[Occurrence]) -> QuerySet[Occurrence]:
    """Each occurrence with its event, the event's hosts (with their circle, center or person) and topics."""
    # A co-host that has not accepted yet is not shown as hosting.
    hosts = (
        EventHost.objects.filter(status=HostStatus.ACCEPTED)
        .select_related("circle", "center", "person")
        .order_by("added_at", "id")
    )
    return rows.select_related("event").prefetch_related(
        Prefetch("event__hosts", queryset=hosts), Prefetch("event__topics")
    )


# Days


@dataclass
class Day:
    date: date
    occurrences: list[Occurrence] = field(default_factory=list)
    more: bool = False
    in_range: bool = True
    is_today: bool = False

    @property
    def iso(self) -> str:
        return self.date.isoformat()


def local_days(starts_at: datetime, ends_at: datetime, all_day: bool, event_zone: str, zone: tzinfo) -> Iterable[date]:
    """The viewer's days an occurrence touches (an all-day event: its own dates in its own zone)."""
    if all_day:
        try:
            own: tzinfo = zoneinfo.ZoneInfo(event_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            own = zone
        first, last_moment = starts_at.astimezone(own), ends_at.astimezone(own)
    else:
        first, last_moment = starts_at.astimezone(zone), ends_at.astimezone(zone)
    last = last_moment.date()
    if last > first.date() and last_moment.time() == time(0):
        last -= timedelta(days=1)  # ends at midnight: the next day is not touched
    day = first.date()
    while day <= last:
        yield day
        day += timedelta(days=1)


def _union_all(parts: list[QuerySet[Any, Any]]) -> list[tuple[int, int]]:
    """Run several sliced, ordered (id, day_index, …) querysets as one UNION ALL query (Django's union() refuses
    sliced parts on SQLite; wrapping each part as a subquery is valid SQL on SQLite and PostgreSQL alike)."""
    sql_parts: list[str] = []
    params: list[Any] = []
    for number, part in enumerate(parts):
        sql, part_params = part.query.sql_with_params()
        sql_parts.append(f"SELECT * FROM ({sql}) AS part_{number}")  # noqa: S608 - Django-compiled SQL, parameters apart
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql_parts), params)
        return [(int(row[0]), int(row[1])) for row in cursor.fetchall()]


def fill_days(filters: CalendarFilters, viewer: Any, days: list[Day], zone: tzinfo, limit: int) -> None:
    """Put the matching occurrences into the days given (consecutive), at most `limit` a day; day.more says
    whether a day has more.

    A timed occurrence sits on every viewer's day it covers, from its start. One compound query asks, for each day,
    for the first `limit + 1` occurrences starting that day (each part an index range scan that stops early, however
    busy the month), plus the all-day events around the range, which sit on each of their own dates, plus the timed
    occurrences that began up to MAX_SPAN before the range and still run into it (a scan of those days' starts).
    Then the rows shown with their events, and hosts and topics: 4 queries in all.

    A multi-day occurrence that starts inside the range is carried to its following days when it is among its start
    day's first `limit + 1`; past that its start day already links to the rest of the day ("more").
    """
    if not days:
        return
    start = datetime.combine(days[0].date, time(0), zone)
    end = datetime.combine(days[-1].date + timedelta(days=1), time(0), zone)
    matching = occurrences(filters, viewer)
    parts = []
    for index, day in enumerate(days):
        low = datetime.combine(day.date, time(0), zone)
        high = datetime.combine(day.date + timedelta(days=1), time(0), zone)
        part = matching.filter(starts_at__gte=low, starts_at__lt=high, event__all_day=False)
        parts.append(part.annotate(day_index=Value(index)).values_list("id", "day_index", "starts_at")[: limit + 1])
    # All-day events are dated in their own zone: look a day either side, then place them exactly.
    # A list of the (few) all-day events lets the database probe their dates by index instead of walking weeks of
    # dates; an index on Event.all_day (asked of events-core) makes the list itself instant.
    all_day = matching.filter(
        event_id__in=Event.objects.filter(all_day=True).values("pk"),
        starts_at__lt=end + timedelta(days=1),
        starts_at__gte=start - MAX_SPAN,
        ends_at__gt=start - timedelta(days=1),
    )
    parts.append(
        all_day.annotate(day_index=Value(ALL_DAY)).values_list("id", "day_index", "starts_at")[: limit * len(days)]
    )
    # Timed occurrences already running when the range begins: each covers the first day, so a day's worth of them
    # per day of the range is more than the days can show.
    running = matching.filter(
        starts_at__gte=start - MAX_SPAN, starts_at__lt=start, ends_at__gt=start, event__all_day=False
    )
    parts.append(
        running.annotate(day_index=Value(RUNNING)).values_list("id", "day_index", "starts_at")[: limit * len(days)]
    )
    picked = _union_all(parts)
    if not picked:
        return
    # Plain lists, not prefetch_related: a month of 200 cells would leave thousands of per-event querysets in
    # reference cycles for the garbage collector (the same pauses the feeds had; see events/details.py).
    found = Occurrence.objects.filter(pk__in={pk for pk, _index in picked}).select_related("event")
    rows = {row.pk: row for row in found}
    attach_details([row.event for row in rows.values()])
    by_date = {day.date: day for day in days}
    # Occurrences starting in the range first, by day, then the ones carried over: a day's own starts fill it first.
    placed: list[tuple[Day, Occurrence, bool]] = []
    carried: list[tuple[Day, Occurrence, bool]] = []
    for pk, index in picked:
        occurrence = rows.get(pk)
        if occurrence is None:
            continue
        event = occurrence.event
        if index in (ALL_DAY, RUNNING):
            covered = local_days(occurrence.starts_at, occurrence.ends_at, event.all_day, event.time_zone, zone)
            targets = [by_date[d] for d in covered if d in by_date]
            if event.all_day:
                placed += [(day, occurrence, False) for day in targets]
            else:
                carried += [(day, occurrence, True) for day in targets]
        elif index >= 0:
            covered = local_days(occurrence.starts_at, occurrence.ends_at, False, event.time_zone, zone)
            first, *later = [by_date[d] for d in covered if d in by_date] or [days[index]]
            placed.append((first, occurrence, False))
            carried += [(day, occurrence, True) for day in later]
    for day, occurrence, continued in placed + carried:
        if len(day.occurrences) < limit:
            day.occurrences.append(_on_day(annotate(occurrence), continued))
        else:
            day.more = True
    for day in days:
        day.occurrences.sort(key=lambda o: (not o.event.all_day, not getattr(o, "continued", False), o.starts_at, o.pk))


def _on_day(occurrence: Occurrence, continued: bool) -> Occurrence:
    """The occurrence as a day shows it: on the days after a timed occurrence's start, a copy marked continuing."""
    if not continued:
        occurrence.continued = False  # type: ignore[attr-defined]
        return occurrence
    shown = copy.copy(occurrence)
    shown.continued = True  # type: ignore[attr-defined]
    return shown


def annotate(occurrence: Occurrence) -> Occurrence:
    """Attributes the templates read, computed once here rather than by template filters for every cell: the event's
    page, its kind's label, the start in the viewer's zone (ISO and HH:MM) and the names of its hosts."""
    event = occurrence.event
    if not hasattr(event, "url"):
        event.url = event_url(event)  # type: ignore[attr-defined]
        event.kind_label = _kind_label(event.kind)  # type: ignore[attr-defined]
    local = timezone.localtime(occurrence.starts_at)
    occurrence.local_iso = local.isoformat()  # type: ignore[attr-defined]
    occurrence.local_time = local.strftime("%H:%M")  # type: ignore[attr-defined]
    # A timed occurrence over several of the viewer's days shows its end (the list shows it once, on its start day).
    local_end = timezone.localtime(occurrence.ends_at)
    multi_day = not event.all_day and len(list(local_days(local, local_end, False, "", local.tzinfo or UTC))) > 1
    occurrence.local_end_iso = local_end.isoformat() if multi_day else ""  # type: ignore[attr-defined]
    occurrence.local_end = local_end if multi_day else None  # type: ignore[attr-defined]
    hosts = getattr(event, "feed_hosts", None)
    if hosts is None:
        hosts = event.hosts.all()
    occurrence.host_names = [str(h.circle or h.center or h.person) for h in hosts]  # type: ignore[attr-defined]
    return occurrence


def _kind_label(kind: str) -> str:
    labels = _kind_labels.get(translation.get_language())
    if labels is None:
        labels = _kind_labels[translation.get_language()] = {value: str(label) for value, label in EventKind.choices}
    return labels.get(kind, kind)


_kind_labels: dict[str | None, dict[str, str]] = {}
