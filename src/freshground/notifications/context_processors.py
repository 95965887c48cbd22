"""The bell's unread count for every page: read lazily, once per request, from the cache (one query when cold)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from freshground.core.permissions import is_person

MAX_SHOWN = 99


class UnreadCount:
    """Looks the number up the first time a template asks, then remembers it for the rest of the request."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._value: int | None = None

    @property
    def value(self) -> int:
        if self._value is None:
            from freshground.notifications.queries import unread_count

            self._value = unread_count(self._request.user)
        return self._value

    @property
    def label(self) -> str:
        return f"{MAX_SHOWN}+" if self.value > MAX_SHOWN else str(self.value)

    def __bool__(self) -> bool:
        return self.value > 0

    def __int__(self) -> int:
        return self.value

    def __str__(self) -> str:
        return self.label


def bell(request: HttpRequest) -> dict[str, Any]:
    if not is_person(getattr(request, "user", None)):
        return {}
    unread = getattr(request, "_notifications_unread", None)
    if unread is None:
        unread = UnreadCount(request)
        request._notifications_unread = unread  # type: ignore[attr-defined]
    return {"notifications_unread": unread}
