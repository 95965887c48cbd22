"""Benchmark the journal's front page with 1,000,000 items (warm cache).

Seeds N items (default 1,000,000: entries of 50 sources, a story for every 20th pair, bridging scores for 5 %,
topics for 10 %, five languages) in bulk into a temporary SQLite database, runs one ranking-free placement (hot
scores computed in bulk), then times anonymous GET requests through the Django test client in-process. Anonymous
viewers get the cached listing (keyed by the front-page version, bumped by ranking runs and new items), so after a
warm-up the timings are the warm-cache ones the target speaks of; one signed-in row shows the uncached cost.

    uv run python bench/journal_front.py [--items 1000000] [--data DIR]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import directory_pages
from directory_pages import Result, machine, measure, print_report, setup

BATCH = 20_000
LANGUAGES = ["en", "en", "en", "es", "de", "fr"]


def seed(n_items: int, rng_seed: int) -> float:
    from django.db import connection, transaction

    from freshground.core.models import Tag
    from freshground.journal import ranking_runs
    from freshground.journal.models import Entry, Item, Source, Story
    from freshground.journal.search import schema

    if Item.objects.count() >= n_items:
        return 0.0
    started = time.perf_counter()
    rng = random.Random(rng_seed)
    sources = [
        Source.objects.get_or_create(
            slug=f"bench-source-{n}",
            defaults={
                "name": f"Bench source {n}",
                "feed_url": f"https://bench{n}.example.org/feed",
                "status": "active",
            },
        )[0]
        for n in range(50)
    ]
    topics = list(Tag.objects.filter(is_topic=True).values_list("pk", flat=True))
    schema.uninstall(connection)  # the search index is not what this measures
    now = datetime.now(UTC)
    item_topics = Item.topics.through
    done = Item.objects.count()
    words = ["strike", "rent", "union", "council", "wages", "climate", "housing", "nurses", "port", "school"]
    while done < n_items:
        size = min(BATCH, n_items - done)
        entries, items = [], []
        for i in range(size):
            n = done + i
            title = f"{rng.choice(words).capitalize()} {rng.choice(words)} report {n}"
            when = now - timedelta(minutes=n)
            source = sources[n % len(sources)]
            score = rng.gauss(0.1, 0.15) if n % 20 < 1 else 0.0
            entries.append(
                Entry(
                    source=source, guid=f"bench-{n}", url=f"https://bench.example.org/{n}", url_hash=f"{n:064x}",
                    title=title, published_at=when, content_hash=f"{n:064x}",
                )
            )  # fmt: skip
            items.append(
                Item(
                    kind="entry", title=title, summary=f"A summary of {title}, in a sentence or two.",
                    url=f"https://bench.example.org/{n}", published_at=when, language=LANGUAGES[n % len(LANGUAGES)],
                    source=source, author_name="Bench", bridging_score=score,
                    recommendation_count=int(max(score, 0) * 40), valued_circles=int(max(score, 0) * 20),
                    hot_score=ranking_runs.hot_score(score, 0, when), ranked_at=now,
                )
            )  # fmt: skip
        with transaction.atomic():
            Entry.objects.bulk_create(entries, batch_size=2000)
            for item, entry in zip(items, entries, strict=True):
                item.entry = entry
            Item.objects.bulk_create(items, batch_size=2000)
            item_topics.objects.bulk_create(
                [item_topics(item_id=it.pk, tag_id=topics[it.pk % len(topics)]) for it in items if it.pk % 10 == 0],
                batch_size=2000,
            )
            pairs = [(items[k], items[k + 1]) for k in range(0, size - 1, 20)]
            stories = Story.objects.bulk_create(
                [Story(title=a.title, lead_id=a.pk, item_count=2) for a, _b in pairs], batch_size=2000
            )
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE journal_item SET story_id = %s WHERE id IN (%s, %s)",
                    [(s.pk, a.pk, b.pk) for s, (a, b) in zip(stories, pairs, strict=True)],
                )
        done += size
        print(f"  {done}/{n_items} items", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    data = args.data or Path(tempfile.mkdtemp(prefix="freshground-bench-front-"))
    data.mkdir(parents=True, exist_ok=True)
    setup(data)
    directory_pages.TARGET_MS = 50.0

    from django.core.management import call_command
    from django.test import Client

    from freshground.core.models import Tag
    from freshground.journal.models import Item
    from freshground.testing.factories import PersonFactory

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - started
    seed_s = seed(args.items, args.seed)
    count = Item.objects.count()
    topic = Tag.objects.filter(is_topic=True).order_by("id").first()
    pages = [
        ("front, hot", "/journal/"),
        ("front, new", "/journal/?sort=new"),
        ("front, best this week", "/journal/?sort=week"),
        ("front, best this year", "/journal/?sort=year"),
        ("front, hot, page 10", "/journal/?page=10"),
        ("front, language es", "/journal/?language=es"),
        ("front, topic", f"/journal/?topic={topic.slug if topic else ''}"),
        ("home (journal + network numbers)", "/"),
    ]
    client = Client()
    results: list[Result] = [measure(client, label, url, args.repeat, args.warmup) for label, url in pages]
    signed_in = Client()
    person = PersonFactory()
    signed_in.force_login(person)
    uncached = [measure(signed_in, f"signed in, uncached: {label}", url, 10, 1) for label, url in pages[:4]]
    print(f"Machine: {machine()}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"{count:,} items; migrate {migrate_s:.1f} s, seeding {seed_s:.1f} s; data in {data}")
    print()
    missed = print_report(results, show_sql=False, target_note=" with a warm cache (anonymous)")
    print()
    print("Without the cache (signed in, for reference; the target is for the warm cache):")
    print()
    print_report(uncached, show_sql=True)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
