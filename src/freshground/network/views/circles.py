"""A circle's page, its create and edit forms, and the viewer's own actions: join, leave, request, follow."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.network import permissions as perms
from freshground.network import queries, services
from freshground.network.forms import CircleForm, JoinRequestForm
from freshground.network.models import Circle
from freshground.network.views._common import (
    get_circle,
    is_htmx,
    person_of,
    raise_refusal,
    report,
    save_form,
    signed_in,
)


@require_GET
def circle(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_circle(slug)
    page = queries.circle_page(request.user, found)
    return TemplateResponse(request, "network/circle.html", {"page": page, "circle": found, "state": page.state})


@require_http_methods(["GET", "POST"])
@signed_in
def circle_create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    return save_form(
        request,
        CircleForm(request.POST or None),
        save=lambda data: services.create_circle(person=person, **data),
        success=_("Your circle is set up. You are its first organiser."),
        template="network/circle_form.html",
        context={"circle": None},
    )


def _circle_initial(found: Circle) -> dict[str, Any]:
    return {name: getattr(found, name) for name in CircleForm.base_fields}


@require_http_methods(["GET", "POST"])
@signed_in
def circle_edit(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_circle(slug)
    person = person_of(request)
    if not perms.can_edit_circle(person, found):
        raise DjangoPermissionDenied(_("Only the circle's organisers can change it."))
    return save_form(
        request,
        CircleForm(request.POST or None, initial=_circle_initial(found)),
        save=lambda data: services.update_circle(person=person, circle=found, **data),
        success=_("The circle's page is updated."),
        template="network/circle_form.html",
        context={"circle": found},
    )


def action_answer(request: HttpRequest, found: Circle) -> HttpResponse:
    """After join, leave, withdraw or follow: the fresh action box for htmx, else back to the circle's page."""
    if is_htmx(request):
        state = queries.viewer_state(request.user, found, fresh=True)
        return TemplateResponse(
            request, "network/_circle_actions.html", {"circle": found, "state": state, "is_partial": True}
        )
    return redirect(found)


@require_POST
@signed_in
def circle_join(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_circle(slug)
    try:
        services.join_circle(person=person_of(request), circle=found)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("You have joined %(circle)s.") % {"circle": found.name})
    return action_answer(request, found)


@require_POST
@signed_in
def circle_leave(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_circle(slug)
    try:
        services.leave_circle(person=person_of(request), circle=found)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("You have left %(circle)s.") % {"circle": found.name})
    return action_answer(request, found)


@require_POST
@signed_in
def circle_follow(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_circle(slug)
    person = person_of(request)
    wanted = request.POST.get("follow")
    follow = wanted == "1" if wanted in ("0", "1") else not queries.follows_circle(person, found)
    try:
        if follow:
            services.follow(person=person, circle=found)
            messages.success(request, _("You follow %(circle)s now.") % {"circle": found.name})
        else:
            services.unfollow(person=person, circle=found)
            messages.success(request, _("You no longer follow %(circle)s.") % {"circle": found.name})
    except DomainError as error:
        report(request, error)
    return action_answer(request, found)


@require_http_methods(["GET", "POST"])
@signed_in
def circle_request(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_circle(slug)
    person = person_of(request)
    state = queries.viewer_state(person, found)
    if state.is_member:
        messages.info(request, _("You are already a member of this circle."))
        return redirect(found)
    if state.can_join:
        messages.info(request, _("This circle is open: you can join it straight away."))
        return redirect(found)
    if state.pending_request is not None and request.method == "POST":
        messages.info(request, _("Your request is already waiting for the organisers."))
        return redirect(found)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_to_join(person=person, circle=found, message=form.cleaned_data["message"])
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your request is on its way to the organisers."))
            return redirect(found)
    return TemplateResponse(request, "network/circle_request.html", {"circle": found, "state": state, "form": form})


@require_POST
@signed_in
def circle_request_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_circle(slug)
    try:
        services.withdraw_join_request(person=person_of(request), circle=found)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Your request is withdrawn."))
    return action_answer(request, found)
