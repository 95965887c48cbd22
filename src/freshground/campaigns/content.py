"""Campaigns and progress reports in the content registry: comment threads work on both; reports are moderated."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from freshground.campaigns import permissions as perms
from freshground.campaigns.models import Campaign, ProgressReport
from freshground.core.content import ContentKind, Space, register_content
from freshground.people.models import Person


def campaign_space(campaign: Campaign) -> Space:
    """The initiating sponsor's circle or center (its moderators), else the first active sponsor."""
    from freshground.campaigns.queries import active_sponsors

    sponsors = active_sponsors(campaign)
    for sponsor in sorted(sponsors, key=lambda s: not s.initiator):
        return sponsor.party
    return None


def report_space(report: ProgressReport) -> Space:
    return report.party


def campaign_author(campaign: Campaign) -> Person | None:
    author: Person | None = campaign.created_by
    return author


def report_author(report: ProgressReport) -> Person | None:
    author: Person | None = report.author
    return author


def register() -> None:
    register_content(
        ContentKind(
            model=Campaign,
            label="campaigns.campaign",
            noun=_("campaign"),
            space_of=campaign_space,
            author_of=campaign_author,
            can_view=lambda viewer, campaign: perms.can_view_campaign(viewer, campaign),
            url_of=lambda campaign: campaign.get_absolute_url(),
            title_of=lambda campaign: campaign.title,
            commentable=True,
            moderated=False,
        )
    )
    register_content(
        ContentKind(
            model=ProgressReport,
            label="campaigns.progressreport",
            noun=_("progress report"),
            space_of=report_space,
            author_of=report_author,
            can_view=lambda viewer, report: perms.can_view_report(viewer, report),
            url_of=lambda report: report.get_absolute_url(),
            title_of=lambda report: str(report),
            commentable=True,
            moderated=True,
            text_of=lambda report: report.body,
        )
    )
