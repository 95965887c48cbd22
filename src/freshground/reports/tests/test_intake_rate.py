"""Submissions are rate-limited per address and overall, with counters that hold nothing about the reporter: a keyed
hash of the address for the current ten-minute window, in the cache only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from freshground.reports.models import Report
from freshground.reports.tests.intake_support import cheap_argon2_and_fresh_cache, platform_desk  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cheap_argon2_and_fresh_cache")]

ADDRESS = "203.0.113.77"


def form() -> dict[str, Any]:
    return {
        "mode": "anonymous",
        "title": "Heat in the sorting hall",
        "place_kind": "workplace",
        "what_happened": "No water breaks when it was 34 degrees inside.",
        "region": "Leeds",
        "desks": [str(platform_desk().pk)],
    }


def limits(settings: Any, per_address: int, overall: int) -> None:
    settings.FRESHGROUND = {**settings.FRESHGROUND, "REPORT_SUBMISSION_LIMITS": (per_address, overall)}


def test_one_address_may_send_a_few_reports_then_waits(settings: Any) -> None:
    limits(settings, 2, 100)
    client = Client(REMOTE_ADDR=ADDRESS)
    for _ in range(2):
        assert client.post(reverse("reports:submit"), form()).status_code == 200
    refused = client.post(reverse("reports:submit"), form())
    assert refused.status_code == 429
    assert "Too many reports" in refused.content.decode()
    assert Report.objects.count() == 2
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.post(reverse("reports:submit"), form()).status_code == 200
    api = client.post("/api/v1/reports/", form() | {"desks": [platform_desk().pk]}, content_type="application/json")
    assert api.status_code == 429
    assert "Too many reports" in api.json()["detail"]
    assert Report.objects.count() == 3


def test_the_overall_limit_holds_whatever_the_address(settings: Any) -> None:
    limits(settings, 5, 1)
    assert Client(REMOTE_ADDR="192.0.2.1").post(reverse("reports:submit"), form()).status_code == 200
    assert Client(REMOTE_ADDR="192.0.2.2").post(reverse("reports:submit"), form()).status_code == 429


def test_the_counters_hold_no_address(settings: Any) -> None:
    limits(settings, 5, 100)
    Client(REMOTE_ADDR=ADDRESS).post(reverse("reports:submit"), form())
    stored = repr(dict(getattr(cache, "_cache", {})))
    assert ADDRESS not in stored
    assert "203.0.113" not in stored
