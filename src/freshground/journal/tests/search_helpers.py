"""Rows for the search and feed tests: items made directly (a source, an entry, its item), no fetching."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.utils import timezone

from freshground.core.models import Tag
from freshground.journal.models import Entry, Item, ItemKind, Source, SourceKind, SourceStatus
from freshground.network.models import Center

_numbers = itertools.count(1)


def make_source(name: str = "", *, kind: str = SourceKind.MOVEMENT, center: Center | None = None) -> Source:
    n = next(_numbers)
    return Source.objects.create(
        name=name or f"Source {n}",
        slug=f"source-{n}",
        feed_url=f"https://feeds{n}.example.org/feed.xml",
        site_url=f"https://feeds{n}.example.org/",
        kind=kind,
        status=SourceStatus.ACTIVE,
        center=center,
    )


def make_item(
    title: str,
    summary: str = "",
    body: str = "",
    *,
    source: Source | None = None,
    published_at: datetime | None = None,
    language: str = "en",
    topics: Iterable[Tag] = (),
    status: str = "published",
) -> Item:
    source = source or make_source()
    n = next(_numbers)
    when = published_at or timezone.now() - timedelta(hours=n)
    entry = Entry.objects.create(
        source=source,
        guid=f"guid-{n}",
        url=f"https://feeds.example.org/{n}",
        url_hash=f"{n:064x}",
        title=title,
        summary_html=f"<p>{summary}</p>",
        published_at=when,
        content_hash=f"{n:064x}",
    )
    item = Item.objects.create(
        kind=ItemKind.ENTRY,
        entry=entry,
        title=title,
        summary=summary,
        body_text=body,
        url=entry.url,
        published_at=when,
        language=language,
        source=source,
        author_name="A. Writer",
        status=status,
    )
    if source.center_id:
        item.centers.add(source.center_id)
    if topics:
        item.topics.set(list(topics))
    return item
