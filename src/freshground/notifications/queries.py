"""Reads: the bell's unread count (cached), a person's notifications, preferences and follows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, models
from django.db.models.expressions import RawSQL

from freshground.core.permissions import is_person
from freshground.notifications.models import DEFAULT_CHANNELS, Notification, Preference, ThreadFollow, TopicFollow
from freshground.notifications.send import Kind
from freshground.people.models import Person

if TYPE_CHECKING:
    from freshground.notifications.digest_groups import DigestItem

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


# The digest run (notifications.mail.run_digest): a fixed number of queries per batch of people.


def pending_digest(channel: str, cutoff: datetime) -> models.QuerySet[Notification]:
    """Notifications waiting for a digest (no Delivery carried them yet), created up to the run's start."""
    return Notification.objects.filter(channel=channel, delivery__isnull=True, created_at__lte=cutoff)


def digest_recipients(channel: str, cutoff: datetime, *, after: int, limit: int) -> list[int]:
    """The next `limit` people (by id, after `after`) with notifications waiting for this digest."""
    return list(
        pending_digest(channel, cutoff)
        .filter(recipient_id__gt=after)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()[:limit]
    )


def people_without_mail(person_ids: Iterable[int]) -> set[int]:
    """Of these people, those who get no e-mail: inactive accounts and accounts without an address."""
    return set(
        Person.objects.filter(pk__in=list(person_ids))
        .filter(models.Q(is_active=False) | models.Q(email=""))
        .values_list("pk", flat=True)
    )


_DIGEST_FIELDS = (
    "recipient_id",
    "recipient__email",
    "recipient__display_name",
    "pk",
    "kind",
    "target_type_id",
    "target_id",
    "space_circle_id",
    "space_circle__name",
    "space_circle__slug",
    "space_center_id",
    "space_center__name",
    "space_center__slug",
    "thread_type_id",
    "thread_id",
    "thread_title",
    "summary",
    "url",
    "created_at",
)


def digest_rows(delivery_ids: Sequence[int]) -> list[tuple[int, str, str, list[DigestItem]]]:
    """What these digest deliveries carry, in one query: (person id, address, name, items newest first) for each
    recipient, in recipient order. Plain values, no model instances (a digest run reads hundreds of thousands)."""
    from freshground.notifications.digest_groups import DigestItem

    out: list[tuple[int, str, str, list[DigestItem]]] = []
    current = -1
    items: list[DigestItem] = []
    rows = (
        Notification.objects.filter(delivery_id__in=list(delivery_ids))
        .order_by("recipient_id", "-created_at", "-id")
        .values_list(*_DIGEST_FIELDS)
    )
    for row in rows:
        (person, address, name, pk, kind, target_type, target, circle, circle_name, circle_slug, center,
         center_name, center_slug, thread_type, thread, thread_title, summary, url, created_at) = row  # fmt: skip
        if person != current:
            current, items = person, []
            out.append((person, address, name, items))
        if circle is not None:
            space = ("circle", circle, circle_name, circle_slug)
        elif center is not None:
            space = ("center", center, center_name, center_slug)
        else:
            space = ("site", 0, "", "")
        items.append(
            DigestItem(
                pk,
                kind,
                (target_type, target),
                *space,
                (thread_type or 0, thread) if thread else (0, 0),
                thread_title,
                summary,
                url,
                created_at,
            )
        )
    return out


def link_to_deliveries(channel: str, cutoff: datetime, delivery_of: Mapping[int, int]) -> int:
    """Link every notification waiting for this digest to its recipient's new Delivery, in one UPDATE.

    `delivery_of` maps person id to Delivery id. The mapping is one CASE written out as SQL: Django's Case/When
    builds and resolves an expression per person, which cost more than the update itself."""
    if not delivery_of:
        return 0
    column = connection.ops.quote_name(Notification._meta.get_field("recipient").column)
    cases = " ".join(["WHEN %s THEN %s"] * len(delivery_of))
    params = [value for pair in delivery_of.items() for value in pair]
    return (
        pending_digest(channel, cutoff)
        .filter(recipient_id__in=list(delivery_of))
        .update(delivery_id=RawSQL(f"CASE {column} {cases} END", params))  # noqa: S611 - only %s parameters are interpolated
    )
