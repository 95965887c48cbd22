"""Reads: the bell's unread count (cached), a person's notifications, preferences and follows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models

from freshground.core.permissions import is_person
from freshground.notifications.models import DEFAULT_CHANNELS, Notification, Preference, ThreadFollow, TopicFollow
from freshground.notifications.send import Kind

UNREAD_TTL = 15 * 60  # seconds; every write that changes a count forgets it at once


def _unread_key(person_id: int) -> str:
    return f"notifications:unread:{person_id}"


def count_unread(person_id: int) -> int:
    """The one cheap query (a partial index on unread rows) behind the bell."""
    return Notification.objects.filter(recipient_id=person_id, read_at__isnull=True).count()


def unread_count(person: Any) -> int:
    """The bell's number: from the cache, else one query that fills the cache."""
    if not is_person(person):
        return 0
    key = _unread_key(person.pk)
    value = cache.get(key)
    if value is None:
        value = count_unread(person.pk)
        cache.set(key, value, UNREAD_TTL)
    return max(int(value), 0)


def warm_unread(person_id: int) -> None:
    cache.set(_unread_key(person_id), count_unread(person_id), UNREAD_TTL)


def bump_unread(person_ids: Iterable[int], by: int = 1) -> None:
    """Add to the cached counts that exist (a missing one is counted when next needed)."""
    for pk in set(person_ids):
        try:
            if by >= 0:
                cache.incr(_unread_key(pk), by)
            else:
                cache.decr(_unread_key(pk), -by)
        except ValueError:
            pass


def forget_unread(person_ids: Iterable[int]) -> None:
    keys = [_unread_key(pk) for pk in set(person_ids)]
    if keys:
        cache.delete_many(keys)


def notifications_for(person: Any, *, unread_only: bool = False) -> models.QuerySet[Notification]:
    """A person's notifications, newest first, with what a line shows (actor, circle or center) joined in."""
    rows = Notification.objects.filter(recipient_id=person.pk).select_related("actor", "space_circle", "space_center")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def notification_of(person: Any, pk: int) -> Notification | None:
    if not is_person(person):
        return None
    return Notification.objects.filter(recipient_id=person.pk, pk=pk).first()


def channels_of(person: Any) -> dict[str, str]:
    """Every kind's channel for a person: their choice, else the default."""
    chosen = dict(Preference.objects.filter(person_id=person.pk).values_list("kind", "channel"))
    return {kind.value: str(chosen.get(kind.value, DEFAULT_CHANNELS[kind.value])) for kind in Kind}


def channels_for(kind: str, person_ids: Iterable[int]) -> dict[int, str]:
    """One kind's channel for many people, in one query."""
    ids = list(person_ids)
    chosen = dict(Preference.objects.filter(kind=kind, person_id__in=ids).values_list("person_id", "channel"))
    default = DEFAULT_CHANNELS[kind]
    return {pk: str(chosen.get(pk, default)) for pk in ids}


def thread_key(thread: models.Model) -> tuple[int, int]:
    return ContentType.objects.get_for_model(thread).pk, int(thread.pk)


def is_following_thread(person: Any, thread: models.Model) -> bool:
    if not is_person(person) or thread is None or thread.pk is None:
        return False
    type_id, object_id = thread_key(thread)
    return ThreadFollow.objects.filter(person_id=person.pk, content_type_id=type_id, object_id=object_id).exists()


def followed_topics(person: Any) -> list[TopicFollow]:
    return list(TopicFollow.objects.filter(person_id=person.pk).select_related("tag").order_by("tag__name"))
