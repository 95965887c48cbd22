"""Reads for campaign pages, the board, the plan and the progress feed, each with a fixed number of queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from freshground.campaigns.models import (
    Action,
    Campaign,
    CampaignStatus,
    Goal,
    KitItem,
    Petition,
    ProgressReport,
    Signature,
    Sponsor,
    SponsorStatus,
    Supporter,
    Task,
)
from freshground.campaigns.similarity import Doc, Match, distance_km, rank
from freshground.core.content import ContentStatus
from freshground.core.models import Tag
from freshground.core.permissions import is_person
from freshground.network import permissions as network_perms
from freshground.network.models import Membership
from freshground.network.queries import Near

BOARD_PAGE_SIZE = 30
FEED_PAGE_SIZE = 20
PAGE_REPORTS = 10
SIMILAR_POOL = 500
PUBLIC_SIGNERS = 200


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


def pending_sponsors(campaign: Campaign) -> list[Sponsor]:
    return [s for s in all_sponsors(campaign) if s.status == SponsorStatus.PENDING]


def _sponsors_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "sponsors", queryset=Sponsor.objects.select_related("circle", "center").order_by("created_at", "id")
    )


def campaigns_with_sponsors() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("topic").prefetch_related(_sponsors_prefetch())


def campaign_by_slug(slug: str) -> Campaign | None:
    return (
        Campaign.objects.select_related("topic", "created_by")
        .prefetch_related(_sponsors_prefetch(), "tags", Prefetch("goals", queryset=Goal.objects.order_by("position")))
        .filter(slug=slug)
        .first()
    )


def prime_permissions(viewer: Any, campaigns: Sequence[Campaign]) -> None:
    """Learn in two queries the viewer's memberships and editorships for every sponsor of these campaigns."""
    if not is_person(viewer):
        return
    circle_ids: set[int] = set()
    center_ids: set[int] = set()
    for campaign in campaigns:
        for sponsor in all_sponsors(campaign):
            if sponsor.circle_id:
                circle_ids.add(sponsor.circle_id)
            if sponsor.center_id:
                center_ids.add(sponsor.center_id)
    missing = circle_ids - network_perms.known_membership_circles(viewer)
    if missing:
        found = {m.circle_id: m for m in Membership.objects.filter(person=viewer, circle_id__in=missing)}
        network_perms.remember_memberships(viewer, {cid: found.get(cid) for cid in missing})
    network_perms.remember_editorships(viewer, center_ids)


# The board


@dataclass(frozen=True)
class BoardFilters:
    topic: str = ""
    scope: str = ""
    status: str = ""
    place: str = ""
    near: Near | None = None
    text: str = ""


def board_queryset(filters: BoardFilters) -> QuerySet[Campaign]:
    campaigns = campaigns_with_sponsors().exclude(status=CampaignStatus.DRAFT)
    if filters.topic:
        tagged = Campaign.tags.through.objects.filter(tag__slug=filters.topic).values("campaign_id")
        campaigns = campaigns.filter(Q(topic__slug=filters.topic) | Q(pk__in=tagged))
    if filters.scope:
        campaigns = campaigns.filter(scope=filters.scope)
    if filters.status:
        campaigns = campaigns.filter(status=filters.status)
    else:
        campaigns = campaigns.filter(status=CampaignStatus.ACTIVE)
    if filters.place:
        campaigns = campaigns.filter(place_name__icontains=filters.place)
    if filters.text:
        campaigns = campaigns.filter(Q(title__icontains=filters.text) | Q(description__icontains=filters.text))
    if filters.near is not None:
        (south, north), ranges = filters.near.bounding_box()
        box = Q()
        for west, east in ranges:
            box |= Q(longitude__gte=west, longitude__lte=east)
        campaigns = campaigns.filter(box, latitude__gte=south, latitude__lte=north)
    # Grouped by issue on the page: order by the topic's name, then newest first.
    return campaigns.order_by("topic__name", "-created_at", "id")


@dataclass
class TopicGroup:
    topic: Tag | None
    campaigns: list[Campaign]


def board(filters: BoardFilters, page_number: str | int | None) -> tuple[Page[Campaign], list[TopicGroup]]:
    """One page of the board grouped by issue: a count, the page, the sponsors (3 queries)."""
    page = Paginator(board_queryset(filters), BOARD_PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    if filters.near is not None:
        for campaign in rows:
            if campaign.latitude is not None and campaign.longitude is not None:
                campaign.distance_km = round(  # type: ignore[attr-defined]
                    distance_km(filters.near.latitude, filters.near.longitude, campaign.latitude, campaign.longitude)
                )
        rows = [c for c in rows if getattr(c, "distance_km", filters.near.km + 1) <= filters.near.km]
    groups = [TopicGroup(topic, list(items)) for topic, items in groupby(rows, key=lambda c: c.topic)]
    return page, groups


def topics_in_use() -> list[Tag]:
    """The issues campaigns fight, for the board's filter (one query)."""
    return list(Tag.objects.filter(campaigns__isnull=False).distinct().order_by("name"))


# Similar campaigns


def similar_campaigns(
    *,
    title: str,
    description: str = "",
    topic: Tag | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    place_name: str = "",
    exclude: int | None = None,
    limit: int = 5,
) -> list[tuple[Campaign, Match]]:
    """Open campaigns most like a new one (text, topic, place), best first: two queries."""
    pool = (
        Campaign.objects.filter(status__in=[CampaignStatus.ACTIVE, CampaignStatus.DRAFT])
        .exclude(status=CampaignStatus.DRAFT)
        .order_by("-created_at")
        .values_list("pk", "title", "description", "topic_id", "latitude", "longitude", "place_name")[:SIMILAR_POOL]
    )
    docs = [
        Doc(pk, f"{t} {t} {d}", topic_id, lat, lon, place)
        for pk, t, d, topic_id, lat, lon, place in pool
        if pk != exclude
    ]
    new = Doc(0, f"{title} {title} {description}", topic.pk if topic else None, latitude, longitude, place_name)
    matches = rank(new, docs, limit=limit)
    if not matches:
        return []
    found = campaigns_with_sponsors().in_bulk([m.key for m in matches])
    return [(found[m.key], m) for m in matches if m.key in found]


# The campaign page


@dataclass
class CampaignPage:
    campaign: Campaign
    sponsors: list[Sponsor]
    pending: list[Sponsor]
    goals: list[Goal]
    actions: list[Action]
    reports: list[ProgressReport]
    petitions: list[Petition]
    kit: list[KitItem]
    adaptations: list[KitItem] = field(default_factory=list)


def campaign_page(viewer: Any, campaign: Campaign) -> CampaignPage:
    prime_permissions(viewer, [campaign])
    page = CampaignPage(
        campaign=campaign,
        sponsors=active_sponsors(campaign),
        pending=pending_sponsors(campaign),
        goals=list(campaign.goals.all()),
        actions=list(campaign.actions.select_related("owner", "event").order_by("starts_at", "id")[:8]),
        reports=list(reports_of(campaign)[:PAGE_REPORTS]),
        petitions=list(campaign.petitions.order_by("created_at", "id")),
        kit=list(campaign.kit_items.filter(circle__isnull=True).select_related("created_by")),
        adaptations=list(campaign.kit_items.filter(circle__isnull=False).select_related("circle", "adapted_from")),
    )
    rows: list[Any] = [*page.reports, *page.petitions, *page.kit, *page.adaptations, *page.actions]
    for row in rows:
        row.campaign = campaign
    return page


def reports_of(campaign: Campaign) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(campaign=campaign, status=ContentStatus.PUBLISHED)
        .select_related("circle", "center", "author")
        .order_by("-created_at", "-id")
    )


# The plan


@dataclass
class Plan:
    campaign: Campaign
    actions: list[Action]
    tasks: list[Task]


def plan(campaign: Campaign, *, with_tasks: bool) -> Plan:
    actions = list(campaign.actions.select_related("owner", "event").order_by("starts_at", "id"))
    tasks: list[Task] = []
    if with_tasks:
        tasks = list(
            campaign.tasks.select_related("action").prefetch_related("assignees").order_by("done", "due_on", "id")
        )
    return Plan(campaign, actions, tasks)


def assignable_people(campaign: Campaign) -> list[Any]:
    """Supporters and members of active sponsor circles (and editors of sponsor centers): who can be given a task."""
    from freshground.people.models import Person

    circle_ids = [s.circle_id for s in active_sponsors(campaign) if s.circle_id]
    center_ids = [s.center_id for s in active_sponsors(campaign) if s.center_id]
    return list(
        Person.objects.filter(
            Q(campaign_supports__campaign=campaign)
            | Q(memberships__circle_id__in=circle_ids)
            | Q(editorships__center_id__in=center_ids),
            is_active=True,
        )
        .distinct()
        .order_by("display_name", "id")[:500]
    )


def supporters_of(campaign: Campaign) -> QuerySet[Supporter]:
    return campaign.supporters.select_related("person").order_by("joined_at", "id")


# The progress feed


def progress_reports(*, topic: str = "") -> QuerySet[ProgressReport]:
    """Every published report of every public campaign, newest first, with what a feed shows (one query)."""
    reports = (
        ProgressReport.objects.filter(status=ContentStatus.PUBLISHED)
        .exclude(campaign__status=CampaignStatus.DRAFT)
        .select_related("campaign", "campaign__topic", "circle", "center", "author")
        .order_by("-created_at", "-id")
    )
    if topic:
        reports = reports.filter(campaign__topic__slug=topic)
    return reports


def progress_feed(page_number: str | int | None, *, topic: str = "") -> Page[ProgressReport]:
    """ "What everyone is working on": a count and one page (2 queries)."""
    return Paginator(progress_reports(topic=topic), FEED_PAGE_SIZE).get_page(page_number)


# Petitions


def petition_by_pk(campaign: Campaign, pk: int) -> Petition | None:
    petition = Petition.objects.filter(campaign=campaign, pk=pk).first()
    if petition is not None:
        petition.campaign = campaign
    return petition


def public_signers(petition: Petition) -> list[Signature]:
    """Confirmed signers who agreed to show their name: name and place only (the e-mail is never read here)."""
    if not petition.show_signers:
        return []
    return list(
        petition.signatures.filter(confirmed_at__isnull=False, show_name=True)
        .only("name", "place_name", "confirmed_at")
        .order_by("-confirmed_at", "-id")[:PUBLIC_SIGNERS]
    )


def signatures_csv(petition: Petition) -> str:
    """Every signature, for the organisers (callers check permissions.can_export_signatures)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "place", "email", "show_name", "signed_at", "confirmed_at"])
    for s in petition.signatures.order_by("created_at", "id"):
        writer.writerow(
            [
                _csv_safe(s.name),
                _csv_safe(s.place_name),
                _csv_safe(s.email),
                "yes" if s.show_name else "no",
                s.created_at.isoformat(),
                s.confirmed_at.isoformat() if s.confirmed_at else "",
            ]
        )
    return out.getvalue()


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: prefix them with an apostrophe."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


# Kits


def kit_item_by_pk(campaign: Campaign, pk: int) -> KitItem | None:
    item = (
        KitItem.objects.filter(campaign=campaign, pk=pk)
        .select_related("circle", "adapted_from", "adapted_from__circle", "created_by")
        .first()
    )
    if item is not None:
        item.campaign = campaign
    return item
