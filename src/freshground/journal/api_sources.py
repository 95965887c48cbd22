"""The journal's sources part of /api/v1/: list, read, propose, review, follow, OPML out and in.

Writes go through journal.services_sources; who sees what through journal.permissions_sources. Health (last success,
last error, failures, next fetch) is only in the answer for journal editors.
"""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.core.exceptions import NotFound
from freshground.journal import permissions_sources as perms
from freshground.journal import queries_sources as queries
from freshground.journal import services_sources as services
from freshground.journal.models import Source, SourceKind
from freshground.journal.opml import export_opml
from freshground.network.models import Center, Circle
from freshground.people.api import ERRORS, actor, viewer

router = Router(tags=["journal"])


class HealthOut(Schema):
    last_fetch_at: datetime | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str
    last_status: int | None
    consecutive_failures: int
    next_fetch_at: datetime | None
    interval_seconds: int


class SourceOut(Schema):
    slug: str
    name: str
    url: str
    feed_url: str
    site_url: str
    description: str
    kind: str
    language: str
    status: str
    center: str | None
    topics: list[str]
    follower_count: int
    entry_count: int
    health: HealthOut | None = None


class SourceFilters(Schema):
    kind: str = ""
    language: str = ""
    topic: str = ""
    status: str = ""
    q: str = ""


class SourceIn(Schema):
    url: str
    name: str = ""
    site_url: str = ""
    description: str = ""
    kind: str = SourceKind.OTHER
    language: str = ""
    topics: list[str] = []
    center: str | None = None  # the slug of the center whose publication this is
    circle: str | None = None  # propose in this circle's name
    for_center: str | None = None  # propose in this center's name


class ReviewIn(Schema):
    action: str


class FollowOut(Schema):
    following: bool
    follower_count: int


class OpmlIn(Schema):
    opml: str
    kind: str = SourceKind.OTHER
    language: str = ""


class OpmlImportOut(Schema):
    created: list[str]
    skipped: list[str]
    refused: list[str]


def _source_out(request: HttpRequest, source: Source) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": source.slug,
        "name": source.name,
        "url": reverse("journal:source", args=[source.slug]),
        "feed_url": source.feed_url,
        "site_url": source.site_url,
        "description": source.description,
        "kind": source.kind,
        "language": source.language,
        "status": source.status,
        "center": source.center.slug if source.center else None,
        "topics": [tag.name for tag in source.topics.all()],
        "follower_count": source.follower_count,
        "entry_count": source.entry_count,
    }
    if perms.can_see_health(viewer(request)):
        data["health"] = {name: getattr(source, name) for name in HealthOut.model_fields}
    return data


def _source(request: HttpRequest, slug: str) -> Source:
    source = queries.source_by_slug(slug)
    if source is None or not perms.can_view_source(viewer(request), source):
        raise NotFound(_("No source is called “%(slug)s”.") % {"slug": slug[:80]})
    return source


def _circle(slug: str | None) -> Circle | None:
    if not slug:
        return None
    circle = Circle.objects.filter(slug=slug).first()
    if circle is None:
        raise NotFound(_("No circle is called “%(slug)s”.") % {"slug": slug[:80]}, field="circle")
    return circle


def _center(slug: str | None, field: str) -> Center | None:
    if not slug:
        return None
    center = Center.objects.filter(slug=slug).first()
    if center is None:
        raise NotFound(_("No center is called “%(slug)s”.") % {"slug": slug[:80]}, field=field)
    return center


@router.get("/journal/sources", auth=OPTIONAL_AUTH, response={200: list[SourceOut], **ERRORS})
@paginate(PageNumberPagination)
def list_sources(request: HttpRequest, filters: Query[SourceFilters]) -> Any:
    """Active and paused sources (journal editors may filter by any status), by kind, language, topic or name."""
    return _LazyOut(request, queries.sources(viewer(request), **filters.model_dump()))


class _LazyOut:
    """A sliceable view of a queryset that turns the page's rows into output dicts (pagination slices first)."""

    def __init__(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        self.request = request
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_source_out(self.request, source) for source in self.queryset[index]]


@router.get("/journal/sources.opml", auth=OPTIONAL_AUTH, response={200: None})
def sources_opml(request: HttpRequest) -> HttpResponse:
    """The active sources as OPML 2.0."""
    return HttpResponse(export_opml(queries.public_sources_for_export()), content_type="text/x-opml; charset=utf-8")


@router.post("/journal/opml/import", auth=AUTH, response={200: OpmlImportOut, **ERRORS})
def import_sources(request: HttpRequest, payload: OpmlIn) -> dict[str, Any]:
    """Add every new feed of an OPML document as an active source (journal editors)."""
    result = services.import_opml(
        actor(request), data=payload.opml.encode("utf-8"), kind=payload.kind, language=payload.language
    )
    return {
        "created": [source.slug for source in result.created],
        "skipped": result.skipped,
        "refused": result.refused,
    }


@router.post("/journal/sources", auth=AUTH, response={201: SourceOut, **ERRORS})
def propose_source(request: HttpRequest, payload: SourceIn) -> Status[dict[str, Any]]:
    """Propose a feed (or a page advertising one). Journal editors' and circle organisers' proposals are active."""
    source = services.propose_source(
        actor(request),
        url=payload.url,
        name=payload.name,
        site_url=payload.site_url,
        description=payload.description,
        kind=payload.kind,
        language=payload.language,
        topics=payload.topics,
        center=_center(payload.center, "center"),
        circle=_circle(payload.circle),
        for_center=_center(payload.for_center, "for_center"),
    )
    return Status(201, _source_out(request, source))


@router.get("/journal/sources/{slug}", auth=OPTIONAL_AUTH, response={200: SourceOut, **ERRORS})
def get_source(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One source; with its fetching health for journal editors."""
    return _source_out(request, _source(request, slug))


@router.post("/journal/sources/{slug}/review", auth=AUTH, response={200: SourceOut, **ERRORS})
def review_source(request: HttpRequest, slug: str, payload: ReviewIn) -> dict[str, Any]:
    """approve, reject, pause or resume (journal editors)."""
    source = services.review_source(actor(request), source=_source(request, slug), action=payload.action)
    return _source_out(request, source)


@router.post("/journal/sources/{slug}/follow", auth=AUTH, response={200: FollowOut, **ERRORS})
def follow_source(request: HttpRequest, slug: str) -> dict[str, Any]:
    source = _source(request, slug)
    services.follow_source(actor(request), source=source)
    return {"following": True, "follower_count": source.follower_count}


@router.delete("/journal/sources/{slug}/follow", auth=AUTH, response={200: FollowOut, **ERRORS})
def unfollow_source(request: HttpRequest, slug: str) -> dict[str, Any]:
    source = _source(request, slug)
    services.unfollow_source(actor(request), source=source)
    return {"following": False, "follower_count": source.follower_count}
