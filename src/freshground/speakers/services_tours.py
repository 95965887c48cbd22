"""Tour plans: the planner proposes an itinerary over a speaker's open requests; accepting it schedules every stop
(as accepting each request would) and tells the circles."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.people.models import Person
from freshground.speakers import permissions as perms
from freshground.speakers import planner
from freshground.speakers.models import (
    RequestStatus,
    Speaker,
    SpeakingRequest,
    TourPlan,
    TourPlanStatus,
    TourStop,
)
from freshground.speakers.services_requests import locked_request, schedule_request

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
        request = locked_request(stop.request)
        if request.status != RequestStatus.PENDING:
            raise Conflict(
                _("The request from %(circle)s has changed since the plan was made: plan the tour again.")
                % {"circle": request.circle.name}
            )
        if stop.date < timezone.localdate():
            raise Conflict(_("A date in this plan has passed: plan the tour again."))
        schedule_request(request, stop.date, person=person)
    tour.status = TourPlanStatus.ACCEPTED
    tour.accepted_at = timezone.now()
    tour.save(update_fields=["status", "accepted_at"])
    return tour
