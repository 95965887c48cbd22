"""Speaking requests from circles, answered by speakers: one transaction per use case, refusals as domain errors.
An accepted request puts the talk on the calendar through events.services.create_event, hosted by the requesting
circle, and tells the circle's organisers by e-mail."""

from __future__ import annotations

import logging
import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.text import clean_text
from freshground.events.models import Event, EventKind, EventStatus
from freshground.network import permissions as network_perms
from freshground.network.models import Circle, Membership, Role
from freshground.people.models import Person
from freshground.speakers import permissions as perms
from freshground.speakers.models import (
    Appearance,
    RequestStatus,
    Speaker,
    SpeakingRequest,
    Talk,
    TalkFeedback,
)
from freshground.speakers.services import clean_coordinates, clean_field, topic_tag

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
    lat, lon = clean_coordinates(latitude, longitude)
    request = SpeakingRequest.objects.create(
        speaker=speaker,
        circle=circle,
        requested_by=person,
        topic=topic_tag(topic) if talk is None or clean_text(topic) else None,
        talk=talk,
        place_name=clean_field(place_name or circle.place_name, "place_name", 160),
        latitude=lat if lat is not None else circle.latitude,
        longitude=lon if lon is not None else circle.longitude,
        earliest=earliest,
        latest=latest,
        time_zone=_zone_name(time_zone),
        expected_audience=expected_audience,
        offer=clean_field(offer, "offer", 2000),
        message=clean_field(message, "message", 3000),
    )
    _notify_speaker(request, "new")
    return request


def locked_request(request: SpeakingRequest) -> SpeakingRequest:
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
    request = locked_request(request)
    if not perms.can_answer_request(person, request):
        _refuse_answer(person, request)
    request.response_note = clean_field(note, "note", 2000)
    schedule_request(request, _date_in_window(request, day), person=person)
    return request


@transaction.atomic
def decline_request(*, person: Person, request: SpeakingRequest, note: str = "") -> SpeakingRequest:
    request = locked_request(request)
    if not perms.can_answer_request(person, request):
        _refuse_answer(person, request)
    request.status = RequestStatus.DECLINED
    request.response_note = clean_field(note, "note", 2000)
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "response_note", "decided_at"])
    notify_circle(request, "declined")
    return request


@transaction.atomic
def propose_date(*, person: Person, request: SpeakingRequest, day: date, note: str = "") -> SpeakingRequest:
    """The speaker offers another date (which may lie outside the circle's window); the circle decides."""
    request = locked_request(request)
    if not perms.can_answer_request(person, request):
        _refuse_answer(person, request)
    if day < timezone.localdate():
        raise DomainError(_("That date has passed."), field="date")
    request.status = RequestStatus.PROPOSED
    request.proposed_date = day
    request.response_note = clean_field(note, "note", 2000)
    request.save(update_fields=["status", "proposed_date", "response_note"])
    notify_circle(request, "proposed")
    return request


@transaction.atomic
def answer_proposal(*, person: Person, request: SpeakingRequest, accept: bool) -> SpeakingRequest:
    """The circle takes the speaker's proposed date (the talk goes on the calendar) or turns it down."""
    request = locked_request(request)
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
    schedule_request(request, request.proposed_date, person=person)
    return request


@transaction.atomic
def withdraw_request(*, person: Person, request: SpeakingRequest) -> SpeakingRequest:
    request = locked_request(request)
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


def schedule_request(request: SpeakingRequest, day: date, *, person: Person) -> None:
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
    request.event = create_talk_event(request, day)
    Appearance.objects.create(speaker=request.speaker, event=request.event, added_by=person)
    request.status = RequestStatus.SCHEDULED
    request.save(update_fields=["status", "scheduled_date", "decided_at", "event", "response_note"])
    notify_circle(request, "scheduled")


def create_talk_event(request: SpeakingRequest, day: date) -> Event:
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
        defaults={"rating": rating, "comment": clean_field(comment, "comment", 2000), "written_by": person},
    )
    return feedback


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


def notify_circle(request: SpeakingRequest, what: str) -> None:
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
