# ruff: noqa: S608  (the SQL is built from this script's own numbers, no outside input)
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
import math
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import directory_pages
from directory_pages import Result, machine, measure, print_report, setup

BATCH = 20_000
LANGUAGES = ["en", "en", "en", "es", "de", "fr"]


def seed(n_items: int, rng_seed: int) -> float:
    """Rows generated inside SQLite (a recursive CTE): a million entries and items in seconds, not hours."""
    from django.db import connection, transaction

    from freshground.core.models import Tag
    from freshground.journal import ranking_runs
    from freshground.journal.models import Item, Source
    from freshground.journal.search import schema

    done = Item.objects.count()
    if done >= n_items:
        return 0.0
    if connection.vendor != "sqlite":
        raise SystemExit("this benchmark seeds SQLite only")
    started = time.perf_counter()
    sources = [
        Source.objects.get_or_create(
            slug=f"bench-source-{n}",
            defaults={
                "name": f"Bench source {n}",
                "feed_url": f"https://bench{n}.example.org/feed",
                "status": "active",
            },
        )[0].pk
        for n in range(50)
    ]
    topic = Tag.objects.filter(is_topic=True).order_by("id").values_list("pk", flat=True).first()
    schema.uninstall(connection)  # the search index is not what this measures
    now = datetime.now(UTC).replace(microsecond=0)
    base_hours = (now - ranking_runs.HOT_EPOCH).total_seconds() / 3600
    decay = math.log(2) / ranking_runs.HALF_LIFE_HOURS
    stamp = now.strftime("%Y-%m-%d %H:%M:%S")
    first_source, n_sources = min(sources), len(sources)
    # score: 1 item in 20 has a bridging score in [-0.05, 0.25)
    score = "(CASE WHEN n % 20 = 0 THEN ((n * 7919) % 1000) / 1000.0 * 0.3 - 0.05 ELSE 0.0 END)"
    when = f"strftime('%Y-%m-%d %H:%M:%f', '{stamp}', '-' || n || ' minutes')"
    seq = f"WITH RECURSIVE seq(n) AS (SELECT {done} UNION ALL SELECT n + 1 FROM seq WHERE n < {n_items - 1})"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM journal_entry")
        entry_base = cursor.fetchone()[0] + 1 - done  # entry ids follow n: the first new one is max + 1
        cursor.execute(
            f"""{seq}
            INSERT INTO journal_entry (guid, url, url_hash, title, summary_html, content_html, author_name,
                published_at, fetched_at, changed_at, language, content_hash, source_id)
            SELECT 'bench-' || n, 'https://bench.example.org/' || n, printf('%064d', n),
                'Report ' || n || ' on the strike', '', '', 'Bench', {when}, {when}, {when}, '',
                printf('%064d', n), {first_source} + (n % {n_sources}) FROM seq"""
        )
        cursor.execute(
            f"""{seq}
            INSERT INTO journal_item (kind, title, summary, body_text, url, published_at, language, author_name,
                status, hidden_reason, created_at, recommendation_count, pick_count, bridging_score,
                bridging_factor, valued_circles, valued_centers, hot_score, ranked_at, entry_id, source_id)
            SELECT 'entry', 'Report ' || n || ' on the strike', 'A summary of report ' || n || '.',
                '', 'https://bench.example.org/' || n, {when},
                CASE n % 6 WHEN 3 THEN 'es' WHEN 4 THEN 'de' WHEN 5 THEN 'fr' ELSE 'en' END, 'Bench',
                'published', '', {when}, CAST(max({score}, 0) * 40 AS INTEGER), 0, {score}, 0.0,
                CAST(max({score}, 0) * 20 AS INTEGER), 0,
                14.0 * {score} + {decay!r} * ({base_hours!r} - n / 60.0), '{stamp}',
                {entry_base} + n,
                {first_source} + (n % {n_sources})
            FROM seq"""
        )
        if topic is not None:
            cursor.execute(
                f"INSERT INTO journal_item_topics (item_id, tag_id) SELECT id, {topic} FROM journal_item "
                f"WHERE id % 10 = 0 AND id > (SELECT coalesce(max(item_id), 0) FROM journal_item_topics)"
            )
        cursor.execute(
            "INSERT INTO journal_story (title, item_count, first_seen_at, last_seen_at, lead_id) "
            "SELECT title, 2, published_at, published_at, id FROM journal_item WHERE id % 20 = 1 AND story_id IS NULL"
        )
        cursor.execute(
            "UPDATE journal_item SET story_id = (SELECT s.id FROM journal_story s WHERE s.lead_id = "
            "CASE WHEN journal_item.id % 20 = 1 THEN journal_item.id ELSE journal_item.id - 1 END) "
            "WHERE id % 20 IN (1, 2) AND story_id IS NULL"
        )
        cursor.execute("ANALYZE")
    print(f"  {n_items} items", file=sys.stderr, flush=True)
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
    person = PersonFactory(email=f"bench-{time.time_ns()}@example.org")
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
