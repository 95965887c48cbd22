"""Pages for registering, a person's and a guest's registrations, and the hosts' list, check-in and feedback.

Every page works without JavaScript; with htmx the register form swaps the registration box in place.
"""

from __future__ import annotations

import csv
from typing import Any

import segno
from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.core.exceptions import DomainError, PermissionDenied
from freshground.core.forms import apply_domain_error
from freshground.core.permissions import is_person
from freshground.events import permissions as perms
from freshground.events import queries_registrations as queries
from freshground.events import services_attendance
from freshground.events import services_registrations as services
from freshground.events.forms_registrations import CheckInForm, FeedbackForm, RegistrationForm
from freshground.events.mail_registrations import event_page_url
from freshground.events.models import Event, EventStatus, Registration, RegistrationStatus
from freshground.network.views._common import is_htmx, person_of, raise_refusal, report, signed_in

BOX_TEMPLATE = "events/registration_box.html"


def get_event(slug: str) -> Event:
    event = queries.event_by_slug(slug)
    if event is None:
        raise Http404(_("There is no event at this address."))
    return event


def qr_data_uri(code: str) -> str:
    """The registration code as a QR code, an SVG data URI for an <img> (the CSP allows data: images)."""
    return str(segno.make(code, error="m").svg_data_uri(scale=6, border=2, dark="#111", light="#fff"))


def _require_hosts(request: HttpRequest, event: Event) -> Any:
    person = person_of(request)
    if not perms.can_see_registrations(person, event):
        raise DjangoPermissionDenied(_("Only the event's hosts can see who registered."))
    return person


# Registering


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """The register form: one click (and the questions) when signed in; name and e-mail for guests."""
    event = get_event(slug)
    viewer = request.user
    guest = not is_person(viewer)
    data = request.POST if request.method == "POST" else None
    form = RegistrationForm(data, event=event, guest=guest, timeslots=list(event.timeslots.all()))
    if request.method == "POST" and form.is_valid() and guest and not _guest_allowed(request, form):
        form.add_error(None, _("Too many registrations from here just now. Please try again in an hour."))
    elif request.method == "POST" and form.is_valid():
        try:
            if guest:
                registration = services.register_guest(
                    event=event,
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    timeslot=form.chosen_timeslot(),
                    answers=form.answers(),
                )
            else:
                registration = services.register(
                    person=person_of(request), event=event, timeslot=form.chosen_timeslot(), answers=form.answers()
                )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            return _registered(request, event, registration, guest=guest)
    if is_htmx(request):
        box = queries.registration_box(viewer, event, form=form)
        return TemplateResponse(request, BOX_TEMPLATE, {"event": event, "registration_box": box, "is_partial": True})
    box = queries.registration_box(viewer, event, form=form)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "events/registration_register.html",
        {"event": event, "registration_box": box, "form": form, "event_url": event_page_url(event)},
        status=status,
    )


def _guest_allowed(request: HttpRequest, form: RegistrationForm) -> bool:
    """Guest registration sends mail to any address: limit it per address and per client, as sign-up is."""
    email = str(form.cleaned_data.get("email", "")).strip().lower()
    return bool(ratelimit.consume(request, action="event_guest_registration", key=email))


def _registered(request: HttpRequest, event: Event, registration: Registration, *, guest: bool) -> HttpResponse:
    if guest:
        message = _("Almost there: we have sent you an e-mail. Follow the link in it to confirm your registration.")
    elif registration.status == RegistrationStatus.CONFIRMED:
        message = _("You are registered. Your code for the door is %(code)s.") % {"code": registration.code}
    else:
        message = _("The event is full: you are on the waiting list. We will e-mail you if a place comes free.")
    messages.success(request, message)
    if is_htmx(request):
        box = queries.registration_box(request.user, event)
        return TemplateResponse(request, BOX_TEMPLATE, {"event": event, "registration_box": box, "is_partial": True})
    if guest:
        return TemplateResponse(request, "events/registration_guest_sent.html", {"event": event})
    return redirect(event_page_url(event))


# Guests: everything through the link in their mail


def _guest(token: str) -> Registration:
    registration = services.registration_by_token(token)
    if registration is None:
        raise Http404(_("This link is not valid. It may have been mistyped."))
    return registration


@never_cache
@require_http_methods(["GET", "POST"])
def guest_registration(request: HttpRequest, token: str) -> HttpResponse:
    """The guest's landing page: confirm (a POST, so mail scanners following links confirm nothing), then the
    code and QR code for the door."""
    registration = _guest(token)
    if request.method == "POST":
        try:
            registration = services.confirm_guest(token=token)
        except DomainError as error:
            report(request, error)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("Your place is confirmed. See you there!"))
            else:
                messages.info(request, _("The event is full: you are on the waiting list. We will e-mail you."))
        return redirect("events:guest_registration", token=token)
    return TemplateResponse(request, "events/registration_detail.html", _detail_context(registration, token=token))


def _detail_context(registration: Registration, *, token: str = "", person: Any = None) -> dict[str, Any]:
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    event = registration.event
    feedback_url = ""
    if token and perms.can_leave_guest_feedback(registration):
        feedback_url = reverse("events:guest_registration_feedback", args=[token])
    elif not token and perms.can_leave_feedback(person, registration) and not perms.has_feedback(registration):
        feedback_url = reverse("events:registration_feedback", args=[registration.pk])
    return {
        "feedback_url": feedback_url,
        "feedback_sent": (
            confirmed and event.status == EventStatus.CLOSED and not feedback_url and perms.has_feedback(registration)
        ),
        "registration": registration,
        "event": event,
        "event_url": event_page_url(event),
        "token": token,
        "qr": qr_data_uri(registration.code) if confirmed else "",
        "show_address": confirmed and bool(event.address),
        "show_online_url": confirmed and bool(event.online_url),
        "can_cancel": registration.status != RegistrationStatus.CANCELLED
        and registration.event.status != EventStatus.CLOSED,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def guest_registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _guest(token)
    if request.method == "POST":
        try:
            services.cancel_guest_registration(token=token)
        except DomainError as error:
            report(request, error)
        else:
            messages.success(request, _("Your registration is cancelled. Thank you for letting the hosts know."))
        return redirect("events:guest_registration", token=token)
    return TemplateResponse(
        request,
        "events/registration_cancel.html",
        {"registration": registration, "event": registration.event, "token": token},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def guest_registration_feedback(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's feedback after the event was closed, through the link with their registration's token."""
    registration = _guest(token)
    if perms.has_feedback(registration) and registration.status == RegistrationStatus.CONFIRMED:
        messages.info(request, _("You have already left feedback for this event. Thank you!"))
        return redirect("events:guest_registration", token=token)
    if not perms.can_leave_guest_feedback(registration):
        raise DjangoPermissionDenied(_("Feedback opens when the hosts close the event, for people who had a place."))
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_attendance.leave_guest_feedback(token=token, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("events:guest_registration", token=token)
    return TemplateResponse(
        request,
        "events/registration_feedback.html",
        {"registration": registration, "event": registration.event, "form": form, "token": token},
        status=400 if request.method == "POST" else 200,
    )


# A signed-in person's registrations


@require_GET
@signed_in
def my_registrations(request: HttpRequest) -> HttpResponse:
    upcoming, past = queries.upcoming_and_past(person_of(request))
    return TemplateResponse(request, "events/registration_mine.html", {"upcoming": upcoming, "past": past})


def _own(request: HttpRequest, pk: int) -> Registration:
    registration = queries.own_registration(person_of(request), pk)
    if registration is None:
        raise Http404(_("You have no such registration."))
    return registration


@require_GET
@signed_in
def registration(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own(request, pk)
    return TemplateResponse(
        request, "events/registration_detail.html", _detail_context(found, person=person_of(request))
    )


@require_http_methods(["GET", "POST"])
@signed_in
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (works without JS), then the cancellation."""
    found = _own(request, pk)
    if request.method == "POST":
        try:
            services.cancel_registration(person=person_of(request), registration=found)
        except DomainError as error:
            report(request, error)
        else:
            messages.success(request, _("Your registration is cancelled."))
        if is_htmx(request):
            box = queries.registration_box(request.user, found.event)
            return TemplateResponse(
                request, BOX_TEMPLATE, {"event": found.event, "registration_box": box, "is_partial": True}
            )
        return redirect("events:my_registrations")
    return TemplateResponse(request, "events/registration_cancel.html", {"registration": found, "event": found.event})


@require_http_methods(["GET", "POST"])
@signed_in
def registration_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    found = _own(request, pk)
    person = person_of(request)
    if not perms.can_leave_feedback(person, found):
        raise DjangoPermissionDenied(_("Feedback opens when the hosts close the event, for people who had a place."))
    if hasattr(found, "feedback"):
        messages.info(request, _("You have already left feedback for this event. Thank you!"))
        return redirect("events:my_registrations")
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_attendance.leave_feedback(person=person, registration=found, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("events:my_registrations")
    return TemplateResponse(
        request, "events/registration_feedback.html", {"registration": found, "event": found.event, "form": form}
    )


# The hosts' pages


@require_GET
@signed_in
def registrations(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event(slug)
    _require_hosts(request, event)
    rows = queries.registrations_for_hosts(event)
    questions = services.questions_of(event)
    table = [
        {
            "registration": row,
            "name": queries.attendee_name(row),
            "email": queries.attendee_email(row),
            "answers": [row.answers.get(question.key, "") for question in questions],
        }
        for row in rows
    ]
    return TemplateResponse(
        request,
        "events/registration_list.html",
        {"event": event, "event_url": event_page_url(event), "rows": table, "questions": questions},
    )


@require_GET
@signed_in
def registrations_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event(slug)
    _require_hosts(request, event)
    questions = services.questions_of(event)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Name"),
            _("E-mail"),
            _("Guest"),
            _("Status"),
            _("Session"),
            _("Code"),
            _("Registered at"),
            _("Attended"),
            *(question.label for question in questions),
        ]
    )
    for row in queries.registrations_for_hosts(event):
        writer.writerow(
            [
                _csv_safe(queries.attendee_name(row)),
                _csv_safe(queries.attendee_email(row)),
                "yes" if row.person_id is None else "no",
                row.status,
                _csv_safe(str(row.timeslot)) if row.timeslot else "",
                row.code,
                timezone.localtime(row.created_at).isoformat(timespec="minutes"),
                "yes" if row.attended else "no",
                *(_csv_safe(row.answers.get(question.key, "")) for question in questions),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_POST
@signed_in
def registration_attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = get_event(slug)
    found = queries.registration_with_event(pk)
    if found is None or found.event_id != event.pk:
        raise Http404(_("No such registration for this event."))
    attended = request.POST.get("attended") == "1"
    try:
        services_attendance.mark_attendance(person=person_of(request), registration=found, attended=attended)
    except DomainError as error:
        report(request, error)
    if is_htmx(request):
        return TemplateResponse(
            request,
            "events/registration_attendance.html",
            {"event": event, "registration": found, "is_partial": True},
        )
    return redirect("events:registrations", slug=event.slug)


@require_http_methods(["GET", "POST"])
@signed_in
def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    """At the door: type the code (or scan it with a scanner that types) and the registration is marked attended."""
    event = get_event(slug)
    person = person_of(request)
    if not perms.can_manage_event(person, event):
        raise DjangoPermissionDenied(_("Only the event's hosts can check people in."))
    form = CheckInForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services_attendance.check_in(person=person, event=event, code=form.cleaned_data["code"])
        except DomainError as error:
            if isinstance(error, PermissionDenied):
                raise DjangoPermissionDenied(error.message) from error
            apply_domain_error(form, error)
        else:
            form = CheckInForm()
    attended = event.registrations.filter(status=RegistrationStatus.CONFIRMED, attended=True).count()
    return TemplateResponse(
        request,
        "events/registration_check_in.html",
        {
            "event": event,
            "event_url": event_page_url(event),
            "form": form,
            "result": result,
            "result_name": queries.attendee_name(result.registration) if result else "",
            "attended": attended,
        },
        status=400 if request.method == "POST" and result is None else 200,
    )


@require_GET
@signed_in
def feedback_summary(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event(slug)
    _require_hosts(request, event)
    return TemplateResponse(
        request,
        "events/registration_feedback_summary.html",
        {"event": event, "event_url": event_page_url(event), "summary": queries.feedback_summary(event)},
    )
