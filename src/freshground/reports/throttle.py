"""Counting attempts for reporters' pages without keeping anything about the reporter.

Counters live in the cache only, for one short window, under a key that is an HMAC (SECRET_KEY) of the window number
and some material (a passphrase's first words, a per-window address hash, or nothing for a global count). The key
changes with every window, so nothing outlives it and nothing links one window's counts to the next; the material
itself is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

WINDOW = 10 * 60  # seconds


def key(kind: str, material: str, *, window: int = WINDOW) -> str:
    number = int(time.time() // window)
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"reports-throttle:{kind}:{number}:{material}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"reports:tries:{digest}"


def reached(keys: dict[str, int]) -> bool:
    """True when any counter has reached its limit ({key: limit})."""
    return any(int(cache.get(counter, 0)) >= limit for counter, limit in keys.items())


def count(keys: dict[str, int] | list[str], *, window: int = WINDOW) -> None:
    for counter in keys:
        if not cache.add(counter, 1, timeout=window):
            try:
                cache.incr(counter)
            except ValueError:  # expired between add and incr
                cache.add(counter, 1, timeout=window)
