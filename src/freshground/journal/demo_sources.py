"""Demo sources: six invented outlets whose feeds ship as files in journal/demo_feeds/.

The files are served by a local HTTP server thread for the length of the load and go through the real pipeline:
discovery (one outlet is added by its home page, which advertises its feed), the safe fetcher, ingest, stories.
Dates in the files are written relative to now (`{{rfc822:2.5}}`, `{{iso:2.5}}`: days ago), so the entries are
always from the last weeks. Three pieces of news are reported by several outlets, so the front page groups them.

`FRESHGROUND_ALLOW_PRIVATE_FETCH=1` is set only inside the load (the server is on 127.0.0.1). The sources are paused
afterwards (their local address is gone once the load ends). Idempotent: a source that exists already is left alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from freshground.core.safe_http import ALLOW_PRIVATE_ENV
from freshground.journal import fetching, services_sources
from freshground.journal.models import Source, SourceStatus
from freshground.testing.feed_server import FeedServer, Route

FEEDS = Path(__file__).resolve().parent / "demo_feeds"
_PLACEHOLDER = re.compile(r"\{\{(rfc822|iso):([0-9.]+)\}\}")


@dataclass(frozen=True)
class DemoSource:
    slug: str
    name: str
    file: str
    kind: str
    language: str
    topics: tuple[str, ...]
    center: str = ""  # the slug of the center whose publication it is
    home_page: bool = False  # added by its home page (feed discovery), not by its feed address


DEMO_SOURCES = (
    DemoSource(
        "common-ground-bulletin",
        "Common Ground Press Bulletin",
        "common-ground-bulletin.rss",
        "center",
        "en",
        ("Public services", "Trade unions"),
        center="common-ground-press",
    ),
    DemoSource(
        "riverside-union",
        "Riverside Hospital Workers' Union",
        "riverside-union.atom",
        "union",
        "en",
        ("Trade unions", "Health care", "Strikes"),
        home_page=True,
    ),
    DemoSource(
        "movement-dispatch", "Movement Dispatch", "movement-dispatch.json", "movement", "en", ("Organising", "Tenants")
    ),
    DemoSource(
        "public-economy",
        "Institute for Public Economy",
        "public-economy.rdf",
        "research",
        "en",
        ("Public services", "Wages and cost of living"),
    ),
    DemoSource("daily-ledger", "The Daily Ledger", "daily-ledger.rss", "mainstream", "en", ()),
    DemoSource(
        "green-horizon-notes",
        "Green Horizon Notes",
        "green-horizon.atom",
        "center",
        "en",
        ("Climate and ecology",),
        center="green-horizon",
    ),
)

_TYPES = {
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".rdf": "application/rdf+xml; charset=utf-8",
}


def render_feed(text: str, now: datetime) -> bytes:
    """Replace the relative dates of a demo feed file."""

    def replace(match: re.Match[str]) -> str:
        moment = now - timedelta(days=float(match.group(2)))
        if match.group(1) == "rfc822":
            return format_datetime(moment, usegmt=True)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    return _PLACEHOLDER.sub(replace, text).encode("utf-8")


def _home_page(spec: DemoSource, feed_path: str) -> bytes:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{spec.name}</title>"
        f'<link rel="alternate" type="application/atom+xml" title="{spec.name}" href="{feed_path}">'
        f"</head><body><h1>{spec.name}</h1></body></html>"
    ).encode()


@contextmanager
def _private_fetch_allowed() -> Iterator[None]:
    before = os.environ.get(ALLOW_PRIVATE_ENV)
    os.environ[ALLOW_PRIVATE_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ALLOW_PRIVATE_ENV, None)
        else:
            os.environ[ALLOW_PRIVATE_ENV] = before


def demo_server(now: datetime | None = None) -> FeedServer:
    """A (not yet started) server for every demo feed, at /<file>, and the home pages at /<slug>/."""
    moment = now or timezone.now()
    server = FeedServer()
    for spec in DEMO_SOURCES:
        path = "/" + spec.file
        content_type = _TYPES[Path(spec.file).suffix]
        body = render_feed((FEEDS / spec.file).read_text(encoding="utf-8"), moment)
        server.add(path, Route(body=body, content_type=content_type))
        if spec.home_page:
            server.add(f"/{spec.slug}/", Route(body=_home_page(spec, path), content_type="text/html; charset=utf-8"))
    return server


def load_demo_sources(people: dict[str, Any], circles: dict[str, Any], centers: dict[str, Any]) -> int:
    """Create the demo sources that are missing and fetch them through the real pipeline; returns how many."""
    missing = [spec for spec in DEMO_SOURCES if not Source.objects.filter(slug=spec.slug).exists()]
    if not missing:
        return 0
    created: list[Source] = []
    with demo_server() as server, _private_fetch_allowed():
        for spec in missing:
            url = server.url(f"/{spec.slug}/" if spec.home_page else "/" + spec.file)
            source = services_sources.propose_source(
                None,
                url=url,
                name=spec.name,
                kind=spec.kind,
                language=spec.language,
                topics=spec.topics,
                center=centers.get(spec.center) if spec.center else None,
                description="",
            )
            if source.slug != spec.slug:
                Source.objects.filter(pk=source.pk).update(slug=spec.slug)
                source.slug = spec.slug
            created.append(source)
        fetching.run(slugs=[source.slug for source in created], workers=1, gap=0)
    # The local address is gone once the load ends: keep the sources, stop fetching them.
    Source.objects.filter(pk__in=[source.pk for source in created]).update(
        status=SourceStatus.PAUSED, next_fetch_at=None
    )
    return len(created)
