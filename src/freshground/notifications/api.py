"""The notifications app's part of /api/v1/: one's own notifications, the unread count, marking read, settings,
following threads and topics. Everything here is about the caller only, so every endpoint needs a token or session."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from freshground.api import AUTH
from freshground.core.content import resolve
from freshground.core.exceptions import NotFound, PermissionDenied
from freshground.core.models import Tag
from freshground.notifications import queries, services
from freshground.notifications.models import Notification
from freshground.people.api import ERRORS, actor

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    summary: str
    url: str
    created_at: datetime
    read_at: datetime | None
    actor_id: int | None
    actor_name: str | None
    circle: str | None
    center: str | None
    thread_title: str

    @staticmethod
    def resolve_actor_name(obj: Notification) -> str | None:
        return obj.actor.display_name if obj.actor is not None else None

    @staticmethod
    def resolve_circle(obj: Notification) -> str | None:
        return obj.space_circle.slug if obj.space_circle is not None else None

    @staticmethod
    def resolve_center(obj: Notification) -> str | None:
        return obj.space_center.slug if obj.space_center is not None else None


class NotificationFilters(Schema):
    unread: bool = False


class UnreadOut(Schema):
    unread: int


class ReadAllOut(Schema):
    marked: int


class ChannelsSchema(Schema):
    """{kind: channel} with kinds reply, mention, debate, followed, moderation and channels off, inapp, immediate,
    daily, weekly."""

    channels: dict[str, str]


class FollowOut(Schema):
    following: bool


class TopicIn(Schema):
    topic: str


class TopicOut(Schema):
    id: int
    name: str
    slug: str


@router.get("/notifications", auth=AUTH, response={200: list[NotificationOut], **ERRORS})
@paginate(PageNumberPagination)
def list_notifications(request: HttpRequest, filters: Query[NotificationFilters]) -> QuerySet[Notification]:
    """Your notifications, newest first (?unread=true for the unread ones only)."""
    return queries.notifications_for(actor(request), unread_only=filters.unread)


@router.get("/notifications/unread-count", auth=AUTH, response={200: UnreadOut, **ERRORS})
def unread_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": queries.unread_count(actor(request))}


@router.post("/notifications/read-all", auth=AUTH, response={200: ReadAllOut, **ERRORS})
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.mark_all_read(person=actor(request))}


@router.post("/notifications/{int:notification_id}/read", auth=AUTH, response={200: NotificationOut, **ERRORS})
def read_one(request: HttpRequest, notification_id: int) -> Notification:
    person = actor(request)
    found = queries.notifications_for(person).filter(pk=notification_id).first()
    if found is None:
        raise NotFound(_("There is no such notification."))
    return services.mark_read(person=person, notification=found)


@router.get("/notifications/settings", auth=AUTH, response={200: ChannelsSchema, **ERRORS})
def get_settings(request: HttpRequest) -> dict[str, Any]:
    return {"channels": queries.channels_of(actor(request))}


@router.put("/notifications/settings", auth=AUTH, response={200: ChannelsSchema, **ERRORS})
def put_settings(request: HttpRequest, payload: ChannelsSchema) -> dict[str, Any]:
    """Change the channel of some or all kinds."""
    person = actor(request)
    services.set_channels(person=person, channels=payload.channels)
    return {"channels": queries.channels_of(person)}


def _thread(request: HttpRequest, label: str, object_id: int) -> Any:
    found = resolve(label, object_id)
    if found is None:
        raise NotFound(_("There is nothing to follow here."))
    kind, obj = found
    if not kind.can_view(actor(request), obj):
        raise PermissionDenied(_("You cannot see this."))
    return obj


@router.get("/follows/{label}/{int:object_id}", auth=AUTH, response={200: FollowOut, **ERRORS})
def thread_follow_state(request: HttpRequest, label: str, object_id: int) -> dict[str, bool]:
    obj = _thread(request, label, object_id)
    return {"following": queries.is_following_thread(actor(request), obj)}


@router.post("/follows/{label}/{int:object_id}", auth=AUTH, response={200: FollowOut, **ERRORS})
def follow_thread(request: HttpRequest, label: str, object_id: int) -> dict[str, bool]:
    """Follow the activity of any content (label like "debate.debate" or "events.event")."""
    services.follow_thread(person=actor(request), thread=_thread(request, label, object_id))
    return {"following": True}


@router.delete("/follows/{label}/{int:object_id}", auth=AUTH, response={204: None, **ERRORS})
def unfollow_thread(request: HttpRequest, label: str, object_id: int) -> Status[None]:
    services.unfollow_thread(person=actor(request), thread=_thread(request, label, object_id))
    return Status(204, None)


@router.get("/topics/followed", auth=AUTH, response={200: list[TopicOut], **ERRORS})
def followed_topics(request: HttpRequest) -> list[Tag]:
    return [follow.tag for follow in queries.followed_topics(actor(request))]


@router.post("/topics/followed", auth=AUTH, response={200: TopicOut, **ERRORS})
def follow_topic(request: HttpRequest, payload: TopicIn) -> Tag:
    return services.follow_topic(person=actor(request), name=payload.topic)


@router.delete("/topics/followed/{int:tag_id}", auth=AUTH, response={204: None, **ERRORS})
def unfollow_topic(request: HttpRequest, tag_id: int) -> Status[None]:
    tag = Tag.objects.filter(pk=tag_id).first()
    if tag is None:
        raise NotFound(_("There is no such topic."))
    services.unfollow_topic(person=actor(request), tag=tag)
    return Status(204, None)
