"""The journal as feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the front page and for every topic, center, circle,
source and person. RSS and Atom are written by Django's feed generator; JSON Feed 1.1 here (jsonfeed.org/version/1.1).

An item's link is where it is read: the outside address for entries and links, the article page for articles; the
item's page on the site (recommendations, comments) goes in RSS `comments` and Atom/JSON `id`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

from freshground.journal.models import Item, ItemKind

FEED_LENGTH = 50


class FeedFormat(StrEnum):
    RSS = "rss"
    ATOM = "atom"
    JSON = "json"


CONTENT_TYPES = {
    FeedFormat.RSS: "application/rss+xml; charset=utf-8",
    FeedFormat.ATOM: "application/atom+xml; charset=utf-8",
    FeedFormat.JSON: "application/feed+json; charset=utf-8",
}


@dataclass(frozen=True)
class FeedInfo:
    title: str
    description: str
    page_url: str  # the HTML page this feed follows (a path)
    language: str = ""


def feed_items(queryset: QuerySet[Item]) -> list[Item]:
    """The newest visible items of `queryset`, with what the feed shows of them, in three queries."""
    return list(
        queryset.filter(status="published")
        .select_related("source", "article")
        .prefetch_related("topics")
        .order_by("-published_at", "-id")[:FEED_LENGTH]
    )


def item_page(item: Item) -> str:
    return reverse("journal:item", args=[item.pk])


def reading_url(request: HttpRequest, item: Item) -> str:
    if item.kind == ItemKind.ARTICLE and item.article is not None:
        return request.build_absolute_uri(reverse("journal:article", args=[item.article.slug]))
    return item.url or request.build_absolute_uri(item_page(item))


def _author(item: Item) -> str:
    if item.author_name:
        return item.author_name
    return item.source.name if item.source is not None else ""


def _syndication(fmt: FeedFormat, request: HttpRequest, info: FeedInfo, items: Sequence[Item]) -> bytes:
    generator: type[SyndicationFeed] = Rss201rev2Feed if fmt == FeedFormat.RSS else Atom1Feed
    feed = generator(
        title=info.title,
        link=request.build_absolute_uri(info.page_url),
        description=info.description,
        language=info.language or None,
        feed_url=request.build_absolute_uri(request.path),
    )
    for item in items:
        page = request.build_absolute_uri(item_page(item))
        feed.add_item(
            title=item.title,
            link=reading_url(request, item),
            description=item.summary,
            unique_id=page,
            unique_id_is_permalink=False,
            pubdate=item.published_at,
            author_name=_author(item) or None,
            categories=[topic.name for topic in item.topics.all()],
            comments=page if fmt == FeedFormat.RSS else None,
        )
    return feed.writeString("utf-8").encode()


def _json_feed(request: HttpRequest, info: FeedInfo, items: Sequence[Item]) -> bytes:
    entries: list[dict[str, Any]] = []
    for item in items:
        entry: dict[str, Any] = {
            "id": request.build_absolute_uri(item_page(item)),
            "url": reading_url(request, item),
            "title": item.title,
            "content_text": item.summary or item.title,
            "date_published": item.published_at.isoformat(),
            "tags": [topic.name for topic in item.topics.all()],
        }
        if author := _author(item):
            entry["authors"] = [{"name": author}]
        if item.language:
            entry["language"] = item.language
        entries.append(entry)
    body: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": request.build_absolute_uri(info.page_url),
        "feed_url": request.build_absolute_uri(request.path),
        "description": info.description,
        "items": entries,
    }
    if info.language:
        body["language"] = info.language
    return json.dumps(body, ensure_ascii=False, indent=1).encode()


def render(fmt: FeedFormat, request: HttpRequest, info: FeedInfo, items: Sequence[Item]) -> HttpResponse:
    body = _json_feed(request, info, items) if fmt == FeedFormat.JSON else _syndication(fmt, request, info, items)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Cache-Control"] = "public, max-age=300"
    return response
