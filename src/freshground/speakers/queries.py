"""Reads for the speaker pages: each returns everything a page needs in a fixed number of queries."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from freshground.core.permissions import is_person
from freshground.events.models import Event
from freshground.network.models import Center, CenterEditor, Circle, Membership, Role
from freshground.speakers import permissions as perms
from freshground.speakers.models import (
    Appearance,
    Endorsement,
    RequestStatus,
    Speaker,
    SpeakingRequest,
    TalkFeedback,
    TourPlan,
    TourPlanStatus,
    TourStop,
)

ROSTER_PAGE_SIZE = 24
PAGE_TALKS = 50
CANDIDATES = 20


@dataclass(frozen=True)
class RosterFilters:
    text: str = ""
    topic: str = ""
    language: str = ""
    region: str = ""

    @property
    def active(self) -> bool:
        return bool(self.text or self.topic or self.language or self.region)


def speakers_matching(filters: RosterFilters) -> QuerySet[Speaker]:
    speakers = Speaker.objects.all()
    if filters.text:
        speakers = speakers.filter(
            Q(name__icontains=filters.text)
            | Q(bio__icontains=filters.text)
            | Q(place_name__icontains=filters.text)
            | Q(talks__title__icontains=filters.text)
        )
    if filters.topic:
        speakers = speakers.filter(Q(topics__slug=filters.topic) | Q(topics__name__iexact=filters.topic))
    if filters.language:
        # JSON containment is not on SQLite; a quoted match inside the stored list works on both databases.
        speakers = speakers.filter(languages__icontains=f'"{filters.language.lower()}"')
    if filters.region:
        speakers = speakers.filter(Q(regions__icontains=filters.region) | Q(place_name__icontains=filters.region))
    if filters.text or filters.topic:
        speakers = speakers.distinct()
    return speakers.order_by("name", "id")


def roster(filters: RosterFilters, page_number: str | int | None) -> Page[Speaker]:
    """One page of speakers with their topics and talk titles: a count, the page, topics, talks (4 queries)."""
    speakers = speakers_matching(filters).prefetch_related("topics", "talks")
    return Paginator(speakers, ROSTER_PAGE_SIZE).get_page(page_number)


def speaker_by_pk(pk: int) -> Speaker | None:
    return Speaker.objects.select_related("person", "entered_by").filter(pk=pk).first()


@dataclass
class SpeakerPage:
    speaker: Speaker
    topics: list[Any]
    talks: list[Any]
    availability: list[Any]
    endorsements: list[Endorsement]
    upcoming: list[SpeakingRequest]
    past: list[SpeakingRequest]
    feedback: list[TalkFeedback]
    can_manage: bool
    can_see_private: bool
    endorse_as: list[Circle | Center] = field(default_factory=list)
    request_as: list[Circle] = field(default_factory=list)
    # Scheduled requests and appearances at events together, one row per talk: what the page lists.
    upcoming_talks: list[TalkRow] = field(default_factory=list)
    past_talks: list[TalkRow] = field(default_factory=list)


@dataclass(frozen=True)
class TalkRow:
    """A talk on the speaker's page: from a scheduled request (with its circle) or an appearance at an event."""

    day: date
    subject: str
    event: Event | None = None
    circle: Circle | None = None
    place_name: str = ""


def _event_day(event: Event) -> date:
    try:
        zone = zoneinfo.ZoneInfo(event.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localtime(event.starts_at, zone).date()


def _request_row(request: SpeakingRequest) -> TalkRow:
    assert request.scheduled_date is not None
    return TalkRow(
        day=request.scheduled_date,
        subject=request.subject,
        event=request.event,
        circle=request.circle,
        place_name=request.place_name,
    )


def _appearance_row(appearance: Appearance) -> TalkRow:
    event = appearance.event
    return TalkRow(day=_event_day(event), subject=event.title, event=event, place_name=event.place_name)


def _talk_rows(requests: list[SpeakingRequest], appearances: list[Appearance], *, newest_first: bool) -> list[TalkRow]:
    """Requests and appearances as one list; an appearance recorded by a request's event is not listed twice."""
    covered = {r.event_id for r in requests if r.event_id is not None}
    rows = [_request_row(r) for r in requests]
    rows += [_appearance_row(a) for a in appearances if a.event_id not in covered]
    rows.sort(key=lambda row: row.day, reverse=newest_first)
    return rows[:PAGE_TALKS]


def speaker_page(viewer: Any, speaker: Speaker) -> SpeakerPage:
    today = timezone.localdate()
    scheduled = list(
        SpeakingRequest.objects.filter(speaker=speaker, status=RequestStatus.SCHEDULED)
        .select_related("circle", "event", "topic", "talk")
        .order_by("scheduled_date", "id")[: PAGE_TALKS * 2]
    )
    endorsements = list(
        Endorsement.objects.filter(speaker=speaker).select_related("topic", "circle", "center").order_by("topic__name")
    )
    feedback = list(
        TalkFeedback.objects.filter(request__speaker=speaker)
        .select_related("request__circle")
        .order_by("-created_at")[:PAGE_TALKS]
    )
    now = timezone.now()
    appearances = Appearance.objects.filter(speaker=speaker).select_related("event")
    upcoming_appearances = list(
        appearances.filter(event__starts_at__gte=now).order_by("event__starts_at", "id")[:PAGE_TALKS]
    )
    past_appearances = list(
        appearances.filter(event__starts_at__lt=now).order_by("-event__starts_at", "-id")[:PAGE_TALKS]
    )
    upcoming = [r for r in scheduled if r.scheduled_date is not None and r.scheduled_date >= today][:PAGE_TALKS]
    past = [r for r in scheduled if r.scheduled_date is not None and r.scheduled_date < today][::-1][:PAGE_TALKS]
    is_self = is_person(viewer) and speaker.person_id == viewer.pk
    can_see_private = perms.can_see_private_details(viewer, speaker)
    return SpeakerPage(
        speaker=speaker,
        topics=list(speaker.topics.all()),
        talks=list(speaker.talks.all()),
        # When someone is away from home is for the people who could invite them, not for everyone.
        availability=[w for w in speaker.availability.all() if w.ends_on >= today] if can_see_private else [],
        endorsements=endorsements,
        upcoming=upcoming,
        past=past,
        feedback=feedback,
        can_manage=perms.can_manage_speaker(viewer, speaker),
        can_see_private=can_see_private,
        endorse_as=[] if is_self else endorsing_groups(viewer),
        request_as=organised_circles(viewer),
        upcoming_talks=_talk_rows(upcoming, upcoming_appearances, newest_first=False),
        past_talks=_talk_rows(past, past_appearances, newest_first=True),
    )


def organised_circles(viewer: Any) -> list[Circle]:
    """Circles the viewer may send requests for (site admins: none listed; they act through the API)."""
    if not is_person(viewer):
        return []
    circle_ids = Membership.objects.filter(person=viewer, role=Role.ORGANISER).values("circle_id")
    return list(Circle.objects.filter(pk__in=circle_ids).order_by("name", "id"))


def edited_centers(viewer: Any) -> list[Center]:
    if not is_person(viewer):
        return []
    center_ids = CenterEditor.objects.filter(person=viewer).values("center_id")
    return list(Center.objects.filter(pk__in=center_ids).order_by("name", "id"))


def endorsing_groups(viewer: Any) -> list[Circle | Center]:
    return [*organised_circles(viewer), *edited_centers(viewer)]


def inbox(speaker: Speaker) -> list[SpeakingRequest]:
    """Every request to the speaker, open ones first, with what the page shows about each."""
    requests = (
        SpeakingRequest.objects.filter(speaker=speaker)
        .select_related("circle", "topic", "talk", "event", "requested_by")
        .order_by("-created_at", "-id")[:200]
    )
    order = {RequestStatus.PENDING: 0, RequestStatus.PROPOSED: 1}
    return sorted(requests, key=lambda r: order.get(RequestStatus(r.status), 2))


def circle_requests(circle: Circle) -> list[SpeakingRequest]:
    return list(
        SpeakingRequest.objects.filter(circle=circle)
        .select_related("speaker", "topic", "talk", "event", "feedback")
        .order_by("-created_at", "-id")[:200]
    )


def request_by_pk(pk: int) -> SpeakingRequest | None:
    return (
        SpeakingRequest.objects.select_related("speaker", "speaker__person", "circle", "topic", "talk", "event")
        .filter(pk=pk)
        .first()
    )


@dataclass
class TourView:
    plan: TourPlan | None
    stops: list[TourStop]
    unplaced: list[tuple[SpeakingRequest, str]]
    open_count: int


def current_tour(speaker: Speaker) -> TourView:
    plan = TourPlan.objects.filter(speaker=speaker, status=TourPlanStatus.PROPOSED).first()
    open_count = SpeakingRequest.objects.filter(speaker=speaker, status=RequestStatus.PENDING).count()
    if plan is None:
        return TourView(None, [], [], open_count)
    stops = list(plan.stops.select_related("request__circle", "request__topic", "request__talk").order_by("order"))
    left = {row["request"]: row["reason"] for row in plan.unplaced}
    requests = SpeakingRequest.objects.filter(pk__in=left).select_related("circle", "topic", "talk")
    unplaced = [(r, left[r.pk]) for r in sorted(requests, key=lambda r: (r.earliest, r.pk))]
    return TourView(plan, stops, unplaced, open_count)


def speaker_events(speaker: Speaker) -> QuerySet[Event]:
    """The events a speaker's accepted requests became and the events they appear at (for a speaker's calendar feed):
    one query, any filter on top."""
    from_requests = SpeakingRequest.objects.filter(speaker=speaker, event__isnull=False).values("event_id")
    from_appearances = Appearance.objects.filter(speaker=speaker).values("event_id")
    return Event.objects.filter(Q(pk__in=from_requests) | Q(pk__in=from_appearances))


# Roster speakers at events


def event_appearances(event: Event) -> list[Appearance]:
    """The roster speakers at an event with their topics: one query, two when there are any."""
    return list(
        Appearance.objects.filter(event=event)
        .select_related("speaker")
        .prefetch_related("speaker__topics")
        .order_by("created_at", "id")
    )


def appearance_of(event: Event, speaker_id: int) -> Appearance | None:
    """One speaker's appearance at an event already read (its hosts stay prefetched for the permission check)."""
    found = Appearance.objects.filter(event=event, speaker_id=speaker_id).select_related("speaker").first()
    if found is not None:
        found.event = event
    return found


def speaker_candidates(event: Event, text: str) -> list[Speaker]:
    """Roster speakers whose name or topic matches, not yet at the event (at most CANDIDATES): two queries."""
    text = text.strip()
    if not text:
        return []
    matching = (
        Speaker.objects.filter(Q(name__icontains=text) | Q(topics__name__icontains=text) | Q(topics__slug=text))
        .exclude(pk__in=Appearance.objects.filter(event=event).values("speaker_id"))
        .values("pk")
    )
    return list(Speaker.objects.filter(pk__in=matching).prefetch_related("topics").order_by("name", "id")[:CANDIDATES])
