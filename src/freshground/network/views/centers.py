"""A center's page, its create and edit forms, following it and its editors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.network import permissions as perms
from freshground.network import queries, services
from freshground.network.forms import CenterForm, EditorAddForm
from freshground.network.models import Center
from freshground.network.views._common import (
    get_center,
    is_htmx,
    person_of,
    raise_refusal,
    report,
    save_form,
    signed_in,
)


@require_GET
def center(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_center(slug)
    page = queries.center_page(request.user, found, request.GET.get("page"))
    return TemplateResponse(request, "network/center.html", {"page": page, "center": found})


@require_http_methods(["GET", "POST"])
@signed_in
def center_create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    return save_form(
        request,
        CenterForm(request.POST or None),
        save=lambda data: services.create_center(person=person, **data),
        success=_("The center is set up. You are its first editor."),
        template="network/center_form.html",
        context={"center": None},
    )


def _center_initial(found: Center) -> dict[str, Any]:
    return {name: getattr(found, name) for name in CenterForm.base_fields}


@require_http_methods(["GET", "POST"])
@signed_in
def center_edit(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_center(slug)
    person = person_of(request)
    if not perms.can_edit_center(person, found):
        raise DjangoPermissionDenied(_("Only the center's editors can change it."))
    return save_form(
        request,
        CenterForm(request.POST or None, initial=_center_initial(found)),
        save=lambda data: services.update_center(person=person, center=found, **data),
        success=_("The center's page is updated."),
        template="network/center_form.html",
        context={"center": found},
    )


@require_POST
@signed_in
def center_follow(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_center(slug)
    person = person_of(request)
    wanted = request.POST.get("follow")
    follow = wanted == "1" if wanted in ("0", "1") else not queries.center_follow_state(person, found)
    try:
        if follow:
            services.follow(person=person, center=found)
            messages.success(request, _("You follow %(center)s now.") % {"center": found.name})
        else:
            services.unfollow(person=person, center=found)
            messages.success(request, _("You no longer follow %(center)s.") % {"center": found.name})
    except DomainError as error:
        report(request, error)
    if is_htmx(request):
        found.refresh_from_db(fields=["follower_count"])
        context = {"center": found, "following": queries.center_follow_state(person, found), "signed_in": True}
        return TemplateResponse(request, "network/_center_follow.html", {**context, "is_partial": True})
    return redirect(found)


@require_http_methods(["GET", "POST"])
@signed_in
def center_editors(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_center(slug)
    person = person_of(request)
    if not perms.can_manage_editors(person, found):
        raise DjangoPermissionDenied(_("Only the center's editors can manage its editors."))
    form = EditorAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        editor = queries.person_by_email(form.cleaned_data["email"])
        if editor is None:
            form.add_error("email", _("No one with that address has an account here. Ask them to sign up first."))
        else:
            try:
                services.add_center_editor(person=person, center=found, editor=editor)
            except DomainError as error:
                raise_refusal(error)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("%(name)s is now an editor.") % {"name": editor.display_name})
                return redirect("network:center_editors", found.slug)
    context = {"center": found, "form": form, "editors": queries.center_editors(found)}
    return TemplateResponse(request, "network/center_editors.html", context)


@require_POST
@signed_in
def center_editor_remove(request: HttpRequest, slug: str, person_pk: int) -> HttpResponse:
    found = get_center(slug)
    editor = next((e.person for e in queries.center_editors(found) if e.person_id == person_pk), None)
    if editor is None:
        raise Http404(_("That person is not an editor of this center."))
    try:
        services.remove_center_editor(person=person_of(request), center=found, editor=editor)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("%(name)s is no longer an editor.") % {"name": editor.display_name})
    return redirect("network:center_editors", found.slug)
