"""Notification e-mails: the immediate mail, the daily and weekly digests, the outbox and its retries.

Every mail has a plain-text body and an HTML alternative, and RFC 8058 one-click unsubscribe headers whose URL carries
a signed token naming the person and the kind (or the digest). A Delivery row is the outbox: it is claimed (its next
attempt pushed out by the back-off) before a send, and marked sent only once the mail server took the message. A
failure leaves it for `retry_due`, which the worker runs every few minutes. No log line names an address.

A digest run has to be cheap per person (100,000 digests in well under ten minutes on one worker, bench/digests.py):
- people are taken `batch` at a time, with a fixed number of queries per batch (none per person);
- the digest templates are compiled once per language into patterns (`_pattern`): each is rendered by Django once,
  with placeholders for the values that differ, and each mail fills the placeholders in (escaped for HTML);
- `Mail` serialises a plain message (ASCII addresses, text + HTML, simple headers) straight to bytes instead of
  through the email package's header registry and content manager, which cost more than everything else together;
  anything unusual falls back to Django's own `message()`;
- unsubscribe tokens are signed with a prepared HMAC (the same tokens `signing.Signer` makes and checks).
"""

from __future__ import annotations

import binascii
import email.message
import email.policy
import hashlib
import hmac
import html
import logging
import random
import re
import smtplib
import sys
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.policy import Policy
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import F
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from freshground.notifications import queries
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


@lru_cache(maxsize=4)
def _prepared_hmac(secret: str, salt: str) -> hmac.HMAC:
    # What django.core.signing.Signer(salt=salt).signature() computes, with the key derived once.
    key = hashlib.sha256(f"{salt}signer{secret}".encode()).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def unsubscribe_token(person_id: int, topic: str) -> str:
    """A signed token naming one person and one kind (or "daily"/"weekly" for a digest).

    The same token as `signing.Signer(salt=_SALT).sign(value)`, without deriving the key again for every token."""
    value = f"{person_id}.{topic}"
    mac = _prepared_hmac(settings.SECRET_KEY, _SALT).copy()
    mac.update(value.encode())
    return f"{value}:{signing.b64_encode(mac.digest()).decode()}"


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


# The message on the wire

# A bare addr-spec with an ASCII domain: what the fast path writes as it is (anything else goes through Django).
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
# Printable ASCII without CR or LF: a header value written as it is; and a header name.
_PLAIN_VALUE = re.compile(r"[\x20-\x7e]*")
_HEADER_NAME = re.compile(r"[!-9;-~]+")
_HANDLED_HEADERS = frozenset(
    {"from", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id", "mime-version", "content-type"}
    | {"content-transfer-encoding"}
)
_HARD_LIMIT = 998  # RFC 5322: no line longer than this


class _Wire(email.message.EmailMessage):
    """A message `Mail` already serialised: its bytes for the backend, its headers readable as usual."""

    def __init__(self, raw: bytes, headers: Sequence[tuple[str, str]], policy: Policy) -> None:
        super().__init__(policy=policy)
        for name, value in headers:
            self.set_raw(name, value)
        self._wire = raw

    def as_bytes(self, unixfrom: bool = False, policy: Policy | None = None) -> bytes:
        return self._wire

    def __bytes__(self) -> bytes:
        return self._wire

    def as_string(self, unixfrom: bool = False, maxheaderlen: int | None = None, policy: Policy | None = None) -> str:
        return self._wire.decode("ascii")

    def __str__(self) -> str:
        return self._wire.decode("ascii")


@lru_cache(maxsize=64)
def _folded(name: str, value: str, linesep: str) -> str:
    """A header line folded (and encoded, if need be) by the email package: for the few values many mails share."""
    folded: str = email.policy.SMTP.clone(linesep=linesep).fold(name, value)
    return folded


def _encoded_body(text: str, max_line_length: int, linesep: bytes) -> tuple[str, bytes]:
    """The content transfer encoding and body of a UTF-8 text part, as the email package would choose them: 7bit
    when the text is ASCII with short lines, else quoted-printable (by binascii, in C)."""
    lines = text.encode().splitlines()
    if text.isascii() and max((len(line) for line in lines), default=0) <= max_line_length:
        return "7bit", linesep.join(lines) + linesep
    encoded = binascii.b2a_qp(b"\n".join(lines) + b"\n", istext=True)
    return "quoted-printable", encoded.replace(b"\n", linesep)


class Mail(EmailMultiAlternatives):
    """A text mail with an HTML alternative whose bytes are built directly for the plain case.

    Django's `message()` assembles the message through the email package (header objects parsed and refolded, the
    body's encoding chosen by trial), which took about 2 ms a mail: most of a digest's cost. For the mails this app
    sends (ASCII addresses, a text body and one HTML alternative, printable ASCII extra headers) `message()` writes
    the same structure straight to bytes; for anything else it falls back to Django's. It also keeps structured
    headers such as List-Unsubscribe verbatim (the email package turned that one into RFC 2047 encoded words, which
    mail clients do not read as a URL)."""

    def message(self, *, policy: Policy | None = None) -> email.message.EmailMessage:
        policy = policy or email.policy.default
        built = self._plain_message(policy)
        if built is None:
            return super().message(policy=policy)
        return built

    def _plain_message(self, policy: Policy) -> _Wire | None:
        if self.cc or self.bcc or self.reply_to or self.attachments or len(self.alternatives) != 1:
            return None
        html_body, mimetype = self.alternatives[0]
        if mimetype != "text/html" or not isinstance(html_body, str) or not isinstance(self.body, str):
            return None
        if (self.encoding or settings.DEFAULT_CHARSET).lower() not in {"utf-8", "utf8"}:
            return None
        sender, subject = str(self.from_email), str(self.subject)
        if not sender.isascii() or "\n" in subject or "\r" in subject or not self.to:
            return None
        if not all(isinstance(to, str) and _PLAIN_ADDRESS.fullmatch(to) for to in self.to):
            return None
        extra: list[tuple[str, str]] = []
        for name, value in self.extra_headers.items():
            text = str(value)
            if (
                name.lower() in _HANDLED_HEADERS
                or not _PLAIN_VALUE.fullmatch(text)
                or not _HEADER_NAME.fullmatch(name)
                or len(name) + len(text) + 2 > _HARD_LIMIT
            ):
                return None
            extra.append((name, text))
        recipients = ", ".join(self.to)
        if len(recipients) + 4 > _HARD_LIMIT:
            return None
        linesep = policy.linesep
        crlf = linesep.encode()
        max_line = policy.max_line_length or 78
        text_cte, text_bytes = _encoded_body(self.body, max_line, crlf)
        html_cte, html_bytes = _encoded_body(html_body, max_line, crlf)
        boundary = f"{'=' * 15}{random.randrange(sys.maxsize):019d}=="  # noqa: S311 - not a secret
        while boundary.encode() in text_bytes or boundary.encode() in html_bytes:
            boundary = f"{'=' * 15}{random.randrange(sys.maxsize):019d}=="  # noqa: S311
        now = datetime.now(timezone.get_current_timezone() if settings.EMAIL_USE_LOCALTIME else UTC)
        headers: list[tuple[str, str]] = [
            ("MIME-Version", "1.0"),
            ("Content-Type", f'multipart/alternative;{linesep} boundary="{boundary}"'),
            ("Subject", _folded("Subject", subject, linesep).partition(": ")[2].removesuffix(linesep)),
            ("From", _folded("From", sender, linesep).partition(": ")[2].removesuffix(linesep)),
            ("To", recipients),
            ("Date", format_datetime(now)),
            ("Message-ID", make_msgid(domain=str(DNS_NAME))),
            *extra,
        ]
        head = "".join(f"{name}: {value}{linesep}" for name, value in headers)
        part = f'--{boundary}{linesep}Content-Type: text/%s; charset="utf-8"{linesep}'
        part += f"Content-Transfer-Encoding: %s{linesep}{linesep}"
        raw = b"".join(
            (
                head.encode("ascii"),
                crlf,
                (part % ("plain", text_cte)).encode("ascii"),
                text_bytes,
                crlf,  # the line break before a delimiter belongs to the delimiter (RFC 2046)
                (part % ("html", html_cte)).encode("ascii"),
                html_bytes,
                f"{linesep}--{boundary}--{linesep}".encode("ascii"),
            )
        )
        return _Wire(raw, headers, policy)


# Building mails


def _message(person: Person, *, subject: str, template: str, context: dict[str, Any], topic: str) -> Mail:
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


# Digests: grouping


class DigestItem(NamedTuple):
    """What a digest needs of one notification (read as plain values for a whole batch of people)."""

    pk: int
    kind: str
    target: tuple[int, int]
    space_kind: str  # "circle", "center" or "site"
    space_id: int
    space_title: str
    space_slug: str
    thread: tuple[int, int]  # (0, 0): not in a thread
    thread_title: str
    summary: str
    url: str
    created_at: datetime

    @classmethod
    def of(cls, item: Notification) -> DigestItem:
        space: Any = None
        if item.space_circle_id is not None:
            space, space_kind = item.space_circle, "circle"
        elif item.space_center_id is not None:
            space, space_kind = item.space_center, "center"
        return cls(
            item.pk,
            item.kind,
            (item.target_type_id, item.target_id),
            space_kind if space is not None else "site",
            space.pk if space is not None else 0,
            str(space) if space is not None else "",
            space.slug if space is not None else "",
            (item.thread_type_id or 0, item.thread_id or 0) if item.thread_id else (0, 0),
            item.thread_title,
            item.summary,
            item.url,
            item.created_at,
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


def group_digest(notifications: Iterable[Notification | DigestItem]) -> tuple[list[DigestGroup], int]:
    """Group by circle/center, then by thread; one line per target (the newest); newest first everywhere.

    Returns the groups and how many lines were left out beyond DIGEST_MAX_ITEMS."""
    items = [n if isinstance(n, DigestItem) else DigestItem.of(n) for n in notifications]
    items.sort(key=lambda n: (n.created_at, n.pk), reverse=True)
    seen: set[tuple[int, int]] = set()
    spaces: OrderedDict[tuple[str, int], DigestGroup] = OrderedDict()
    threads: dict[tuple[str, int, int, int], DigestThread] = {}
    kept = 0
    left_out = 0
    root = settings.SITE_URL.rstrip("/")
    network = _("Across the network")
    for item in items:
        if item.target in seen:
            continue
        seen.add(item.target)
        if kept >= DIGEST_MAX_ITEMS:
            left_out += 1
            continue
        kept += 1
        space_key = (item.space_kind, item.space_id)
        group = spaces.get(space_key)
        if group is None:
            if item.space_kind == "site":
                group = DigestGroup(title=network, url="")
            else:
                group = DigestGroup(title=item.space_title, url=_space_url(item.space_kind, item.space_slug))
            spaces[space_key] = group
        thread_id = (*space_key, *item.thread)
        thread = threads.get(thread_id)
        if thread is None:
            thread = DigestThread(title=item.thread_title if item.thread[1] else "")
            threads[thread_id] = thread
            group.threads.append(thread)
        url = item.url
        if not url.startswith(("http://", "https://")):
            url = f"{root}{url}" if url.startswith("/") else f"{root}/{url}"
        thread.lines.append(DigestLine(item.summary, url, item.created_at, item.kind))
    return list(spaces.values()), left_out


# Digests: compiled templates

_MARK = "\x1e"  # around a placeholder's name in a pattern's one rendering; no template or value contains it


def _slot(name: str) -> str:
    return mark_safe(f"{_MARK}{name}{_MARK}")  # noqa: S308 - a placeholder, no markup


@dataclass(frozen=True)
class _Pattern:
    """A template rendered once with placeholders: literal pieces with the placeholders' names between them."""

    pieces: tuple[str, ...]
    names: tuple[str, ...]
    escape: bool  # an HTML template: values are escaped as Django's autoescaping would
    safe: frozenset[str]  # placeholders filled with markup already rendered (the parts nested in this one)

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
        "settings_url": _fixed_url("notifications:settings"),
        "inbox_url": _fixed_url("notifications:index"),
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
