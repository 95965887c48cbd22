"""What the reporter reads: the inbox of one report, and a member's own reports. Fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from freshground.reports.models import (
    Attachment,
    Message,
    Mode,
    Report,
    ReportStatus,
    Version,
    VersionStatus,
)
from freshground.reports.sectors import sector_name

# A reporter can still act on these; published, declined and withdrawn reports are closed.
OPEN_STATUSES = frozenset(
    {ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW, ReportStatus.AWAITING_REPORTER, ReportStatus.APPROVED}
)


@dataclass(frozen=True)
class Inbox:
    report: Report
    messages: list[Message]
    proposed: Version | None  # the version waiting for the reporter's decision
    decided: list[Version]  # earlier versions, newest first
    attachments: list[Attachment]
    desk_names: list[str]
    sector_name: str

    @property
    def is_open(self) -> bool:
        """The reporter can still answer and decide (not published, declined or withdrawn)."""
        return self.report.status in OPEN_STATUSES

    @property
    def waiting_for_reporter(self) -> bool:
        return self.proposed is not None or bool(self.messages and not self.messages[-1].from_reporter)


def inbox(report: Report) -> Inbox:
    """Four queries: messages (with their desks), versions, attachments, desks."""
    messages = list(report.messages.select_related("desk").order_by("id"))
    versions = list(report.versions.order_by("-number"))
    proposed = next((v for v in versions if v.status == VersionStatus.PROPOSED), None)
    attachments = list(report.attachments.order_by("id"))
    desk_names = [desk.name for desk in report.desks.order_by("name", "id")]
    return Inbox(
        report=report,
        messages=messages,
        proposed=proposed,
        decided=[v for v in versions if v is not proposed],
        attachments=attachments,
        desk_names=desk_names,
        sector_name=sector_name(report.sector),
    )


def my_reports(person: Any) -> QuerySet[Report]:
    """A member's reports under their own name (never their pseudonymous or anonymous ones: those are not linked)."""
    return Report.objects.filter(mode=Mode.MEMBER, author=person).only(
        "public_id", "title", "status", "submitted_on", "last_activity_on", "mode", "author_id"
    )
