"""Request and response shapes of the people API. Constraints here make malformed input a 422 naming the field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import StringConstraints, field_validator

from freshground.people.models import PROFILE_VISIBILITY_FIELDS, Person, Visibility
from freshground.people.queries import VisibleProfile

# Must match people.models.PROFILE_VISIBILITY_FIELDS (a test checks it).
ProfileField = Literal["bio", "place", "languages", "skills", "interests"]
LanguageCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)]
TagName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class PersonRef(Schema):
    """How a person appears next to what they do: the display name and the @handle are always public."""

    id: int
    display_name: str
    handle: str | None = None


class ProfileOut(Schema):
    """A profile as the caller may see it. A field the person keeps from the caller is null and named in hidden."""

    id: int
    display_name: str
    handle: str | None = None
    bio: str | None = None
    place_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    languages: list[str] | None = None
    skills: list[str] | None = None
    interests: list[str] | None = None
    hidden: list[str]

    @staticmethod
    def resolve_id(obj: VisibleProfile) -> int:
        return int(obj.person.pk)

    @staticmethod
    def resolve_handle(obj: VisibleProfile) -> str | None:
        return obj.person.handle


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    handle: str | None
    bio: str
    place_name: str
    latitude: float | None
    longitude: float | None
    languages: list[str]
    skills: list[str]
    interests: list[str]
    visibility: dict[str, Visibility]
    time_zone: str
    date_joined: datetime

    @staticmethod
    def resolve_skills(obj: Person) -> list[str]:
        return [tag.name for tag in obj.skills.all()]

    @staticmethod
    def resolve_interests(obj: Person) -> list[str]:
        return [tag.name for tag in obj.interests.all()]

    @staticmethod
    def resolve_visibility(obj: Person) -> dict[str, str]:
        return {name: obj.visibility_of(name) for name in PROFILE_VISIBILITY_FIELDS}


class ProfilePatch(Schema):
    """Any subset of the profile. Send latitude and longitude together; null for both clears the place's point."""

    display_name: str | None = Field(None, min_length=1, max_length=80)
    handle: str | None = Field(None, min_length=1, max_length=41)
    bio: str | None = Field(None, max_length=2000)
    place_name: str | None = Field(None, max_length=160)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    languages: list[LanguageCode] | None = Field(None, max_length=20)
    skills: list[TagName] | None = Field(None, max_length=30)
    interests: list[TagName] | None = Field(None, max_length=30)
    visibility: dict[ProfileField, Visibility] | None = None
    time_zone: str | None = Field(None, min_length=1, max_length=64)


class DeleteAccountIn(Schema):
    confirm: str = Field(..., min_length=1, max_length=254, description="Your e-mail address, to confirm.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_on: date | None = Field(None, description="The day the token was last used (day granularity).")
    expires_at: datetime | None
    is_expired: bool


class TokenCreatedOut(TokenOut):
    key: str = Field(..., description="The token itself. Shown this once only: store it now.")


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    expires_at: datetime | None = None

    @field_validator("expires_at")
    @classmethod
    def _in_the_future(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if timezone.is_naive(value):
            value = value.replace(tzinfo=UTC)
        if value <= timezone.now():
            raise ValueError("must be in the future")
        return value
