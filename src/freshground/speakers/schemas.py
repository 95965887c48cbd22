"""Request and response shapes of the speakers API. Constraints here make malformed input a 422 naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

from freshground.speakers.models import Appearance, RequestStatus, Speaker, SpeakingRequest, TourStop

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
TagName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class TalkIO(Schema):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]
    abstract: str = Field("", max_length=3000)


class WindowIO(Schema):
    starts_on: dt.date
    ends_on: dt.date


class SpeakerSummaryOut(Schema):
    id: int
    name: str
    place_name: str
    latitude: float | None
    longitude: float | None
    languages: list[str]
    regions: list[str]
    topics: list[str]
    is_member: bool

    @staticmethod
    def resolve_topics(obj: Speaker | dict[str, Any]) -> list[str]:
        if isinstance(obj, dict):  # a detail answer already built
            return list(obj["topics"])
        return [tag.name for tag in obj.topics.all()]


class EndorsementOut(Schema):
    id: int
    topic: str
    circle: str | None
    center: str | None

    @staticmethod
    def resolve_topic(obj: Any) -> str:
        return str(obj.topic.name)

    @staticmethod
    def resolve_circle(obj: Any) -> str | None:
        return obj.circle.slug if obj.circle is not None else None

    @staticmethod
    def resolve_center(obj: Any) -> str | None:
        return obj.center.slug if obj.center is not None else None


class TalkOnCalendarOut(Schema):
    request: int
    date: dt.date | None
    circle: str
    event: str | None


class SpeakerDetailOut(SpeakerSummaryOut):
    bio: str
    talks: list[TalkIO]
    availability: list[WindowIO]
    endorsements: list[EndorsementOut]
    upcoming: list[TalkOnCalendarOut]
    past: list[TalkOnCalendarOut]
    # Only for the speaker's side and for circle organisers and center editors; otherwise null.
    fees: str | None = None
    accessibility_needs: str | None = None
    you: dict[str, bool]


class SpeakerIn(Schema):
    for_self: bool = Field(True, description="True: list yourself. False: enter someone without an account.")
    name: Short = ""
    bio: str = Field("", max_length=5000)
    topics: list[TagName] = Field(default_factory=list, max_length=30)
    talks: list[TalkIO] = Field(default_factory=list, max_length=30)
    languages: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=12)]] = Field(
        default_factory=list, max_length=20
    )
    place_name: str = Field("", max_length=160)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    regions: list[Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)]] = Field(
        default_factory=list, max_length=30
    )
    availability: list[WindowIO] = Field(default_factory=list, max_length=40)
    fees: str = Field("", max_length=1000)
    accessibility_needs: str = Field("", max_length=1000)
    contact_email: str = Field("", max_length=254)


class RequestIn(Schema):
    circle: str = Field(..., max_length=80, description="The inviting circle's slug (you organise it).")
    talk: int | None = Field(None, description="One of the speaker's talks (id), or give a topic.")
    topic: str = Field("", max_length=60)
    place_name: str = Field("", max_length=160)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    earliest: dt.date
    latest: dt.date
    time_zone: str = Field("UTC", max_length=64)
    expected_audience: int | None = Field(None, ge=0, le=1_000_000)
    offer: str = Field("", max_length=2000)
    message: str = Field("", max_length=3000)


class RequestOut(Schema):
    id: int
    speaker: int
    circle: str
    subject: str
    place_name: str
    latitude: float | None
    longitude: float | None
    earliest: dt.date
    latest: dt.date
    expected_audience: int | None
    offer: str
    message: str
    status: RequestStatus
    proposed_date: dt.date | None
    scheduled_date: dt.date | None
    response_note: str
    event: str | None

    @staticmethod
    def resolve_speaker(obj: SpeakingRequest) -> int:
        return obj.speaker_id

    @staticmethod
    def resolve_circle(obj: SpeakingRequest) -> str:
        return obj.circle.slug

    @staticmethod
    def resolve_event(obj: SpeakingRequest) -> str | None:
        return obj.event.slug if obj.event is not None else None


class AcceptIn(Schema):
    date: dt.date | None = Field(None, description="A date in the circle's window; empty: the first possible.")
    note: str = Field("", max_length=2000)


class DeclineIn(Schema):
    note: str = Field("", max_length=2000)


class ProposeIn(Schema):
    date: dt.date
    note: str = Field("", max_length=2000)


class StopOut(Schema):
    order: int
    date: dt.date
    trip: int
    request: int
    circle: str
    place_name: str
    km_from_previous: float

    @staticmethod
    def resolve_request(obj: TourStop) -> int:
        return obj.request_id

    @staticmethod
    def resolve_circle(obj: TourStop) -> str:
        return obj.request.circle.slug

    @staticmethod
    def resolve_place_name(obj: TourStop) -> str:
        return obj.request.place_name


class UnplacedOut(Schema):
    request: int
    reason: str


class TourOut(Schema):
    id: int
    status: str
    total_km: float
    method: str
    stops: list[StopOut]
    unplaced: list[UnplacedOut]


class TourAcceptIn(Schema):
    plan: int = Field(..., description="The id of the plan GET /speakers/{id}/tour-plan returned.")


class AppearanceIn(Schema):
    speaker: int = Field(..., ge=1, description="The roster speaker's id.")


class AppearanceOut(Schema):
    """A roster speaker at an event."""

    speaker: int
    name: str
    topics: list[str]
    url: str
    added_at: dt.datetime

    @staticmethod
    def resolve_speaker(obj: Appearance) -> int:
        return int(obj.speaker_id)

    @staticmethod
    def resolve_name(obj: Appearance) -> str:
        return obj.speaker.name

    @staticmethod
    def resolve_topics(obj: Appearance) -> list[str]:
        return [tag.name for tag in obj.speaker.topics.all()]

    @staticmethod
    def resolve_url(obj: Appearance) -> str:
        return obj.speaker.get_absolute_url()

    @staticmethod
    def resolve_added_at(obj: Appearance) -> dt.datetime:
        return obj.created_at
