"""Petitions: starting one, signing (rate-limited: signing mails any address), confirming, and the sponsors' CSV."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from freshground.campaigns import permissions as perms
from freshground.campaigns import queries, services_petitions
from freshground.campaigns.forms import PetitionForm, SignForm
from freshground.campaigns.models import Campaign
from freshground.campaigns.views import get_campaign
from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.core.text import render_markdown
from freshground.network.views._common import person_of, raise_refusal, report, signed_in

SIGN_LIMIT_PER_IP = 20
SIGN_LIMIT_PER_ADDRESS = 3
SIGN_WINDOW = 3600


@signed_in
@require_http_methods(["GET", "POST"])
def petition_add(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    person = person_of(request)
    if not perms.can_manage_campaign(person, found):
        raise DjangoPermissionDenied(_("Only the campaign's sponsors can start a petition."))
    form = PetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services_petitions.create_petition(actor=person, campaign=found, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            return redirect(created)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "campaigns/petition_form.html", {"form": form, "campaign": found}, status=status)


def _petition(found: Campaign, pk: int) -> Any:
    item = queries.petition_by_pk(found, pk)
    if item is None:
        raise Http404(_("There is no such petition."))
    return item


def _client_key(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def sign_allowed(request: HttpRequest, email: str) -> bool:
    """Signing mails any address: at most 20 an hour from one client and 3 an hour to one address."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]
    client = hashlib.sha256(_client_key(request).encode()).hexdigest()[:24]
    for key, limit in (
        (f"fg:campaigns:sign:ip:{client}", SIGN_LIMIT_PER_IP),
        (f"fg:campaigns:sign:to:{address}", SIGN_LIMIT_PER_ADDRESS),
    ):
        cache.add(key, 0, SIGN_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, SIGN_WINDOW)
            count = 1
        if count > limit:
            return False
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def petition(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    item = _petition(found, pk)
    initial: dict[str, Any] = {}
    if request.user.is_authenticated:
        initial = {"name": getattr(request.user, "display_name", ""), "email": getattr(request.user, "email", "")}
    form = SignForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            if not sign_allowed(request, form.cleaned_data["email"]):
                form.add_error(None, _("Too many signatures from here in a short time. Try again in an hour."))
                status = 429
            else:
                try:
                    services_petitions.sign_petition(actor=request.user, petition=item, **form.cleaned_data)
                except DomainError as error:
                    raise_refusal(error)
                    apply_domain_error(form, error)
                else:
                    return TemplateResponse(
                        request, "campaigns/petition_sent.html", {"campaign": found, "petition": item}
                    )
    return TemplateResponse(
        request,
        "campaigns/petition.html",
        {
            "campaign": found,
            "petition": item,
            "text_html": render_markdown(item.text),
            "form": form,
            "can_sign": perms.can_sign(item),
            "can_export": perms.can_export_signatures(request.user, item),
            "signers": queries.public_signers(item),
        },
        status=status,
    )


@signed_in
@require_GET
def petition_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    item = _petition(found, pk)
    if not perms.can_export_signatures(request.user, item):
        raise DjangoPermissionDenied(_("Only the campaign's sponsors can download the signatures."))
    response = HttpResponse(queries.signatures_csv(item), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-petition-{item.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def signature_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the mail: a page with a button (a POST, so mail scanners following links confirm nothing)."""
    signature = services_petitions.signature_by_token(token)
    if signature is None:
        raise Http404(_("This link is not valid or has expired. Sign again to get a new one."))
    if request.method == "POST":
        try:
            signature = services_petitions.confirm_signature(token=token)
        except DomainError as error:
            report(request, error)
        else:
            messages.success(request, _("Your signature is confirmed and counted. Thank you!"))
            return redirect(signature.petition)
    return TemplateResponse(request, "campaigns/signature_confirm.html", {"signature": signature, "token": token})
