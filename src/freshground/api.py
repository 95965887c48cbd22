"""The JSON API at /api/v1/: one NinjaAPI, each app contributes a router. Same permission predicates as the web UI."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from freshground.core.exceptions import DomainError
from freshground.people.services import authenticate_token


class TokenAuth(HttpBearer):
    """Authorization: Bearer fg_… with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        person = authenticate_token(token)
        if person is not None:
            request.user = person
        return person


class TokenHeaderAuth(APIKeyHeader):
    """The same token in an X-API-Token header, for clients that cannot set Authorization."""

    param_name = "X-API-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        person = authenticate_token(key or "")
        if person is not None:
            request.user = person
        return person


# Reads are open to everyone; writes need a token or a signed-in session (with CSRF).
AUTH = [TokenAuth(), TokenHeaderAuth(), django_auth]


class OptionalAuth:
    """For read endpoints: a valid token identifies the caller; anonymous callers are allowed."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        key = header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("X-API-Token", "")
        if key:
            person = authenticate_token(key)
            if person is None:
                raise AuthenticationError()
            request.user = person
        return True


OPTIONAL_AUTH = OptionalAuth()

api = NinjaAPI(
    title="Fresh Ground API",
    version="1",
    description="Circles, centers, ties, follows and profiles. Authenticate with `Authorization: Bearer <token>`.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, Any] = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        field = ".".join(part for part in location if part not in {"body", "query", "path", "payload", "form"})
        errors.append({"field": field, "message": error.get("msg", "Invalid value.")})
    summary = "; ".join(f"{e['field'] or 'request'}: {e['message']}" for e in errors)
    return api.create_response(request, {"detail": summary or "Invalid request.", "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Sign in or send a valid API token."}, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register_routers() -> None:
    from freshground.campaigns.api import router as campaigns_router
    from freshground.debate.api import router as debate_router
    from freshground.decisions.api import router as decisions_router
    from freshground.events.api import router as events_router
    from freshground.inquiries.api import router as inquiries_router
    from freshground.journal.api import router as journal_router
    from freshground.moderation.api import router as moderation_router
    from freshground.network.api import router as network_router
    from freshground.notifications.api import router as notifications_router
    from freshground.people.api import router as people_router
    from freshground.reports.api import router as reports_router
    from freshground.speakers.api import router as speakers_router
    from freshground.unity.api import router as unity_router

    api.add_router("/", people_router)
    api.add_router("/", network_router)
    api.add_router("/", events_router)
    api.add_router("/", speakers_router)
    api.add_router("/", debate_router)
    api.add_router("/", moderation_router)
    api.add_router("/", notifications_router)
    api.add_router("/", reports_router)
    api.add_router("/", inquiries_router)
    api.add_router("/", journal_router)
    api.add_router("/", campaigns_router)
    api.add_router("/", decisions_router)
    api.add_router("/", unity_router)


_register_routers()
