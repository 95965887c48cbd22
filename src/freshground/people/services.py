"""Changes to a person's own account and profile: profile edits, tokens, data download, account deletion."""

from __future__ import annotations

import hashlib
import re
import secrets
import zoneinfo
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError, NotFound
from freshground.core.models import Tag
from freshground.core.tags import tags_from_names
from freshground.core.text import clean_text
from freshground.people import portability
from freshground.people.models import PROFILE_VISIBILITY_FIELDS, ApiToken, Person, Visibility

TOKEN_PREFIX = "fg_"  # noqa: S105 - a public prefix, not a secret
MAX_TAGS = 30
LANGUAGE_CODE_MAX = 12


def _tags(names: Iterable[str], field: str) -> list[Tag]:
    return tags_from_names(names, field, limit=MAX_TAGS)


def _languages(codes: Iterable[str]) -> list[str]:
    result: list[str] = []
    for raw in codes:
        code = clean_text(str(raw)).lower()
        if not code:
            continue
        if len(code) > LANGUAGE_CODE_MAX or not all(part.isalnum() for part in code.split("-")):
            raise DomainError(
                _("“%(code)s” is not a language code such as en or pt-br.") % {"code": code[:20]}, field="languages"
            )
        if code not in result:
            result.append(code)
    return result[:20]


@transaction.atomic
def update_profile(*, person: Person, **values: Any) -> Person:
    """Change profile fields; any subset may be given. Invalid values raise DomainError naming the field."""
    if "display_name" in values:
        name = clean_text(values["display_name"] or "")
        if not name:
            raise DomainError(_("Choose a display name. A pseudonym is fine."), field="display_name")
        if len(name) > 80:
            raise DomainError(_("A display name has at most 80 characters."), field="display_name")
        person.display_name = name
    if "handle" in values:
        person.handle = _handle(person, values["handle"] or "")
    if "bio" in values:
        bio = clean_text(values["bio"] or "")
        if len(bio) > 2000:
            raise DomainError(_("“About me” has at most 2000 characters."), field="bio")
        person.bio = bio
    if "place_name" in values:
        place = clean_text(values["place_name"] or "")
        if len(place) > 160:
            raise DomainError(_("A place has at most 160 characters."), field="place_name")
        person.place_name = place
    if "latitude" in values or "longitude" in values:
        lat, lon = values.get("latitude", person.latitude), values.get("longitude", person.longitude)
        if (lat is None) != (lon is None):
            raise DomainError(_("Give both latitude and longitude, or neither."), field="latitude")
        if lat is not None and not -90 <= float(lat) <= 90:
            raise DomainError(_("Latitude must be between -90 and 90."), field="latitude")
        if lon is not None and not -180 <= float(lon) <= 180:
            raise DomainError(_("Longitude must be between -180 and 180."), field="longitude")
        person.latitude = None if lat is None else float(lat)
        person.longitude = None if lon is None else float(lon)
    if "languages" in values:
        person.languages = _languages(values["languages"] or [])
    if "time_zone" in values:
        zone = values["time_zone"] or "UTC"
        if zone not in zoneinfo.available_timezones():
            raise DomainError(_("Unknown time zone."), field="time_zone")
        person.time_zone = zone
    if "visibility" in values:
        visibility = dict(person.visibility)
        for key, level in (values["visibility"] or {}).items():
            if key not in PROFILE_VISIBILITY_FIELDS:
                raise DomainError(_("Unknown profile field “%(f)s”.") % {"f": str(key)[:30]}, field="visibility")
            if level not in Visibility.values:
                raise DomainError(_("Choose everyone, my circles or only me."), field="visibility")
            visibility[key] = level
        person.visibility = visibility
    skills = _tags(values["skills"] or [], "skills") if "skills" in values else None
    interests = _tags(values["interests"] or [], "interests") if "interests" in values else None
    person.save()
    if skills is not None:
        person.skills.set(skills)
    if interests is not None:
        person.interests.set(interests)
    return person


HANDLE_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def _handle(person: Person, value: str) -> str:
    """A handle for @mentions: 1–40 lower-case letters, digits and inner hyphens, not taken by someone else."""
    handle = value.strip().lstrip("@").lower()
    if not HANDLE_PATTERN.match(handle):
        raise DomainError(
            _("A handle has 1–40 lower-case letters, digits or hyphens, and starts and ends with a letter or digit."),
            field="handle",
        )
    if Person.objects.filter(handle=handle).exclude(pk=person.pk).exists():
        raise DomainError(_("Someone already has the handle @%(h)s.") % {"h": handle}, field="handle")
    return handle


def _hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, person: Person, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Make a personal API token. The key is returned once and never stored."""
    name = clean_text(name or "")[:80]
    if not name:
        raise DomainError(_("Give the token a name, so you know later what uses it."), field="name")
    if person.api_tokens.count() >= 20:
        raise DomainError(_("You have 20 tokens already: revoke one first."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person, name=name, prefix=key[:10], key_hash=_hash_token(key), expires_at=expires_at
    )
    return token, key


def authenticate_token(key: str) -> Person | None:
    if not key or not key.startswith(TOKEN_PREFIX) or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("person").filter(key_hash=_hash_token(key)).first()
    if token is None or token.is_expired or not token.person.is_active:
        return None
    today = timezone.now().date()
    if token.last_used_on != today:
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=today)
    return token.person


@transaction.atomic
def revoke_api_token(*, person: Person, token_id: int) -> None:
    deleted, _rows = ApiToken.objects.filter(person=person, pk=token_id).delete()
    if not deleted:
        raise NotFound(_("No such token."))


def export_person_data(*, person: Person) -> dict[str, Any]:
    """Everything Fresh Ground holds about a person, as plain JSON-ready data."""
    data: dict[str, Any] = {
        "format": "freshground-export/1",
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "id": person.pk,
            "email": person.email,
            "display_name": person.display_name,
            "bio": person.bio,
            "place_name": person.place_name,
            "latitude": person.latitude,
            "longitude": person.longitude,
            "languages": person.languages,
            "skills": [tag.name for tag in person.skills.all()],
            "interests": [tag.name for tag in person.interests.all()],
            "visibility": person.visibility,
            "time_zone": person.time_zone,
            "date_joined": person.date_joined.isoformat(),
        },
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "created_at": t.created_at.isoformat()}
            for t in person.api_tokens.all()
        ],
    }
    for section, exporter in portability.exporters().items():
        data[section] = exporter(person)
    return data


@transaction.atomic
def delete_account(*, person: Person) -> None:
    """Delete the account and its personal data; public contributions stay, credited to "a former member"."""
    for eraser in portability.erasers().values():
        eraser(person)
    person.delete()
