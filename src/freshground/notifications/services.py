"""Every write of the notifications app: storing notifications (fan-out), preferences, follows, reading, unsubscribing.

`fan_out` stores rows in the caller's transaction for a few recipients; a large audience (a big circle's followers)
is stored by a background task after the commit, so a request never writes thousands of rows. Either way, mail is
sent only by the worker (notifications.mail).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.content import kind_for
from freshground.core.exceptions import DomainError, NotFound, PermissionDenied
from freshground.core.models import Tag
from freshground.core.permissions import is_person
from freshground.moderation import gate
from freshground.network.models import Center, Circle, Follow, Membership
from freshground.notifications import queries
from freshground.notifications.models import (
    DIGEST_CHANNELS,
    Channel,
    Delivery,
    Notification,
    Preference,
    ThreadFollow,
    TopicFollow,
)
from freshground.notifications.send import Kind
from freshground.people.models import Person

logger = logging.getLogger(__name__)

INLINE_LIMIT = 200  # recipients stored in the request; more go to the worker
CHUNK = 500


@dataclass(frozen=True)
class Draft:
    """What happened, as plain values a task can carry."""

    kind: str
    actor_id: int | None
    target_type_id: int
    target_id: int
    summary: str
    url: str
    circle_id: int | None = None
    center_id: int | None = None
    thread_type_id: int | None = None
    thread_id: int | None = None
    thread_title: str = ""

    @classmethod
    def build(
        cls,
        *,
        kind: str,
        actor: Any,
        target: models.Model,
        summary: str,
        url: str,
        space: Any = None,
        thread: models.Model | None = None,
    ) -> Draft:
        thread_type_id = thread_id = None
        thread_title = ""
        if thread is not None and thread.pk is not None:
            thread_type_id = ContentType.objects.get_for_model(thread).pk
            thread_id = int(thread.pk)
            registered = kind_for(thread)
            thread_title = str(registered.title_of(thread) if registered else thread)[:200]
        return cls(
            kind=str(kind),
            actor_id=actor.pk if actor is not None else None,
            target_type_id=ContentType.objects.get_for_model(target).pk,
            target_id=int(target.pk),
            summary=" ".join(str(summary).split())[:300],
            url=str(url)[:500],
            circle_id=space.pk if isinstance(space, Circle) else None,
            center_id=space.pk if isinstance(space, Center) else None,
            thread_type_id=thread_type_id,
            thread_id=thread_id,
            thread_title=thread_title,
        )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def fan_out(draft: Draft, recipient_ids: Iterable[int]) -> None:
    """Store `draft` for each recipient (in this transaction), or hand a big audience to the worker."""
    ids = sorted({int(pk) for pk in recipient_ids if pk is not None and pk != draft.actor_id})
    if not ids:
        return
    if len(ids) <= INLINE_LIMIT:
        store(draft, ids)
        return
    payload = draft.as_json()

    def enqueue() -> None:
        from freshground.notifications.tasks import store_notifications

        for start in range(0, len(ids), CHUNK * 4):
            try:
                store_notifications.enqueue(payload, ids[start : start + CHUNK * 4])
            except Exception:
                logger.exception("Could not queue notifications for %d people; storing them now", len(ids))
                store(draft, ids[start : start + CHUNK * 4])

    transaction.on_commit(enqueue)


def _allowed(recipients: Sequence[Person], actor: Person | None) -> list[Person]:
    """Drop those who muted or blocked the actor (moderation's gate decides)."""
    if actor is None:
        return list(recipients)
    kept = []
    for person in recipients:
        if actor.pk in gate.muted_ids(person) or gate.has_blocked(actor, by=person):
            continue
        kept.append(person)
    return kept


def store(draft: Draft, recipient_ids: Sequence[int]) -> int:
    """Write the notifications and queue immediate mails. Returns how many were stored."""
    actor = Person.objects.filter(pk=draft.actor_id).first() if draft.actor_id else None
    stored = 0
    for start in range(0, len(recipient_ids), CHUNK):
        chunk = [pk for pk in recipient_ids[start : start + CHUNK] if pk != draft.actor_id]
        people = list(Person.objects.filter(pk__in=chunk, is_active=True).order_by("pk"))
        people = _allowed(people, actor)
        channels = queries.channels_for(draft.kind, [p.pk for p in people])
        now = timezone.now()
        rows = [
            Notification(
                recipient_id=person.pk,
                kind=draft.kind,
                channel=channels[person.pk],
                actor_id=draft.actor_id,
                target_type_id=draft.target_type_id,
                target_id=draft.target_id,
                space_circle_id=draft.circle_id,
                space_center_id=draft.center_id,
                thread_type_id=draft.thread_type_id,
                thread_id=draft.thread_id,
                thread_title=draft.thread_title,
                summary=draft.summary,
                url=draft.url,
                created_at=now,
            )
            for person in people
            if channels[person.pk] != Channel.OFF
        ]
        if not rows:
            continue
        with transaction.atomic():
            Notification.objects.bulk_create(rows)
            _queue_immediate([row for row in rows if row.channel == Channel.IMMEDIATE])
        stored += len(rows)
        recipients = [row.recipient_id for row in rows]
        transaction.on_commit(lambda recipients=recipients: queries.bump_unread(recipients))  # type: ignore[misc]
    return stored


def _queue_immediate(rows: list[Notification]) -> None:
    if not rows:
        return
    deliveries = Delivery.objects.bulk_create(
        [Delivery(recipient_id=row.recipient_id, channel=Channel.IMMEDIATE) for row in rows]
    )
    for row, delivery in zip(rows, deliveries, strict=True):
        Notification.objects.filter(pk=row.pk).update(delivery=delivery)
        row.delivery = delivery
    ids = [delivery.pk for delivery in deliveries]

    def enqueue() -> None:
        from freshground.notifications.tasks import send_delivery

        for delivery_id in ids:
            try:
                send_delivery.enqueue(delivery_id)
            except Exception:
                # The retry job finds it: the Delivery row is the outbox.
                logger.exception("Could not queue notification mail %s", delivery_id)

    transaction.on_commit(enqueue)


# Who hears about what


def thread_follower_ids(thread: models.Model) -> list[int]:
    type_id, object_id = queries.thread_key(thread)
    return list(
        ThreadFollow.objects.filter(content_type_id=type_id, object_id=object_id).values_list("person_id", flat=True)
    )


def new_content_recipient_ids(*, circle: Any = None, center: Any = None, topics: Iterable[Tag] = ()) -> list[int]:
    """Followers of the circle (and its members), followers of the center, followers of the topics."""
    ids: set[int] = set()
    if circle is not None:
        ids.update(Follow.objects.filter(circle=circle).values_list("person_id", flat=True))
        ids.update(Membership.objects.filter(circle=circle).values_list("person_id", flat=True))
    if center is not None:
        ids.update(Follow.objects.filter(center=center).values_list("person_id", flat=True))
    tag_ids = [tag.pk for tag in topics]
    if tag_ids:
        ids.update(TopicFollow.objects.filter(tag_id__in=tag_ids).values_list("person_id", flat=True))
    return sorted(ids)


# Follows


def _require_person(person: Any) -> Person:
    if not is_person(person):
        raise PermissionDenied(_("Sign in first."))
    return person


def follow_thread(*, person: Any, thread: models.Model) -> None:
    person = _require_person(person)
    type_id, object_id = queries.thread_key(thread)
    ThreadFollow.objects.get_or_create(person=person, content_type_id=type_id, object_id=object_id)


def unfollow_thread(*, person: Any, thread: models.Model) -> None:
    person = _require_person(person)
    type_id, object_id = queries.thread_key(thread)
    ThreadFollow.objects.filter(person=person, content_type_id=type_id, object_id=object_id).delete()


def follow_topic(*, person: Any, name: str) -> Tag:
    """Follow an existing topic by name or short name."""
    person = _require_person(person)
    text = " ".join(str(name).split())[:80]
    if not text:
        raise DomainError(_("Which topic?"), field="topic")
    tag = Tag.objects.filter(models.Q(slug=text.lower()) | models.Q(name__iexact=text)).first()
    if tag is None:
        raise NotFound(_("No topic is called “%(name)s” yet.") % {"name": text[:60]}, field="topic")
    TopicFollow.objects.get_or_create(person=person, tag=tag)
    return tag


def unfollow_topic(*, person: Any, tag: Tag) -> None:
    person = _require_person(person)
    TopicFollow.objects.filter(person=person, tag=tag).delete()


# Preferences


@transaction.atomic
def set_channels(*, person: Any, channels: dict[str, str]) -> None:
    """Save a person's channel for each kind given. Unknown kinds or channels are refused."""
    person = _require_person(person)
    valid_kinds = set(Kind.values)
    valid_channels = set(Channel.values)
    for kind, channel in channels.items():
        if kind not in valid_kinds:
            raise DomainError(_("Unknown kind of notification."), field=str(kind)[:40])
        if channel not in valid_channels:
            raise DomainError(_("Choose one of the offered options."), field=kind)
    for kind, channel in channels.items():
        Preference.objects.update_or_create(person=person, kind=kind, defaults={"channel": channel})
        _settle_pending(person.pk, [kind], channel)


def _settle_pending(person_id: int, kinds: list[str], channel: str) -> None:
    """Notifications still waiting for a digest follow a changed choice: no mail when e-mail is turned off."""
    if channel in DIGEST_CHANNELS:
        return
    Notification.objects.filter(
        recipient_id=person_id, kind__in=kinds, delivery__isnull=True, channel__in=DIGEST_CHANNELS
    ).update(channel=Channel.IN_APP)


UNSUBSCRIBE_TOPICS: tuple[str, ...] = (*Kind.values, *DIGEST_CHANNELS)


@transaction.atomic
def unsubscribe(*, person_id: int, topic: str) -> list[str]:
    """No more e-mail for one kind (it stays on the site), or for one digest (its kinds stay on the site).

    Needs no signed-in person: the caller checked a signed token naming this person and topic. Returns the kinds
    changed."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or topic not in UNSUBSCRIBE_TOPICS:
        raise NotFound(_("This unsubscribe link is not valid."))
    if topic in Kind.values:
        kinds = [topic]
    else:
        current = queries.channels_of(person)
        kinds = [kind for kind, channel in current.items() if channel == topic]
    for kind in kinds:
        Preference.objects.update_or_create(person=person, kind=kind, defaults={"channel": Channel.IN_APP})
    if kinds:
        _settle_pending(person.pk, kinds, Channel.IN_APP)
    return kinds


# Reading


def mark_read(*, person: Any, notification: Notification) -> Notification:
    person = _require_person(person)
    if notification.recipient_id != person.pk:
        raise NotFound(_("There is no such notification."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at):
            queries.bump_unread([person.pk], -1)
    return notification


def mark_all_read(*, person: Any) -> int:
    person = _require_person(person)
    count = Notification.objects.filter(recipient_id=person.pk, read_at__isnull=True).update(read_at=timezone.now())
    queries.forget_unread([person.pk])
    return count
