"""Reads for campaign pages, the board, the plan and the progress feed, each with a fixed number of queries."""

from __future__ import annotations

from freshground.campaigns.models import Campaign, Sponsor, SponsorStatus


def all_sponsors(campaign: Campaign) -> list[Sponsor]:
    """Every sponsorship row of the campaign (any status), circles and centers loaded; prefetched rows when present."""
    cache = getattr(campaign, "_prefetched_objects_cache", {})
    if "sponsors" in cache:
        return list(campaign.sponsors.all())
    rows = list(campaign.sponsors.select_related("circle", "center").order_by("created_at", "id"))
    campaign._prefetched_objects_cache = {**cache, "sponsors": rows}  # type: ignore[attr-defined]
    return rows


def active_sponsors(campaign: Campaign) -> list[Sponsor]:
    """The campaign's active sponsors (circles and centers, shown as equals), oldest first."""
    return [s for s in all_sponsors(campaign) if s.status == SponsorStatus.ACTIVE]
