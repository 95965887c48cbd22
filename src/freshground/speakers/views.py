"""The speaker pages: roster, a speaker's page and edit form, endorsing, inviting, the inbox, a circle's requests and
the tour planner. Thin: forms parse, services decide, queries read."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.events import ical
from freshground.events import queries as event_queries
from freshground.events.models import Event
from freshground.network.views._common import (
    get_circle,
    is_htmx,
    page_or_partial,
    person_of,
    raise_refusal,
    report,
    signed_in,
)
from freshground.speakers import permissions as perms
from freshground.speakers import queries, services, services_requests, services_tours
from freshground.speakers.forms import (
    AnswerForm,
    EndorseForm,
    FeedbackForm,
    RequestForm,
    RosterFilterForm,
    SpeakerForm,
)
from freshground.speakers.models import Appearance, Endorsement, Speaker, SpeakingRequest, TourPlan
from freshground.speakers.planner import Reason
from freshground.speakers.route_svg import sketch

REASONS = {
    str(Reason.OUTSIDE_AVAILABILITY): _("Its dates fall outside the speaker's availability."),
    str(Reason.TOO_FAR): _("Too far: the trip there and back does not fit into the available days."),
    str(Reason.CONFLICTS): _("It clashes with other requests: serving it would mean serving fewer."),
    services.NO_COORDINATES: _("The request has no coordinates for its city."),
}


def _speaker(pk: int) -> Speaker:
    found = queries.speaker_by_pk(pk)
    if found is None:
        raise Http404(_("There is no speaker at this address."))
    return found


def _request(pk: int) -> SpeakingRequest:
    found = queries.request_by_pk(pk)
    if found is None:
        raise Http404(_("There is no such request."))
    return found


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    form = RosterFilterForm(request.GET)
    filters = form.filters()
    page = queries.roster(filters, request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page_obj": page,
        "speakers": page.object_list,
        "query": _query_without_page(request),
        "can_enter": perms.can_enter_speaker(request.user),
        "my_circles": queries.organised_circles(request.user),
    }
    return page_or_partial(request, "speakers/roster.html", "speakers/_results.html", context)


@require_GET
def speaker(request: HttpRequest, pk: int) -> HttpResponse:
    found = _speaker(pk)
    page = queries.speaker_page(request.user, found)
    return TemplateResponse(request, "speakers/speaker.html", {"page": page, "speaker": found})


@require_safe
def speaker_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The speaker's talks as an iCalendar feed (events.ical: the feed window and cap, no private address)."""
    found = _speaker(pk)
    name = _("%(name)s: talks") % {"name": found.name}
    return ical.speaker_feed_response(
        request, queries.speaker_events(found), name=name, filename=f"speaker-{found.pk}-talks.ics"
    )


def _save_speaker(
    request: HttpRequest, form: SpeakerForm, found: Speaker | None, *, for_self: bool
) -> HttpResponse | None:
    if request.method != "POST" or not form.is_valid():
        return None
    person = person_of(request)
    try:
        if found is None:
            saved = services.create_speaker(person=person, for_self=for_self, **form.values())
        else:
            saved = services.update_speaker(person=person, speaker=found, **form.values())
    except DomainError as error:
        raise_refusal(error)
        apply_domain_error(form, error)
        return None
    messages.success(request, _("The roster entry is saved."))
    return redirect(saved)


@require_http_methods(["GET", "POST"])
@signed_in
def speaker_create(request: HttpRequest) -> HttpResponse:
    """List yourself, or (?for=other) enter someone without an account."""
    person = person_of(request)
    for_self = (request.POST.get("for") or request.GET.get("for")) != "other"
    if for_self and hasattr(person, "speaker"):
        messages.info(request, _("You are on the roster already."))
        return redirect("speakers:speaker_edit", pk=person.speaker.pk)
    if not for_self and not perms.can_enter_speaker(person):
        raise DjangoPermissionDenied(_("Only circle organisers and center editors can enter speakers."))
    initial = {"name": person.display_name} if for_self else {}
    form = SpeakerForm(request.POST or None, for_self=for_self, initial=initial)
    answer = _save_speaker(request, form, None, for_self=for_self)
    return answer or TemplateResponse(
        request, "speakers/speaker_form.html", {"form": form, "speaker": None, "for_self": for_self}
    )


@require_http_methods(["GET", "POST"])
@signed_in
def speaker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _speaker(pk)
    if not perms.can_manage_speaker(request.user, found):
        raise DjangoPermissionDenied(_("Only the speaker (or whoever entered them) can change this entry."))
    for_self = found.person_id is not None
    form = SpeakerForm(request.POST or None, for_self=for_self, initial=SpeakerForm.initial_for(found))
    answer = _save_speaker(request, form, found, for_self=for_self)
    return answer or TemplateResponse(
        request, "speakers/speaker_form.html", {"form": form, "speaker": found, "for_self": for_self}
    )


@require_http_methods(["GET", "POST"])
@signed_in
def endorse(request: HttpRequest, pk: int) -> HttpResponse:
    found = _speaker(pk)
    person = person_of(request)
    groups = [g for g in queries.endorsing_groups(person) if found.person_id != person.pk]
    if not groups:
        raise DjangoPermissionDenied(_("Only a circle's organisers or a center's editors can endorse in its name."))
    topics = [tag.name for tag in found.topics.all()]
    form = EndorseForm(request.POST or None, groups=groups, topics=topics)
    if request.method == "POST" and form.is_valid():
        try:
            services.endorse(person=person, speaker=found, topic=form.cleaned_data["topic"], **form.chosen())
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The endorsement is on the speaker's page."))
            return redirect(found)
    return TemplateResponse(request, "speakers/endorse.html", {"form": form, "speaker": found})


@require_POST
@signed_in
def unendorse(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = Endorsement.objects.select_related("speaker", "circle", "center").filter(pk=pk).first()
    if endorsement is None:
        raise Http404(_("There is no such endorsement."))
    try:
        services.unendorse(person=person_of(request), endorsement=endorsement)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("The endorsement is withdrawn."))
    return redirect(endorsement.speaker)


@require_http_methods(["GET", "POST"])
@signed_in
def request_form(request: HttpRequest, pk: int) -> HttpResponse:
    found = _speaker(pk)
    person = person_of(request)
    circles = queries.organised_circles(person)
    if not circles:
        raise DjangoPermissionDenied(_("Only circle organisers can invite speakers in their circle's name."))
    form = RequestForm(request.POST or None, circles=circles, speaker=found, initial={"time_zone": person.time_zone})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_requests.send_request(
                person=person,
                speaker=found,
                circle=data["circle"],
                talk=data["talk"],
                topic=data["topic"],
                place_name=data["place_name"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                earliest=data["earliest"],
                latest=data["latest"],
                time_zone=data["time_zone"],
                expected_audience=data["expected_audience"],
                offer=data["offer"],
                message=data["message"],
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your invitation is on its way to %(name)s.") % {"name": found.name})
            return redirect("speakers:circle_requests", slug=data["circle"].slug)
    return TemplateResponse(request, "speakers/request_form.html", {"form": form, "speaker": found})


@require_GET
@signed_in
def inbox(request: HttpRequest, pk: int) -> HttpResponse:
    found = _speaker(pk)
    if not perms.can_manage_speaker(request.user, found):
        raise DjangoPermissionDenied(_("Only the speaker can see their invitations."))
    requests = queries.inbox(found)
    return TemplateResponse(
        request, "speakers/inbox.html", {"speaker": found, "requests": requests, "form": AnswerForm()}
    )


@require_POST
@signed_in
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request(pk)
    person = person_of(request)
    if not perms.can_manage_speaker(person, found.speaker):
        raise DjangoPermissionDenied(_("Only the speaker can answer this request."))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(found)
    data = form.cleaned_data
    try:
        if data["action"] == "accept":
            services_requests.accept_request(person=person, request=found, day=data["date"], note=data["note"])
            messages.success(request, _("Accepted: the talk is on the calendar and the circle is told."))
        elif data["action"] == "decline":
            services_requests.decline_request(person=person, request=found, note=data["note"])
            messages.success(request, _("Declined. The circle is told."))
        else:
            services_requests.propose_date(person=person, request=found, day=data["date"], note=data["note"])
            messages.success(request, _("Your date is proposed to the circle."))
    except DomainError as error:
        report(request, error)
    return redirect(found)


@require_GET
@signed_in
def circle_requests(request: HttpRequest, slug: str) -> HttpResponse:
    circle = get_circle(slug)
    if not perms.can_act_for_circle(request.user, circle):
        raise DjangoPermissionDenied(_("Only the circle's organisers see its invitations to speakers."))
    context: dict[str, Any] = {
        "circle": circle,
        "requests": queries.circle_requests(circle),
        "feedback_form": FeedbackForm(),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "speakers/circle_requests.html", context)


def _back_to_circle(found: SpeakingRequest) -> HttpResponse:
    return redirect(reverse("speakers:circle_requests", args=[found.circle.slug]) + f"#request-{found.pk}")


@require_POST
@signed_in
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """The circle takes (accept=1) or turns down (accept=0) the speaker's proposed date; or withdraws (withdraw=1)."""
    found = _request(pk)
    person = person_of(request)
    try:
        if request.POST.get("withdraw") == "1":
            services_requests.withdraw_request(person=person, request=found)
            messages.success(request, _("The request is withdrawn."))
        else:
            accept = request.POST.get("accept") == "1"
            services_requests.answer_proposal(person=person, request=found, accept=accept)
            messages.success(
                request, _("The talk is on the calendar.") if accept else _("You turned down the proposed date.")
            )
    except DomainError as error:
        report(request, error)
    return _back_to_circle(found)


@require_POST
@signed_in
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request(pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rate the talk from 1 to 5."))
        return _back_to_circle(found)
    try:
        services_requests.leave_feedback(person=person_of(request), request=found, **form.cleaned_data)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Thank you: your feedback is on the speaker's page."))
    return _back_to_circle(found)


def tour_context(found: Speaker) -> dict[str, Any]:
    view = queries.current_tour(found)
    trips: dict[int, list[tuple[float, float, str]]] = {}
    for stop in view.stops:
        req = stop.request
        if req.latitude is not None and req.longitude is not None:
            trips.setdefault(stop.trip, []).append((req.latitude, req.longitude, req.place_name or req.circle.name))
    drawing = None
    if view.stops and found.latitude is not None and found.longitude is not None:
        drawing = sketch((found.latitude, found.longitude, found.place_name or _("Home")), list(trips.values()))
    km_home = view.plan.km_home if view.plan is not None else {}
    rows: list[dict[str, Any]] = []
    for position, stop in enumerate(view.stops):
        last_of_trip = position + 1 == len(view.stops) or view.stops[position + 1].trip != stop.trip
        rows.append({"stop": stop, "home_km": km_home.get(str(stop.trip)) if last_of_trip else None})
    return {
        "speaker": found,
        "tour": view,
        "rows": rows,
        "drawing": drawing,
        "unplaced": [(req, REASONS.get(reason, reason)) for req, reason in view.unplaced],
    }


@require_http_methods(["GET", "POST"])
@signed_in
def tour(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the current proposal; POST plans the waiting requests afresh."""
    found = _speaker(pk)
    if not perms.can_plan_tour(request.user, found):
        raise DjangoPermissionDenied(_("Only the speaker can plan their tour."))
    if request.method == "POST":
        try:
            services_tours.propose_tour(person=person_of(request), speaker=found)
        except DomainError as error:
            report(request, error)
        return redirect("speakers:tour", pk=found.pk)
    return TemplateResponse(request, "speakers/tour.html", tour_context(found))


@require_POST
@signed_in
def tour_accept(request: HttpRequest, pk: int) -> HttpResponse:
    found = _speaker(pk)
    plan_id = request.POST.get("plan", "")
    plan = (
        TourPlan.objects.select_related("speaker").filter(pk=int(plan_id), speaker=found).first()
        if plan_id.isascii() and plan_id.isdigit() and len(plan_id) < 19
        else None
    )
    if plan is None:
        raise Http404(_("There is no such plan."))
    try:
        services_tours.accept_tour(person=person_of(request), tour=plan)
    except DomainError as error:
        report(request, error)
        return redirect("speakers:tour", pk=found.pk)
    messages.success(request, _("The tour is accepted: every talk is on the calendar and the circles are told."))
    return redirect("speakers:inbox", pk=found.pk)


# Roster speakers at an event


def _event(slug: str) -> Event:
    found = event_queries.event_by_slug(slug)
    if found is None:
        raise Http404(_("There is no event at this address."))
    return found


def _speaker_id(value: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) < 19):
        raise Http404(_("There is no speaker at this address."))
    return int(value)


def _event_speakers_context(request: HttpRequest, event: Event, q: str) -> dict[str, Any]:
    """The panel of the event's speakers page; refuses (403) anyone who is neither a manager nor a listed speaker."""
    person = person_of(request)
    appearances = queries.event_appearances(event)
    can_manage = perms.can_manage_event_speakers(person, event)
    rows = [
        {
            "appearance": a,
            "is_self": perms.is_appearing_speaker(person, a),
            "can_remove": can_manage or perms.is_appearing_speaker(person, a),
        }
        for a in appearances
    ]
    if not can_manage and not any(row["is_self"] for row in rows):
        raise DjangoPermissionDenied(_("Only the event's hosts can choose its speakers."))
    return {
        "event": event,
        "appearances": rows,
        "can_manage": can_manage,
        "q": q,
        "candidates": queries.speaker_candidates(event, q) if can_manage and not event.is_cancelled else [],
    }


def _change_event_speakers(request: HttpRequest, event: Event) -> tuple[str, str]:
    """Add or remove one speaker as the POST says; answers (message, level)."""
    person = person_of(request)
    speaker_id = _speaker_id(request.POST.get("speaker", ""))
    try:
        if request.POST.get("action") == "remove":
            appearance: Appearance | None = queries.appearance_of(event, speaker_id)
            if appearance is None:
                return _("That speaker is not listed for this event."), "error"
            services_requests.remove_appearance(person=person, appearance=appearance)
            return _("%(name)s is no longer listed as a speaker.") % {"name": appearance.speaker.name}, "success"
        found = queries.speaker_by_pk(speaker_id)
        if found is None:
            raise Http404(_("There is no speaker at this address."))
        services_requests.add_appearance(person=person, event=event, speaker=found)
        return _("%(name)s is listed as a speaker.") % {"name": found.name}, "success"
    except DomainError as error:
        raise_refusal(error)
        return error.message, "error"


@require_http_methods(["GET", "POST"])
@signed_in
def event_speakers(request: HttpRequest, slug: str) -> HttpResponse:
    """The event's managers pick speakers from the roster (search by name or topic) and take them off; a listed
    speaker may take themself off."""
    event = _event(slug)
    source = request.POST if request.method == "POST" else request.GET
    q = source.get("q", "").strip()[:100]
    context = _event_speakers_context(request, event, q)  # refuses outsiders before anything changes
    if request.method == "POST":
        notice, level = _change_event_speakers(request, event)
        person = person_of(request)
        still_allowed = perms.can_manage_event_speakers(person, event) or any(
            perms.is_appearing_speaker(person, a) for a in queries.event_appearances(event)
        )
        if not is_htmx(request) or not still_allowed:
            (messages.success if level == "success" else messages.error)(request, notice)
            target = event.get_absolute_url()
            if still_allowed:
                target = reverse("speakers:event_speakers", args=[event.slug]) + (
                    f"?{urlencode({'q': q})}" if q else ""
                )
            return HttpResponseClientRedirect(target) if is_htmx(request) else redirect(target)
        context = {**_event_speakers_context(request, event, q), "notice": notice, "notice_level": level}
    return page_or_partial(request, "speakers/event_speakers.html", "speakers/_event_speakers.html", context)
