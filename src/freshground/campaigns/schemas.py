"""Request and response shapes of the campaigns API. Constraints here make malformed input a 422 naming the field."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from freshground.campaigns.models import ActionStatus, CampaignStatus, GoalUnit, KitKind, Scope

PARTY_PATTERN = r"^(circle|center):[-a-zA-Z0-9_]+$"


class TagOut(Schema):
    name: str
    slug: str


class SponsorOut(Schema):
    id: int
    kind: str
    slug: str
    name: str
    status: str
    initiator: bool
    created_at: datetime

    @staticmethod
    def resolve_kind(obj: object) -> str:
        return "circle" if getattr(obj, "circle_id", None) else "center"

    @staticmethod
    def resolve_slug(obj: object) -> str:
        return str(obj.party.slug)  # type: ignore[attr-defined]


class GoalOut(Schema):
    id: int
    label: str
    unit: str
    target: int
    current: int
    percent: int
    petition_id: int | None


class CampaignSummaryOut(Schema):
    slug: str
    title: str
    topic: TagOut | None
    scope: str
    status: str
    place_name: str
    latitude: float | None
    longitude: float | None
    starts_on: date | None
    ends_on: date | None
    sponsor_count: int
    supporter_count: int
    url: str

    @staticmethod
    def resolve_url(obj: object) -> str:
        if isinstance(obj, dict):
            return str(obj["url"])
        return str(obj.get_absolute_url())  # type: ignore[attr-defined]


class CampaignDetailOut(CampaignSummaryOut):
    description: str
    demands: list[str]
    tags: list[TagOut]
    goals: list[GoalOut]
    sponsors: list[SponsorOut]
    pending_sponsors: list[SponsorOut] | None
    you: dict[str, bool]


class GoalIn(Schema):
    label: str = Field(min_length=1, max_length=200)
    unit: GoalUnit = GoalUnit.OTHER
    target: int = Field(ge=1, le=2_000_000_000)
    current: int = Field(0, ge=0, le=2_000_000_000)


class GoalProgressIn(Schema):
    current: int = Field(ge=0, le=2_000_000_000)


class CampaignIn(Schema):
    sponsor: str = Field(pattern=PARTY_PATTERN, description="circle:<slug> or center:<slug>, in whose name")
    title: str = Field(min_length=1, max_length=160)
    description: str = Field("", max_length=20000)
    topic: str | None = Field(None, max_length=60)
    tags: list[str] = Field(default_factory=list, max_length=30)
    demands: list[str] = Field(default_factory=list, max_length=20)
    scope: Scope = Scope.LOCAL
    place_name: str = Field("", max_length=160)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    starts_on: date | None = None
    ends_on: date | None = None
    draft: bool = False
    goals: list[GoalIn] = Field(default_factory=list, max_length=20)


class CampaignPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=160)
    description: str | None = Field(None, max_length=20000)
    topic: str | None = Field(None, max_length=60)
    tags: list[str] | None = Field(None, max_length=30)
    demands: list[str] | None = Field(None, max_length=20)
    scope: Scope | None = None
    place_name: str | None = Field(None, max_length=160)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    starts_on: date | None = None
    ends_on: date | None = None


class StatusIn(Schema):
    status: CampaignStatus


class SimilarIn(Schema):
    title: str = Field(min_length=1, max_length=160)
    description: str = Field("", max_length=20000)
    topic: str | None = Field(None, max_length=60)
    place_name: str = Field("", max_length=160)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class SimilarOut(Schema):
    campaign: CampaignSummaryOut
    score: float
    same_topic: bool
    distance_km: float | None


class SponsorRequestIn(Schema):
    party: str = Field(pattern=PARTY_PATTERN, description="circle:<slug> or center:<slug>")
    message: str = Field("", max_length=2000)


class DecisionIn(Schema):
    accept: bool


class PersonRefOut(Schema):
    id: int
    display_name: str


class SupporterOut(Schema):
    person: PersonRefOut
    joined_at: datetime


class ActionIn(Schema):
    title: str = Field(min_length=1, max_length=160)
    starts_at: datetime
    description: str = Field("", max_length=5000)
    place_name: str = Field("", max_length=160)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    people_needed: int = Field(0, ge=0, le=1_000_000)
    status: ActionStatus = ActionStatus.PLANNED
    owner_id: int | None = None
    event: str | None = Field(None, max_length=120, description="the calendar event's slug")


class ActionOut(Schema):
    id: int
    title: str
    starts_at: datetime
    description: str
    place_name: str
    people_needed: int
    status: str
    owner: PersonRefOut | None
    event_url: str | None

    @staticmethod
    def resolve_event_url(obj: object) -> str | None:
        event = getattr(obj, "event", None)
        return str(event.get_absolute_url()) if event is not None else None


class TaskIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    notes: str = Field("", max_length=3000)
    due_on: date | None = None
    assignee_ids: list[int] = Field(default_factory=list, max_length=50)
    action_id: int | None = None


class TaskDoneIn(Schema):
    done: bool


class TaskOut(Schema):
    id: int
    title: str
    notes: str
    due_on: date | None
    done: bool
    assignees: list[PersonRefOut]
    action_id: int | None


class ReportIn(Schema):
    sponsor_id: int
    body: str = Field(min_length=1, max_length=10000)


class ReportOut(Schema):
    id: int
    campaign: str
    campaign_title: str
    by: str
    by_kind: str
    body: str
    created_at: datetime
    url: str

    @staticmethod
    def resolve_campaign(obj: object) -> str:
        return str(obj.campaign.slug)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_campaign_title(obj: object) -> str:
        return str(obj.campaign.title)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_by(obj: object) -> str:
        return str(obj.party)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_by_kind(obj: object) -> str:
        return "circle" if getattr(obj, "circle_id", None) else "center"

    @staticmethod
    def resolve_url(obj: object) -> str:
        return str(obj.get_absolute_url())  # type: ignore[attr-defined]


class PetitionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    target: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=20000)
    signature_goal: int = Field(0, ge=0, le=2_000_000_000)
    show_signers: bool = True


class PetitionOut(Schema):
    id: int
    title: str
    target: str
    text: str
    signature_goal: int
    signature_count: int
    show_signers: bool
    is_open: bool
    url: str

    @staticmethod
    def resolve_url(obj: object) -> str:
        return str(obj.get_absolute_url())  # type: ignore[attr-defined]


class SignIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    email: str = Field(min_length=3, max_length=254)
    place_name: str = Field("", max_length=160)
    show_name: bool = False


class SignedOut(Schema):
    detail: str


class SignerOut(Schema):
    name: str
    place_name: str


class KitItemIn(Schema):
    kind: KitKind = KitKind.LEAFLET
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=50000)


class KitCopyIn(Schema):
    circle: str = Field(max_length=80)


class KitItemOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    circle: str | None
    credit: str
    adapted_from_id: int | None
    attachment_url: str | None
    url: str

    @staticmethod
    def resolve_circle(obj: object) -> str | None:
        circle = getattr(obj, "circle", None)
        return str(circle.slug) if circle is not None else None

    @staticmethod
    def resolve_attachment_url(obj: object) -> str | None:
        attachment = getattr(obj, "attachment", None)
        return str(attachment.url) if attachment else None

    @staticmethod
    def resolve_url(obj: object) -> str:
        return str(obj.get_absolute_url())  # type: ignore[attr-defined]
