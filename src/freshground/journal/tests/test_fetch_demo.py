"""The demo sources load through the real pipeline (local server, discovery, safe fetch, ingest) and only once."""

from __future__ import annotations

import os

import pytest
from django.db.models import Count

from freshground.journal.demo_sources import DEMO_SOURCES, load_demo_sources
from freshground.journal.models import Entry, Item, Source, SourceStatus
from freshground.testing.factories import CenterFactory

pytestmark = pytest.mark.django_db


def test_demo_sources_load_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", raising=False)
    center = CenterFactory(name="Common Ground Press", slug="common-ground-press")
    assert load_demo_sources({}, {}, {"common-ground-press": center}) == len(DEMO_SOURCES)
    assert "FRESHGROUND_ALLOW_PRIVATE_FETCH" not in os.environ
    sources = {source.slug: source for source in Source.objects.all()}
    assert set(sources) == {spec.slug for spec in DEMO_SOURCES}
    for source in sources.values():
        assert source.status == SourceStatus.PAUSED
        assert source.last_status == 200, (source.slug, source.last_error)
        assert 8 <= source.entry_count <= 15, source.slug
    assert sources["common-ground-bulletin"].center == center  # type: ignore[comparison-overlap]
    assert sources["riverside-union"].feed_url.endswith("/riverside-union.atom")  # found from its home page
    entries = Entry.objects.count()
    assert entries >= 50
    # Several outlets report the same news: stories group them.
    grouped = Item.objects.exclude(story=None).values("story").annotate(n=Count("id")).filter(n__gte=2)
    assert grouped.count() >= 2
    assert load_demo_sources({}, {}, {}) == 0
    assert Entry.objects.count() == entries
