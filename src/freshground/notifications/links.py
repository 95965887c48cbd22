"""Links in notification mails: absolute URLs and the signed one-click unsubscribe tokens (the same tokens
`signing.Signer` makes and checks, signed with a prepared HMAC because a digest run signs 100,000 of them)."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from freshground.notifications.models import Channel
from freshground.notifications.send import Kind

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
def fixed_url(name: str) -> str:
    """Absolute URLs that every mail repeats, reversed once (reverse() is a good share of a digest's cost)."""
    if name == "unsubscribe":
        return site_url(reverse("notifications:unsubscribe", args=["TOKEN"])).replace("TOKEN", "{token}")
    return site_url(reverse(name))


def unsubscribe_url(person_id: int, topic: str) -> str:
    return fixed_url("unsubscribe").format(token=unsubscribe_token(person_id, topic))


def topic_label(topic: str) -> str:
    if topic in Kind.values:
        return str(Kind(topic).label)
    return _("the daily digest") if topic == Channel.DAILY else _("the weekly digest")
