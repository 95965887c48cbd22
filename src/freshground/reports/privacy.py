"""What keeps a reporter unidentifiable: a middleware that strips identifying request data on reporters' pages
and a logging filter. The reports-intake work fills this in; the interfaces here are wired into settings."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ReporterPrivacyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)


class ReporterLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return True
