"""Event pages: the event itself, its create/edit form, cancelling, closing, co-hosts and promotions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.events import permissions as perms
from freshground.events import queries, services, services_hosts
from freshground.events.forms import (
    CloseForm,
    CohostInviteForm,
    EventForm,
    GroupForm,
    TimeslotFormSet,
    timeslot_initial,
    timeslot_rows,
)
from freshground.events.models import Event
from freshground.network import queries as network_queries
from freshground.network.models import Center, Circle
from freshground.network.views._common import person_of, raise_refusal, report, signed_in
from freshground.people.models import Person

REGISTRATION_BOX = "events/registration_box.html"


def get_event(slug: str) -> Event:
    event = queries.event_by_slug(slug)
    if event is None:
        raise Http404(_("There is no event at this address."))
    return event


def _registration_box(request: HttpRequest, event: Event) -> dict[str, Any]:
    """The registrations part's box, when it exists (its template and read model); nothing otherwise."""
    try:
        template = select_template([REGISTRATION_BOX])
    except TemplateDoesNotExist:
        return {}
    try:
        from freshground.events.queries_registrations import registration_box
    except ImportError:
        return {}
    return {
        "registration_box_template": template.template.name,
        "registration_box": registration_box(request.user, event),
    }


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event(slug)
    page = queries.event_page(request.user, event)
    context = {"event": event, "page": page, **_registration_box(request, event)}
    return TemplateResponse(request, "events/event_detail.html", context)


def _host_choices(person: Person) -> list[tuple[str, str]]:
    circles, centers = queries.groups_person_acts_for(person)
    choices = [("", _("Me, %(name)s") % {"name": person.display_name})]
    choices += [(f"circle:{c.slug}", c.name) for c in circles]
    choices += [(f"center:{c.slug}", c.name) for c in centers]
    return choices


def _group(value: str) -> tuple[Circle | None, Center | None]:
    kind, _sep, slug = (value or "").partition(":")
    if kind == "circle":
        circle = network_queries.circle_by_slug(slug)
        if circle is None:
            raise Http404(_("There is no circle at this address."))
        return circle, None
    if kind == "center":
        center = network_queries.center_by_slug(slug)
        if center is None:
            raise Http404(_("There is no center at this address."))
        return None, center
    return None, None


def _save(
    request: HttpRequest, form: EventForm, formset: Any, template_context: dict[str, Any], save: Any
) -> HttpResponse:
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            event = save(form.service_values(), timeslot_rows(formset))
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            return redirect(event)
    context = {"form": form, "formset": formset, **template_context}
    return TemplateResponse(request, "events/event_form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@signed_in
def event_create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    initial = {"time_zone": person.time_zone or "UTC", "language": "en", "online_url_for_registered_only": True}
    form = EventForm(request.POST or None, initial=initial, host_choices=_host_choices(person))
    formset = TimeslotFormSet(request.POST or None, prefix="slots")

    def save(values: dict[str, Any], slots: list[dict[str, Any]]) -> Event:
        circle, center = _group(str(form.cleaned_data.get("host") or ""))
        event = services.create_event(
            person=person, host_circle=circle, host_center=center, timeslots=slots or None, **values
        )
        messages.success(request, _("The event is on the calendar."))
        return event

    return _save(request, form, formset, {"event": None}, save)


@require_http_methods(["GET", "POST"])
@signed_in
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event(slug)
    person = person_of(request)
    if not perms.can_manage_event(person, event):
        raise DjangoPermissionDenied(_("Only the event's hosts can change it."))
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if event.rrule:
        form.initial["rrule"] = event.rrule
    formset = TimeslotFormSet(request.POST or None, prefix="slots", initial=timeslot_initial(event))

    def save(values: dict[str, Any], slots: list[dict[str, Any]]) -> Event:
        updated = services.update_event(person=person, event=event, timeslots=slots, **values)
        messages.success(request, _("The event is updated."))
        return updated

    return _save(request, form, formset, {"event": event}, save)


@require_http_methods(["GET", "POST"])
@signed_in
def event_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event(slug)
    person = person_of(request)
    if not perms.can_manage_event(person, event):
        raise DjangoPermissionDenied(_("Only the event's hosts can cancel it."))
    if request.method == "POST":
        try:
            services.cancel_event(person=person, event=event)
        except DomainError as error:
            report(request, error)
        else:
            messages.success(request, _("The event is cancelled. People who registered will be told."))
        return redirect(event)
    return TemplateResponse(request, "events/event_cancel.html", {"event": event})


@require_http_methods(["GET", "POST"])
@signed_in
def event_close(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event(slug)
    person = person_of(request)
    if not perms.can_manage_event(person, event):
        raise DjangoPermissionDenied(_("Only the event's hosts can close it."))
    initial = {"minutes": event.minutes, "attendance_count": event.attendance_count, "outcomes": event.outcomes}
    form = CloseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_event(person=person, event=event, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The report is on the event's page."))
            return redirect(event)
    return TemplateResponse(request, "events/event_close.html", {"event": event, "form": form})


@require_http_methods(["GET", "POST"])
@signed_in
def event_cohosts(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event(slug)
    person = person_of(request)
    if not perms.can_manage_event(person, event):
        raise DjangoPermissionDenied(_("Only the event's hosts can invite co-hosts."))
    form = CohostInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_hosts.invite_cohost(person=person, event=event, circle=form.circle, center=form.center)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Invited. They co-host once their organisers or editors accept."))
            return redirect("events:event_cohosts", event.slug)
    page = queries.event_page(person, event)
    return TemplateResponse(request, "events/event_cohosts.html", {"event": event, "page": page, "form": form})


@require_POST
@signed_in
def cohost_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = get_event(slug)
    host = queries.host_by_pk(event, pk)
    if host is None:
        raise Http404(_("There is no such invitation."))
    accept = request.POST.get("answer") == "accept"
    try:
        services_hosts.answer_cohost_invite(person=person_of(request), host=host, accept=accept)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("You co-host this event now.") if accept else _("Invitation declined."))
    return redirect(event)


@require_POST
@signed_in
def cohost_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = get_event(slug)
    host = queries.host_by_pk(event, pk)
    if host is None:
        raise Http404(_("There is no such co-host."))
    try:
        services_hosts.remove_cohost(person=person_of(request), host=host)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Removed."))
    return redirect("events:event_cohosts", event.slug)


def _promotion(request: HttpRequest, slug: str, *, promote: bool) -> HttpResponse:
    event = get_event(slug)
    person = person_of(request)
    page = queries.event_page(person, event)
    options = page.promote_as if promote else page.promoted_as
    form = GroupForm(request.POST, choices=[(f"{g.kind}:{g.slug}", g.name) for g in options])
    if not form.is_valid():
        raise DjangoPermissionDenied(_("You organise no circle and edit no center that could do this."))
    circle, center = _group(form.cleaned_data["group"])
    try:
        if promote:
            services_hosts.promote(person=person, event=event, circle=circle, center=center)
            messages.success(request, _("Promoted to your followers."))
        else:
            services_hosts.unpromote(person=person, event=event, circle=circle, center=center)
            messages.success(request, _("No longer promoted."))
    except DomainError as error:
        report(request, error)
    return redirect(event)


@require_POST
@signed_in
def event_promote(request: HttpRequest, slug: str) -> HttpResponse:
    return _promotion(request, slug, promote=True)


@require_POST
@signed_in
def event_unpromote(request: HttpRequest, slug: str) -> HttpResponse:
    return _promotion(request, slug, promote=False)
