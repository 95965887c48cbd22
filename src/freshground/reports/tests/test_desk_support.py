"""Shared set-up for the desk tests (no tests here): a circle desk, a center desk and the platform desk, their
reviewers (with and without two-factor authentication), and reports sent to one desk or to both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from freshground.network.models import Role
from freshground.people.models import Person
from freshground.reports import permissions as perms
from freshground.reports.models import (
    Desk,
    Mode,
    PlaceKind,
    Report,
    ReportStatus,
    Reviewer,
    Version,
    VersionStatus,
)
from freshground.testing import factories

ORIGINAL_NAME = "Gertrude Marlowe-Pinkney"
ORIGINAL_EMPLOYER = "Brightwater Logistics"


@pytest.fixture(autouse=True)
def _no_reports_cache(settings: Any) -> None:
    """The aggregates' cache lives in a file shared by test workers and runs: off in these tests (one test turns it
    on with its own generation)."""
    settings.FRESHGROUND_REPORTS_CACHE_SECONDS = 0


def enable_totp(person: Person) -> None:
    TOTP.activate(person, generate_totp_secret())
    perms.forget_reviews(person)


def make_report(*desks: Desk, status: str = ReportStatus.SUBMITTED, **fields: Any) -> Report:
    values: dict[str, Any] = {
        "mode": Mode.ANONYMOUS,
        "passphrase_hash": "argon2$not-a-real-hash",
        "title": f"Forced overtime at {ORIGINAL_EMPLOYER}",
        "place_kind": PlaceKind.WORKPLACE,
        "sector": "H",
        "region": "Leeds",
        "what_happened": f"Our shift manager {ORIGINAL_NAME} at {ORIGINAL_EMPLOYER} cut our breaks.",
        "what_we_did": "We met in the car park and wrote a letter together.",
        "outcome": "The breaks came back.",
        "status": status,
    }
    values.update(fields)
    report = Report.objects.create(**values)
    report.desks.set(desks)
    return report


def approve(report: Report, **texts: str) -> Version:
    """A version the reporter approved (what reports-intake's approval does)."""
    values = {
        "title": "Forced overtime at a logistics firm",
        "region": "Leeds",
        "what_happened": "Our shift manager [a manager] at [a warehouse] cut our breaks.",
        "what_we_did": "We met in the car park and wrote a letter together.",
        "outcome": "The breaks came back.",
    }
    values.update(texts)
    number = report.versions.count() + 1
    version = Version.objects.create(report=report, number=number, status=VersionStatus.APPROVED, **values)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    report.refresh_from_db()
    return version


@dataclass
class World:
    cast: Any
    circle_desk: Desk
    center_desk: Desk
    platform_desk: Desk
    reviewer: Person  # reviews the circle desk, with two-factor authentication
    reviewer_nomfa: Person  # reviews the circle desk, without
    other_reviewer: Person  # reviews the center desk only, with two-factor authentication
    platform_reviewer: Person  # a site admin reviewing the platform desk, with two-factor authentication
    report_a: Report  # sent to the circle desk only
    report_b: Report  # sent to the center desk only
    report_ab: Report  # sent to both


@pytest.fixture
def world(cast: Any) -> World:
    circle_desk = Desk.objects.create(circle=cast.circle, name="Riverside desk")
    center_desk = Desk.objects.create(center=cast.center, name="Red Thread desk")
    platform_desk = Desk.objects.create(name="The platform's editors")
    reviewer = factories.PersonFactory.create(display_name="Rita Reviewer")
    factories.add_member(cast.circle, reviewer, Role.MEMBER)
    reviewer_nomfa = factories.PersonFactory.create(display_name="Nell No-Factor")
    factories.add_member(cast.circle, reviewer_nomfa, Role.MEMBER)
    other_reviewer = factories.PersonFactory.create(display_name="Otto Other")
    factories.add_editor(cast.center, other_reviewer)
    platform_reviewer = factories.PersonFactory.create(display_name="Pat Platform", is_staff=True)
    Reviewer.objects.create(desk=circle_desk, person=reviewer)
    Reviewer.objects.create(desk=circle_desk, person=reviewer_nomfa)
    Reviewer.objects.create(desk=center_desk, person=other_reviewer)
    Reviewer.objects.create(desk=platform_desk, person=platform_reviewer)
    for person in (reviewer, other_reviewer, platform_reviewer):
        enable_totp(person)
    return World(
        cast=cast,
        circle_desk=circle_desk,
        center_desk=center_desk,
        platform_desk=platform_desk,
        reviewer=reviewer,
        reviewer_nomfa=reviewer_nomfa,
        other_reviewer=other_reviewer,
        platform_reviewer=platform_reviewer,
        report_a=make_report(circle_desk),
        report_b=make_report(center_desk, title="Damp flats on the estate", place_kind=PlaceKind.TENANCY),
        report_ab=make_report(circle_desk, center_desk, title="Sent to both"),
    )


def login(client: Any, person: Person) -> Any:
    client.force_login(person)
    return client
