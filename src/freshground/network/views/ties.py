"""Ties: a circle's organisers declare, change and end them; a center's editors acknowledge them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.network import permissions as perms
from freshground.network import queries, services
from freshground.network.forms import TieEditForm, TieForm
from freshground.network.models import Center
from freshground.network.views._common import (
    get_circle,
    get_tie,
    is_htmx,
    person_of,
    raise_refusal,
    report,
    signed_in,
)


@require_http_methods(["GET", "POST"])
@signed_in
def tie_create(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_circle(slug)
    person = person_of(request)
    if not perms.can_declare_tie(person, found):
        raise DjangoPermissionDenied(_("Only the circle's organisers can tie it to a center."))
    search = request.GET.get("center_q", "").strip()[:120]
    if request.method == "POST":
        # Any center may be posted; the service says so clearly if the circle is already tied to it.
        form = TieForm(request.POST, centers=Center.objects.all())
        if form.is_valid():
            try:
                tie = services.declare_tie(person=person, circle=found, **form.cleaned_data)
            except DomainError as error:
                raise_refusal(error)
                apply_domain_error(form, error)
            else:
                messages.success(
                    request, _("%(circle)s is now tied to %(center)s.") % {"circle": found.name, "center": tie.center}
                )
                return redirect(found)
    else:
        choices = queries.tie_center_choices(found, search)
        initial = {}
        preselected = request.GET.get("center")
        if preselected:
            chosen = queries.center_by_slug(preselected)
            if chosen is not None:
                initial["center"] = chosen
                choices = choices | queries.tie_center_choices(found).filter(pk=chosen.pk)
        form = TieForm(initial=initial, centers=choices)
    context = {"circle": found, "form": form, "center_q": search}
    if is_htmx(request) and request.method == "GET":
        return TemplateResponse(request, "network/_tie_center_field.html", {**context, "is_partial": True})
    return TemplateResponse(request, "network/tie_form.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
def tie_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tie = get_tie(pk)
    person = person_of(request)
    if not perms.can_declare_tie(person, tie.circle):
        raise DjangoPermissionDenied(_("Only the circle's organisers can change its ties."))
    if not tie.is_active:
        raise Http404(_("This tie has ended."))
    form = TieEditForm(request.POST or None, initial={"wants": tie.wants, "note": tie.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_tie(person=person, tie=tie, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The tie to %(center)s is updated.") % {"center": tie.center.name})
            return redirect(tie.circle)
    return TemplateResponse(request, "network/tie_edit.html", {"tie": tie, "circle": tie.circle, "form": form})


@require_http_methods(["GET", "POST"])
@signed_in
def tie_end(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (the page works without JavaScript); POST ends the tie."""
    tie = get_tie(pk)
    person = person_of(request)
    if not perms.can_end_tie(person, tie.circle):
        raise DjangoPermissionDenied(_("Only the circle's organisers can end its ties."))
    if request.method == "POST":
        try:
            services.end_tie(person=person, tie=tie)
        except DomainError as error:
            report(request, error)
        else:
            messages.success(request, _("The tie to %(center)s has ended.") % {"center": tie.center.name})
        return redirect(tie.circle)
    if not tie.is_active:
        raise Http404(_("This tie has already ended."))
    return TemplateResponse(request, "network/tie_end.html", {"tie": tie, "circle": tie.circle})


@require_POST
@signed_in
def tie_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    tie = get_tie(pk)
    try:
        services.acknowledge_tie(person=person_of(request), tie=tie)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("You have acknowledged the tie from %(circle)s.") % {"circle": tie.circle.name})
    if is_htmx(request):
        tie.note_visible = perms.can_see_tie_note(request.user, tie)
        return TemplateResponse(request, "network/_center_tie.html", {"tie": tie, "can_edit": True, "is_partial": True})
    return redirect(tie.center)
