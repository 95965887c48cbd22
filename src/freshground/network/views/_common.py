"""What every network view shares: who is acting, how refusals become answers, htmx or full page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from freshground.core.exceptions import DomainError, NotFound, PermissionDenied
from freshground.core.forms import apply_domain_error
from freshground.network import queries
from freshground.network.models import Center, Circle, Tie
from freshground.people.models import Person


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that swaps part of a page (a history restore wants the whole page)."""
    details = getattr(request, "htmx", None)
    return bool(details) and not getattr(details, "history_restore_request", False)


def safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def login_redirect(request: HttpRequest, next_url: str | None = None) -> HttpResponse:
    """Send a visitor who tried to act to the login page, and back afterwards."""
    if next_url is None:
        if request.method in ("GET", "HEAD"):
            next_url = request.get_full_path()
        else:
            referer = safe_next(request, request.headers.get("Referer"))
            if referer:
                parts = urlsplit(referer)
                referer = parts.path + (f"?{parts.query}" if parts.query else "")
            next_url = safe_next(request, request.POST.get("next")) or referer or resolve_url("home")
    if is_htmx(request):
        login = resolve_url("account_login")
        response = redirect_to_login(next_url, login)
        return HttpResponseClientRedirect(response["Location"])
    return redirect_to_login(next_url, resolve_url("account_login"))


def signed_in[**P](
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Anonymous visitors who try to act go to the login page first."""

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return login_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def person_of(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person) or not user.is_active:
        raise DjangoPermissionDenied(_("Sign in first."))
    return user


def raise_refusal(error: DomainError) -> None:
    """A service's PermissionDenied is a 403 page, its NotFound a 404; other refusals are left to the caller."""
    if isinstance(error, PermissionDenied):
        raise DjangoPermissionDenied(error.message) from error
    if isinstance(error, NotFound):
        raise Http404(error.message) from error


def report(request: HttpRequest, error: DomainError) -> None:
    """Show a refusal the user can act on as a message on the next page."""
    raise_refusal(error)
    messages.error(request, error.message)


def get_circle(slug: str) -> Circle:
    circle = queries.circle_by_slug(slug)
    if circle is None:
        raise Http404(_("There is no circle at this address."))
    return circle


def get_center(slug: str) -> Center:
    center = queries.center_by_slug(slug)
    if center is None:
        raise Http404(_("There is no center at this address."))
    return center


def get_tie(pk: int) -> Tie:
    tie = queries.tie_by_pk(pk)
    if tie is None:
        raise Http404(_("There is no such tie."))
    return tie


def page_or_partial(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The whole page, or only the part an htmx request swaps."""
    if is_htmx(request):
        return TemplateResponse(request, partial, {**context, "is_partial": True}, status=status)
    return TemplateResponse(request, template, context, status=status)


def save_form(
    request: HttpRequest,
    form: Form,
    *,
    save: Callable[[dict[str, Any]], Circle | Center],
    success: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The create/edit pattern: a valid POST calls one service; a refusal lands on the form, success on the page."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, success)
            return redirect(saved)
    return TemplateResponse(request, template, {"form": form, **context})
