"""Reads for the desks' and the readers' pages, each with a fixed number of queries whatever the page size.

Published pages read only what a reader may see: the approved Version's texts (title, region, what happened, what
people did, outcome) and the report's categories (kind of place, sector, size, win, topics). The original fields of
a report are read only by desk pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from freshground.core import content
from freshground.core.models import Tag
from freshground.core.permissions import is_person, is_site_admin
from freshground.network.models import Center, CenterEditor, Circle, Membership, Role
from freshground.reports import permissions as perms
from freshground.reports.models import (
    Attachment,
    AttachmentKind,
    Desk,
    Message,
    RelatedItem,
    Report,
    ReportStatus,
    Reviewer,
    Version,
)

QUEUE_PAGE_SIZE = 25
INDEX_PAGE_SIZE = 20
OVERVIEW_TOP = 8
OVERVIEW_MONTHS = 24


# The aggregates of published reports (the overview, the topics and regions the filters offer) scan every published
# report, so they are cached. Publishing (or re-tagging a published report) bumps a generation number that is part of
# every key; the time limit covers a cache that is not shared between processes.
GENERATION_KEY = "reports:published:generation"


def cache_seconds() -> int:
    return int(getattr(settings, "FRESHGROUND_REPORTS_CACHE_SECONDS", 300))


def published_changed() -> None:
    """Call after anything that changes what readers see in aggregate (services_desk does)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _cached[T](name: str, compute: Callable[[], T]) -> T:
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    generation = cache.get_or_set(GENERATION_KEY, 1, None)
    key = f"reports:published:{name}:{generation}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found  # type: ignore[no-any-return]


# Desks


@dataclass
class DeskListing:
    desks: Sequence[Desk]
    # Circles and centers the viewer could open a desk for, and whether the platform's desk can be opened.
    open_circles: list[Circle] = field(default_factory=list)
    open_centers: list[Center] = field(default_factory=list)
    can_open_platform: bool = False


def desks_for(person: Any) -> DeskListing:
    """The desks person reviews or runs, and where they could open one. Fixed queries."""
    if not is_person(person):
        return DeskListing(desks=[])
    organised = list(Membership.objects.filter(person=person, role=Role.ORGANISER).values_list("circle_id", flat=True))
    edited = list(CenterEditor.objects.filter(person=person).values_list("center_id", flat=True))
    admin = is_site_admin(person)
    owned = Q(circle_id__in=organised) | Q(center_id__in=edited)
    if admin:
        owned |= Q(circle__isnull=True, center__isnull=True)
    desks = list(
        Desk.objects.filter(owned | Q(reviewers__person=person))
        .distinct()
        .select_related("circle", "center")
        .annotate(open_count=Count("reports", filter=Q(reports__status__in=perms.OPEN_STATUSES), distinct=True))
        .order_by("name", "id")
    )
    with_desk_circles = {desk.circle_id for desk in desks} | set(
        Desk.objects.filter(circle_id__in=organised).values_list("circle_id", flat=True)
    )
    with_desk_centers = {desk.center_id for desk in desks}
    return DeskListing(
        desks=desks,
        open_circles=list(Circle.objects.filter(id__in=set(organised) - with_desk_circles).order_by("name")),
        open_centers=list(Center.objects.filter(id__in=set(edited) - with_desk_centers).order_by("name")),
        can_open_platform=admin and not Desk.objects.filter(circle__isnull=True, center__isnull=True).exists(),
    )


def desk_by_pk(pk: int) -> Desk | None:
    return Desk.objects.select_related("circle", "center").filter(pk=pk).first()


def reviewers_of(desk: Desk) -> list[Reviewer]:
    return list(desk.reviewers.select_related("person").order_by("person__display_name", "person_id"))


@dataclass
class Queue:
    desk: Desk
    status: str
    counts: dict[str, int]
    page: Page[Report]


def desk_queue(desk: Desk, *, status: str = "", page: int | str = 1) -> Queue:
    """The reports sent to the desk, by status (the open ones first by default), newest activity first.
    Three queries: the counts, the page's count, the page."""
    rows = Report.objects.filter(desks=desk).values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(ReportStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    reports = Report.objects.filter(desks=desk).only(
        "public_id",
        "mode",
        "title",
        "place_kind",
        "sector",
        "region",
        "is_win",
        "status",
        "submitted_on",
        "last_activity_on",
    )
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    else:
        status = ""
        reports = reports.filter(status__in=perms.OPEN_STATUSES)
    reports = reports.order_by("-last_activity_on", "-id")
    paginator = Paginator(reports, QUEUE_PAGE_SIZE)
    # The counts by status already say how many reports the page's filter has: no second COUNT(*).
    known = counts[status] if status else sum(counts[value] for value in perms.OPEN_STATUSES)
    vars(paginator)["count"] = known  # Paginator.count is a cached_property: this is its cached value
    return Queue(desk=desk, status=status, counts=counts, page=paginator.get_page(page))


def report_in_desk(desk: Desk, public_id: str) -> Report | None:
    """A report sent to this desk, with everything the review page shows; None when it was not sent here (whether
    or not it exists elsewhere). Fixed queries."""
    report = (
        Report.objects.filter(desks=desk, public_id=public_id)
        .select_related("author", "published_version", "published_by_desk")
        .prefetch_related(
            Prefetch("desks", queryset=Desk.objects.order_by("name")),
            Prefetch("messages", queryset=Message.objects.select_related("reviewer", "desk").order_by("id")),
            Prefetch("versions", queryset=Version.objects.select_related("proposed_by").order_by("-number")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
            Prefetch("topics", queryset=Tag.objects.order_by("name")),
            Prefetch("related_items", queryset=RelatedItem.objects.select_related("content_type").order_by("id")),
        )
        .first()
    )
    if report is not None:
        perms.report_desk_ids(report)  # prime the cache from the prefetch
    return report


def attachment_for_review(desk: Desk, public_id: str, attachment_id: int) -> Attachment | None:
    return (
        Attachment.objects.filter(pk=attachment_id, report__public_id=public_id, report__desks=desk)
        .select_related("report")
        .first()
    )


def published_image(public_id: str, attachment_id: int) -> Attachment | None:
    return (
        Attachment.objects.filter(
            pk=attachment_id,
            report__public_id=public_id,
            report__status=ReportStatus.PUBLISHED,
            kind=AttachmentKind.IMAGE,
            publish=True,
        )
        .select_related("report")
        .first()
    )


# Published reports


@dataclass(frozen=True)
class Filters:
    sector: str = ""
    place_kind: str = ""
    region: str = ""
    topic: str = ""
    wins: bool = False

    @property
    def active(self) -> bool:
        return bool(self.sector or self.place_kind or self.region or self.topic or self.wins)


def published() -> QuerySet[Report]:
    """Published reports only: the one starting point of every public read. (A published report always has its
    version: a database constraint says so, which keeps this filter on the status indexes alone.)"""
    return Report.objects.filter(status=ReportStatus.PUBLISHED)


class _CachedCountPaginator(Paginator):  # type: ignore[type-arg]
    """Counts the filtered published reports once per generation (COUNT(*) over tens of thousands of rows is most of
    a page's time; the count only changes when something is published)."""

    def __init__(self, object_list: QuerySet[Report], per_page: int, *, count_key: str) -> None:
        super().__init__(object_list, per_page)
        self._reports = object_list
        self._count_key = count_key

    @property
    def count(self) -> int:
        cached: int | None = vars(self).get("_fg_count")
        if cached is None:
            cached = int(_cached(self._count_key, self._reports.count))
            vars(self)["_fg_count"] = cached
        return cached


def filtered(filters: Filters) -> QuerySet[Report]:
    reports = published()
    if filters.sector:
        reports = reports.filter(sector=filters.sector)
    if filters.place_kind:
        reports = reports.filter(place_kind=filters.place_kind)
    if filters.region:
        # The report's own (indexed) region narrows the search; the published version's must match too, so a
        # region a reviewer redacted can never be found by its original name.
        region = canonical_region(filters.region)
        reports = reports.filter(region=region, published_version__region=region)
    if filters.topic:
        reports = reports.filter(topics__slug=filters.topic)
    if filters.wins:
        reports = reports.filter(is_win=True)
    return reports


def published_page(filters: Filters, page: int | str = 1, *, per_page: int = INDEX_PAGE_SIZE) -> Page[Report]:
    """A page of published reports, newest first. Three queries: count, page (with the version), topics."""
    reports = (
        filtered(filters)
        .select_related("published_version")
        .only(
            "public_id",
            "place_kind",
            "sector",
            "is_win",
            "status",
            "published_on",
            "published_version__title",
            "published_version__region",
            "published_version__what_happened",
        )
        .prefetch_related(Prefetch("topics", queryset=Tag.objects.order_by("name")))
        .order_by("-published_on", "-id")
    )
    key = f"count:{filters.sector}:{filters.place_kind}:{filters.region.casefold()}:{filters.topic}:{filters.wins}"
    return _CachedCountPaginator(reports, per_page, count_key=key).get_page(page)


def published_report(public_id: str) -> Report | None:
    return (
        published()
        .filter(public_id=public_id)
        .select_related("author", "published_version", "published_by_desk__circle", "published_by_desk__center")
        .prefetch_related(
            Prefetch("topics", queryset=Tag.objects.order_by("name")),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(kind=AttachmentKind.IMAGE, publish=True).order_by("id"),
                to_attr="published_images",
            ),
            Prefetch("related_items", queryset=RelatedItem.objects.select_related("content_type").order_by("id")),
        )
        .first()
    )


@dataclass(frozen=True)
class RelatedLink:
    noun: str
    title: str
    url: str


def related_links(viewer: Any, report: Report) -> list[RelatedLink]:
    """The related items the viewer may see, with their titles and addresses (one query per kind of content)."""
    by_label: dict[str, list[int]] = {}
    for item in report.related_items.all():
        label = f"{item.content_type.app_label}.{item.content_type.model}"
        by_label.setdefault(label, []).append(item.object_id)
    links: list[RelatedLink] = []
    for label, ids in by_label.items():
        kind = content.kind_for_label(label)
        if kind is None:
            continue
        for obj in kind.model._default_manager.filter(pk__in=ids):
            if kind.can_view(viewer, obj):
                links.append(RelatedLink(str(kind.noun), kind.title_of(obj), kind.url_of(obj)))
    return links


def topics_in_use() -> list[tuple[str, str]]:
    """The topics of published reports (slug, name), for the filter. Cached."""

    def compute() -> list[tuple[str, str]]:
        ids = Report.topics.through.objects.filter(
            report__status=ReportStatus.PUBLISHED, report__published_version__isnull=False
        ).values("tag_id")
        return list(Tag.objects.filter(id__in=ids).order_by("name").values_list("slug", "name"))

    return _cached("topics", compute)


def regions_in_use(limit: int = 300) -> list[str]:
    """The cities and regions of published reports (their published spelling), most reports first. Cached."""

    def compute() -> list[str]:
        rows = (
            published()
            .exclude(published_version__region="")
            .values_list("published_version__region")
            .annotate(n=Count("id"))
            .order_by("-n", "published_version__region")[:limit]
        )
        return [region for region, _n in rows]

    return _cached("regions", compute)


def canonical_region(region: str) -> str:
    """The published spelling of a region typed in any case ("glasgow" → "Glasgow"), or the text as given."""
    wanted = region.strip().casefold()
    return next((known for known in regions_in_use() if known.casefold() == wanted), region.strip())


# The overview


@dataclass
class Overview:
    total: int
    wins: int
    by_sector: list[tuple[str, int]]
    by_region: list[tuple[str, int]]
    by_place_kind: list[tuple[str, int]]
    sector_months: dict[str, list[tuple[date, int]]]
    region_months: dict[str, list[tuple[date, int]]]


def _sector_label(code: str) -> str:
    from freshground.reports.sectors import sector_name

    return sector_name(code) or _("Not given")


def overview(*, since: date | None = None) -> Overview:
    """Counts of published reports by sector, region and kind of place, and per month for the biggest sectors and
    regions. Six aggregate queries, whatever the number of reports, cached (see published_changed)."""
    return _cached(f"overview:{since or ''}", lambda: _overview(since=since))


def _overview(*, since: date | None = None) -> Overview:
    reports = published()
    totals = reports.aggregate(total=Count("id"), wins=Count("id", filter=Q(is_win=True)))
    sector_rows = list(reports.values_list("sector").annotate(n=Count("id")).order_by("-n", "sector"))
    region_rows = list(
        reports.values_list("published_version__region")
        .annotate(n=Count("id"))
        .order_by("-n", "published_version__region")[: OVERVIEW_TOP + 1]
    )
    from freshground.reports.models import PlaceKind

    kind_rows = list(reports.values_list("place_kind").annotate(n=Count("id")).order_by("-n", "place_kind"))
    top_sectors = [code for code, _n in sector_rows[:OVERVIEW_TOP] if code][:5]
    top_regions = [region for region, _n in region_rows if region][:5]
    timed = reports.filter(published_on__gte=since) if since else reports
    sector_months: dict[str, list[tuple[date, int]]] = {_sector_label(code): [] for code in top_sectors}
    for code, month, n in (
        timed.filter(sector__in=top_sectors)
        .annotate(month=TruncMonth("published_on"))
        .values_list("sector", "month")
        .annotate(n=Count("id"))
        .order_by("month", "sector")
    ):
        sector_months[_sector_label(code)].append((month, n))
    region_months: dict[str, list[tuple[date, int]]] = {region: [] for region in top_regions}
    for region, month, n in (
        timed.filter(published_version__region__in=top_regions)
        .annotate(month=TruncMonth("published_on"))
        .values_list("published_version__region", "month")
        .annotate(n=Count("id"))
        .order_by("month", "published_version__region")
    ):
        region_months[region].append((month, n))
    return Overview(
        total=totals["total"],
        wins=totals["wins"],
        by_sector=[(_sector_label(code), n) for code, n in sector_rows],
        by_region=[(region or _("Not given"), n) for region, n in region_rows[:OVERVIEW_TOP]],
        by_place_kind=[(str(PlaceKind(kind).label) if kind in PlaceKind.values else kind, n) for kind, n in kind_rows],
        sector_months={name: points for name, points in sector_months.items() if points},
        region_months={name: points for name, points in region_months.items() if points},
    )


def sector_names(codes: Sequence[str]) -> dict[str, str]:
    return {code: _sector_label(code) for code in codes}
