"""Search on the real engine of the test run (SQLite FTS5, or PostgreSQL when DATABASE_URL names one)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from freshground.core.models import Tag
from freshground.journal.models import SourceKind
from freshground.journal.search import SearchFilters, Sort, search
from freshground.journal.tests.search_helpers import make_item, make_source

pytestmark = pytest.mark.django_db


def titles(page) -> list[str]:
    return [hit.item.title for hit in page.hits]


def test_finds_words_anywhere_and_ranks_title_matches_first() -> None:
    make_item("Council budget passes", "Libraries lose funding.", "The strike fund was not discussed.")
    make_item("Nurses strike for safe staffing", "Wards walk out.")
    make_item("Housing news", "Nothing about it.")
    page = search("strike")
    assert titles(page) == ["Nurses strike for safe staffing", "Council budget passes"]
    assert "<mark>strike</mark>" in page.hits[1].snippet  # cut from the body, where the word is


def test_all_words_must_match_and_exclusions_remove() -> None:
    make_item("Rent strike in Leith", "Tenants withhold rent.")
    make_item("Rent rises again", "Landlords raise rents.")
    make_item("Strike at the depot", "Drivers out.")
    assert titles(search("rent strike")) == ["Rent strike in Leith"]
    assert titles(search("strike -rent")) == ["Strike at the depot"]


def test_phrases_match_words_in_order() -> None:
    make_item("Union recognition won", "After a long campaign.")
    make_item("Recognition of the union", "Not in that order.")
    assert titles(search('"union recognition"')) == ["Union recognition won"]


def test_diacritics_and_case_do_not_matter() -> None:
    make_item("Grève générale à Marseille", "Les dockers de Łódź.")
    assert titles(search("GREVE generale")) == ["Grève générale à Marseille"]
    assert titles(search("ŁÓDŹ")) == ["Grève générale à Marseille"]


def test_updates_and_deletes_reach_the_index() -> None:
    item = make_item("Old headline", "old words")
    item.title = "Fresh headline about pickets"
    item.save()
    assert titles(search("pickets")) == ["Fresh headline about pickets"]
    assert search('"old headline"').hits == []  # the summary still says "old words"
    item.delete()
    assert search("pickets").hits == []


def test_hidden_items_are_never_found() -> None:
    make_item("Hidden strike report", status="hidden")
    make_item("Visible strike report")
    assert titles(search("strike")) == ["Visible strike report"]


def test_filters() -> None:
    housing = Tag.objects.get(slug="housing")
    union_source = make_source(kind=SourceKind.UNION)
    now = timezone.now()
    make_item("Strike one", topics=[housing], published_at=now - timedelta(days=40))
    make_item("Strike two", source=union_source, language="en-GB", published_at=now - timedelta(days=2))
    make_item("Strike three", language="es", published_at=now - timedelta(days=1))
    assert titles(search("strike", SearchFilters(topic="housing"))) == ["Strike one"]
    assert titles(search("strike", SearchFilters(source_kind=SourceKind.UNION))) == ["Strike two"]
    assert titles(search("strike", SearchFilters(language="en"), sort=Sort.NEWEST)) == ["Strike two", "Strike one"]
    recent = SearchFilters(since=(now - timedelta(days=3)).date())
    assert titles(search("strike", recent, sort=Sort.NEWEST)) == ["Strike three", "Strike two"]
    old = SearchFilters(until=(now - timedelta(days=30)).date())
    assert titles(search("strike", old)) == ["Strike one"]
    assert titles(search("strike", SearchFilters(item_kind="article"))) == []
    assert search("strike", SearchFilters(since=date(2999, 1, 1))).hits == []


def test_pages_without_counting_every_match(django_assert_max_num_queries) -> None:
    for n in range(25):
        make_item(f"Strike day {n}", published_at=timezone.now() - timedelta(minutes=n))
    with django_assert_max_num_queries(3):  # the window floor (SQLite), the matches, the items
        first = search("strike", sort=Sort.NEWEST)
    assert len(first.hits) == 20
    assert first.has_next
    assert not first.has_previous
    second = search("strike", sort=Sort.NEWEST, page=2)
    assert titles(second) == [f"Strike day {n}" for n in range(20, 25)]
    assert not second.has_next


def test_empty_queries_say_what_to_do() -> None:
    make_item("Strike")
    assert search("").hits == []
    assert search("").message == ""
    only_excluded = search("-strike")
    assert only_excluded.hits == []
    assert only_excluded.message


@pytest.mark.parametrize("hostile", ['"', "NEAR(", "*", "a OR", "'; DROP TABLE journal_item; --", "\x00", "^", ")("])
def test_hostile_queries_never_fail(hostile: str) -> None:
    make_item("Strike")
    search(hostile)
    search(f"strike {hostile}")


def test_a_common_phrase_is_ranked_among_its_newest_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    # A phrase of two everyday words is ranked among its newest PHRASE_WINDOWS[0] matches (a million items: the
    # phrase's positions in every older match would cost too much); pages still fill and move on.
    from freshground.journal.search import backends

    monkeypatch.setattr(backends, "PHRASE_WINDOWS", (4, 50_000, None))
    now = timezone.now()
    make_item("The oldest picket line, picket line, picket line", published_at=now - timedelta(days=30))
    for n in reversed(range(8)):  # stored as they arrive: the newest has the highest id
        make_item(f"Picket line day {n}", published_at=now - timedelta(hours=n))
    page = search('"picket line"', per_page=3)
    assert len(page.hits) == 3
    assert page.has_next
    assert "The oldest picket line, picket line, picket line" not in titles(page)  # older than the newest four
    assert set(titles(page)) <= {f"Picket line day {n}" for n in range(4)}
    assert titles(search('"picket line"', sort=Sort.NEWEST, page=3, per_page=3)) == [
        "Picket line day 6",
        "Picket line day 7",
        "The oldest picket line, picket line, picket line",
    ]
