"""The feed corpus (journal/tests/feeds/) served by the local feed server and fetched through the real pipeline:
core.safe_http -> journal.fetching.fetch_source -> journal.ingest.ingest_feed -> entries, items, stories."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from freshground.journal import fetching
from freshground.journal.models import Entry, Item, ItemKind, Source, SourceStatus
from freshground.testing.feed_server import FeedServer, Route, allow_private_fetch, feed_server  # noqa: F401

FEEDS = Path(__file__).parent / "feeds"
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def serve(server: FeedServer, name: str, *, content_type: str | None = None) -> Source:
    body = (FEEDS / name).read_bytes()
    route = Route(body=body, content_type=content_type or fetching_type(name))
    url = server.add("/" + name, route)
    return Source.objects.create(
        name=name, slug=name.replace(".", "-").replace("_", "-"), feed_url=url, status=SourceStatus.ACTIVE
    )


def fetching_type(name: str) -> str:
    if name.endswith(".json"):
        return "application/feed+json"
    if name.endswith(".html"):
        return "text/html; charset=utf-8"
    return "application/rss+xml"


def fetch(source: Source) -> fetching.Outcome:
    outcome = fetching.fetch_source(source, now=NOW)
    source.refresh_from_db()
    return outcome


def entries(source: Source) -> dict[str, Entry]:
    """The source's entries by GUID (a GUID that is a permalink is resolved against the feed's address, as feedparser
    does, so only its last segment is the key here) or address."""
    return {(e.guid.rsplit("/", 1)[-1] or e.url): e for e in Entry.objects.filter(source=source).select_related("item")}


@pytest.fixture
def server(db: None, feed_server: FeedServer, allow_private_fetch: None) -> FeedServer:  # noqa: F811
    return feed_server


def test_rss_091(server: FeedServer) -> None:
    source = serve(server, "rss091.xml")
    outcome = fetch(source)
    assert outcome.ok, outcome.error
    assert outcome.new == 2
    titles = sorted(Item.objects.filter(source=source).values_list("title", flat=True))
    assert titles == ["Rent strike enters third week", "Repairs won at Riverside"]
    item = Item.objects.get(source=source, title="Repairs won at Riverside")
    assert item.url == "https://tenants.example.org/news/riverside-repairs"
    assert item.language == "en"  # <language>en-gb</language>
    assert item.published_at == NOW  # no dates: when we first saw it
    assert source.entry_count == 2


def test_rss_092_html_description(server: FeedServer) -> None:
    source = serve(server, "rss092.xml")
    assert fetch(source).new == 1
    entry = Entry.objects.get(source=source)
    assert "<b>ballot</b>" in entry.summary_html
    assert entry.item.summary == "The night-shift bonus is back after a ballot."


def test_rss_10_rdf(server: FeedServer) -> None:
    source = serve(server, "rss10.rdf")
    assert fetch(source).new == 1
    entry = Entry.objects.get(source=source)
    assert entry.title == "Real wages fell for the ninth quarter"
    assert entry.author_name == "R. Searcher"
    assert entry.language == "de"
    assert entry.published_at == datetime(2026, 11, 28, 8, 30, tzinfo=UTC)


def test_rss_20(server: FeedServer) -> None:
    source = serve(server, "rss20.xml")
    outcome = fetch(source)
    assert outcome.new == 2
    found = entries(source)
    dockers = found["weekly-1001"]
    assert dockers.url == "https://weekly.example.org/2026/12/dockers-vote"  # utm_* stripped
    assert dockers.author_name == "Jo Bloggs"
    assert dockers.published_at == datetime(2026, 12, 1, 10, tzinfo=UTC)
    html = dockers.content_html
    assert "<script" not in html
    assert "stats.example" not in html  # the tracking pixel is gone
    assert "weekly.example.org/img" not in html  # the photo goes through our proxy
    assert 'src="/journal/img/' in html
    assert 'href="' + server.url("/2026/11/earlier") + '"' in html  # relative to the feed's address
    assert 'rel="noopener nofollow ugc"' in html
    assert dockers.item.kind == ItemKind.ENTRY
    assert dockers.item.body_text.startswith("Dockers at the port voted by 92 per cent to strike.")
    assert dockers.item.story is not None


def test_atom_03(server: FeedServer) -> None:
    source = serve(server, "atom03.xml", content_type="application/atom+xml")
    assert fetch(source).new == 1
    entry = Entry.objects.get(source=source)
    assert entry.guid == "tag:syndicat.example.org,2026:greve-1"
    assert entry.title == "Grève des cheminots reconduite"
    assert entry.language == "fr"
    assert entry.published_at == datetime(2026, 12, 1, 8, tzinfo=UTC)


def test_atom_10_with_xml_base_and_html_title(server: FeedServer) -> None:
    source = serve(server, "atom10.xml", content_type="application/atom+xml")
    assert fetch(source).new == 1
    entry = Entry.objects.get(source=source)
    assert entry.title == "Huelga en la fábrica de Valencia"
    assert entry.url == "https://prensa.example.org/blog/entradas/huelga-valencia"
    assert entry.language == "es"
    assert entry.author_name == "María Pérez"
    assert 'href="https://prensa.example.org/otra"' in entry.summary_html  # ../otra against xml:base
    assert 'src="/journal/img/' in entry.content_html
    assert entry.updated_at == datetime(2026, 12, 2, 19, tzinfo=UTC)


def test_json_feed_11(server: FeedServer) -> None:
    source = serve(server, "jsonfeed11.json")
    assert fetch(source).new == 2
    found = entries(source)
    first = found["cw-1"]
    assert first.url == "https://climate.example.org/posts/just-transition"  # fbclid stripped
    assert first.author_name == "Sam Green"
    assert 'href="https://climate.example.org/plan.pdf"' in first.content_html
    assert first.language == "en"
    second = found["cw-2"]
    assert second.title == "Heat rules for outdoor workers. A new law takes effect."
    assert second.language == "de"
    assert second.content_html.startswith("<p>Heat rules")


def test_latin1_declared_as_utf8(server: FeedServer) -> None:
    source = serve(server, "latin1_declared_utf8.xml")
    assert fetch(source).ok
    entry = Entry.objects.get(source=source)
    assert entry.title == "Señales de huelga en la región"
    assert entry.item.summary == "Los sindicatos se reúnen mañana."


def test_cp1252_without_a_declaration_but_a_header(server: FeedServer) -> None:
    source = serve(server, "cp1252_undeclared.xml", content_type="application/rss+xml; charset=windows-1252")
    assert fetch(source).ok
    assert Entry.objects.get(source=source).title == "Señales de huelga en la región"


def test_broken_xml_is_read_as_well_as_possible(server: FeedServer) -> None:
    source = serve(server, "broken.xml")
    outcome = fetch(source)
    assert outcome.ok, outcome.error
    assert outcome.new >= 1
    assert Entry.objects.filter(source=source).exists()


def test_html_in_titles_becomes_text(server: FeedServer) -> None:
    source = serve(server, "html_titles.xml")
    fetch(source)
    found = entries(source)
    assert found["t1"].title == "Bold news about & pay"
    assert found["t2"].title == "Emphasis in CDATA & more"
    assert found["t1"].item.title == "Bold news about & pay"


def test_entities(server: FeedServer) -> None:
    source = serve(server, "entities.xml")
    fetch(source)
    entry = Entry.objects.get(source=source)
    assert entry.title.startswith("Café workers – “we won” & more")
    assert entry.item.summary == "été …"


def test_missing_and_odd_dates(server: FeedServer) -> None:
    source = serve(server, "missing_dates.xml")
    fetch(source)
    found = entries(source)
    assert found["n1"].published_at is None
    assert found["n1"].item.published_at == NOW
    assert found["n2"].item.published_at == NOW
    assert found["n3"].item.published_at == NOW  # a date in the future never pins an item to the top


def test_relative_links_are_absolute(server: FeedServer) -> None:
    source = serve(server, "relative_links.xml")
    fetch(source)
    found = entries(source)
    base = server.url("/")
    assert found["r1"].url == base + "news/relative-1"
    assert 'href="' + base + 'other.html"' in found["r1"].summary_html
    assert found["r2"].url == "http://cdn.relative.example.org/news/2"
    assert found["r3"].url == ""  # javascript: is no address


def test_duplicates_are_stored_once_and_refetching_changes_nothing(server: FeedServer) -> None:
    source = serve(server, "duplicate_guids.xml")
    outcome = fetch(source)
    assert outcome.new == 3
    assert Entry.objects.filter(source=source, guid__endswith="/same-guid").count() == 1
    assert Entry.objects.filter(source=source, url="https://dupes.example.org/x").count() == 1
    again = fetching.fetch_source(source, now=NOW)
    assert again.new == 0
    assert again.updated == 0
    assert Entry.objects.filter(source=source).count() == 3
    assert Item.objects.filter(source=source).count() == 3


def test_not_a_feed_is_a_source_error(server: FeedServer) -> None:
    source = serve(server, "not_a_feed.html")
    outcome = fetch(source)
    assert not outcome.ok
    assert "could not be read" in source.last_error
    assert source.consecutive_failures == 1
    assert not Entry.objects.filter(source=source).exists()


def test_billion_laughs_is_not_expanded(server: FeedServer) -> None:
    source = serve(server, "billion_laughs.xml")
    fetch(source)
    for entry in Entry.objects.filter(source=source):
        assert "lollol" not in entry.title
        assert "lollol" not in entry.summary_html
        assert len(entry.title) < 200


def test_external_entities_are_neither_fetched_nor_read(server: FeedServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    spy = server.add("/spy.dtd", body=b'<!ENTITY leak "LEAKED">', content_type="application/xml-dtd")
    body = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rss [<!ENTITY file SYSTEM "file://{secret}"><!ENTITY remote SYSTEM "{spy}">'
        f'<!ENTITY % dtd SYSTEM "{spy}"> %dtd;]>\n'
        '<rss version="2.0"><channel><title>XXE</title><link>https://xxe.example.org/</link><description>d</description>'
        "<item><title>File &file; remote &remote; leak &leak;</title><link>https://xxe.example.org/1</link>"
        "<guid>x1</guid><description>&file;</description></item></channel></rss>"
    ).encode()
    url = server.add("/xxe.xml", body=body, content_type="application/rss+xml")
    source = Source.objects.create(name="xxe", slug="xxe", feed_url=url, status=SourceStatus.ACTIVE)
    fetch(source)
    assert server.hits("/spy.dtd") == 0
    for entry in Entry.objects.filter(source=source):
        assert "TOP-SECRET" not in entry.title + entry.summary_html
        assert "LEAKED" not in entry.title + entry.summary_html
