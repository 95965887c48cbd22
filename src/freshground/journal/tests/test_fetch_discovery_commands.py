"""Feed discovery from pages, and the `sources` and `fetch_feeds` commands against a local feed server."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from freshground.journal import fetching
from freshground.journal.discovery import DiscoveryError, discover, feed_links, looks_like_feed
from freshground.journal.models import Source, SourceStatus
from freshground.testing.feed_server import FeedServer, allow_private_fetch, feed_server  # noqa: F401

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Riverside Union News</title><link>https://union.example.org/</link>
<description>News from the union</description><language>en</language>
<item><title>Strike vote</title><link>https://union.example.org/1</link><guid>1</guid></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Title</title><id>urn:x</id><updated>2026-12-01T00:00:00Z</updated>
</feed>"""
JSONFEED = b'{"version": "https://jsonfeed.org/version/1.1", "title": "Json Title", "items": []}'
PAGE = b"""<!doctype html><html><head><title>Home</title>
<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments.xml">
<link rel="alternate" type="application/rss+xml" title="Posts" href="feed.xml">
<link rel="alternate" type="application/atom+xml" title="Posts (Atom)" href="/atom.xml">
<link rel="stylesheet" href="/style.css">
</head><body><a rel="alternate" type="application/rss+xml" href="/body-feed.xml">not counted</a></body></html>"""


def test_feed_links_best_first() -> None:
    links = feed_links(PAGE.decode(), "https://site.example.org/blog/")
    assert [link.href for link in links] == [
        "https://site.example.org/atom.xml",
        "https://site.example.org/blog/feed.xml",
        "https://site.example.org/comments.xml",
    ]


def test_looks_like_feed() -> None:
    assert looks_like_feed(RSS)
    assert looks_like_feed(ATOM)
    assert looks_like_feed(JSONFEED, "application/feed+json")
    assert looks_like_feed(b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>')
    assert not looks_like_feed(PAGE)
    assert not looks_like_feed(b'{"hello": 1}')


def test_discover_a_feed_directly(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed.xml", body=RSS)
    found = discover(url)
    assert found.feed_url == url
    assert found.title == "Riverside Union News"
    assert found.site_url == "https://union.example.org/"
    assert found.language == "en"


def test_discover_from_a_page(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    feed_server.add("/blog/", body=PAGE, content_type="text/html; charset=utf-8")
    feed_server.add("/atom.xml", body=ATOM)
    found = discover(feed_server.url("/blog/"))
    assert found.feed_url == feed_server.url("/atom.xml")
    assert found.title == "Atom Title"
    assert found.site_url == feed_server.url("/blog/")


def test_discover_falls_back_when_the_best_link_is_broken(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    feed_server.add("/blog/", body=PAGE, content_type="text/html")
    feed_server.add("/blog/feed.xml", body=RSS)  # /atom.xml is a 404
    assert discover(feed_server.url("/blog/")).feed_url == feed_server.url("/blog/feed.xml")


def test_discover_json_feed(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed.json", body=JSONFEED, content_type="application/feed+json")
    assert discover(url).title == "Json Title"


def test_discover_refuses_pages_without_feeds(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/plain", body=b"<html><head></head><body>hi</body></html>", content_type="text/html")
    with pytest.raises(DiscoveryError, match="advertises none"):
        discover(url)


def test_discover_refuses_private_addresses(feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.delenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", raising=False)
    url = feed_server.add("/feed.xml", body=RSS)
    with pytest.raises(DiscoveryError):
        discover(url)
    assert feed_server.requests == []


def test_discovered_link_to_a_private_address_refused(
    feed_server: FeedServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from freshground.core import safe_http

    page = b'<html><head><link rel="alternate" type="application/rss+xml" href="http://10.0.0.1/feed"></head></html>'
    feed_server.add("/", body=page, content_type="text/html")
    real = safe_http._resolve

    def resolve(host: str, port: int) -> str:
        return feed_server.host if host == "public.example.org" else real(host, port)

    monkeypatch.setattr(safe_http, "_resolve", resolve)
    monkeypatch.delenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", raising=False)
    with pytest.raises(DiscoveryError, match=r"10\.0\.0\.1"):
        discover(f"http://public.example.org:{feed_server.port}/")


# --- commands ------------------------------------------------------------------------------------------------------


class FakeIngest:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, source: Source, body: bytes, **kwargs: Any) -> Any:
        self.calls += 1
        return type("Result", (), {"new": 1, "updated": 0})()


@pytest.mark.django_db
def test_sources_add_and_list(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    feed_server.add("/blog/", body=PAGE, content_type="text/html")
    feed_server.add("/atom.xml", body=ATOM)
    out = StringIO()
    call_command("sources", "add", feed_server.url("/blog/"), "--kind", "union", "--topic", "Labour", stdout=out)
    slug = out.getvalue().strip().splitlines()[-1]
    source = Source.objects.get(slug=slug)
    assert source.status == SourceStatus.ACTIVE
    assert source.feed_url == feed_server.url("/atom.xml")
    assert source.kind == "union"
    assert [tag.name for tag in source.topics.all()] == ["Labour"]
    out = StringIO()
    call_command("sources", "list", stdout=out)
    assert slug in out.getvalue()
    assert "not fetched yet" in out.getvalue()
    with pytest.raises(CommandError, match="already a source"):
        call_command("sources", "add", feed_server.url("/atom.xml"), stdout=StringIO())


@pytest.mark.django_db
def test_sources_add_refuses_private_without_the_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", raising=False)
    with pytest.raises(CommandError, match="not added"):
        call_command("sources", "add", "http://127.0.0.1:9/feed", stdout=StringIO())


@pytest.mark.django_db
def test_fetch_feeds_once(
    feed_server: FeedServer,  # noqa: F811
    allow_private_fetch: None,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ingest = FakeIngest()
    monkeypatch.setattr(fetching, "load_ingester", lambda: ingest)
    good = feed_server.add("/good.xml", body=RSS)
    bad = feed_server.add("/bad.xml", status=500)
    Source.objects.create(name="Good", slug="good", feed_url=good, status=SourceStatus.ACTIVE)
    Source.objects.create(name="Bad", slug="bad", feed_url=bad, status=SourceStatus.ACTIVE)
    out = StringIO()
    call_command("fetch_feeds", "--once", "--gap", "0", stdout=out)
    assert "2 sources: 1 fetched, 0 not modified, 1 failed; 1 new" in out.getvalue()
    assert ingest.calls == 1
    out = StringIO()
    call_command("fetch_feeds", "--once", stdout=out)  # nothing due now
    assert "0 sources" in out.getvalue()
    out = StringIO()
    call_command("fetch_feeds", "--source", "good", stdout=out)  # named: fetched now, due or not
    assert "good: 1 new" in out.getvalue()
    with pytest.raises(CommandError, match="nope"):
        call_command("fetch_feeds", "--source", "nope", stdout=StringIO())
