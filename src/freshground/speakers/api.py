"""Speakers API: the roster, speaking requests and tour plans.

Every write goes through speakers.services; every "who may see this" question goes to speakers.permissions. The
roster is paginated by page number (?page=&page_size=) and costs a fixed number of queries whatever the page size.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.core.exceptions import NotFound, PermissionDenied
from freshground.events import queries as event_queries
from freshground.events.models import Event
from freshground.network import queries as network_queries
from freshground.people.api import ERRORS, actor, viewer
from freshground.speakers import permissions as perms
from freshground.speakers import queries, services, services_requests, services_tours
from freshground.speakers.models import Appearance, Speaker, SpeakingRequest, Talk, TourPlan
from freshground.speakers.schemas import (
    AcceptIn,
    AppearanceIn,
    AppearanceOut,
    DeclineIn,
    ProposeIn,
    RequestIn,
    RequestOut,
    SpeakerDetailOut,
    SpeakerIn,
    SpeakerSummaryOut,
    TourAcceptIn,
    TourOut,
)

router = Router(tags=["speakers"])


class RosterQuery(Schema):
    q: str = ""
    topic: str = ""
    language: str = ""
    region: str = ""


def _speaker(speaker_id: int) -> Speaker:
    found = queries.speaker_by_pk(speaker_id)
    if found is None:
        raise NotFound(_("No such speaker."))
    return found


def _request(request_id: int, person: Any) -> SpeakingRequest:
    found = queries.request_by_pk(request_id)
    if found is None or not perms.can_see_request(person, found):
        raise NotFound(_("No such request."))
    return found


def _calendar_rows(rows: list[SpeakingRequest]) -> list[dict[str, Any]]:
    return [
        {
            "request": r.pk,
            "date": r.scheduled_date,
            "circle": r.circle.slug,
            "event": r.event.slug if r.event is not None else None,
        }
        for r in rows
    ]


def _detail(request: HttpRequest, speaker: Speaker) -> dict[str, Any]:
    who = viewer(request)
    page = queries.speaker_page(who, speaker)
    return {
        **SpeakerSummaryOut.model_validate(speaker).model_dump(),
        "bio": speaker.bio,
        "talks": [{"title": t.title, "abstract": t.abstract} for t in page.talks],
        "availability": [{"starts_on": w.starts_on, "ends_on": w.ends_on} for w in page.availability],
        "endorsements": page.endorsements,
        "upcoming": _calendar_rows(page.upcoming),
        "past": _calendar_rows(page.past),
        "fees": speaker.fees if page.can_see_private else None,
        "accessibility_needs": speaker.accessibility_needs if page.can_see_private else None,
        "you": {
            "can_manage": page.can_manage,
            "can_invite": bool(page.request_as),
            "can_endorse": bool(page.endorse_as),
        },
    }


def _tour(plan: TourPlan) -> dict[str, Any]:
    stops = list(plan.stops.select_related("request__circle").order_by("order"))
    return {
        "id": plan.pk,
        "status": plan.status,
        "total_km": plan.total_km,
        "method": plan.method,
        "stops": stops,
        "unplaced": plan.unplaced,
    }


# The roster


@router.get("/speakers", auth=OPTIONAL_AUTH, response={200: list[SpeakerSummaryOut], **ERRORS})
@paginate(PageNumberPagination)
def list_speakers(request: HttpRequest, filters: Query[RosterQuery]) -> QuerySet[Speaker]:
    """The roster. Filter by words (q), topic, language code and region."""
    found = queries.RosterFilters(
        text=filters.q.strip(),
        topic=filters.topic.strip(),
        language=filters.language.strip(),
        region=filters.region.strip(),
    )
    return queries.speakers_matching(found).prefetch_related("topics")


@router.get("/speakers/{int:speaker_id}", auth=OPTIONAL_AUTH, response={200: SpeakerDetailOut, **ERRORS})
def get_speaker(request: HttpRequest, speaker_id: int) -> dict[str, Any]:
    """A speaker, their talks, endorsements and talks on the calendar. Fees and needs only for those who invite."""
    return _detail(request, _speaker(speaker_id))


@router.post("/speakers", auth=AUTH, response={201: SpeakerDetailOut, **ERRORS})
def create_speaker(request: HttpRequest, payload: SpeakerIn) -> Status[dict[str, Any]]:
    """List yourself (for_self), or, as a circle organiser or center editor, enter someone without an account."""
    values = payload.model_dump(exclude_unset=True)
    for_self = values.pop("for_self", True)
    if "availability" in values:
        values["availability"] = [(w["starts_on"], w["ends_on"]) for w in values["availability"]]
    speaker = services.create_speaker(person=actor(request), for_self=for_self, **values)
    return Status(201, _detail(request, _speaker(speaker.pk)))


# Requests


@router.post("/speakers/{int:speaker_id}/requests", auth=AUTH, response={201: RequestOut, **ERRORS})
def send_request(request: HttpRequest, speaker_id: int, payload: RequestIn) -> Status[SpeakingRequest]:
    """Invite the speaker in the name of a circle you organise."""
    speaker = _speaker(speaker_id)
    circle = network_queries.circle_by_slug(payload.circle)
    if circle is None:
        raise NotFound(_("No circle is called “%(slug)s”.") % {"slug": payload.circle[:80]}, field="circle")
    talk = None
    if payload.talk is not None:
        talk = Talk.objects.filter(pk=payload.talk, speaker=speaker).first()
        if talk is None:
            raise NotFound(_("That talk is not one of this speaker's."), field="talk")
    values = payload.model_dump(exclude={"circle", "talk"})
    created = services_requests.send_request(person=actor(request), speaker=speaker, circle=circle, talk=talk, **values)
    return Status(201, created)


@router.get("/speakers/{int:speaker_id}/requests", auth=AUTH, response={200: list[RequestOut], **ERRORS})
def list_requests(request: HttpRequest, speaker_id: int) -> list[SpeakingRequest]:
    """The speaker's invitations (the speaker's side only)."""
    speaker = _speaker(speaker_id)
    if not perms.can_manage_speaker(actor(request), speaker):
        raise PermissionDenied(_("Only the speaker can see their invitations."))
    return queries.inbox(speaker)


@router.post("/requests/{int:request_id}/accept", auth=AUTH, response={200: RequestOut, **ERRORS})
def accept_request(request: HttpRequest, request_id: int, payload: AcceptIn) -> SpeakingRequest:
    """The speaker accepts for a date in the circle's window; the talk goes on the calendar, hosted by the circle.
    For a request whose status is "proposed", the circle's organisers accept the speaker's date here instead."""
    person = actor(request)
    found = _request(request_id, person)
    if found.status == "proposed" and perms.can_answer_proposal(person, found):
        return services_requests.answer_proposal(person=person, request=found, accept=True)
    return services_requests.accept_request(person=person, request=found, day=payload.date, note=payload.note)


@router.post("/requests/{int:request_id}/decline", auth=AUTH, response={200: RequestOut, **ERRORS})
def decline_request(request: HttpRequest, request_id: int, payload: DeclineIn) -> SpeakingRequest:
    """The speaker declines; or, for a proposed date, the circle's organisers turn it down."""
    person = actor(request)
    found = _request(request_id, person)
    if found.status == "proposed" and perms.can_answer_proposal(person, found):
        return services_requests.answer_proposal(person=person, request=found, accept=False)
    return services_requests.decline_request(person=person, request=found, note=payload.note)


@router.post("/requests/{int:request_id}/propose", auth=AUTH, response={200: RequestOut, **ERRORS})
def propose_date(request: HttpRequest, request_id: int, payload: ProposeIn) -> SpeakingRequest:
    """The speaker proposes another date; the circle takes it (accept) or turns it down (decline)."""
    person = actor(request)
    return services_requests.propose_date(
        person=person, request=_request(request_id, person), day=payload.date, note=payload.note
    )


# Tours


@router.get("/speakers/{int:speaker_id}/tour-plan", auth=AUTH, response={200: TourOut, **ERRORS})
def get_tour_plan(request: HttpRequest, speaker_id: int) -> dict[str, Any]:
    """The current proposed itinerary. A GET never plans (it changes nothing): POST to the same path plans."""
    person, speaker = actor(request), _speaker(speaker_id)
    if not perms.can_plan_tour(person, speaker):
        raise PermissionDenied(_("Only the speaker can plan their tour."))
    current = queries.current_tour(speaker).plan
    if current is None:
        raise NotFound(_("No tour is planned yet: POST to this address to plan one."))
    return _tour(current)


@router.post("/speakers/{int:speaker_id}/tour-plan", auth=AUTH, response={201: TourOut, **ERRORS})
def replan_tour(request: HttpRequest, speaker_id: int) -> Status[dict[str, Any]]:
    """Plan the waiting requests afresh (the previous proposal is replaced)."""
    return Status(201, _tour(services_tours.propose_tour(person=actor(request), speaker=_speaker(speaker_id))))


@router.post("/speakers/{int:speaker_id}/tour-plan/accept", auth=AUTH, response={200: TourOut, **ERRORS})
def accept_tour_plan(request: HttpRequest, speaker_id: int, payload: TourAcceptIn) -> dict[str, Any]:
    """Accept the plan: every stop's request is accepted for its date and becomes an event; circles are told."""
    speaker = _speaker(speaker_id)
    plan = TourPlan.objects.select_related("speaker").filter(pk=payload.plan, speaker=speaker).first()
    if plan is None:
        raise NotFound(_("No such plan for this speaker."), field="plan")
    return _tour(services_tours.accept_tour(person=actor(request), tour=plan))


# Roster speakers at events


def _event(slug: str) -> Event:
    found = event_queries.event_by_slug(slug)
    if found is None:
        raise NotFound(_("No such event."))
    return found


@router.get("/events/{slug}/speakers", auth=OPTIONAL_AUTH, response={200: list[AppearanceOut], **ERRORS})
def list_event_speakers(request: HttpRequest, slug: str) -> list[Appearance]:
    """The roster speakers at an event (its free-text speakers are the event's `speakers_text`)."""
    return queries.event_appearances(_event(slug))


@router.post("/events/{slug}/speakers", auth=AUTH, response={201: AppearanceOut, **ERRORS})
def add_event_speaker(request: HttpRequest, slug: str, payload: AppearanceIn) -> Status[Appearance]:
    """List a roster speaker as speaking at the event: its managers only. 409 if listed already or cancelled."""
    event = _event(slug)
    speaker = queries.speaker_by_pk(payload.speaker)
    if speaker is None:
        raise NotFound(_("No such speaker."), field="speaker")
    return Status(201, services_requests.add_appearance(person=actor(request), event=event, speaker=speaker))


@router.delete("/events/{slug}/speakers/{int:speaker_id}", auth=AUTH, response={204: None, **ERRORS})
def remove_event_speaker(request: HttpRequest, slug: str, speaker_id: int) -> Status[None]:
    """Take a speaker off the event: its managers, or the speaker themself."""
    person = actor(request)
    event = _event(slug)
    appearance = queries.appearance_of(event, speaker_id)
    if appearance is None:
        raise NotFound(_("This speaker is not listed for the event."), field="speaker")
    services_requests.remove_appearance(person=person, appearance=appearance)
    return Status(204, None)
