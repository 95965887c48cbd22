"""The bell's unread count for every page (notifications helper fills this in)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def bell(request: HttpRequest) -> dict[str, Any]:
    return {}
