from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

TZ_COOKIE = "fg_tz"


class TimezoneMiddleware:
    """Show times in the viewer's zone: their profile's, else the zone their browser reported in a cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone_name = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "time_zone", "UTC") != "UTC":
            zone_name = user.time_zone
        else:
            zone_name = request.COOKIES.get(TZ_COOKIE)
        try:
            if zone_name:
                timezone.activate(zoneinfo.ZoneInfo(zone_name))
            else:
                timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)
