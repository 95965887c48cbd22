"""Campaign pages (thin: forms in, services and queries out)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("")


def report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return HttpResponse("")


def petition(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return HttpResponse("")


def kit_item(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return HttpResponse("")
