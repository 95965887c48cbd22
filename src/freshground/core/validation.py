"""Checks shared by every app's services: text people typed, and a closing date. Refusals name the field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError
from freshground.core.text import clean_text


def checked_text(value: Any, *, field: str, limit: int, required: bool = True, message: str = "") -> str:
    """The value as clean text; refused when empty (if required, with `message` when given) or over `limit`."""
    text = clean_text(str(value or ""))
    if required and not text:
        raise DomainError(message or _("This cannot be empty."), field=field)
    if len(text) > limit:
        raise DomainError(_("At most %(n)d characters (this has %(m)d).") % {"n": limit, "m": len(text)}, field=field)
    return text


def closing_moment(value: datetime | None, *, field: str = "closes_at") -> datetime | None:
    """A closing date in the future (a naive one is read in the current time zone), or None for no closing date."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value <= timezone.now():
        raise DomainError(_("The closing date must be in the future."), field=field)
    return value
