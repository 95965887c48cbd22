"""plain_text and sync_entry_item: every entry has an item, kept in step with the entry and its source."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from freshground.core.models import Tag
from freshground.journal.items import plain_text, sync_entry_item
from freshground.journal.models import Entry, Item, ItemKind, Source
from freshground.network.models import Center


def test_plain_text() -> None:
    html = "<p>One &amp; two</p><p>three<br>four</p><script>x()</script><style>p{}</style><ul><li>a</li><li>b</li></ul>"
    assert plain_text(html) == "One & two three four a b"
    assert plain_text("wo<em>r</em>d") == "word"
    assert plain_text("") == ""
    assert plain_text("Caf&eacute; &lt;b&gt;") == "Café <b>"


def test_plain_text_cuts_at_a_word() -> None:
    text = plain_text("<p>" + "solidarity forever " * 20 + "</p>", max_length=50)
    assert len(text) <= 50
    assert text.endswith("…")
    assert "solidar…" not in text


@pytest.fixture
def source(db: None) -> Source:
    center = Center.objects.create(name="Ingest Center", slug="ingest-center")
    source = Source.objects.create(
        name="Labour Notes", slug="labour-notes", feed_url="https://ln.example/feed", center=center, language="en"
    )
    source.topics.add(
        *Tag.objects.bulk_create(
            [Tag(name="Ingest test one", slug="ingest-one"), Tag(name="Ingest test two", slug="ingest-two")]
        )
    )
    return source


def test_sync_creates_then_updates_the_item(source: Source) -> None:
    fetched = datetime(2026, 12, 1, 9, tzinfo=UTC)
    entry = Entry.objects.create(
        source=source,
        guid="g1",
        url="https://ln.example/a",
        title="Nurses &amp; porters <b>strike</b>",
        summary_html="<p>Walkout at <em>St Mary's</em>.</p>",
        content_html="<p>Full text.</p>",
        author_name="A. Writer",
        fetched_at=fetched,
        language="en",
        content_hash="x",
    )
    item = sync_entry_item(entry)
    assert item.kind == ItemKind.ENTRY
    assert item.entry == entry
    assert item.title == "Nurses & porters strike"
    assert item.summary == "Walkout at St Mary's."
    assert item.body_text == "Full text."
    assert item.published_at == fetched  # no date in the feed: when we first saw it
    assert item.url == "https://ln.example/a"
    assert item.language == "en"
    assert item.author_name == "A. Writer"
    assert item.source == source
    assert list(item.centers.all()) == [source.center]
    assert {t.slug for t in item.topics.all()} == {"ingest-one", "ingest-two"}

    entry.title = "Nurses win"
    entry.published_at = datetime(2026, 11, 30, tzinfo=UTC)
    entry.save()
    source.topics.remove(Tag.objects.get(slug="ingest-two"))
    again = sync_entry_item(entry)
    assert again.pk == item.pk
    assert Item.objects.count() == 1
    again.refresh_from_db()
    assert again.title == "Nurses win"
    assert again.published_at == entry.published_at
    assert [t.slug for t in again.topics.all()] == ["ingest-one"]


def test_text_of_every_corpus_feed_is_read_the_same_fast_way() -> None:
    # The corpus's HTML, sanitised as ingest does, read with and without a second parse.
    from pathlib import Path

    from freshground.journal.ingest import IngestError, parse_feed
    from freshground.journal.sanitise import clean_html

    folder = Path(__file__).parent / "feeds"
    checked = 0
    for path in sorted(folder.iterdir()):
        try:
            parsed = parse_feed(path.read_bytes(), base_url="https://feeds.example.org/feed.xml")
        except IngestError:  # the corpus holds unreadable feeds on purpose
            parsed = None
        if parsed is None:
            continue
        for entry in parsed.entries:
            for part in [entry.get("summary") or "", *[c.get("value") or "" for c in entry.get("content") or []]]:
                cleaned = clean_html(str(part), base_url="https://feeds.example.org/")
                assert plain_text(cleaned, sanitised=True) == plain_text(cleaned), path.name
                checked += 1
    assert checked > 30
