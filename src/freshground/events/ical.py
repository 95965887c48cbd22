"""iCalendar (RFC 5545) feeds: the whole calendar (filtered), a circle's, a center's, a person's, a speaker's, and one
event's "add to calendar" file.

One VEVENT per event: a recurring event is one VEVENT with its RRULE and EXDATEs, its DTSTART in the event's own zone
(with a VTIMEZONE for every zone used). UID never changes and SEQUENCE is the event's, so calendar apps update an
event in place. A feed is public by nature (people paste its address into other services): an address the host
keeps for registered people never appears in one, not even in the personal feed — only the place name does.
"""

from __future__ import annotations

import hashlib
import zoneinfo
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar as ICalendar
from icalendar import Event as VEvent
from icalendar import vRecur

from freshground.core.text import clean_text
from freshground.events.calendar import CalendarFilters, event_url, filter_events
from freshground.events.details import attach_details
from freshground.events.models import (
    Event,
    EventHost,
    EventStatus,
    HostStatus,
    Occurrence,
    Registration,
    RegistrationStatus,
)
from freshground.people.models import Person

FEED_LIMIT = 500  # events per feed, the earliest first from FEED_PAST ago
FEED_PAST = timedelta(days=30)
FEED_MAX_AGE = 15 * 60  # seconds calendar apps (and caches) may keep a feed
FEED_CACHE_SECONDS = 60 * 60  # a rendered feed, under its fingerprint (never stale: any change is a new key)
PRODID = "-//Fresh Ground//Shared calendar//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
PERSON_FEED_SALT = "freshground.events.person-feed"
TIMEZONE_YEARS = 5  # VTIMEZONE rules reach this far past the latest event


# Which events


def window_events(dates: QuerySet[Occurrence], now: datetime | None = None) -> list[Event]:
    """The events of the first dates from FEED_PAST ago on (a recurring event by its first date in the window),
    earliest first, at most FEED_LIMIT events: one index range scan that stops early, the events, their hosts and
    topics (4 queries)."""
    since = (now or timezone.now()) - FEED_PAST
    first_dates = dates.filter(starts_at__gte=since).order_by("starts_at", "id").values_list("event_id", flat=True)
    ids: list[int] = []
    seen: set[int] = set()
    for event_id in first_dates[: FEED_LIMIT * 4]:
        if event_id not in seen:
            seen.add(event_id)
            ids.append(event_id)
            if len(ids) == FEED_LIMIT:
                break
    if not ids:
        return []
    by_id = {event.pk: event for event in Event.objects.filter(pk__in=ids)}
    events = [by_id[pk] for pk in ids if pk in by_id]
    attach_details(events)
    return events


def _hosts(event: Event) -> list[EventHost]:
    found = getattr(event, "feed_hosts", None)
    return list(found) if found is not None else list(event.hosts.filter(status=HostStatus.ACCEPTED))


def _topics(event: Event) -> list[str]:
    found = getattr(event, "feed_topics", None)
    return list(found) if found is not None else [tag.name for tag in event.topics.all()]


def in_feed_window(rows: QuerySet[Event], now: datetime | None = None) -> list[Event]:
    """The feed window of any set of events (a person's, a speaker's)."""
    return window_events(Occurrence.objects.filter(event__in=rows), now)


def calendar_events(filters: CalendarFilters, viewer: Any = None) -> list[Event]:
    """Filters narrow the events first (one pass over the events table, which beats joining every date in the
    window when they are selective), then the window walks their dates."""
    if not filters.active:
        return window_events(Occurrence.objects.all())
    return in_feed_window(filter_events(Event.objects.all(), filters, viewer))


def circle_events(circle_slug: str) -> list[Event]:
    """Hosted, co-hosted or promoted by the circle."""
    return calendar_events(CalendarFilters(circle=circle_slug))


def center_events(center_slug: str) -> list[Event]:
    return calendar_events(CalendarFilters(center=center_slug))


def person_events(person: Person) -> list[Event]:
    """The events a person is going to: their confirmed registrations."""
    going = Registration.objects.filter(person=person, status=RegistrationStatus.CONFIRMED).values("event_id")
    return in_feed_window(Event.objects.filter(pk__in=going))


def speaker_events(events: QuerySet[Event]) -> list[Event]:
    """For the speakers app: a speaker's talks (any queryset of events) in the feed window."""
    return in_feed_window(events)


# The personal feed's secret address


def _person_signer() -> signing.Signer:
    # Raising EVENTS_PERSON_FEED_VERSION in the settings revokes every personal feed address at once.
    version = getattr(settings, "EVENTS_PERSON_FEED_VERSION", 1)
    return signing.Signer(salt=f"{PERSON_FEED_SALT}.v{version}")


def person_feed_token(person: Person) -> str:
    return _person_signer().sign(str(person.pk)).replace(":", ".")


def person_from_feed_token(token: str) -> Person | None:
    try:
        value = _person_signer().unsign(token.replace(".", ":", 1))
    except signing.BadSignature:
        return None
    if not value.isdigit():
        return None
    return Person.objects.filter(pk=int(value), is_active=True).first()


def person_feed_url(person: Person, *, absolute: bool = True) -> str:
    """The secret address of a person's "events I'm going to" feed (for the my-registrations page)."""
    path = reverse("events:person_ics", args=[person_feed_token(person)])
    return absolute_url(path) if absolute else path


def calendar_feed_url(filters: CalendarFilters, *, absolute: bool = True) -> str:
    path = reverse("events:calendar_ics")
    params = filters.without_person().params()
    if params:
        path = f"{path}?{urlencode(params, doseq=True)}"
    return absolute_url(path) if absolute else path


def absolute_url(path: str) -> str:
    return f"{str(settings.SITE_URL).rstrip('/')}{path}"


# Building the calendar


def _zone(name: str) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def public_location(event: Event) -> str:
    """Where, as a feed may say it: the exact address only when the host made it public; else the place name."""
    if event.address_for_registered_only:
        return event.place_name
    parts: list[str] = []
    for part in (event.venue_name, event.address, event.place_name):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts)


def _access(event: Event) -> list[str]:
    features = [
        (event.step_free, _("step-free access")),
        (event.hearing_loop, _("hearing loop")),
        (event.childcare, _("childcare")),
        (event.quiet_room, _("quiet room")),
    ]
    return [label for present, label in features if present]


def _description(event: Event, url: str) -> str:
    lines = [clean_text(event.description)] if event.description.strip() else []
    hosts = [str(h.circle or h.center or h.person) for h in _hosts(event)]
    if hosts:
        lines.append(_("Hosted by: %(hosts)s") % {"hosts": ", ".join(hosts)})
    if event.speakers_text:
        lines.append(_("Speakers: %(speakers)s") % {"speakers": event.speakers_text})
    access = _access(event)
    if access:
        lines.append(_("Access: %(features)s") % {"features": ", ".join(access)})
    if event.online_url and not event.online_url_for_registered_only:
        lines.append(_("Online: %(url)s") % {"url": event.online_url})
    if event.address_for_registered_only:
        lines.append(_("The exact address is shown to registered people on the event page."))
    lines.append(url)
    return "\n\n".join(lines)


def _all_day_dates(event: Event, zone: tzinfo) -> tuple[date, date]:
    start = event.starts_at.astimezone(zone)
    end = event.ends_at.astimezone(zone)
    end_date = end.date() if end.time() == time(0) else end.date() + timedelta(days=1)
    return start.date(), max(end_date, start.date() + timedelta(days=1))


def vevent(event: Event) -> VEvent:
    zone = _zone(event.time_zone)
    url = absolute_url(event_url(event))
    component = VEvent()
    component.add("uid", event.uid)
    component.add("sequence", event.sequence)
    component.add("dtstamp", event.updated_at)
    component.add("created", event.created_at)
    component.add("last-modified", event.updated_at)
    component.add("summary", event.title)
    if event.all_day:
        first, after = _all_day_dates(event, zone)
        component.add("dtstart", first)
        component.add("dtend", after)
    else:
        component.add("dtstart", event.starts_at.astimezone(zone))
        component.add("dtend", event.ends_at.astimezone(zone))
    if event.rrule:
        component.add("rrule", vRecur.from_ical(event.rrule))
        exdates = _exdates(event, zone)
        if exdates:
            component.add("exdate", exdates)
    component.add("description", _description(event, url))
    component.add("url", url)
    location = public_location(event) or (_("Online") if event.attendance_mode == "online" else "")
    if location:
        component.add("location", location)
    if event.has_coordinates and not event.address_for_registered_only:
        component.add("geo", (event.latitude, event.longitude))
    component.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    topics = _topics(event)
    if topics:
        component.add("categories", topics)
    return component


def _exdates(event: Event, zone: tzinfo) -> list[date | datetime]:
    values: list[date | datetime] = []
    for raw in event.exdates:
        try:
            moment = datetime.fromisoformat(str(raw))
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        values.append(moment.astimezone(zone).date() if event.all_day else moment.astimezone(zone))
    return values


def build_calendar(events: Iterable[Event], *, name: str, description: str = "") -> ICalendar:
    calendar = ICalendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", timedelta(seconds=FEED_MAX_AGE), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", f"PT{FEED_MAX_AGE // 60}M")
    starts = []
    for event in events:
        calendar.add_component(vevent(event))
        starts.append(event.starts_at.date())
    if starts:
        # Zone rules from the first event to a few years past the last (recurring ones go on): a short file that
        # is still right for every date the feed shows.
        first = min(starts) - timedelta(days=1)
        last = max(*starts, timezone.now().date()) + timedelta(days=TIMEZONE_YEARS * 366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar


def speaker_calendar(events: QuerySet[Event], *, name: str) -> ICalendar:
    """A speaker's feed, for the speakers app: `events` is their talks; same window, cap and privacy as the rest."""
    return build_calendar(speaker_events(events), name=name)


def speaker_feed_response(request: HttpRequest, events: QuerySet[Event], *, name: str, filename: str) -> HttpResponse:
    """speaker_calendar as an HTTP answer: the same calendar, with the ETag, 304s and cached text of every feed."""
    return feed_response(request, speaker_events(events), name=name, filename=filename)


# The HTTP answer


def fingerprint(events: Sequence[Event], name: str) -> str:
    """A hash of everything a feed's text depends on: every event field, hosts, topics, the feed's name, the site's
    address, the language and the day (time zone rules reach a few years past today). Same hash, same feed."""
    digest = hashlib.sha256()
    digest.update(f"{name}|{settings.SITE_URL}|{get_language()}|{timezone.now().date()}".encode())
    for event in events:
        values = [getattr(event, f.attname) for f in event._meta.concrete_fields]
        values.append(
            [(h.circle_id, h.center_id, h.person_id, str(h.circle or h.center or h.person)) for h in _hosts(event)]
        )
        values.append(_topics(event))
        digest.update(repr(values).encode())
    return digest.hexdigest()


def feed_response(
    request: HttpRequest,
    events: Sequence[Event],
    *,
    name: str,
    filename: str,
    private: bool = False,
    download: bool = False,
) -> HttpResponse:
    """The calendar as text/calendar with an ETag and Last-Modified; 304 when the client already has it.

    Rendering with icalendar costs about half a millisecond an event, so the text is cached under the feed's
    fingerprint: any change to an event, its hosts or topics makes a new fingerprint, so a cached feed is never stale.
    """
    key = fingerprint(events, name)
    etag = f'"{key[:32]}"'
    last_modified = max((event.updated_at for event in events), default=None)
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = HttpResponse(content_type=CONTENT_TYPE)
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if private:
        patch_cache_control(response, private=True, max_age=FEED_MAX_AGE)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    else:
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    conditional = get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
    if conditional is not None and conditional is not response:
        return conditional
    cache_key = f"events:ics:{key}"
    body = cache.get(cache_key)
    if not isinstance(body, bytes):
        body = build_calendar(events, name=name).to_ical()
        cache.set(cache_key, body, FEED_CACHE_SECONDS)
    response.content = body
    return response
