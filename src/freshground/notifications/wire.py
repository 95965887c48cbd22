"""A notification mail on the wire: `Mail` writes the plain case (ASCII addresses, text + HTML, simple headers)
straight to bytes instead of through the email package, which cost more than everything else in a digest run;
anything unusual falls back to Django's own `message()`."""

from __future__ import annotations

import binascii
import email.message
import email.policy
import random
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from email.policy import Policy
from email.utils import format_datetime, make_msgid
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.utils import timezone

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
