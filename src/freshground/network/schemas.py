"""Request and response shapes of the network API. Constraints here make malformed input a 422 naming the field."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from freshground.network.models import (
    Circle,
    CircleKind,
    Invite,
    JoinPolicy,
    JoinRequest,
    MemberListVisibility,
    Role,
    Tie,
    TieWant,
)
from freshground.network.permissions import can_see_tie_note
from freshground.people.schemas import PersonRef

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
WEBSITE_PATTERN = r"^(https?://\S+)?$"
MAX_NEAR_KM = 1000.0
KM_PER_DEGREE = 111.32


def visible_note(tie: Tie, context: dict[str, Any] | None) -> str | None:
    """The tie's note when the caller may read it (permissions.can_see_tie_note), else None."""
    request = (context or {}).get("request")
    viewer = getattr(request, "user", None)
    return tie.note if can_see_tie_note(viewer, tie) else None


def known_wants(tie: Tie) -> list[str]:
    """A tie's wants that are still choices today (an old, retired choice must not break a response)."""
    return [want for want in tie.wants if want in TieWant.values]


# Circles


class CircleSummaryOut(Schema):
    slug: str
    name: str
    kind: CircleKind
    place_name: str
    latitude: float | None
    longitude: float | None
    join_policy: JoinPolicy
    member_list_visibility: MemberListVisibility
    member_count: int
    follower_count: int
    created_at: datetime


class CircleListItemOut(CircleSummaryOut):
    distance_km: float | None = Field(None, description="Only with a near= search: roughly how far away.")

    @staticmethod
    def resolve_distance_km(obj: Circle) -> float | None:
        distance_sq = getattr(obj, "distance_sq", None)
        return None if distance_sq is None else round(math.sqrt(max(distance_sq, 0.0)) * KM_PER_DEGREE, 1)


class CenterSummaryOut(Schema):
    slug: str
    name: str
    tendency: str
    website: str
    tie_count: int
    follower_count: int


class TieBaseOut(Schema):
    """What every view of a tie shows: what the circle wants, and its note for those who may read it."""

    id: int
    wants: list[TieWant]
    note: str | None = Field(None, description="Only for members of the circle, editors of the center and site admins.")
    created_at: datetime
    acknowledged_at: datetime | None

    @staticmethod
    def resolve_wants(obj: Tie) -> list[str]:
        return known_wants(obj)

    @staticmethod
    def resolve_note(obj: Tie, context: dict[str, Any]) -> str | None:
        return visible_note(obj, context)


class CircleTieOut(TieBaseOut):
    """A circle's active tie, seen from the circle: which center, and what the circle wants from it."""

    center: CenterSummaryOut


class MemberOut(Schema):
    person: PersonRef
    role: Role
    joined_at: datetime


class CircleViewerOut(Schema):
    """What the caller is and may do here, from the permission predicates; all false for anonymous callers."""

    is_member: bool
    role: Role | None
    request_pending: bool
    following: bool
    can_edit: bool
    can_manage_members: bool
    can_join: bool
    can_request_to_join: bool
    can_declare_tie: bool


class CircleDetailOut(CircleSummaryOut):
    description: str
    ties: list[CircleTieOut]
    members: list[MemberOut] | None = Field(
        None, description="The first members, only for callers who may see the list; page through /members."
    )
    you: CircleViewerOut


class CircleIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    slug: str | None = Field(None, min_length=1, max_length=80, pattern=SLUG_PATTERN)
    description: str = Field("", max_length=10000)
    kind: CircleKind = CircleKind.CITY
    place_name: str = Field("", max_length=160)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    join_policy: JoinPolicy = JoinPolicy.OPEN
    member_list_visibility: MemberListVisibility = MemberListVisibility.MEMBERS


class CirclePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=10000)
    kind: CircleKind | None = None
    place_name: str | None = Field(None, max_length=160)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    join_policy: JoinPolicy | None = None
    member_list_visibility: MemberListVisibility | None = None


class CircleFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Words in the name, description or place.")
    kind: CircleKind | None = None
    place: str | None = Field(None, max_length=160, description="Part of the place name.")
    near: str | None = Field(None, max_length=60, description="lat,lon: circles within km of this point.")
    km: float = Field(25.0, gt=0, le=MAX_NEAR_KM)

    @field_validator("near")
    @classmethod
    def _lat_lon(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = value.split(",")
        try:
            lat, lon = (float(part) for part in parts)
        except ValueError:
            raise ValueError("give latitude,longitude, e.g. 53.8,-1.55") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("latitude must be within -90..90 and longitude within -180..180")
        return f"{lat},{lon}"

    def point(self) -> tuple[float, float] | None:
        if not self.near:
            return None
        lat, lon = (float(part) for part in self.near.split(","))
        return lat, lon


class MembershipOut(Schema):
    circle: CircleSummaryOut
    role: Role
    joined_at: datetime


class JoinRequestIn(Schema):
    message: str = Field("", max_length=1000)


class JoinRequestOut(Schema):
    id: int
    circle: str
    person: PersonRef
    message: str
    status: JoinRequest.Status
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_circle(obj: JoinRequest) -> str:
        return obj.circle.slug


class JoinRequestFilters(Schema):
    status: JoinRequest.Status = JoinRequest.Status.PENDING


class RoleIn(Schema):
    role: Role


class InviteIn(Schema):
    max_uses: int = Field(25, ge=1, le=1000)
    days: int = Field(14, ge=1, le=90)


class InviteOut(Schema):
    token: str
    circle: str
    expires_at: datetime
    max_uses: int
    uses: int

    @staticmethod
    def resolve_circle(obj: Invite) -> str:
        return obj.circle.slug


# Centers


class CenterTieOut(TieBaseOut):
    """A tie seen from the center: which circle declared it and what it wants."""

    circle: CircleSummaryOut
    ended_at: datetime | None


class CenterViewerOut(Schema):
    following: bool
    can_edit: bool


class CenterDetailOut(CenterSummaryOut):
    description: str
    created_at: datetime
    ties: list[CenterTieOut] = Field(..., description="The most recent active ties; page through /ties for all.")
    editors: list[PersonRef] | None = Field(None, description="Only for the center's editors and site admins.")
    you: CenterViewerOut


class CenterIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    slug: str | None = Field(None, min_length=1, max_length=80, pattern=SLUG_PATTERN)
    description: str = Field("", max_length=10000)
    tendency: str = Field("", max_length=80)
    website: str = Field("", max_length=300, pattern=WEBSITE_PATTERN)


class CenterPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=10000)
    tendency: str | None = Field(None, max_length=80)
    website: str | None = Field(None, max_length=300, pattern=WEBSITE_PATTERN)


class CenterFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Words in the name or description.")
    tendency: str | None = Field(None, max_length=80, description="One tendency or tradition (any letter case).")


class CenterTieFilters(Schema):
    include_ended: bool = False


class EditorIn(Schema):
    email: str = Field(..., min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")


class EditorOut(Schema):
    person: PersonRef
    added_at: datetime


# Ties


class TieIn(Schema):
    center: str = Field(..., min_length=1, max_length=80, pattern=SLUG_PATTERN, description="The center's slug.")
    wants: list[TieWant] = Field(default_factory=list, max_length=len(TieWant.values))
    note: str = Field("", max_length=2000)


class TiePatch(Schema):
    wants: list[TieWant] | None = Field(None, max_length=len(TieWant.values))
    note: str | None = Field(None, max_length=2000)


class TieOut(CenterTieOut):
    center: CenterSummaryOut


# Follows


class FollowOut(Schema):
    id: int
    circle: CircleSummaryOut | None
    center: CenterSummaryOut | None
    created_at: datetime
