"""insert_many stores exactly what bulk_create stores, sets the ids, and falls back for fields it does not handle."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db.models import Model

from freshground.core.bulk import insert_many
from freshground.journal.models import Entry, Item, ItemKind, Source, Story
from freshground.people.models import Person

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 12, 6, 1, 2, 3, 456789, tzinfo=UTC)


def _rows(model: type[Model], pks: list[int]) -> list[dict[str, object]]:
    rows = list(model._default_manager.filter(pk__in=pks).order_by("pk").values())
    for row in rows:
        row.pop("id")
    return rows


def _entries(source: Source, tag: str) -> list[Entry]:
    return [
        Entry(
            source=source,
            guid=f"{tag}-{n}",
            url=f"https://news.example.org/{tag}/{n}?q=é",
            url_hash=f"{n:064x}",
            title=f"Grève générale {n} « quotes » and 'apostrophes' %s %(name)s",
            summary_html="<p>a &amp; b</p>" if n % 2 else "",
            published_at=WHEN if n % 3 else None,
            fetched_at=WHEN,
            changed_at=WHEN,
            content_hash=f"{tag}{n}",
            simhash=-(2**63) if n == 0 else (2**63 - 1 if n == 1 else None),
        )
        for n in range(7)
    ]


def test_the_same_rows_as_bulk_create_and_ids_in_order() -> None:
    source = Source.objects.create(name="S", slug="s", feed_url="https://news.example.org/feed")
    ours, theirs = _entries(source, "ours"), _entries(source, "theirs")
    insert_many(ours)
    Entry.objects.bulk_create(theirs)
    assert all(e.pk is not None and not e._state.adding for e in ours)
    for entry in ours:  # each instance got its own row's id
        assert Entry.objects.get(pk=entry.pk).guid == entry.guid
    mine, reference = _rows(Entry, [e.pk for e in ours]), _rows(Entry, [e.pk for e in theirs])
    for row in (*mine, *reference):
        row["guid"] = str(row["guid"]).split("-")[1]
        row["url"] = str(row["url"]).replace("/ours/", "/").replace("/theirs/", "/")
        row["content_hash"] = str(row["content_hash"]).removeprefix("ours").removeprefix("theirs")
    assert mine == reference
    # Items (foreign keys, defaults, floats) and stories (nullable foreign keys, integers) likewise.
    items = [
        Item(kind=ItemKind.ENTRY, entry=e, title=e.title, source=source, published_at=WHEN, bridging_score=0.25)
        for e in ours
    ]
    insert_many(items)
    stories = [Story(title=i.title, lead=i if n % 2 else None, item_count=n, simhash=7) for n, i in enumerate(items)]
    insert_many(stories)
    reference_items = [
        Item(kind=ItemKind.ENTRY, entry=e, title=e.title, source=source, published_at=WHEN, bridging_score=0.25)
        for e in theirs
    ]
    Item.objects.bulk_create(reference_items)
    for mine_row, their_row in zip(
        _rows(Item, [i.pk for i in items]), _rows(Item, [i.pk for i in reference_items]), strict=True
    ):
        mine_row.pop("entry_id"), their_row.pop("entry_id")
        mine_row.pop("created_at"), their_row.pop("created_at")  # a default of "now", taken at construction
        assert mine_row == their_row
    assert [s.lead_id for s in Story.objects.filter(pk__in=[s.pk for s in stories]).order_by("pk")] == [
        i.pk if n % 2 else None for n, i in enumerate(items)
    ]


def test_models_with_other_fields_go_through_bulk_create() -> None:
    people = [Person(email=f"p{n}@example.org", display_name=f"P {n}") for n in range(3)]  # JSON fields
    insert_many(people)
    assert Person.objects.filter(email__startswith="p").count() == 3
    assert Person.objects.get(email="p1@example.org").visibility == people[1].visibility
    insert_many([])  # nothing to do
