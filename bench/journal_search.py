"""Benchmark journal search at 1,000,000 items on SQLite (FTS5) or PostgreSQL (tsvector + GIN).

Seeds N entry items (default 1000000) from 50 sources with synthetic text drawn from a Zipf-distributed vocabulary
(so some words are in a third of all items and most are rare), topics on a tenth of them and four languages, then
times `journal.search.search()` for rare, middling and common words, several words, a phrase, an exclusion, filters,
newest-first and a deep page, plus the search page and the API through Django's test client, and prints a Markdown
table (p50/p95 wall and CPU time per search; target p95 < 100 ms).

    uv run python bench/journal_search.py                                    # SQLite in a temporary folder
    uv run python bench/journal_search.py --items 100000 --data /tmp/fg-search   # keep the database for reuse
    uv run python bench/journal_search.py --database-url postgres://postgres@127.0.0.1:5432/fg_bench_search
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchlib import machine, setup

BATCH = 5000
COMMON = [
    "strike",
    "workers",
    "union",
    "council",
    "rent",
    "housing",
    "wages",
    "nurses",
    "tenants",
    "pay",
    "picket",
    "teachers",
    "students",
    "climate",
    "police",
    "hospital",
    "transport",
    "drivers",
    "budget",
    "cuts",
    "election",
    "campaign",
    "solidarity",
    "organising",
    "protest",
    "march",
    "bosses",
]
LANGUAGES = ["en"] * 7 + ["es", "fr", "de"]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = list(COMMON)
    while len(words) < 20_000:
        words.append("".join(rng.choice(letters) for _ in range(rng.randint(4, 10))))
    weights = [1 / (rank + 1) ** 1.07 for rank in range(len(words))]  # Zipf
    return words, weights


def seed(n_items: int, rng_seed: int) -> float:
    from django.db import connection, transaction

    from freshground.core.models import Tag
    from freshground.journal.models import Entry, Item, Source
    from freshground.journal.search import schema

    if Item.objects.count() >= n_items:
        return 0.0
    started = time.perf_counter()
    rng = random.Random(rng_seed)
    words, weights = vocabulary(rng)
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
    schema.uninstall(connection)  # index once at the end, not row by row
    now = datetime.now(UTC)
    item_topics = Item.topics.through
    done = Item.objects.count()
    while done < n_items:
        size = min(BATCH, n_items - done)
        draws = rng.choices(words, weights, k=size * 38)
        entries, items = [], []
        for i in range(size):
            n = done + i
            title = " ".join(draws[i * 38 : i * 38 + 8]).capitalize()
            summary = " ".join(draws[i * 38 + 8 : (i + 1) * 38]) + "."
            when = now - timedelta(minutes=n_items - n)  # ids grow with time, as they do when feeds arrive
            source = sources[n % len(sources)]
            entries.append(
                Entry(
                    source=source,
                    guid=f"bench-{n}",
                    url=f"https://bench.example.org/{n}",
                    url_hash=f"{n:064x}",
                    title=title,
                    summary_html=f"<p>{summary}</p>",
                    published_at=when,
                    content_hash=f"{n:064x}",
                )
            )
            items.append(
                Item(
                    kind="entry",
                    title=title,
                    summary=summary,
                    url=f"https://bench.example.org/{n}",
                    published_at=when,
                    language=LANGUAGES[n % len(LANGUAGES)],
                    source=source,
                    author_name="Bench",
                )
            )
        with transaction.atomic():
            Entry.objects.bulk_create(entries, batch_size=1000)
            for item, entry in zip(items, entries, strict=True):
                item.entry = entry
            Item.objects.bulk_create(items, batch_size=1000)
            item_topics.objects.bulk_create(
                [
                    item_topics(item_id=item.pk, tag_id=topics[item.pk % len(topics)])
                    for item in items
                    if item.pk % 10 == 0
                ],
                batch_size=1000,
            )
        done += size
        print(f"  {done}/{n_items} items", file=sys.stderr, flush=True)
    print("  building the full-text index", file=sys.stderr, flush=True)
    schema.ensure_installed(connection)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE journal_item")
    return time.perf_counter() - started


def timed(label: str, run: Callable[[], object], repeat: int) -> tuple[str, float, float, float, float]:
    run()  # warm
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    cpu.sort()
    p95 = max(0, round(0.95 * len(wall)) - 1)
    return label, statistics.median(wall), wall[p95], statistics.median(cpu), cpu[p95]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, help="keep the SQLite database here and reuse it on the next run")
    parser.add_argument("--database-url", default="", help="a PostgreSQL database to seed (created if missing)")
    args = parser.parse_args()
    data = args.data or Path(tempfile.mkdtemp(prefix="fg-search-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    if args.database_url:
        import psycopg

        name = args.database_url.rsplit("/", 1)[1]
        admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    setup(data, args.database_url)
    from django.db import connection
    from django.test import Client

    from freshground.core.models import Tag
    from freshground.journal.search import SearchFilters, Sort, search

    seconds = seed(args.items, args.seed)
    topic = Tag.objects.filter(is_topic=True).order_by("pk").values_list("slug", flat=True).first() or ""
    rng = random.Random(args.seed)
    words, _weights = vocabulary(rng)
    rare, middling = words[15_000], words[400]
    month = SearchFilters(since=(datetime.now(UTC) - timedelta(days=30)).date())
    cases: list[tuple[str, Callable[[], object]]] = [
        (f"rare word ({rare})", lambda: search(rare)),
        (f"middling word ({middling})", lambda: search(middling)),
        ("common word (strike)", lambda: search("strike")),
        ("two common words", lambda: search("strike workers")),
        ("phrase", lambda: search('"workers union"')),
        ("word minus word", lambda: search("rent -council")),
        ("common word, topic filter", lambda: search("strike", SearchFilters(topic=topic))),
        ("common word, language es", lambda: search("strike", SearchFilters(language="es"))),
        ("common word, last 30 days", lambda: search("wages", month)),
        ("common word, newest first", lambda: search("strike", sort=Sort.NEWEST)),
        ("common word, page 20", lambda: search("strike", page=20)),
    ]  # fmt: skip
    client = Client()
    cases.append(("search page (HTML)", lambda: client.get("/journal/search/", {"q": "strike workers"})))
    cases.append(("search API", lambda: client.get("/api/v1/journal/search", {"q": "rent strike"})))
    rows = [timed(label, run, args.repeat) for label, run in cases]
    load = os.getloadavg()[0]
    print(f"\nJournal search, {args.items:,} items on {connection.vendor} ({machine()}), load average {load:.1f}")
    if seconds:
        print(f"Seeding and indexing took {seconds:.0f} s.")
    print("\n| search | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms |\n|---|---:|---:|---:|---:|")
    for label, p50, p95, cpu50, cpu95 in rows:
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {cpu50:.1f} | {cpu95:.1f} |")
    if not args.data and not args.database_url:
        shutil.rmtree(data, ignore_errors=True)
    return 0 if all(row[2] < 100 for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
