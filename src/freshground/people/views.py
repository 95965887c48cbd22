"""People pages: public profiles and a person's own settings. Thin: rules live in services, queries, permissions."""

from __future__ import annotations

import json

from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.core.exceptions import DomainError, NotFound
from freshground.core.permissions import is_person, is_site_admin
from freshground.network.queries import memberships_visible_to
from freshground.people import services
from freshground.people.forms import DeleteAccountForm, ProfileForm, TokenForm, add_domain_error
from freshground.people.models import PROFILE_VISIBILITY_FIELDS, ApiToken, Person, Visibility
from freshground.people.queries import visible_profile


def _person(request: HttpRequest) -> Person:
    """The signed-in person (views using this are behind login_required)."""
    user = request.user
    assert isinstance(user, Person)
    return user


@require_GET
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.prefetch_related("skills", "interests"), pk=pk)
    if not person.is_active and not is_site_admin(request.user):
        raise Http404
    is_self = is_person(request.user) and request.user.pk == person.pk
    shown = visible_profile(request.user, person)
    levels = dict(Visibility.choices)
    context = {
        "person": person,
        "profile": shown,
        "memberships": memberships_visible_to(request.user, person),
        "is_self": is_self,
        "field_levels": {name: levels.get(person.visibility_of(name), "") for name in PROFILE_VISIBILITY_FIELDS}
        if is_self
        else {},
    }
    return render(request, "people/profile.html", context)


@never_cache
@login_required
@require_GET
def settings_index(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    context = {
        "person": person,
        "mfa_active": Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists(),
        "token_count": person.api_tokens.count(),
    }
    return render(request, "people/settings.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    # A fresh copy, so a refused change never leaks into the page header through request.user.
    person = Person.objects.prefetch_related("skills", "interests").get(pk=_person(request).pk)
    if request.method == "POST":
        form = ProfileForm(request.POST, person=person)
        if form.is_valid():
            try:
                services.update_profile(person=person, **form.service_values())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("people:profile", pk=person.pk)
    else:
        form = ProfileForm(person=person)
    return render(request, "people/edit_profile.html", {"form": form, "person": person})


def _token_page(
    request: HttpRequest, form: TokenForm, new_key: str = "", new_token: ApiToken | None = None
) -> HttpResponse:
    tokens = ApiToken.objects.filter(person=_person(request)).order_by("-created_at")
    context = {"form": form, "tokens": tokens, "new_key": new_key, "new_token": new_token}
    return render(request, "people/tokens.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _token_page(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = services.create_api_token(
                person=_person(request), name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            # The key is in this response only: it is never stored, and the page is never cached.
            return _token_page(request, TokenForm(), new_key=key, new_token=token)
    return _token_page(request, form)


@never_cache
@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.revoke_api_token(person=_person(request), token_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, _("The token is revoked: nothing can use it any more."))
    return redirect("people:tokens")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if request.method != "POST":
        return render(request, "people/export.html", {"person": person})
    data = services.export_person_data(person=person)
    body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"freshground-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if request.method == "POST":
        form = DeleteAccountForm(request.POST, person=person)
        if not ratelimit.consume(request, action="reauthenticate", user=person):
            form.add_error(None, _("Too many attempts. Wait a minute and try again."))
            return render(request, "people/delete_account.html", {"form": form}, status=429)
        if form.is_valid():
            services.delete_account(person=person)
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for the work you did with everyone here."))
            return redirect("home")
        return render(request, "people/delete_account.html", {"form": form})
    return render(request, "people/delete_account.html", {"form": DeleteAccountForm(person=person)})
