"""Notification e-mails: the immediate mail, the daily and weekly digests, the outbox and its retries.

Every mail has a plain-text body and an HTML alternative, and RFC 8058 one-click unsubscribe headers whose URL carries
a signed token naming the person and the kind (or the digest). A Delivery row is the outbox: it is claimed (its next
attempt pushed out by the back-off) before a send, and marked sent only once the mail server took the message. A
failure leaves it for `retry_due`, which the worker runs every few minutes. No log line names an address.

A digest run has to be cheap per person (100,000 digests in well under ten minutes on one worker, bench/digests.py):
- people are taken `batch` at a time, with a fixed number of queries per batch (none per person);
- the digest templates are compiled once per language into patterns (`_pattern`): each is rendered by Django once,
  with slots for the values that differ, and each mail fills the slots in (escaped for HTML);
- `wire.Mail` serialises a plain message straight to bytes (see that module);
- unsubscribe tokens are signed with a prepared HMAC (`links`); lines are grouped by `digest_groups`.
"""

from __future__ import annotations

import html
import logging
import smtplib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from freshground.notifications import queries
from freshground.notifications.digest_groups import DigestGroup, DigestItem, group_digest
from freshground.notifications.links import absolute, fixed_url, topic_label, unsubscribe_url
from freshground.notifications.models import DIGEST_CHANNELS, Channel, Delivery, Notification
from freshground.notifications.send import Kind
from freshground.notifications.wire import Mail
from freshground.people.models import Person

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BASE_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=12)
# A digest run leases its deliveries this long: the retry job leaves them alone while the run sends them.
DIGEST_LEASE = timedelta(minutes=30)


# Building mails


def _message(person: Person, *, subject: str, template: str, context: dict[str, Any], topic: str) -> Mail:
    unsubscribe = unsubscribe_url(person.pk, topic)
    context = {
        **context,
        "person": person,
        "site_name": settings.FRESHGROUND["SITE_NAME"],
        "settings_url": fixed_url("notifications:settings"),
        "inbox_url": fixed_url("notifications:index"),
        "unsubscribe_url": unsubscribe,
        "unsubscribe_label": topic_label(topic),
    }
    text = get_template(f"notifications/email/{template}.txt").render(context)
    html_body = get_template(f"notifications/email/{template}.html").render(context)
    return _mail(person.email, subject, text, html_body, unsubscribe)


def _mail(address: str, subject: str, text: str, html_body: str, unsubscribe: str) -> Mail:
    message = Mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{' '.join(subject.split())}"[:250],
        body=text,
        to=[address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html_body, "text/html")
    return message


def immediate_message(person: Person, notification: Notification) -> Mail:
    return _message(
        person,
        subject=notification.summary,
        template="immediate",
        context={"notification": notification, "url": absolute(notification.url)},
        topic=notification.kind,
    )


# Digests: compiled templates

_MARK = "\x1e"  # around a slot's name in a pattern's one rendering; no template or value contains it


def _slot(name: str) -> str:
    return mark_safe(f"{_MARK}{name}{_MARK}")  # noqa: S308 - a slot marker, no markup


@dataclass(frozen=True)
class _Pattern:
    """A template rendered once with slots: literal pieces with the slots' names between them."""

    pieces: tuple[str, ...]
    names: tuple[str, ...]
    escape: bool  # an HTML template: values are escaped as Django's autoescaping would
    safe: frozenset[str]  # slots filled with markup already rendered (the parts nested in this one)

    def fill(self, values: Mapping[str, str]) -> str:
        out = [self.pieces[0]]
        for name, piece in zip(self.names, self.pieces[1:], strict=True):
            value = values[name]
            out.append(html.escape(value) if self.escape and name not in self.safe else value)
            out.append(piece)
        return "".join(out)


def _compile(template: str, context: dict[str, Any], safe: Iterable[str] = ()) -> _Pattern:
    rendered = get_template(f"notifications/email/{template}").render(context)
    parts = rendered.split(_MARK)
    return _Pattern(tuple(parts[0::2]), tuple(parts[1::2]), template.endswith(".html"), frozenset(safe))


@lru_cache(maxsize=64)
def _part(template: str, language: str, slots: tuple[str, ...], empty: tuple[str, ...] = ()) -> _Pattern:
    """A group, thread or line of a digest; `empty` names the values that are blank (their {% if %} is false)."""
    context = {name: _slot(name) for name in slots} | dict.fromkeys(empty, "")
    return _compile(template, context, safe={"threads", "lines"})


@lru_cache(maxsize=256)
def _frame(ext: str, language: str, channel: str, kinds: tuple[str, ...], left_out: int) -> _Pattern:
    """The digest around its groups, for one language, digest, set of kinds in it and (rarely) lines left out."""
    context = {
        "person": {"display_name": _slot("name")},
        "body": _slot("body"),
        "weekly": channel == Channel.WEEKLY,
        "left_out": left_out,
        "site_name": settings.FRESHGROUND["SITE_NAME"],
        "settings_url": fixed_url("notifications:settings"),
        "inbox_url": fixed_url("notifications:index"),
        "unsubscribe_url": _slot("unsubscribe"),
        "unsubscribe_label": topic_label(channel),
        "kind_links": [(Kind(kind).label, _slot(f"kind:{kind}")) for kind in kinds],
    }
    return _compile(f"digest.{ext}", context, safe={"body"})


def _digest_bodies(groups: Sequence[DigestGroup], language: str) -> tuple[str, str]:
    text_groups: list[str] = []
    html_groups: list[str] = []
    for group in groups:
        text_threads: list[str] = []
        html_threads: list[str] = []
        for thread in group.threads:
            text_lines = _part("digest_line.txt", language, ("summary", "url"))
            html_lines = _part("digest_line.html", language, ("summary", "url"))
            lines = [{"summary": line.summary, "url": line.url} for line in thread.lines]
            shape: tuple[tuple[str, ...], tuple[str, ...]] = (
                (("title", "lines"), ()) if thread.title else (("lines",), ("title",))
            )
            values = {"title": thread.title}
            text_threads.append(
                _part("digest_thread.txt", language, *shape).fill(
                    values | {"lines": "".join(text_lines.fill(line) for line in lines)}
                )
            )
            html_threads.append(
                _part("digest_thread.html", language, *shape).fill(
                    values | {"lines": "".join(html_lines.fill(line) for line in lines)}
                )
            )
        shape = (("title", "url", "threads"), ()) if group.url else (("title", "threads"), ("url",))
        values = {"title": group.title, "url": group.url}
        text_groups.append(
            _part("digest_group.txt", language, *shape).fill(values | {"threads": "".join(text_threads)})
        )
        html_groups.append(
            _part("digest_group.html", language, *shape).fill(values | {"threads": "".join(html_threads)})
        )
    return "".join(text_groups), "".join(html_groups)


def _digest_mail(
    person_id: int, address: str, name: str, channel: str, notifications: Sequence[Notification | DigestItem]
) -> Mail:
    groups, left_out = group_digest(notifications)
    total = sum(group.count for group in groups) + left_out
    kinds = tuple(sorted({n.kind for n in notifications}))
    if channel == Channel.WEEKLY:
        subject = _("Your weekly digest: %(n)d new") % {"n": total}
    else:
        subject = _("Your daily digest: %(n)d new") % {"n": total}
    language = get_language() or settings.LANGUAGE_CODE
    text_body, html_body = _digest_bodies(groups, language)
    unsubscribe = unsubscribe_url(person_id, channel)
    values = {"name": name, "unsubscribe": unsubscribe} | {
        f"kind:{kind}": unsubscribe_url(person_id, kind) for kind in kinds
    }
    text = _frame("txt", language, channel, kinds, left_out).fill(values | {"body": text_body})
    html_text = _frame("html", language, channel, kinds, left_out).fill(values | {"body": html_body})
    return _mail(address, subject, text, html_text, unsubscribe)


def digest_message(person: Person, channel: str, notifications: Sequence[Notification]) -> Mail:
    return _digest_mail(person.pk, person.email, person.display_name, channel, notifications)


def build(delivery: Delivery) -> Mail | None:
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


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _failed(delivery_ids: Sequence[int], error: Exception | str) -> None:
    reason = (_reason(error) if isinstance(error, Exception) else error)[:300]
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


# Digests: the run


@dataclass
class DigestStats:
    people: int = 0
    notifications: int = 0
    sent: int = 0
    failed: int = 0


# Errors about one message (its address refused, its data rejected): the rest of the batch still goes out. Any other
# error (the connection lost, the server gone) leaves the rest of the batch for the retry job, untried.
_MESSAGE_ERRORS: tuple[type[Exception], ...] = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    ValueError,
)


def run_digest(channel: str, *, now: datetime | None = None, batch: int = 500) -> DigestStats:
    """Build and send one digest per person with notifications waiting for `channel` (daily or weekly).

    Works through people in id order, `batch` at a time, with the same few queries for every batch (see
    `_digest_batch`), over one connection to the mail server for the whole run. A failed mail stays in the outbox
    for `retry_due`; its notifications are linked to it, so no later run includes them again."""
    if channel not in DIGEST_CHANNELS:
        raise ValueError(f"not a digest: {channel}")
    cutoff = now or timezone.now()
    stats = DigestStats()
    # Each run compiles the digest templates afresh (once per language): edits and settings count from the next run.
    _part.cache_clear()
    _frame.cache_clear()
    # Notifications read before their digest went out need no mail.
    queries.pending_digest(channel, cutoff).filter(read_at__isnull=False).update(channel=Channel.IN_APP)
    last_id = 0
    with mailers.default as connection:
        while True:
            person_ids = queries.digest_recipients(channel, cutoff, after=last_id, limit=batch)
            if not person_ids:
                break
            last_id = person_ids[-1]
            _digest_batch(channel, person_ids, cutoff, connection, stats)
    return stats


def _digest_batch(
    channel: str, person_ids: list[int], cutoff: datetime, connection: BaseEmailBackend, stats: DigestStats
) -> None:
    """One batch: one query finds who gets no mail (inactive, no address), one moves their notifications to the
    site; one inserts the outbox rows and one links the waiting notifications to them (in one transaction); one reads
    back exactly what was linked; then the mails go out and one or two updates record the outcome."""
    silent = queries.people_without_mail(person_ids)
    if silent:
        queries.pending_digest(channel, cutoff).filter(recipient_id__in=silent).update(channel=Channel.IN_APP)
    receiving = [pk for pk in person_ids if pk not in silent]
    if not receiving:
        return
    lease = timezone.now() + DIGEST_LEASE
    with transaction.atomic():
        deliveries = Delivery.objects.bulk_create(
            [Delivery(recipient_id=pk, channel=channel, next_attempt_at=lease) for pk in receiving]
        )
        delivery_of = {d.recipient_id: int(d.pk) for d in deliveries}
        queries.link_to_deliveries(channel, cutoff, delivery_of)
    rows = queries.digest_rows(list(delivery_of.values()))
    messages: list[tuple[int, Mail]] = []
    for person_id, address, name, items in rows:
        messages.append((delivery_of[person_id], _digest_mail(person_id, address, name, channel, items)))
        stats.notifications += len(items)
    found = {person_id for person_id, *_rest in rows}
    # Nothing left to say (their notifications moved elsewhere meanwhile, e.g. by a changed choice): no mail.
    empty = [delivery_id for pk, delivery_id in delivery_of.items() if pk not in found]
    sent: list[int] = []
    failed: dict[str, list[int]] = {}  # by reason
    untried: list[int] = []
    stopped = False  # the connection failed: the rest of the batch waits for the retry job
    for delivery_id, message in messages:
        if stopped:
            untried.append(delivery_id)
            continue
        try:
            connection.send_messages([message])
        except Exception as exc:  # the mail server is down or refused it: the outbox keeps it
            failed.setdefault(_reason(exc), []).append(delivery_id)
            stopped = not isinstance(exc, _MESSAGE_ERRORS)
            continue
        sent.append(delivery_id)
    now = timezone.now()
    if sent:
        Delivery.objects.filter(pk__in=sent).update(sent_at=now, attempts=F("attempts") + 1)
    if empty:
        Delivery.objects.filter(pk__in=empty).update(sent_at=now, last_error="nothing to send")
    for reason, delivery_ids in failed.items():
        Delivery.objects.filter(pk__in=delivery_ids).update(
            attempts=F("attempts") + 1, next_attempt_at=now + backoff(1)
        )
        _failed(delivery_ids, reason)
    if untried:
        Delivery.objects.filter(pk__in=untried).update(next_attempt_at=now + backoff(1))
        _failed(untried, "not tried: the mail server failed earlier in this batch")
    stats.people += len(messages)
    stats.sent += len(sent)
    stats.failed += sum(len(ids) for ids in failed.values()) + len(untried)
