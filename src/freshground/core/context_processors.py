from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from freshground.core.navigation import main_sections


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": settings.FRESHGROUND["SITE_NAME"], "main_sections": main_sections()}
