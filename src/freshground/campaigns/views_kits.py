"""A campaign's kit: adding material, its page, copying it into a circle and adapting the copy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.campaigns import permissions as perms
from freshground.campaigns import queries, services_kits
from freshground.campaigns.forms import KitCopyForm, KitEditForm, KitItemForm
from freshground.campaigns.models import Campaign, KitItem
from freshground.campaigns.views import get_campaign
from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.core.text import render_markdown
from freshground.network.models import Circle
from freshground.network.views._common import person_of, raise_refusal, report, signed_in


def _kit_item(found: Campaign, pk: int) -> KitItem:
    item = queries.kit_item_by_pk(found, pk)
    if item is None:
        raise Http404(_("There is no such material."))
    return item


@signed_in
@require_http_methods(["GET", "POST"])
def kit_add(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    person = person_of(request)
    if not perms.can_manage_kit(person, found):
        raise DjangoPermissionDenied(_("Only the campaign's sponsors can add to its kit."))
    form = KitItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services_kits.add_kit_item(actor=person, campaign=found, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            return redirect(item)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "campaigns/kit_form.html", {"form": form, "campaign": found}, status=status)


@require_GET
def kit_item(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    item = _kit_item(found, pk)
    viewer = request.user
    circles = [s.circle for s in queries.active_sponsors(found) if s.circle is not None]
    copy_circles = [c for c in circles if perms.can_copy_kit_item(viewer, item, c)]
    return TemplateResponse(
        request,
        "campaigns/kit_item.html",
        {
            "campaign": found,
            "item": item,
            "body_html": render_markdown(item.body),
            "copy_form": KitCopyForm(circles=copy_circles) if copy_circles else None,
            "can_edit": perms.can_edit_kit_item(viewer, item),
        },
    )


@signed_in
@require_POST
def kit_copy(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    item = _kit_item(found, pk)
    person = person_of(request)
    circles: list[Circle] = [s.circle for s in queries.active_sponsors(found) if s.circle is not None]
    form = KitCopyForm(request.POST, circles=circles)
    if not form.is_valid() or form.chosen_circle() is None:
        raise DjangoPermissionDenied(_("Choose a circle that sponsors this campaign."))
    circle = form.chosen_circle()
    assert circle is not None
    try:
        copy = services_kits.copy_kit_item(actor=person, item=item, circle=circle)
    except DomainError as error:
        report(request, error)
        return redirect(item)
    messages.success(request, _("Copied into %(circle)s. Adapt it as you need.") % {"circle": circle})
    return redirect(copy)


@signed_in
@require_http_methods(["GET", "POST"])
def kit_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Adapt a circle's copy (its organisers), or change the campaign's own item (its sponsors)."""
    found = get_campaign(request, slug)
    item = _kit_item(found, pk)
    person = person_of(request)
    if not perms.can_edit_kit_item(person, item):
        raise DjangoPermissionDenied(_("Only its owners can change this material."))
    form = KitEditForm(request.POST or None, initial={"title": item.title, "body": item.body})
    if request.method == "POST" and form.is_valid():
        try:
            services_kits.update_kit_item(
                actor=person, item=item, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(item)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "campaigns/kit_edit.html", {"form": form, "campaign": found, "item": item}, status=status
    )
