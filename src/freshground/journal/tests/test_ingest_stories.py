"""Stories: planted near-duplicates join one story; different news told in the same words stays apart."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from freshground.journal.models import Entry, Item, ItemKind, Source, Story
from freshground.journal.stories import (
    MAX_DISTANCE,
    MIN_JACCARD,
    assign_stories,
    assign_story,
    bands,
    distance,
    probes,
    simhash,
    simhashes,
    similarity,
    to_signed,
    to_unsigned,
)

T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)

# Different news told in the same template: a workplace, a town, a weekday, a demand. These must never merge.
PLACES = [
    ("Nurses", "St Mary's Hospital", "Leeds", "Tuesday", "a 12 per cent pay rise"),
    ("Rail workers", "Euston station", "London", "Monday", "a 9 per cent pay rise"),
    ("Bus drivers", "the Stagecoach depot", "Sheffield", "Friday", "an end to split shifts"),
    ("Teachers", "Castle Hill Academy", "Bristol", "Wednesday", "smaller class sizes"),
    ("Dockers", "the port of Felixstowe", "Suffolk", "Thursday", "a cost-of-living payment"),
    ("Care workers", "Sunrise Homes", "Glasgow", "Saturday", "the real living wage"),
    ("Warehouse staff", "the Amazon warehouse", "Coventry", "Sunday", "union recognition"),
    ("Bin workers", "the city council", "Birmingham", "Monday", "equal pay back-dated"),
    ("Cleaners", "the university", "Manchester", "Tuesday", "sick pay from the first day"),
    ("Postal workers", "the Royal Mail sorting office", "Cardiff", "Wednesday", "no new delivery targets"),
]


def story_text(who: str, where: str, town: str, day: str, demand: str) -> tuple[str, str]:
    title = f"{who} at {where} strike over pay and staffing"
    summary = (
        f"Hundreds of {who.lower()} walked out on {day} at {where} in {town}, demanding {demand} and safe "
        f"staffing levels after talks with management collapsed. The union said the strike would go on."
    )
    return title, summary


def variants(title: str, summary: str) -> list[tuple[str, str]]:
    """How other outlets re-publish the same report."""
    return [
        (title, summary.replace("collapsed", "broke down")),
        (title + " | Morning Post", summary + " The post appeared first on Morning Post."),
        (title.replace(" strike over", " walk out over"), summary + " Read more"),
        (title, summary.replace("Hundreds of", "More than 300")),
    ]


def test_fingerprints() -> None:
    title, summary = story_text(*PLACES[0])
    value = simhash(title, summary)
    assert value is not None
    assert 0 <= value < 1 << 64
    assert to_unsigned(to_signed(value)) == value
    assert simhash("Strike", "") is None  # too little text
    assert len(bands(value)) == 4
    assert len(set(probes(5))) == 137


def test_fingerprints_are_stable() -> None:
    # Stored entries and stories keep their fingerprints: the function must not drift between releases.
    value = simhash(
        "Nurses strike over pay at Leeds General Infirmary",
        "Hundreds of nurses walked out on Monday after talks with management broke down.",
    )
    assert value == 4768065556703056119


def test_fingerprints_of_many_texts_at_once_match_one_at_a_time() -> None:
    texts = [story_text(*place) for place in PLACES]
    texts += [variant for text in texts[:3] for variant in variants(*text)]
    texts.insert(4, ("Strike", ""))  # too short: None, and the texts after it keep their own values
    texts.append(("", ""))
    together = simhashes(texts)
    assert together == [simhashes([text])[0] for text in texts]
    assert together[4] is None
    assert together[-1] is None
    assert simhashes([]) == []


def test_planted_near_duplicates_are_near_and_different_stories_are_far() -> None:
    hashes = []
    for place in PLACES:
        title, summary = story_text(*place)
        original = simhash(title, summary)
        assert original is not None
        hashes.append(original)
        for variant in variants(title, summary):
            near = simhash(*variant)
            assert near is not None
            assert distance(original, near) <= MAX_DISTANCE, variant
            assert similarity((title, summary), variant) >= MIN_JACCARD + 0.2
    texts = [story_text(*place) for place in PLACES]
    for a, b in itertools.combinations(range(len(PLACES)), 2):
        assert distance(hashes[a], hashes[b]) > MAX_DISTANCE
        assert similarity(texts[a], texts[b]) < MIN_JACCARD - 0.1


@pytest.fixture
def sources(db: None) -> list[Source]:
    return [
        Source.objects.create(name=f"Outlet {n}", slug=f"outlet-{n}", feed_url=f"https://o{n}.example/feed")
        for n in range(5)
    ]


def make_item(source: Source, title: str, summary: str, published: datetime) -> Item:
    entry = Entry.objects.create(
        source=source,
        title=title,
        summary_html=summary,
        published_at=published,
        content_hash=title[:64],
        simhash=to_signed(simhash(title, summary) or 0),
    )
    return Item.objects.create(
        kind=ItemKind.ENTRY, entry=entry, title=title, summary=summary, source=source, published_at=published
    )


def test_outlets_reporting_the_same_strike_share_one_story(sources: list[Source]) -> None:
    stories: dict[int, set[int]] = {}
    for n, place in enumerate(PLACES):
        title, summary = story_text(*place)
        reports = [(title, summary), *variants(title, summary)]
        for m, (t, s) in enumerate(reports):
            # The second report was published first: it must become the lead.
            published = T0 + timedelta(hours=n) + (timedelta(minutes=-30) if m == 1 else timedelta(minutes=m))
            story = assign_story(make_item(sources[m], t, s, published))
            assert story is not None
            stories.setdefault(n, set()).add(story.pk)
    assert all(len(ids) == 1 for ids in stories.values()), stories
    assert len({next(iter(ids)) for ids in stories.values()}) == len(PLACES)  # ten strikes, ten stories
    assert Story.objects.count() == len(PLACES)
    for story in Story.objects.select_related("lead"):
        assert story.item_count == 5
        assert story.lead is not None
        assert story.lead.source == sources[1]
        assert "broke down" in story.lead.summary
        assert story.items.count() == 5


def test_a_batch_joins_stored_stories_and_groups_its_own_reports(sources: list[Source]) -> None:
    # What one feed's ingest does: every strike is stored once (from outlet 0); then a feed brings, in one batch,
    # two more reports of each of the first five strikes (one published before the stored lead), the other five
    # told for the first time twice, and a report of the first strike from a month later.
    for n, place in enumerate(PLACES):
        assign_stories([make_item(sources[0], *story_text(*place), T0 + timedelta(hours=n))])
    batch = []
    for n, place in enumerate(PLACES[:5]):
        first, second = variants(*story_text(*place))[:2]
        batch.append(make_item(sources[1], *first, T0 + timedelta(hours=n, minutes=-30)))
        batch.append(make_item(sources[1], *second, T0 + timedelta(hours=n, minutes=5)))
    unseen = [("Cinema staff", "the Odeon", "Leeds", "Friday", "a pay rise")] * 2
    late = make_item(sources[2], *story_text(*PLACES[0]), T0 + timedelta(days=30))
    for m, place in enumerate(unseen):
        batch.append(make_item(sources[2 + m], *variants(*story_text(*place))[m], T0 + timedelta(hours=1)))
    assign_stories([*batch, late])

    assert Story.objects.count() == len(PLACES) + 2  # the ten, the cinema strike, the late report on its own
    for n, place in enumerate(PLACES):
        story = Story.objects.select_related("lead").get(items__title=story_text(*place)[0], items__source=sources[0])
        if n < 5:
            assert story.item_count == 3 == story.items.count()
            assert story.lead is not None
            assert story.lead.source == sources[1]
            assert story.first_seen_at == T0 + timedelta(hours=n, minutes=-30)
            assert story.last_seen_at == T0 + timedelta(hours=n, minutes=5)
        else:
            assert story.item_count == 1 == story.items.count()
    cinema = Story.objects.get(items__source=sources[3])
    assert cinema.item_count == 2 == cinema.items.count()
    late.refresh_from_db()
    assert late.story is not None
    assert late.story.item_count == 1


def test_old_stories_are_not_joined(sources: list[Source]) -> None:
    title, summary = story_text(*PLACES[0])
    first = assign_story(make_item(sources[0], title, summary, T0))
    later = assign_story(make_item(sources[1], title, summary, T0 + timedelta(days=30)))
    assert first is not None
    assert later is not None
    assert first.pk != later.pk


def test_an_edited_item_leaves_a_story_it_no_longer_matches(sources: list[Source]) -> None:
    title, summary = story_text(*PLACES[0])
    lead = make_item(sources[0], title, summary, T0)
    other = make_item(sources[1], title, summary + " Read more", T0 + timedelta(hours=1))
    story = assign_story(lead)
    assert assign_story(other) == story
    # The lead is corrected into a different report: it leaves; the other item now leads alone.
    new_title, new_summary = story_text(*PLACES[3])
    lead.title, lead.summary = new_title, new_summary
    lead.save()
    lead.refresh_from_db()
    moved = assign_story(lead)
    assert moved is not None
    assert story is not None
    assert moved.pk != story.pk
    story.refresh_from_db()
    assert story.item_count == 1
    assert story.lead_id == other.pk


def test_candidate_lookup_uses_one_query(sources: list[Source], django_assert_max_num_queries) -> None:
    for n, place in enumerate(PLACES):
        assign_story(make_item(sources[0], *story_text(*place), T0 + timedelta(minutes=n)))
    item = make_item(sources[1], *variants(*story_text(*PLACES[4]))[0], T0 + timedelta(hours=2))
    with django_assert_max_num_queries(8):
        story = assign_story(item)
    assert story is not None
    assert story.item_count == 2


def test_a_batch_locks_the_stored_stories_it_joins_in_the_order_of_their_ids(
    sources: list[Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two feeds' ingests joining the same stories must lock them in one order, or PostgreSQL's fetch threads deadlock
    # (seen in bench/feed_refresh.py): here the batch's earliest item joins the newer story.
    from freshground.journal import stories as stories_module

    first = assign_story(make_item(sources[0], *story_text(*PLACES[0]), T0))
    second = assign_story(make_item(sources[0], *story_text(*PLACES[1]), T0 + timedelta(hours=1)))
    assert first is not None
    assert second is not None
    joined: list[int] = []
    original = stories_module._join_many

    def recording(story: Story, members: list[Item]) -> None:
        joined.append(story.pk)
        original(story, members)

    monkeypatch.setattr(stories_module, "_join_many", recording)
    assign_stories(
        [
            make_item(sources[1], *variants(*story_text(*PLACES[1]))[0], T0 + timedelta(minutes=10)),
            make_item(sources[1], *variants(*story_text(*PLACES[0]))[0], T0 + timedelta(minutes=20)),
        ]
    )
    assert joined == sorted([first.pk, second.pk])
