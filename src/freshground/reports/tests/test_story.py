# factory_boy factories are typed as the factory, not the model they build:
# mypy: disable-error-code="arg-type,misc"
"""Issue 4's acceptance story, through the web pages: a visitor with no account reports anonymously and gets a
passphrase; a reviewer with two-factor asks a question; the reporter comes back with the passphrase and answers; the
reviewer redacts the names and proposes the text; the reporter approves it; the reviewer publishes; the published
page shows the approved text only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from freshground.reports.models import Desk, Report, ReportStatus, Reviewer
from freshground.reports.tests.test_desk_support import enable_totp
from freshground.testing import factories

pytestmark = pytest.mark.django_db

BOSS = "Gideon Thrale"
EMPLOYER = "Nettlefold Cold Stores"


def passphrase_on(page: str) -> str:
    found = re.search(r"data-passphrase>([^<]+)<", page)
    assert found, "the passphrase is shown once, after submitting"
    return found.group(1).strip()


def test_anonymous_report_to_published_text(settings: Any) -> None:
    settings.FRESHGROUND_REPORTS_CACHE_SECONDS = 0
    circle = factories.CircleFactory(name="Cold Store Workers")
    reviewer = factories.PersonFactory(display_name="Rae Reviewer")
    factories.add_member(circle, reviewer)
    desk = Desk.objects.create(circle=circle, name="Cold Store Workers' desk")
    Reviewer.objects.create(desk=desk, person=reviewer)
    enable_totp(reviewer)

    # A visitor without an account reports anonymously.
    visitor = Client()
    form = visitor.get(reverse("reports:submit"))
    assert form.status_code == 200
    sent = visitor.post(
        reverse("reports:submit"),
        {
            "mode": "anonymous",
            "title": f"Freezer shifts without breaks at {EMPLOYER}",
            "place_kind": "workplace",
            "sector": "H",
            "region": "Hull",
            "what_happened": f"Our supervisor {BOSS} at {EMPLOYER} cancelled every warm-up break in the freezers.",
            "what_we_did": "Twelve of us wrote to the depot manager together.",
            "outcome": "Breaks are back, every two hours.",
            "is_win": "on",
            "desks": [str(desk.pk)],
        },
    )
    assert sent.status_code == 200, sent.content.decode()[:2000]
    passphrase = passphrase_on(sent.content.decode())
    report = Report.objects.get()
    assert report.author is None
    assert settings.SESSION_COOKIE_NAME not in visitor.cookies
    assert not Session.objects.exists()

    # The reviewer, signed in with two-factor, asks a question.
    desk_client = Client()
    desk_client.force_login(reviewer)
    review_url = reverse("reports:review", args=[desk.pk, report.public_id])
    assert BOSS in desk_client.get(review_url).content.decode()
    asked = desk_client.post(
        reverse("reports:review_ask", args=[desk.pk, report.public_id]),
        {"body": "Did this happen on every shift, or only nights?"},
    )
    assert asked.status_code in {200, 302}

    # The reporter comes back with the passphrase and answers.
    inbox = Client()
    opened = inbox.post(reverse("reports:inbox"), {"passphrase": passphrase})
    assert "Did this happen on every shift" in opened.content.decode()
    answered = inbox.post(
        reverse("reports:inbox"),
        {"passphrase": passphrase, "action": "answer", "body": "Every shift, for three weeks in March."},
    )
    assert "Every shift, for three weeks" in answered.content.decode()

    # The reviewer redacts names and proposes the text; the preview shows the replacements.
    version_url = reverse("reports:review_version", args=[desk.pk, report.public_id])
    texts = {
        "pairs": f"{BOSS} → [a supervisor]\n{EMPLOYER} → [a cold store]",
        "title": report.title,
        "region": "Hull",
        "what_happened": report.what_happened,
        "what_we_did": report.what_we_did,
        "outcome": report.outcome,
        "note": "Names of the supervisor and the firm removed.",
    }
    preview = desk_client.post(version_url, {**texts, "preview": "1"})
    assert "[a supervisor]" in preview.content.decode()
    proposed = desk_client.post(version_url, texts)
    assert proposed.status_code in {200, 302}
    version = report.versions.get()
    assert BOSS not in version.what_happened
    assert EMPLOYER not in version.title

    # The reporter approves the proposed text.
    approved = inbox.post(
        reverse("reports:inbox"), {"passphrase": passphrase, "action": "approve", "version": str(version.number)}
    )
    assert approved.status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    # The reviewer publishes; everyone sees the approved text, never the original names.
    published = desk_client.post(reverse("reports:review_publish", args=[desk.pk, report.public_id]))
    assert published.status_code in {200, 302}
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    reader = Client()
    page = reader.get(report.get_absolute_url()).content.decode()
    assert "[a supervisor]" in page
    assert "Breaks are back" in page
    assert BOSS not in page
    assert EMPLOYER not in page
    listing = reader.get(reverse("reports:index")).content.decode()
    assert "[a cold store]" in listing
    assert EMPLOYER not in listing
