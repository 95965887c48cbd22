"""Every change to the roster, to speaking requests and to tour plans: one transaction per use case, refusals as
domain errors. An accepted request (or an accepted tour plan) puts the talk on the calendar through
events.services.create_event, hosted by the requesting circle, and tells the circle's organisers by e-mail."""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.models import Tag
from freshground.core.permissions import is_person
from freshground.core.tags import tags_from_names
from freshground.core.text import clean_text
from freshground.events.models import Event, EventKind, EventStatus
from freshground.network import permissions as network_perms
from freshground.network.models import Center, Circle, Membership, Role
from freshground.people.models import Person
from freshground.speakers import permissions as perms
from freshground.speakers import planner
from freshground.speakers.models import (
    Appearance,
    Availability,
    Endorsement,
    RequestStatus,
    Speaker,
    SpeakingRequest,
    Talk,
    TalkFeedback,
    TourPlan,
    TourPlanStatus,
    TourStop,
)

SPEAKER_TEXT_FIELDS = {"name": 120, "bio": 5000, "fees": 1000, "accessibility_needs": 1000, "place_name": 160}
SPEAKER_FIELDS = (*SPEAKER_TEXT_FIELDS, "latitude", "longitude", "contact_email")
MAX_TALKS = 30
MAX_WINDOWS = 40
MAX_REGIONS = 30
MAX_LANGUAGES = 20
MAX_REQUEST_DAYS = 366
TALK_START = time(19, 0)
TALK_LENGTH = timedelta(hours=2)
NO_COORDINATES = "no_coordinates"

logger = logging.getLogger(__name__)


# Cleaning


def _text(value: Any, field: str, limit: int) -> str:
    text = clean_text(str(value or ""))
    if len(text) > limit:
        raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return text


def _coordinates(latitude: Any, longitude: Any) -> tuple[float | None, float | None]:
    if (latitude is None) != (longitude is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), field="latitude")
    if latitude is None or longitude is None:
        return None, None
    lat, lon = float(latitude), float(longitude)
    if not -90 <= lat <= 90:
        raise DomainError(_("Latitude must be between -90 and 90."), field="latitude")
    if not -180 <= lon <= 180:
        raise DomainError(_("Longitude must be between -180 and 180."), field="longitude")
    return lat, lon


def _words(values: Iterable[Any], field: str, limit: int, length: int) -> list[str]:
    result: list[str] = []
    for raw in values:
        word = clean_text(str(raw))
        if not word:
            continue
        if len(word) > length:
            raise DomainError(_("“%(word)s…” is too long.") % {"word": word[:20]}, field=field)
        if word.lower() not in (w.lower() for w in result):
            result.append(word)
    if len(result) > limit:
        raise DomainError(_("At most %(n)d entries.") % {"n": limit}, field=field)
    return result


def _languages(values: Iterable[Any]) -> list[str]:
    codes = [code.lower() for code in _words(values, "languages", MAX_LANGUAGES, 12)]
    for code in codes:
        if not all(part.isalnum() for part in code.split("-")):
            raise DomainError(
                _("“%(code)s” is not a language code such as en or pt-br.") % {"code": code}, field="languages"
            )
    return codes


def _talk_rows(values: Iterable[Any]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for raw in values:
        title = _text(raw.get("title") if isinstance(raw, dict) else getattr(raw, "title", ""), "talks", 160)
        abstract = _text(raw.get("abstract") if isinstance(raw, dict) else getattr(raw, "abstract", ""), "talks", 3000)
        if not title:
            raise DomainError(_("Every talk needs a title."), field="talks")
        if any(title.lower() == existing.lower() for existing, _abstract in rows):
            raise DomainError(_("Two talks are called “%(title)s”.") % {"title": title[:60]}, field="talks")
        rows.append((title, abstract))
    if len(rows) > MAX_TALKS:
        raise DomainError(_("At most %(n)d talks.") % {"n": MAX_TALKS}, field="talks")
    return rows


def _windows(values: Iterable[Any]) -> list[tuple[date, date]]:
    rows: list[tuple[date, date]] = []
    for raw in values:
        start, end = (raw.get("starts_on"), raw.get("ends_on")) if isinstance(raw, dict) else raw
        if not isinstance(start, date) or not isinstance(end, date):
            raise DomainError(_("Give availability as pairs of dates."), field="availability")
        if end < start:
            raise DomainError(_("An availability window ends before it starts."), field="availability")
        if (end - start).days > MAX_REQUEST_DAYS:
            raise DomainError(_("An availability window can be at most a year long."), field="availability")
        rows.append((start, end))
    if len(rows) > MAX_WINDOWS:
        raise DomainError(_("At most %(n)d availability windows.") % {"n": MAX_WINDOWS}, field="availability")
    return sorted(rows)


def _speaker_fields(values: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, limit in SPEAKER_TEXT_FIELDS.items():
        if key in values:
            fields[key] = _text(values[key], key, limit)
    if "contact_email" in values:
        email = _text(values["contact_email"], "contact_email", 254)
        if email and ("@" not in email or " " in email):
            raise DomainError(_("Enter a valid e-mail address."), field="contact_email")
        fields["contact_email"] = email
    if "latitude" in values or "longitude" in values:
        fields["latitude"], fields["longitude"] = _coordinates(values.get("latitude"), values.get("longitude"))
    if "languages" in values:
        fields["languages"] = _languages(values["languages"] or [])
    if "regions" in values:
        fields["regions"] = _words(values["regions"] or [], "regions", MAX_REGIONS, 80)
    return fields


def _save_related(speaker: Speaker, values: dict[str, Any]) -> None:
    if "topics" in values:
        speaker.topics.set(tags_from_names(values["topics"] or [], "topics"))
    if "talks" in values:
        rows = _talk_rows(values["talks"] or [])
        existing = {talk.title.lower(): talk for talk in speaker.talks.all()}
        wanted = {title.lower() for title, _abstract in rows}
        speaker.talks.exclude(pk__in=[t.pk for key, t in existing.items() if key in wanted]).delete()
        for title, abstract in rows:
            talk = existing.get(title.lower())
            if talk is None:
                Talk.objects.create(speaker=speaker, title=title, abstract=abstract)
            elif (talk.title, talk.abstract) != (title, abstract):
                talk.title, talk.abstract = title, abstract
                talk.save(update_fields=["title", "abstract"])
    if "availability" in values:
        windows = _windows(values["availability"] or [])
        speaker.availability.all().delete()
        Availability.objects.bulk_create(
            [Availability(speaker=speaker, starts_on=start, ends_on=end) for start, end in windows]
        )


# The roster


@transaction.atomic
def create_speaker(*, person: Person, for_self: bool = True, **values: Any) -> Speaker:
    """Put yourself on the roster (for_self), or, as a circle organiser or center editor, someone without an
    account, whom you then look after."""
    if for_self:
        if not perms.can_list_self(person):
            raise PermissionDenied(_("Sign in to put yourself on the roster."))
        if Speaker.objects.filter(person=person).exists():
            raise Conflict(_("You are on the roster already: edit your entry instead."))
        values.setdefault("name", person.display_name)
    elif not perms.can_enter_speaker(person):
        raise PermissionDenied(_("Only circle organisers and center editors can enter speakers without an account."))
    fields = _speaker_fields(values)
    if not fields.get("name"):
        raise DomainError(_("A speaker needs a name."), field="name")
    speaker = Speaker(
        **fields,
        person=person if for_self else None,
        entered_by=None if for_self else person,
        updated_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            speaker.save()
    except IntegrityError as error:
        raise Conflict(_("You are on the roster already: edit your entry instead.")) from error
    _save_related(speaker, values)
    return speaker


@transaction.atomic
def update_speaker(*, person: Person, speaker: Speaker, **values: Any) -> Speaker:
    if not perms.can_manage_speaker(person, speaker):
        raise PermissionDenied(_("Only the speaker (or whoever entered them) can change this entry."))
    fields = _speaker_fields(values)
    if "name" in fields and not fields["name"]:
        raise DomainError(_("A speaker needs a name."), field="name")
    for key, value in fields.items():
        setattr(speaker, key, value)
    speaker.updated_at = timezone.now()
    speaker.save()
    _save_related(speaker, values)
    return speaker


@transaction.atomic
def delete_speaker(*, person: Person, speaker: Speaker) -> None:
    """Leave the roster. Talks already on the calendar stay there."""
    if not perms.can_manage_speaker(person, speaker):
        raise PermissionDenied(_("Only the speaker (or whoever entered them) can remove this entry."))
    speaker.delete()


# Endorsements


def _topic(name: str) -> Tag:
    tags = tags_from_names([name], "topic", limit=1)
    if not tags:
        raise DomainError(_("Name the topic."), field="topic")
    return tags[0]


@transaction.atomic
def endorse(
    *, person: Person, speaker: Speaker, topic: str, circle: Circle | None = None, center: Center | None = None
) -> Endorsement:
    if (circle is None) == (center is None):
        raise DomainError(_("Endorse in the name of one circle or one center."), field="endorser")
    if not perms.can_endorse(person, speaker, circle=circle, center=center):
        if speaker.person_id == getattr(person, "pk", None):
            raise PermissionDenied(_("You cannot endorse yourself."))
        raise PermissionDenied(_("Only a circle's organisers or a center's editors can endorse in its name."))
    tag = _topic(topic)
    try:
        with transaction.atomic():
            return Endorsement.objects.create(
                speaker=speaker, topic=tag, circle=circle, center=center, endorsed_by=person
            )
    except IntegrityError as error:
        raise Conflict(
            _("%(who)s already endorses this speaker on %(topic)s.") % {"who": circle or center, "topic": tag}
        ) from error


@transaction.atomic
def unendorse(*, person: Person, endorsement: Endorsement) -> None:
    if not perms.can_endorse(person, endorsement.speaker, circle=endorsement.circle, center=endorsement.center):
        raise PermissionDenied(_("Only the endorsing circle's organisers or center's editors can withdraw it."))
    endorsement.delete()


# Speaking requests


def _zone_name(value: Any) -> str:
    name = str(value or "UTC")
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise DomainError(_("“%(zone)s” is not a time zone.") % {"zone": name[:40]}, field="time_zone") from error
    return name


@transaction.atomic
def send_request(
    *,
    person: Person,
    speaker: Speaker,
    circle: Circle,
    earliest: date,
    latest: date,
    topic: str = "",
    talk: Talk | None = None,
    place_name: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    time_zone: str = "UTC",
    expected_audience: int | None = None,
    offer: str = "",
    message: str = "",
) -> SpeakingRequest:
    """A circle asks the speaker to come: a topic or one of their talks, a city and a window of acceptable dates."""
    if not perms.can_send_request(person, speaker, circle):
        raise PermissionDenied(_("Only the circle's organisers can invite speakers in its name."))
    if talk is not None and talk.speaker_id != speaker.pk:
        raise DomainError(_("That talk is not one of this speaker's."), field="talk")
    if talk is None and not clean_text(topic):
        raise DomainError(_("Choose one of the speaker's talks or name a topic."), field="topic")
    if latest < earliest:
        raise DomainError(_("The latest date is before the earliest."), field="latest")
    if earliest < timezone.localdate():
        raise DomainError(_("The earliest date has passed."), field="earliest")
    if (latest - earliest).days > MAX_REQUEST_DAYS:
        raise DomainError(_("Keep the window of dates within a year."), field="latest")
    if expected_audience is not None and not 0 <= expected_audience <= 1_000_000:
        raise DomainError(_("Give the expected audience as a number of people."), field="expected_audience")
    lat, lon = _coordinates(latitude, longitude)
    request = SpeakingRequest.objects.create(
        speaker=speaker,
        circle=circle,
        requested_by=person,
        topic=_topic(topic) if talk is None or clean_text(topic) else None,
        talk=talk,
        place_name=_text(place_name or circle.place_name, "place_name", 160),
        latitude=lat if lat is not None else circle.latitude,
        longitude=lon if lon is not None else circle.longitude,
        earliest=earliest,
        latest=latest,
        time_zone=_zone_name(time_zone),
        expected_audience=expected_audience,
        offer=_text(offer, "offer", 2000),
        message=_text(message, "message", 3000),
    )
    _notify_speaker(request, "new")
    return request


def _locked(request: SpeakingRequest) -> SpeakingRequest:
    fresh = SpeakingRequest.objects.select_for_update().filter(pk=request.pk).first()
    if fresh is None:
        raise NotFound(_("This request no longer exists."))
    fresh.speaker, fresh.circle = request.speaker, request.circle
    return fresh


def _date_in_window(request: SpeakingRequest, day: date | None, field: str = "date") -> date:
    chosen = day or max(request.earliest, timezone.localdate())
    if not request.earliest <= chosen <= request.latest:
        raise DomainError(
            _("Choose a date between %(first)s and %(last)s.") % {"first": request.earliest, "last": request.latest},
            field=field,
        )
    if chosen < timezone.localdate():
        raise DomainError(_("That date has passed."), field=field)
    return chosen


@transaction.atomic
def accept_request(
    *, person: Person, request: SpeakingRequest, day: date | None = None, note: str = ""
) -> SpeakingRequest:
    """The speaker says yes for a date in the circle's window: the talk goes on the calendar at once."""
    request = _locked(request)
    if not perms.can_answer_request(person, request):
        _refuse_answer(person, request)
    request.response_note = _text(note, "note", 2000)
    _schedule(request, _date_in_window(request, day), person=person)
    return request


@transaction.atomic
def decline_request(*, person: Person, request: SpeakingRequest, note: str = "") -> SpeakingRequest:
    request = _locked(request)
    if not perms.can_answer_request(person, request):
        _refuse_answer(person, request)
    request.status = RequestStatus.DECLINED
    request.response_note = _text(note, "note", 2000)
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "response_note", "decided_at"])
    _notify_circle(request, "declined")
    return request


@transaction.atomic
def propose_date(*, person: Person, request: SpeakingRequest, day: date, note: str = "") -> SpeakingRequest:
    """The speaker offers another date (which may lie outside the circle's window); the circle decides."""
    request = _locked(request)
    if not perms.can_answer_request(person, request):
        _refuse_answer(person, request)
    if day < timezone.localdate():
        raise DomainError(_("That date has passed."), field="date")
    request.status = RequestStatus.PROPOSED
    request.proposed_date = day
    request.response_note = _text(note, "note", 2000)
    request.save(update_fields=["status", "proposed_date", "response_note"])
    _notify_circle(request, "proposed")
    return request


@transaction.atomic
def answer_proposal(*, person: Person, request: SpeakingRequest, accept: bool) -> SpeakingRequest:
    """The circle takes the speaker's proposed date (the talk goes on the calendar) or turns it down."""
    request = _locked(request)
    if not perms.can_answer_proposal(person, request):
        if request.status != RequestStatus.PROPOSED:
            raise Conflict(_("There is no proposed date waiting for an answer."))
        raise PermissionDenied(_("Only the circle's organisers can answer for it."))
    if not accept:
        request.status = RequestStatus.DECLINED
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
        return request
    assert request.proposed_date is not None
    if request.proposed_date < timezone.localdate():
        raise Conflict(_("The proposed date has passed."))
    _schedule(request, request.proposed_date, person=person)
    return request


@transaction.atomic
def withdraw_request(*, person: Person, request: SpeakingRequest) -> SpeakingRequest:
    request = _locked(request)
    if not perms.can_withdraw_request(person, request):
        if not request.is_open:
            raise Conflict(_("This request has already been answered."))
        raise PermissionDenied(_("Only the circle's organisers can withdraw its request."))
    request.status = RequestStatus.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    return request


def _refuse_answer(person: Person, request: SpeakingRequest) -> None:
    if perms.can_manage_speaker(person, request.speaker):
        raise Conflict(_("This request has already been answered."))
    raise PermissionDenied(_("Only the speaker can answer this request."))


def _host_organiser(request: SpeakingRequest) -> Person:
    """Who puts the event on in the circle's name: the organiser who asked, or else another organiser."""
    asker = request.requested_by
    if asker is not None and asker.is_active and network_perms.is_organiser(asker, request.circle):
        return asker
    membership = (
        Membership.objects.filter(circle=request.circle, role=Role.ORGANISER, person__is_active=True)
        .select_related("person")
        .order_by("joined_at", "id")
        .first()
    )
    if membership is None:
        raise Conflict(_("The circle has no organiser left to host the talk."))
    return membership.person


def _schedule(request: SpeakingRequest, day: date, *, person: Person) -> None:
    """Accept the request for `day` and put the talk on the calendar, hosted by the circle, with the speaker on the
    event's roster speakers."""
    # Lock the speaker: two requests accepted at once must not both take the same day.
    Speaker.objects.select_for_update().filter(pk=request.speaker_id).first()
    if SpeakingRequest.objects.filter(
        speaker=request.speaker, status=RequestStatus.SCHEDULED, scheduled_date=day
    ).exists():
        raise Conflict(_("The speaker already gives a talk on %(day)s.") % {"day": day}, field="date")
    request.status = RequestStatus.ACCEPTED
    request.scheduled_date = day
    request.decided_at = timezone.now()
    request.event = _create_event(request, day)
    Appearance.objects.create(speaker=request.speaker, event=request.event, added_by=person)
    request.status = RequestStatus.SCHEDULED
    request.save(update_fields=["status", "scheduled_date", "decided_at", "event", "response_note"])
    _notify_circle(request, "scheduled")


def _create_event(request: SpeakingRequest, day: date) -> Event:
    from freshground.events import services as event_services

    zone = zoneinfo.ZoneInfo(request.time_zone or "UTC")
    starts_at = datetime.combine(day, TALK_START, tzinfo=zone)
    speaker = request.speaker
    subject = request.subject
    title = _("%(speaker)s: %(subject)s") % {"speaker": speaker.name, "subject": subject} if subject else speaker.name
    description = request.talk.abstract if request.talk is not None else ""
    return event_services.create_event(
        person=_host_organiser(request),
        host_circle=request.circle,
        title=title[:160],
        description=description,
        kind=EventKind.TALK,
        starts_at=starts_at,
        ends_at=starts_at + TALK_LENGTH,
        time_zone=request.time_zone or "UTC",
        speakers_text=speaker.name[:300],
        # The circle fills in the venue afterwards (the mail to its organisers says so); the city is known now.
        venue_name=_("Venue to be announced"),
        address=request.place_name or request.circle.place_name,
        place_name=request.place_name,
        latitude=request.latitude,
        longitude=request.longitude,
        topics=[request.topic.name] if request.topic is not None else [],
        language=speaker.languages[0] if speaker.languages else "en",
    )


# Roster speakers at events


def _refuse_cancelled(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise Conflict(_("The event is cancelled: its speakers can no longer be changed."), field="event")


@transaction.atomic
def add_appearance(*, person: Person, event: Event, speaker: Speaker) -> Appearance:
    """An event's managers list a speaker from the roster as speaking at it."""
    if not perms.can_manage_event_speakers(person, event):
        raise PermissionDenied(_("Only the event's hosts can choose its speakers."))
    _refuse_cancelled(event)
    if Appearance.objects.filter(speaker=speaker, event=event).exists():
        raise Conflict(_("%(name)s is already a speaker at this event.") % {"name": speaker.name}, field="speaker")
    try:
        with transaction.atomic():
            return Appearance.objects.create(speaker=speaker, event=event, added_by=person)
    except IntegrityError as error:  # added by someone else at the same moment
        raise Conflict(
            _("%(name)s is already a speaker at this event.") % {"name": speaker.name}, field="speaker"
        ) from error


@transaction.atomic
def remove_appearance(*, person: Person, appearance: Appearance) -> None:
    """The event's managers take a speaker off the event; a speaker may take themself off."""
    if not perms.can_remove_appearance(person, appearance):
        raise PermissionDenied(_("Only the event's hosts, or the speaker themself, can take a speaker off the event."))
    _refuse_cancelled(appearance.event)
    deleted, _rows = Appearance.objects.filter(pk=appearance.pk).delete()
    if not deleted:
        raise NotFound(_("This speaker is no longer listed for the event."), field="speaker")


# Feedback


@transaction.atomic
def leave_feedback(*, person: Person, request: SpeakingRequest, rating: int, comment: str = "") -> TalkFeedback:
    if not perms.can_leave_feedback(person, request):
        raise PermissionDenied(_("Only the hosting circle's organisers can give feedback on a scheduled talk."))
    if request.scheduled_date is None or request.scheduled_date > timezone.localdate():
        raise Conflict(_("Feedback can be given once the talk has happened."))
    if not 1 <= rating <= 5:
        raise DomainError(_("Rate the talk from 1 to 5."), field="rating")
    feedback, _created = TalkFeedback.objects.update_or_create(
        request=request,
        defaults={"rating": rating, "comment": _text(comment, "comment", 2000), "written_by": person},
    )
    return feedback


# Tour planning


def open_requests(speaker: Speaker) -> list[SpeakingRequest]:
    return list(
        SpeakingRequest.objects.filter(speaker=speaker, status=RequestStatus.PENDING)
        .select_related("circle", "topic", "talk")
        .order_by("earliest", "id")
    )


def compute_plan(speaker: Speaker, requests: Sequence[SpeakingRequest], *, today: date | None = None) -> planner.Plan:
    """Run the planner over the speaker's waiting requests (no writes). Requests without coordinates are left out."""
    if speaker.latitude is None or speaker.longitude is None:
        raise DomainError(_("Give the speaker's home city coordinates first."), field="latitude")
    start = today or timezone.localdate()
    windows = [
        planner.Window(max(w.starts_on, start), w.ends_on) for w in speaker.availability.all() if w.ends_on >= start
    ]
    placeable = [
        planner.TourRequest(
            id=r.pk,
            point=planner.Point(r.latitude, r.longitude),
            earliest=max(r.earliest, start),
            latest=r.latest,
        )
        for r in requests
        if r.latitude is not None and r.longitude is not None
    ]
    return planner.plan_tour(
        home=planner.Point(speaker.latitude, speaker.longitude), availability=windows, requests=placeable
    )


@transaction.atomic
def propose_tour(*, person: Person, speaker: Speaker) -> TourPlan:
    """Plan the speaker's waiting requests into an itinerary and keep it as the current proposal."""
    if not perms.can_plan_tour(person, speaker):
        raise PermissionDenied(_("Only the speaker can plan their tour."))
    requests = open_requests(speaker)
    plan = compute_plan(speaker, requests)
    TourPlan.objects.filter(speaker=speaker, status=TourPlanStatus.PROPOSED).update(status=TourPlanStatus.SUPERSEDED)
    unplaced = [{"request": u.request_id, "reason": str(u.reason)} for u in plan.unplaced]
    unplaced += [{"request": r.pk, "reason": NO_COORDINATES} for r in requests if r.latitude is None]
    tour = TourPlan.objects.create(
        speaker=speaker,
        total_km=round(plan.total_km, 1),
        km_home={str(k): round(v, 1) for k, v in plan.km_home.items()},
        unplaced=unplaced,
        method=plan.method,
        created_by=person,
    )
    TourStop.objects.bulk_create(
        [
            TourStop(
                plan=tour,
                request_id=stop.request_id,
                date=stop.date,
                order=stop.order,
                trip=stop.trip,
                km_from_previous=round(stop.km_from_previous, 1),
            )
            for stop in plan.stops
        ]
    )
    return tour


@transaction.atomic
def accept_tour(*, person: Person, tour: TourPlan) -> TourPlan:
    """Accept every stop of the plan: each request is scheduled and becomes an event. All or nothing."""
    if not perms.can_plan_tour(person, tour.speaker):
        raise PermissionDenied(_("Only the speaker can accept their tour."))
    tour = TourPlan.objects.select_for_update().get(pk=tour.pk)
    if tour.status != TourPlanStatus.PROPOSED:
        raise Conflict(_("This plan is no longer the current proposal: plan the tour again."))
    stops = list(tour.stops.select_related("request__speaker", "request__circle", "request__talk", "request__topic"))
    if not stops:
        raise Conflict(_("This plan has no talks to accept."))
    for stop in stops:
        request = _locked(stop.request)
        if request.status != RequestStatus.PENDING:
            raise Conflict(
                _("The request from %(circle)s has changed since the plan was made: plan the tour again.")
                % {"circle": request.circle.name}
            )
        if stop.date < timezone.localdate():
            raise Conflict(_("A date in this plan has passed: plan the tour again."))
        _schedule(request, stop.date, person=person)
    tour.status = TourPlanStatus.ACCEPTED
    tour.accepted_at = timezone.now()
    tour.save(update_fields=["status", "accepted_at"])
    return tour


# Mail, after the transaction commits.


def _organiser_emails(circle: Circle) -> list[str]:
    return list(
        Membership.objects.filter(circle=circle, role=Role.ORGANISER, person__is_active=True).values_list(
            "person__email", flat=True
        )
    )


def _send(subject: str, template: str, context: dict[str, Any], recipients: list[str]) -> None:
    """Render now, queue the mail once the transaction commits (nothing goes out if it rolls back)."""
    if not recipients:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL.rstrip("/")})

    def enqueue() -> None:
        from freshground.speakers.tasks import send_speaker_mail

        try:
            send_speaker_mail.enqueue(subject, body, recipients)
        except Exception:
            logger.exception("Could not queue the speakers mail %r", subject)

    transaction.on_commit(enqueue)


def _notify_circle(request: SpeakingRequest, what: str) -> None:
    subjects = {
        "scheduled": _("%(speaker)s will speak at %(circle)s on %(day)s"),
        "declined": _("%(speaker)s declined the invitation from %(circle)s"),
        "proposed": _("%(speaker)s proposes %(day)s for %(circle)s"),
    }
    day = request.scheduled_date or request.proposed_date or ""
    subject = subjects[what] % {"speaker": request.speaker.name, "circle": request.circle.name, "day": day}
    _send(subject, "speakers/mail/circle.txt", {"request": request, "what": what}, _organiser_emails(request.circle))


def _notify_speaker(request: SpeakingRequest, what: str) -> None:
    speaker = request.speaker
    address = speaker.person.email if speaker.person is not None else speaker.contact_email
    if not address and speaker.entered_by is not None:
        address = speaker.entered_by.email
    subject = _("%(circle)s invites %(speaker)s to speak") % {"circle": request.circle.name, "speaker": speaker.name}
    _send(subject, "speakers/mail/speaker.txt", {"request": request, "what": what}, [address] if address else [])


def require_person(person: Any) -> Person:
    if not is_person(person):
        raise PermissionDenied(_("Sign in first."))
    assert isinstance(person, Person)
    return person
