"""Progress reports: what a sponsor did, posted in its name to the campaign and the network-wide progress feed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.campaigns import permissions as perms
from freshground.campaigns.models import Campaign, ProgressReport, Sponsor
from freshground.campaigns.services import require
from freshground.core.validation import checked_text


def _touch(campaign: Campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(updated_at=timezone.now())


@transaction.atomic
def post_progress(*, actor: Any, campaign: Campaign, sponsor: Sponsor, body: str) -> ProgressReport:
    """ "What we did this week", in the name of an active sponsor the actor belongs to."""
    require(
        perms.can_report_for(actor, campaign, sponsor),
        _("Only members of a sponsoring circle (or editors of a sponsoring center) can report in its name."),
    )
    body = checked_text(body, field="body", limit=10000, message=_("Tell the others what you did."))
    report = ProgressReport.objects.create(
        campaign=campaign, circle_id=sponsor.circle_id, center_id=sponsor.center_id, author=actor, body=body
    )
    _touch(campaign)
    return report


@transaction.atomic
def delete_report(*, actor: Any, report: ProgressReport) -> None:
    require(perms.can_delete_report(actor, report), _("Only its author or the campaign's sponsors can delete it."))
    report.delete()
