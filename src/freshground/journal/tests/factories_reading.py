"""A small factory of journal items for the reading part's tests (entries, articles and links, created directly)."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

from freshground.core.models import Tag
from freshground.journal.models import Article, ArticleStatus, Entry, Item, ItemKind, LinkPost, Source, Story
from freshground.network.models import Center, Circle

_counter = itertools.count(1)


def make_source(name: str = "", **fields: Any) -> Source:
    n = next(_counter)
    name = name or f"Source {n}"
    defaults: dict[str, Any] = {
        "slug": f"source-{n}",
        "feed_url": f"https://feeds{n}.example.org/feed.xml",
        "site_url": f"https://feeds{n}.example.org/",
        "status": "active",
    }
    return Source.objects.create(name=name, **{**defaults, **fields})


def make_item(
    title: str = "",
    *,
    kind: str = ItemKind.ENTRY,
    source: Source | None = None,
    author: Any = None,
    story: Story | None = None,
    published_at: datetime | None = None,
    language: str = "en",
    status: str = "published",
    centers: Iterable[Center] = (),
    circles: Iterable[Circle] = (),
    topics: Iterable[Tag] = (),
    summary: str = "",
) -> Item:
    n = next(_counter)
    title = title or f"Item {n}"
    url = f"https://news.example.org/{n}"
    fields: dict[str, Any] = {
        "title": title,
        "summary": summary or f"About {title}.",
        "published_at": published_at or timezone.now(),
        "language": language,
        "status": status,
        "story": story,
        "author": author,
        "author_name": getattr(author, "display_name", "") if author else "",
    }
    if kind == ItemKind.ENTRY:
        source = source or make_source()
        entry = Entry.objects.create(
            source=source, guid=f"g{n}", url=url, title=title, content_hash=hashlib.sha256(url.encode()).hexdigest()
        )
        item = Item.objects.create(kind=kind, entry=entry, url=url, source=source, **fields)
    elif kind == ItemKind.LINK:
        link = LinkPost.objects.create(
            url=url, url_hash=hashlib.sha256(url.encode()).hexdigest(), title=title, shared_by=author
        )
        item = Item.objects.create(kind=kind, link=link, url=url, **fields)
    else:
        article = Article.objects.create(
            slug=f"article-{n}", title=title, body="Text.", author=author, status=ArticleStatus.PUBLISHED
        )
        item = Item.objects.create(kind=kind, article=article, **fields)
    if centers:
        item.centers.add(*centers)
    if circles:
        item.circles.add(*circles)
    if topics:
        item.topics.add(*topics)
    return item


def make_story(*items: Item, title: str = "") -> Story:
    story = Story.objects.create(title=title or items[0].title, lead=items[0], item_count=len(items))
    Item.objects.filter(pk__in=[i.pk for i in items]).update(story=story)
    for item in items:
        item.story = story
    return story
