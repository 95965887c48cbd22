"""Calendar API: the shared calendar's occurrences in a date range, with the same filters as /events/, and the
addresses of the iCalendar feeds.

The feed addresses are documented in FEEDS_DOC, which the OpenAPI description of both endpoints carries.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Self

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import field_validator, model_validator

from freshground.api import OPTIONAL_AUTH
from freshground.core.exceptions import DomainError
from freshground.core.permissions import is_person
from freshground.events import calendar, ical
from freshground.events.models import AttendanceMode, Event, EventKind, EventStatus, Occurrence
from freshground.network.queries import Near
from freshground.people.api import ERRORS, viewer

router = Router(tags=["calendar"])

FEEDS_DOC = """\
iCalendar (RFC 5545) feeds, outside /api/v1/ (plain GET, no token, `text/calendar; charset=utf-8`, cached for
15 minutes with ETag and Last-Modified; events from 30 days ago onwards, at most 500):

- `/events/calendar.ics` — the whole calendar; takes the calendar filters as query parameters (`place`, `lat`, `lon`,
  `km`, `kind`, `topic`, `language`, `circle`, `center`, `mode`, `access` (repeatable), `hide_cancelled`);
- `/circles/{slug}/events.ics` — hosted, co-hosted or promoted by a circle; `/centers/{slug}/events.ics` — by a center;
- `/events/{slug}/event.ics` — one event ("add to calendar");
- `/events/feeds/{token}.ics` — a person's "events I'm going to"; its secret address is in `GET /calendar/feeds`.

Each event is one VEVENT with a stable UID, SEQUENCE raised on changes, DTSTART in the event's zone (VTIMEZONE
included), RRULE/EXDATE for recurring events and STATUS:CANCELLED for cancelled ones. A private address is never in
a feed or in this API.
"""

MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 31
ACCESS_PATTERN = r"^(step_free|hearing_loop|childcare|quiet_room)$"


class CalendarQuery(Schema):
    start: date | None = Field(None, description="First day (in UTC), default today.")
    end: date | None = Field(None, description=f"Day after the last, default start + {DEFAULT_RANGE_DAYS} days.")
    place: str | None = Field(None, max_length=160, description="Part of the city or place name, or the venue.")
    near: str | None = Field(None, max_length=60, description="lat,lon: events within km of this point.")
    km: float = Field(25.0, gt=0, le=1000)
    kind: EventKind | None = None
    topic: str | None = Field(None, max_length=90, description="A topic's slug.")
    language: str | None = Field(None, max_length=12)
    circle: str | None = Field(None, max_length=90, description="Hosted, co-hosted or promoted by this circle.")
    center: str | None = Field(None, max_length=90, description="Hosted, co-hosted or promoted by this center.")
    mode: AttendanceMode | None = Field(
        None, description="in_person or online: can attend that way (hybrid counts); hybrid: hybrid only."
    )
    access: list[str] = Field(
        default_factory=list, description="step_free, hearing_loop, childcare, quiet_room (all must hold)."
    )
    mine: bool = Field(False, description="Only events of circles you are in or follow and centers you edit or follow.")
    hide_cancelled: bool = False

    @field_validator("access")
    @classmethod
    def _access(cls, values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in calendar.ACCESS_FEATURES]
        if unknown:
            raise ValueError(f"unknown access feature: {unknown[0][:30]}")
        return values

    @field_validator("near")
    @classmethod
    def _lat_lon(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            lat, lon = (float(part) for part in value.split(","))
        except ValueError:
            raise ValueError("give latitude,longitude, e.g. 53.8,-1.55") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("latitude must be within -90..90 and longitude within -180..180")
        return f"{lat},{lon}"

    @model_validator(mode="after")
    def _range(self) -> Self:
        if self.start and self.end and self.end <= self.start:
            raise ValueError("end must be after start")
        if self.start and self.end and (self.end - self.start).days > MAX_RANGE_DAYS:
            raise ValueError(f"ask for at most {MAX_RANGE_DAYS} days at a time")
        return self

    def filters(self) -> calendar.CalendarFilters:
        near = None
        if self.near:
            lat, lon = (float(part) for part in self.near.split(","))
            near = Near(latitude=lat, longitude=lon, km=self.km)
        return calendar.CalendarFilters(
            place=(self.place or "").strip(),
            near=near,
            kind=self.kind or "",
            topic=self.topic or "",
            language=(self.language or "").strip(),
            circle=self.circle or "",
            center=self.center or "",
            mode=self.mode or "",
            access=tuple(self.access),
            mine=self.mine,
            hide_cancelled=self.hide_cancelled,
        )

    def window(self) -> tuple[datetime, datetime]:
        start = self.start or timezone.now().date()
        end = self.end or start + timedelta(days=DEFAULT_RANGE_DAYS)
        return datetime.combine(start, time(0), UTC), datetime.combine(end, time(0), UTC)


class HostOut(Schema):
    type: str
    name: str
    slug: str | None = None


class CalendarEventOut(Schema):
    uid: str
    slug: str
    title: str
    kind: EventKind
    status: EventStatus
    cancelled: bool
    sequence: int
    time_zone: str
    all_day: bool
    recurring: bool
    attendance_mode: AttendanceMode
    place_name: str
    location: str = Field(description="Venue and address when public; else only the place name.")
    language: str
    step_free: bool
    hearing_loop: bool
    childcare: bool
    quiet_room: bool
    topics: list[str]
    hosts: list[HostOut]
    url: str
    ics_url: str

    @staticmethod
    def resolve_cancelled(obj: Event) -> bool:
        return obj.status == EventStatus.CANCELLED

    @staticmethod
    def resolve_recurring(obj: Event) -> bool:
        return obj.is_recurring

    @staticmethod
    def resolve_location(obj: Event) -> str:
        return ical.public_location(obj)

    @staticmethod
    def resolve_topics(obj: Event) -> list[str]:
        return [tag.slug for tag in obj.topics.all()]

    @staticmethod
    def resolve_hosts(obj: Event) -> list[dict[str, Any]]:
        hosts: list[dict[str, Any]] = []
        for host in obj.hosts.all():
            if host.circle is not None:
                hosts.append({"type": "circle", "name": host.circle.name, "slug": host.circle.slug})
            elif host.center is not None:
                hosts.append({"type": "center", "name": host.center.name, "slug": host.center.slug})
            elif host.person is not None:
                hosts.append({"type": "person", "name": str(host.person), "slug": None})
        return hosts

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return ical.absolute_url(calendar.event_url(obj))

    @staticmethod
    def resolve_ics_url(obj: Event) -> str:
        return ical.absolute_url(reverse("events:event_ics", args=[obj.slug]))


class OccurrenceOut(Schema):
    starts_at: datetime
    ends_at: datetime
    event: CalendarEventOut


class FeedsOut(Schema):
    calendar: str = Field(description="The whole calendar with the filters given (without `mine`).")
    personal: str | None = Field(None, description="Your secret “events I'm going to” feed; only when signed in.")


@router.get(
    "/calendar",
    auth=OPTIONAL_AUTH,
    response={200: list[OccurrenceOut], **ERRORS},
    description=(
        "The shared calendar: every date of every event that starts in [start, end), earliest first, with the same "
        "filters as the calendar pages. Cancelled events are included (status `cancelled`) unless hide_cancelled.\n\n"
        + FEEDS_DOC
    ),
)
@paginate(PageNumberPagination)
def list_calendar(request: HttpRequest, query: Query[CalendarQuery]) -> QuerySet[Occurrence]:
    """The shared calendar: every date of every event that starts in [start, end), earliest first, with the same
    filters as the calendar pages. Cancelled events are included (status "cancelled") unless hide_cancelled."""
    start, end = query.window()
    who = viewer(request)
    if query.mine and not is_person(who):
        raise DomainError(_("Sign in (or send a token) to see the events of your circles and follows."), field="mine")
    rows = calendar.occurrences(query.filters(), who).filter(starts_at__gte=start, starts_at__lt=end)
    return calendar.with_details(rows)


@router.get(
    "/calendar/feeds",
    auth=OPTIONAL_AUTH,
    response={200: FeedsOut, **ERRORS},
    description="The iCalendar feed addresses for these filters, and your personal feed when signed in.\n\n"
    + FEEDS_DOC,
)
def calendar_feeds(request: HttpRequest, query: Query[CalendarQuery]) -> dict[str, Any]:
    """The iCalendar feed addresses for these filters, and your personal feed when you are signed in."""
    who = viewer(request)
    return {
        "calendar": ical.calendar_feed_url(query.filters()),
        "personal": ical.person_feed_url(who) if is_person(who) else None,
    }
