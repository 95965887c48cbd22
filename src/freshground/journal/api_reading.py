"""The journal's reading part of /api/v1/: the ranked front page, items, stories, entries, recommendations, editorial
picks and the reading list. Reads follow journal.permissions_reading; writes go through journal.services_reading.
Refusals are 4xx JSON answers with a reason ({"detail": …})."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.core.exceptions import NotFound
from freshground.journal import permissions_reading as perms
from freshground.journal import queries_reading as queries
from freshground.journal import services_reading as services
from freshground.journal.models import EditorialPick, Item, Recommendation, Story
from freshground.network.models import Center
from freshground.people.api import ERRORS, actor, viewer

router = Router(tags=["journal"])


class SourceRef(Schema):
    slug: str
    name: str


class PickOut(Schema):
    center: str  # the center's slug
    center_name: str
    note: str
    created_at: datetime


class ItemOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    url: str  # the outside address (entries, links); the article's page for articles
    page: str  # this item's page on the site
    published_at: datetime
    language: str
    source: SourceRef | None
    author_name: str
    story: int | None
    topics: list[str] = Field(default_factory=list)
    recommendation_count: int
    pick_count: int
    bridging_score: float
    valued_circles: int
    valued_centers: int
    also_covered_by: list[int] = Field(default_factory=list)  # other items of its story
    picks: list[PickOut] = Field(default_factory=list)
    recommended: bool = False  # by the caller
    saved: bool = False


class ItemPageOut(Schema):
    items: list[ItemOut]
    page: int
    has_next: bool
    sort: str


class StoryOut(Schema):
    id: int
    title: str
    lead: int | None
    items: list[ItemOut]


class EntryOut(Schema):
    item: ItemOut
    guid: str
    fetched_at: datetime
    updated_at: datetime | None
    content_html: str


class FrontFilters(Schema):
    sort: str = Field("hot", pattern="^(hot|new|week|month|year)$")
    topic: str = Field("", max_length=80)
    language: str = Field("", max_length=16)
    page: int = Field(1, ge=1, le=queries.MAX_PAGE)


class PickIn(Schema):
    center: str = Field(..., max_length=90)
    note: str = Field("", max_length=services.NOTE_MAX_LENGTH)


class RecommendationOut(Schema):
    item: int
    created_at: datetime


def item_out(item: Item) -> dict[str, Any]:
    source = item.source
    url = item.url
    if item.article_id and item.article is not None:
        url = item.article.get_absolute_url()
    return {
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "summary": item.summary,
        "url": url,
        "page": item.get_absolute_url(),
        "published_at": item.published_at,
        "language": item.language,
        "source": {"slug": source.slug, "name": source.name} if source else None,
        "author_name": item.author_name,
        "story": item.story_id,
        "topics": [t.slug for t in getattr(item, "topic_list", [])],
        "recommendation_count": item.recommendation_count,
        "pick_count": item.pick_count,
        "bridging_score": item.bridging_score,
        "valued_circles": item.valued_circles,
        "valued_centers": item.valued_centers,
        "also_covered_by": [s.pk for s in getattr(item, "siblings", [])],
        "picks": [
            {"center": p.center.slug, "center_name": p.center.name, "note": p.note, "created_at": p.created_at}
            for p in getattr(item, "item_picks", [])
        ],
        "recommended": bool(getattr(item, "recommended", False)),
        "saved": bool(getattr(item, "saved", False)),
    }


def _page_out(page: queries.Page) -> dict[str, Any]:
    return {
        "items": [item_out(i) for i in page.items],
        "page": page.number,
        "has_next": page.has_next,
        "sort": page.sort,
    }


def _item(request: HttpRequest, item_id: int) -> Item:
    item = queries.item_detail(item_id)
    if item is None or not perms.can_view_item(viewer(request), item):
        raise NotFound(_("There is no such item."))
    return item


def _detail(request: HttpRequest, item: Item) -> dict[str, Any]:
    queries.decorate([item], viewer(request))
    item.topic_list = list(item.topics.all())  # type: ignore[attr-defined]
    return item_out(item)


@router.get("/journal/front", auth=OPTIONAL_AUTH, response={200: ItemPageOut, **ERRORS})
def front(request: HttpRequest, filters: Query[FrontFilters]) -> dict[str, Any]:
    """The ranked front page: one item per story (its lead; `also_covered_by` lists the others)."""
    topic = None
    if filters.topic:
        topic = queries.topic_by_slug(filters.topic)
        if topic is None:
            raise NotFound(_("There is no such topic."), field="topic")
    page = queries.front_page(
        viewer(request), sort=filters.sort, topic=topic, language=filters.language, page=filters.page
    )
    return _page_out(page)


@router.get("/journal/items/{item_id}", auth=OPTIONAL_AUTH, response={200: ItemOut, **ERRORS})
def get_item(request: HttpRequest, item_id: int) -> dict[str, Any]:
    return _detail(request, _item(request, item_id))


@router.get("/journal/entries/{item_id}", auth=OPTIONAL_AUTH, response={200: EntryOut, **ERRORS})
def get_entry(request: HttpRequest, item_id: int) -> dict[str, Any]:
    """An entry item's details (the sanitised content as the source published it)."""
    item = _item(request, item_id)
    if item.entry_id is None:
        raise NotFound(_("This item is not an entry from a source."))
    entry = item.entry
    assert entry is not None
    return {
        "item": _detail(request, item),
        "guid": entry.guid,
        "fetched_at": entry.fetched_at,
        "updated_at": entry.updated_at,
        "content_html": entry.content_html or entry.summary_html,
    }


@router.get("/journal/stories/{story_id}", auth=OPTIONAL_AUTH, response={200: StoryOut, **ERRORS})
def get_story(request: HttpRequest, story_id: int) -> dict[str, Any]:
    story = Story.objects.filter(pk=story_id).first()
    items = queries.story_items(story, viewer(request)) if story else []
    if story is None or not items:
        raise NotFound(_("There is no such story."))
    return {"id": story.pk, "title": story.title, "lead": story.lead_id, "items": [item_out(i) for i in items]}


@router.post("/journal/items/{item_id}/recommend", auth=AUTH, response={200: ItemOut, **ERRORS})
def recommend(request: HttpRequest, item_id: int) -> dict[str, Any]:
    """Recommend an item ("worth reading"). Twice is harmless; one's own article or link is a 403."""
    item = _item(request, item_id)
    services.recommend(person=actor(request), item=item)
    return _detail(request, _item(request, item_id))


@router.delete("/journal/items/{item_id}/recommend", auth=AUTH, response={204: None, **ERRORS})
def unrecommend(request: HttpRequest, item_id: int) -> Status[None]:
    services.unrecommend(person=actor(request), item=_item(request, item_id))
    return Status(204, None)


@router.get("/journal/me/recommendations", auth=AUTH, response={200: list[RecommendationOut], **ERRORS})
def my_recommendations(request: HttpRequest, page: int = 1) -> list[dict[str, Any]]:
    number = queries.clean_page(page)
    size = queries.PAGE_SIZE * 5
    rows = Recommendation.objects.filter(person=actor(request)).order_by("-created_at", "-id")
    return [
        {"item": item_id, "created_at": created}
        for item_id, created in rows.values_list("item_id", "created_at")[(number - 1) * size : number * size]
    ]


@router.post("/journal/items/{item_id}/save", auth=AUTH, response={200: ItemOut, **ERRORS})
def save(request: HttpRequest, item_id: int) -> dict[str, Any]:
    """Put an item on the caller's reading list."""
    services.save_item(person=actor(request), item=_item(request, item_id))
    return _detail(request, _item(request, item_id))


@router.delete("/journal/items/{item_id}/save", auth=AUTH, response={204: None, **ERRORS})
def unsave(request: HttpRequest, item_id: int) -> Status[None]:
    services.unsave_item(person=actor(request), item=_item(request, item_id))
    return Status(204, None)


@router.get("/journal/me/reading-list", auth=AUTH, response={200: ItemPageOut, **ERRORS})
def reading_list(request: HttpRequest, page: int = 1) -> dict[str, Any]:
    return _page_out(queries.reading_list(actor(request), page=page))


def _center(slug: str) -> Center:
    center = Center.objects.filter(slug=slug).first()
    if center is None:
        raise NotFound(_("There is no such center."), field="center")
    return center


@router.post("/journal/items/{item_id}/picks", auth=AUTH, response={200: PickOut, **ERRORS})
def pick(request: HttpRequest, item_id: int, body: PickIn) -> dict[str, Any]:
    """A center's editor picks an item for the center, with an optional note."""
    found = services.pick(
        person=actor(request), center=_center(body.center), item=_item(request, item_id), note=body.note
    )
    return {"center": found.center.slug, "center_name": found.center.name, "note": found.note,
            "created_at": found.created_at}  # fmt: skip


@router.delete("/journal/items/{item_id}/picks/{center}", auth=AUTH, response={204: None, **ERRORS})
def unpick(request: HttpRequest, item_id: int, center: str) -> Status[None]:
    services.unpick(person=actor(request), center=_center(center), item=_item(request, item_id))
    return Status(204, None)


@router.get("/journal/centers/{center}/picks", auth=OPTIONAL_AUTH, response={200: ItemPageOut, **ERRORS})
def center_picks(request: HttpRequest, center: str) -> dict[str, Any]:
    found = _center(center)
    items = queries.center_picks(viewer(request), found, limit=50)
    return {"items": [item_out(i) for i in items], "page": 1, "has_next": False, "sort": "picked"}


__all__ = ["EditorialPick", "router"]
