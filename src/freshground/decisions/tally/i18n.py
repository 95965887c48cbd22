"""gettext when Django is configured, the English text otherwise (the tally runs without Django too)."""

from __future__ import annotations


def _(text: str) -> str:
    try:
        from django.conf import settings
        from django.utils.translation import gettext
    except ImportError:  # pragma: no cover - Django is always installed here
        return text
    if not settings.configured:
        return text
    return gettext(text)
