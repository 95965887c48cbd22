"""Notification e-mails: the immediate mail, the daily and weekly digests, the outbox and its retries.

Every mail has a plain-text body and an HTML alternative, and RFC 8058 one-click unsubscribe headers whose URL carries
a signed token naming the person and the kind (or the digest). A Delivery row is the outbox: it is claimed (its next
attempt pushed out by the back-off) before a send, and marked sent only once the mail server took the message. A
failure leaves it for `retry_due`, which the worker runs every few minutes. No log line names an address.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.notifications.models import DIGEST_CHANNELS, Channel, Delivery, Notification
from freshground.notifications.send import Kind
from freshground.people.models import Person

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BASE_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=12)
# A digest run leases its deliveries this long: the retry job leaves them alone while the run sends them.
DIGEST_LEASE = timedelta(minutes=30)
DIGEST_MAX_ITEMS = 200  # lines in one digest; older ones are summed up as "and N more"

_SALT = "freshground.notifications.unsubscribe"


# Links


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else site_url(url if url.startswith("/") else f"/{url}")


def unsubscribe_token(person_id: int, topic: str) -> str:
    """A signed token naming one person and one kind (or "daily"/"weekly" for a digest)."""
    return signing.Signer(salt=_SALT).sign(f"{person_id}.{topic}")


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        value = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    person, _sep, topic = value.partition(".")
    if not person.isdigit() or not topic:
        return None
    return int(person), topic


@lru_cache(maxsize=8)
def _fixed_url(name: str) -> str:
    """Absolute URLs that every mail repeats, reversed once (reverse() is a good share of a digest's cost)."""
    if name == "unsubscribe":
        return site_url(reverse("notifications:unsubscribe", args=["TOKEN"])).replace("TOKEN", "{token}")
    return site_url(reverse(name))


def unsubscribe_url(person_id: int, topic: str) -> str:
    return _fixed_url("unsubscribe").format(token=unsubscribe_token(person_id, topic))


def topic_label(topic: str) -> str:
    if topic in Kind.values:
        return str(Kind(topic).label)
    return _("the daily digest") if topic == Channel.DAILY else _("the weekly digest")


# Building mails


def _message(
    person: Person, *, subject: str, template: str, context: dict[str, Any], topic: str
) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(person.pk, topic)
    context = {
        **context,
        "person": person,
        "site_name": settings.FRESHGROUND["SITE_NAME"],
        "settings_url": _fixed_url("notifications:settings"),
        "inbox_url": _fixed_url("notifications:index"),
        "unsubscribe_url": unsubscribe,
        "unsubscribe_label": topic_label(topic),
    }
    text = get_template(f"notifications/email/{template}.txt").render(context)
    html = get_template(f"notifications/email/{template}.html").render(context)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{' '.join(subject.split())}"[:250],
        body=text,
        to=[person.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def immediate_message(person: Person, notification: Notification) -> EmailMultiAlternatives:
    return _message(
        person,
        subject=notification.summary,
        template="immediate",
        context={"notification": notification, "url": absolute(notification.url)},
        topic=notification.kind,
    )


@dataclass
class DigestLine:
    summary: str
    url: str
    created_at: datetime
    kind: str


@dataclass
class DigestThread:
    title: str
    lines: list[DigestLine] = field(default_factory=list)


@dataclass
class DigestGroup:
    title: str
    url: str
    threads: list[DigestThread] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(thread.lines) for thread in self.threads)


@lru_cache(maxsize=4096)
def _space_url(kind: str, slug: str) -> str:
    return site_url(reverse(f"network:{kind}", args=[slug]))


def group_digest(notifications: Iterable[Notification]) -> tuple[list[DigestGroup], int]:
    """Group by circle/center, then by thread; one line per target (the newest); newest first everywhere.

    Returns the groups and how many lines were left out beyond DIGEST_MAX_ITEMS."""
    ordered = sorted(notifications, key=lambda n: (n.created_at, n.pk), reverse=True)
    seen: set[tuple[int, int]] = set()
    spaces: OrderedDict[tuple[str, int], DigestGroup] = OrderedDict()
    threads: dict[tuple[str, int, int, int], DigestThread] = {}
    kept = 0
    left_out = 0
    for item in ordered:
        key = (item.target_type_id, item.target_id)
        if key in seen:
            continue
        seen.add(key)
        if kept >= DIGEST_MAX_ITEMS:
            left_out += 1
            continue
        kept += 1
        if item.space_circle_id is not None:
            space_key = ("circle", item.space_circle_id)
        elif item.space_center_id is not None:
            space_key = ("center", item.space_center_id)
        else:
            space_key = ("site", 0)
        group = spaces.get(space_key)
        if group is None:
            space = item.space_circle if item.space_circle_id else item.space_center
            group = DigestGroup(
                title=str(space) if space is not None else _("Across the network"),
                url=_space_url(space_key[0], space.slug) if space is not None else "",
            )
            spaces[space_key] = group
        thread_id = (*space_key, item.thread_type_id or 0, item.thread_id or 0)
        thread = threads.get(thread_id)
        if thread is None:
            thread = DigestThread(title=item.thread_title if item.thread_id else "")
            threads[thread_id] = thread
            group.threads.append(thread)
        thread.lines.append(DigestLine(item.summary, absolute(item.url), item.created_at, item.kind))
    return list(spaces.values()), left_out


def digest_message(person: Person, channel: str, notifications: Sequence[Notification]) -> EmailMultiAlternatives:
    groups, left_out = group_digest(notifications)
    total = sum(group.count for group in groups) + left_out
    kinds = sorted({n.kind for n in notifications})
    if channel == Channel.WEEKLY:
        subject = _("Your weekly digest: %(n)d new") % {"n": total}
    else:
        subject = _("Your daily digest: %(n)d new") % {"n": total}
    return _message(
        person,
        subject=subject,
        template="digest",
        context={
            "groups": groups,
            "left_out": left_out,
            "total": total,
            "weekly": channel == Channel.WEEKLY,
            "kind_links": [(Kind(kind).label, unsubscribe_url(person.pk, kind)) for kind in kinds],
        },
        topic=channel,
    )


def build(delivery: Delivery) -> EmailMultiAlternatives | None:
    """The mail for an outbox row, or None when there is nothing (left) to say."""
    person = delivery.recipient
    if not person.is_active or not person.email:
        return None
    items = list(
        Notification.objects.filter(delivery=delivery)
        .select_related("space_circle", "space_center")
        .order_by("-created_at", "-id")
    )
    if not items:
        return None
    if delivery.channel == Channel.IMMEDIATE:
        return immediate_message(person, items[0])
    return digest_message(person, delivery.channel, items)


# Sending and retrying


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4, 8 … minutes, at most 12 hours."""
    wait: timedelta = BASE_BACKOFF * (2 ** max(attempts - 1, 0))
    return min(wait, MAX_BACKOFF)


def _claim(delivery_id: int, now: datetime) -> bool:
    """Take a due delivery for one attempt: count it and push its next attempt out by the back-off."""
    row = Delivery.objects.filter(pk=delivery_id).values("attempts").first()
    if row is None:
        return False
    attempts = int(row["attempts"]) + 1
    return (
        Delivery.objects.filter(
            pk=delivery_id, sent_at__isnull=True, next_attempt_at__lte=now, attempts=attempts - 1
        ).update(attempts=attempts, next_attempt_at=now + backoff(attempts))
        == 1
    )


def _failed(delivery_ids: Sequence[int], error: Exception) -> None:
    reason = f"{type(error).__name__}: {error}"[:300]
    Delivery.objects.filter(pk__in=delivery_ids).update(last_error=reason)
    logger.warning("Notification mail %s not sent (%s); it will be retried", list(delivery_ids)[:5], reason[:80])


def deliver(delivery_id: int, *, connection: BaseEmailBackend | None = None, now: datetime | None = None) -> bool:
    """One attempt at one outbox row. True once sent (or when there was nothing to send)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return False
    delivery = Delivery.objects.select_related("recipient").get(pk=delivery_id)
    message = build(delivery)
    if message is None:
        Delivery.objects.filter(pk=delivery_id).update(sent_at=now, last_error="nothing to send")
        return True
    try:
        if connection is not None:
            connection.send_messages([message])
        else:
            message.send()
    except Exception as error:
        _failed([delivery_id], error)
        return False
    Delivery.objects.filter(pk=delivery_id).update(sent_at=timezone.now(), last_error="")
    return True


def retry_due(now: datetime | None = None, *, limit: int = 1000) -> int:
    """Send what is due in the outbox (new rows whose task got lost, failed ones after their back-off)."""
    moment = now or timezone.now()
    due = list(
        Delivery.objects.filter(sent_at__isnull=True, next_attempt_at__lte=moment, attempts__lt=MAX_ATTEMPTS)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    if not due:
        return 0
    with mailers.default as connection:
        for delivery_id in due:
            sent += deliver(delivery_id, connection=connection, now=moment)
    return sent


# Digests


@dataclass
class DigestStats:
    people: int = 0
    notifications: int = 0
    sent: int = 0
    failed: int = 0


def run_digest(channel: str, *, now: datetime | None = None, batch: int = 500) -> DigestStats:
    """Build and send one digest per person with notifications waiting for `channel` (daily or weekly).

    Works through people in id order, `batch` at a time: one query reads their waiting notifications, one inserts
    their outbox rows, one links the notifications to them (so no later run includes them again), then the mails go
    out over one connection and one update marks them sent. A failed mail stays in the outbox for `retry_due`."""
    if channel not in DIGEST_CHANNELS:
        raise ValueError(f"not a digest: {channel}")
    cutoff = now or timezone.now()
    stats = DigestStats()
    # Notifications read before their digest went out need no mail.
    Notification.objects.filter(
        channel=channel, delivery__isnull=True, read_at__isnull=False, created_at__lte=cutoff
    ).update(channel=Channel.IN_APP)
    pending = Notification.objects.filter(channel=channel, delivery__isnull=True, created_at__lte=cutoff)
    last_id = 0
    with mailers.default as connection:
        while True:
            person_ids = list(
                pending.filter(recipient_id__gt=last_id)
                .order_by("recipient_id")
                .values_list("recipient_id", flat=True)
                .distinct()[:batch]
            )
            if not person_ids:
                break
            last_id = person_ids[-1]
            _digest_batch(channel, person_ids, cutoff, connection, stats)
    return stats


def _digest_batch(
    channel: str, person_ids: list[int], cutoff: datetime, connection: BaseEmailBackend, stats: DigestStats
) -> None:
    items = list(
        Notification.objects.filter(
            channel=channel, delivery__isnull=True, created_at__lte=cutoff, recipient_id__in=person_ids
        ).select_related("recipient", "space_circle", "space_center")
    )
    by_person: dict[int, list[Notification]] = {}
    for item in items:
        by_person.setdefault(item.recipient_id, []).append(item)
    # Inactive people get no mail; their notifications stay on the site.
    inactive = [pk for pk, rows in by_person.items() if not rows[0].recipient.is_active]
    if inactive:
        Notification.objects.filter(channel=channel, delivery__isnull=True, recipient_id__in=inactive).update(
            channel=Channel.IN_APP
        )
        for pk in inactive:
            del by_person[pk]
    if not by_person:
        return
    lease = timezone.now() + DIGEST_LEASE
    with transaction.atomic():
        deliveries = Delivery.objects.bulk_create(
            [Delivery(recipient_id=pk, channel=channel, next_attempt_at=lease) for pk in by_person]
        )
        delivery_of = {d.recipient_id: d.pk for d in deliveries}
        for pk, delivery_id in delivery_of.items():
            Notification.objects.filter(
                channel=channel, delivery__isnull=True, created_at__lte=cutoff, recipient_id=pk
            ).update(delivery_id=delivery_id)
    stats.people += len(by_person)
    stats.notifications += len(items)
    sent: list[int] = []
    failed: list[int] = []
    error: Exception | None = None
    for pk, rows in by_person.items():
        message = digest_message(rows[0].recipient, channel, rows)
        try:
            connection.send_messages([message])
        except Exception as exc:  # the mail server is down or refused it: the outbox keeps it
            failed.append(delivery_of[pk])
            error = exc
            continue
        sent.append(delivery_of[pk])
    now = timezone.now()
    if sent:
        Delivery.objects.filter(pk__in=sent).update(sent_at=now, attempts=F("attempts") + 1)
    if failed and error is not None:
        Delivery.objects.filter(pk__in=failed).update(attempts=F("attempts") + 1, next_attempt_at=now + backoff(1))
        _failed(failed, error)
    stats.sent += len(sent)
    stats.failed += len(failed)
