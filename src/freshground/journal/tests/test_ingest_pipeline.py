"""ingest_feed called directly: updates in place, de-duplication rules, caps, errors, items and stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from freshground.core.models import Tag
from freshground.journal.ingest import MAX_ENTRIES, MAX_TITLE, IngestError, ingest_feed
from freshground.journal.models import Entry, Item, Source, Story
from freshground.network.models import Center

BASE = "https://feed.example.org/rss"
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def rss(*items: str, language: str = "") -> bytes:
    lang = f"<language>{language}</language>" if language else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://feed.example.org/</link><description>d</description>{lang}{''.join(items)}</channel></rss>"
    ).encode()


def item(guid: str = "", title: str = "A title", link: str = "", description: str = "Some text.") -> str:
    parts = [f"<title>{title}</title>", f"<description>{description}</description>"]
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if link:
        parts.append(f"<link>{link}</link>")
    return "<item>" + "".join(parts) + "</item>"


@pytest.fixture
def source(db: None) -> Source:
    center = Center.objects.create(name="Pipeline Center", slug="pipeline-center")
    source = Source.objects.create(name="Pipeline", slug="pipeline", feed_url=BASE, center=center, language="pt")
    source.topics.add(Tag.objects.create(name="Ingest pipeline topic", slug="ingest-pipeline-topic"))
    return source


def test_new_then_unchanged_then_updated_in_place(source: Source) -> None:
    body = rss(item("g1", "Strike called", "https://feed.example.org/1", "Workers walk out."))
    first = ingest_feed(source, body, base_url=BASE, now=NOW)
    assert (first.new, first.updated, first.unchanged) == (1, 0, 0)
    entry = Entry.objects.get()
    item_row = Item.objects.get()
    assert item_row.entry == entry
    assert item_row.language == "pt"  # neither the entry nor the feed says: the source's language
    assert list(item_row.centers.all()) == [source.center]
    assert [t.slug for t in item_row.topics.all()] == ["ingest-pipeline-topic"]
    source.refresh_from_db()
    assert source.entry_count == 1

    again = ingest_feed(source, body, base_url=BASE, now=NOW + timedelta(hours=1))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)

    changed = rss(item("g1", "Strike called off", "https://feed.example.org/1", "Agreement reached."))
    third = ingest_feed(source, changed, base_url=BASE, now=NOW + timedelta(hours=2))
    assert (third.new, third.updated) == (0, 1)
    entry.refresh_from_db()
    item_row.refresh_from_db()
    assert entry.title == "Strike called off"
    assert entry.changed_at == NOW + timedelta(hours=2)
    assert entry.fetched_at == NOW  # first seen stays
    assert item_row.title == "Strike called off"
    assert item_row.summary == "Agreement reached."
    assert Entry.objects.count() == 1
    assert Item.objects.count() == 1
    source.refresh_from_db()
    assert source.entry_count == 1


def test_no_guid_found_again_by_canonical_address(source: Source) -> None:
    ingest_feed(source, rss(item(link="https://feed.example.org/a?utm_source=x", description="one")), base_url=BASE)
    result = ingest_feed(
        source, rss(item(link="https://FEED.example.org/a?utm_campaign=y#c", description="two")), base_url=BASE
    )
    assert (result.new, result.updated) == (0, 1)
    assert Entry.objects.get().url == "https://feed.example.org/a"


def test_a_new_guid_with_the_same_content_is_the_same_entry(source: Source) -> None:
    ingest_feed(source, rss(item("old-guid", "Same", "https://feed.example.org/s", "Same text.")), base_url=BASE)
    result = ingest_feed(
        source, rss(item("new-guid", "Same", "https://feed.example.org/s", "Same text.")), base_url=BASE
    )
    assert result.new == 0
    assert Entry.objects.get().guid == "new-guid"


def test_the_same_address_under_two_guids_is_two_entries(source: Source) -> None:
    body = rss(
        item("g1", "One", "https://feed.example.org/", "first"),
        item("g2", "Two", "https://feed.example.org/", "second"),
    )
    assert ingest_feed(source, body, base_url=BASE).new == 2


def test_unreadable_bytes_raise_ingest_error(source: Source) -> None:
    for body in (b"", b"   ", b"\x00\x01\x02garbage", b"<html><body>no feed</body></html>", b'{"not": "a feed"}'):
        with pytest.raises(IngestError) as raised:
            ingest_feed(source, body, base_url=BASE)
        assert raised.value.message
    assert not Entry.objects.exists()


def test_only_bytes_are_parsed(source: Source) -> None:
    with pytest.raises(TypeError):
        ingest_feed(source, "/etc/passwd", base_url=BASE)  # type: ignore[arg-type]


def test_a_huge_feed_is_capped(source: Source) -> None:
    long_title = "Very long title " * 1000
    big = "<p>" + "x" * 1_000_000 + "</p>"
    items = [
        item(f"g{n}", f"Entry number {n} about topic {n}", f"https://feed.example.org/{n}")
        for n in range(MAX_ENTRIES + 300)
    ]
    items.insert(0, item("long", long_title, "https://feed.example.org/long", big.replace("<", "&lt;")))
    result = ingest_feed(source, rss(*items), base_url=BASE, now=NOW)
    assert result.new == MAX_ENTRIES
    assert result.skipped == 301
    assert any(str(MAX_ENTRIES) in warning for warning in result.warnings)
    longest = Entry.objects.get(guid="long")
    assert len(longest.title) <= MAX_TITLE
    assert len(longest.summary_html) < 100_000
    source.refresh_from_db()
    assert source.entry_count == MAX_ENTRIES
    assert Item.objects.count() == MAX_ENTRIES


def test_the_same_wire_story_from_two_sources_is_one_story(source: Source) -> None:
    other = Source.objects.create(name="Other", slug="other", feed_url="https://other.example.org/rss")
    text = (
        "Hundreds of care workers walked out on Monday at Sunrise Homes in Glasgow, demanding the real living wage "
        "and safe staffing levels after talks with management collapsed."
    )
    ingest_feed(
        source,
        rss(item("a", "Care workers at Sunrise Homes strike over pay", "https://feed.example.org/c", text)),
        base_url=BASE,
        now=NOW,
    )
    ingest_feed(
        other,
        rss(
            item(
                "b",
                "Care workers at Sunrise Homes strike over pay | Other",
                "https://other.example.org/c",
                text + " Read more",
            )
        ),
        base_url="https://other.example.org/rss",
        now=NOW + timedelta(hours=1),
    )
    different = text.replace("care workers", "bus drivers").replace("Sunrise Homes", "the Stagecoach depot")
    ingest_feed(
        other,
        rss(
            item(
                "c",
                "Bus drivers at the Stagecoach depot strike over pay",
                "https://other.example.org/d",
                different.replace("Glasgow", "Sheffield").replace("the real living wage", "an end to split shifts"),
            )
        ),
        base_url="https://other.example.org/rss",
        now=NOW + timedelta(hours=2),
    )
    assert Story.objects.count() == 2
    story = Story.objects.get(item_count=2)
    assert {i.source_id for i in story.items.all()} == {source.pk, other.pk}
    assert story.lead is not None
    assert story.lead.source_id == source.pk


def test_entries_found_again_unchanged_are_not_sanitised_again(source: Source, monkeypatch: pytest.MonkeyPatch) -> None:
    from freshground.journal import ingest
    from freshground.journal.sanitise import clean_html

    body = rss(*(item(f"g{n}", f"Entry {n}", f"https://feed.example.org/{n}", "<p>Text</p>") for n in range(5)))
    ingest_feed(source, body, base_url=BASE, now=NOW)
    calls: list[str] = []
    original = clean_html

    def counting(html: str, *, base_url: str) -> str:
        calls.append(html)
        return original(html, base_url=base_url)

    monkeypatch.setattr(ingest, "clean_html", counting)
    result = ingest_feed(source, body, base_url=BASE, now=NOW + timedelta(hours=1))
    assert result.unchanged == 5
    assert calls == []
