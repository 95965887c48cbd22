"""People API: public profiles (as each viewer may see them), one's own account, data download and API tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import AuthenticationError
from ninja.responses import codes_4xx

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.core.exceptions import DomainError, NotFound
from freshground.people import services
from freshground.people.models import ApiToken, Person
from freshground.people.queries import VisibleProfile, visible_profile
from freshground.people.schemas import (
    DeleteAccountIn,
    ErrorOut,
    MeOut,
    ProfileOut,
    ProfilePatch,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)

router = Router(tags=["people"])

ERRORS: dict[Any, Any] = {codes_4xx: ErrorOut}


def actor(request: HttpRequest) -> Person:
    """The signed-in person behind a write: set by the token or session auth that let the request in."""
    person = getattr(request, "auth", None)
    if not isinstance(person, Person) or not person.is_active:
        raise AuthenticationError()
    return person


def viewer(request: HttpRequest) -> Any:
    """Who is reading: a person (token or session) or an anonymous visitor. Predicates decide what they see."""
    return getattr(request, "user", None)


def _me(person: Person) -> Person:
    return Person.objects.prefetch_related("skills", "interests").get(pk=person.pk)


@router.get("/people/{int:person_id}", auth=OPTIONAL_AUTH, response={200: ProfileOut, **ERRORS})
def get_profile(request: HttpRequest, person_id: int) -> VisibleProfile:
    """A person's profile: the display name and whichever fields they let the caller see."""
    person = Person.objects.filter(pk=person_id, is_active=True).prefetch_related("skills", "interests").first()
    if person is None:
        raise NotFound(_("No such person."))
    return visible_profile(viewer(request), person)


@router.get("/me", auth=AUTH, response={200: MeOut, **ERRORS})
def get_me(request: HttpRequest) -> Person:
    """Your own full profile, including your e-mail address and who sees what."""
    return _me(actor(request))


@router.patch("/me", auth=AUTH, response={200: MeOut, **ERRORS})
def patch_me(request: HttpRequest, payload: ProfilePatch) -> Person:
    """Change any subset of your profile."""
    person = actor(request)
    services.update_profile(person=person, **payload.model_dump(exclude_unset=True))
    return _me(person)


@router.get("/me/export", auth=AUTH, response={200: dict[str, Any], **ERRORS})
def export_me(request: HttpRequest) -> dict[str, Any]:
    """Everything Fresh Ground holds about you, as JSON."""
    return services.export_person_data(person=actor(request))


@router.delete("/me", auth=AUTH, response={204: None, **ERRORS})
def delete_me(request: HttpRequest, payload: DeleteAccountIn) -> Status[None]:
    """Delete your account. Send {"confirm": "<your e-mail address>"} so it cannot happen by accident."""
    person = actor(request)
    if payload.confirm.strip().casefold() != person.email.casefold():
        raise DomainError(_("Type your e-mail address to confirm."), field="confirm")
    services.delete_account(person=person)
    return Status(204, None)


@router.get("/me/tokens", auth=AUTH, response={200: list[TokenOut], **ERRORS})
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    """Your API tokens (never their keys)."""
    return list(ApiToken.objects.filter(person=actor(request)))


@router.post("/me/tokens", auth=AUTH, response={201: TokenCreatedOut, **ERRORS})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    """Make a token. The response holds the key, once: it is never shown again."""
    token, key = services.create_api_token(person=actor(request), name=payload.name, expires_at=payload.expires_at)
    data = TokenOut.model_validate(token).model_dump()
    return Status(201, {**data, "key": key})


@router.delete("/me/tokens/{int:token_id}", auth=AUTH, response={204: None, **ERRORS})
def delete_token(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of your tokens; anything using it stops working at once."""
    services.revoke_api_token(person=actor(request), token_id=token_id)
    return Status(204, None)
