"""reports.Report in the content registry: commentable once published, visible only when published, living in the
space of the desk that published it (its circle or center, or the site for the platform's desk)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from freshground.core.content import ContentKind, Space, register_content
from freshground.reports import permissions as perms
from freshground.reports.models import Mode, Report


def report_space(report: Report) -> Space:
    desk = report.published_by_desk if report.published_by_desk_id else None
    if desk is None:
        return None
    if desk.circle_id is not None:
        return desk.circle
    if desk.center_id is not None:
        return desk.center
    return None


def report_author(report: Report) -> Any:
    # Only a member who chose to report under their own name is ever an author; other reports have none.
    return report.author if report.mode == Mode.MEMBER and report.is_published else None


def report_title(report: Report) -> str:
    version = report.published_version if report.published_version_id else None
    return version.title if version is not None and report.is_published else str(_("an unpublished report"))


def register() -> None:
    register_content(
        ContentKind(
            model=Report,
            label="reports.report",
            noun=_("report"),
            space_of=report_space,
            author_of=report_author,
            can_view=lambda viewer, report: perms.can_view_published(viewer, report),
            url_of=lambda report: report.get_absolute_url(),
            title_of=report_title,
            commentable=True,
            moderated=False,
        )
    )
