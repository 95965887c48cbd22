"""Benchmark: a whole journal ranking run (`journal.ranking_runs.run_ranking`) on 1,000,000 recommendations.

`bench/journal_ranking.py` times the model alone on arrays; this times what the worker does: load every
recommendation and every recommender's circles and centers from the database, fit, and write the ranking fields of
every affected item. The data is `journal_ranking.synthetic`'s (100,000 readers in 3,000 circles and 300 centers, two
factions, 50,000 items, Zipf popularity, 5 % noise), stored as people, memberships, center editors, entries, items
and recommendations. Seeding happens in this process; the run happens in a fresh one, so its peak RSS
(ru_maxrss) is the run's own.

Target (issue 8): under 60 s and under 2 GB RAM.

    uv run python bench/journal_ranking_run.py                     # SQLite in a temporary folder
    uv run python bench/journal_ranking_run.py --data /tmp/fg-rank # keep the database; a second call reuses it
    uv run python bench/journal_ranking_run.py --database-url postgres://postgres@127.0.0.1:5432/fg_bench_rank
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

BATCH = 5000
EPOCH = datetime(2026, 10, 1, tzinfo=UTC)


def seed(recommendations: int, readers: int, items: int) -> tuple[float, int]:
    from django.db import connection, transaction
    from journal_ranking import synthetic

    from freshground.journal.models import Entry, Item, Recommendation, Source
    from freshground.network.models import Center, CenterEditor, Circle, Membership
    from freshground.people.models import Person

    if Recommendation.objects.exists():
        return 0.0, 0
    started = time.perf_counter()
    who, what, member_reader, member_group, kinds, item_time, rating_time, _kinds = synthetic(
        recommendations, readers, items
    )
    n_circles = int((kinds == 0).sum())

    def chunks(objects: list, model: type) -> None:  # type: ignore[type-arg]
        for start in range(0, len(objects), BATCH):
            with transaction.atomic():
                model.objects.bulk_create(objects[start : start + BATCH])  # type: ignore[attr-defined]

    unusable = "!"  # no password can match it
    chunks(
        [
            Person(email=f"reader{n}@bench.example", display_name=f"Reader {n}", password=unusable)
            for n in range(readers)
        ],
        Person,
    )
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    chunks([Circle(name=f"Circle {n}", slug=f"bench-circle-{n}") for n in range(n_circles)], Circle)
    circles = list(Circle.objects.order_by("pk").values_list("pk", flat=True))
    chunks([Center(name=f"Center {n}", slug=f"bench-center-{n}") for n in range(kinds.size - n_circles)], Center)
    centers = list(Center.objects.order_by("pk").values_list("pk", flat=True))
    pairs = set(zip(member_reader.tolist(), member_group.tolist(), strict=True))
    chunks(
        [Membership(person_id=people[r], circle_id=circles[g]) for r, g in pairs if g < n_circles],
        Membership,
    )
    chunks(
        [CenterEditor(person_id=people[r], center_id=centers[g - n_circles]) for r, g in pairs if g >= n_circles],
        CenterEditor,
    )
    source = Source.objects.create(name="Bench", slug="bench-ranking", feed_url="https://bench.example.org/feed")
    published = [EPOCH + timedelta(hours=float(t)) for t in item_time]
    entries = [
        Entry(
            source=source,
            guid=f"bench-{n}",
            title=f"Item {n}",
            published_at=published[n],
            content_hash=f"{n:064x}",
        )
        for n in range(items)
    ]
    chunks(entries, Entry)
    entry_ids = list(Entry.objects.filter(source=source).order_by("pk").values_list("pk", flat=True))
    chunks(
        [
            Item(kind="entry", entry_id=entry_ids[n], title=f"Item {n}", source=source, published_at=published[n])
            for n in range(items)
        ],
        Item,
    )
    item_ids = list(Item.objects.order_by("pk").values_list("pk", flat=True))
    rated = [EPOCH + timedelta(hours=float(t)) for t in rating_time]
    chunks(
        [
            Recommendation(person_id=people[int(r)], item_id=item_ids[int(i)], created_at=rated[k])
            for k, (r, i) in enumerate(zip(who, what, strict=True))
        ],
        Recommendation,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started, len(pairs)


def run(recommendations: int, readers: int, items: int) -> dict[str, object]:
    from journal_ranking import synthetic

    from freshground.journal.models import Item
    from freshground.journal.ranking_runs import run_ranking

    started, cpu_started = time.perf_counter(), time.process_time()
    ranking_run = run_ranking()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    item_kind = synthetic(recommendations, readers, items)[-1]  # the same seed: the kinds of the seeded items
    first_item = Item.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    top = list(Item.objects.order_by("-bridging_score", "pk").values_list("pk", flat=True)[:100])
    raw = list(Item.objects.order_by("-recommendation_count", "pk").values_list("pk", flat=True)[:100])
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "recommendations": ranking_run.recommendations,
        "readers": ranking_run.readers,
        "items_written": ranking_run.items,
        "settings": ranking_run.settings,
        "duration_ms": ranking_run.duration_ms,
        "cross_top": int((item_kind[np.array(top) - first_item] == 2).sum()),
        "cross_raw": int((item_kind[np.array(raw) - first_item] == 2).sum()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recommendations", type=int, default=1_000_000)
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--data", type=Path, help="keep the SQLite database here and reuse it")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--run", action="store_true", help=argparse.SUPPRESS)  # the timed child process
    args = parser.parse_args()
    data = args.data or Path(tempfile.mkdtemp(prefix="fg-rank-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    from benchlib import machine, setup

    if args.database_url and not args.run:
        import psycopg

        name = args.database_url.rsplit("/", 1)[1]
        with psycopg.connect(args.database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    setup(data, args.database_url, migrate=not args.run)
    if args.run:
        print(json.dumps(run(args.recommendations, args.readers, args.items)))
        return 0
    from django.db import connection

    seconds, memberships = seed(args.recommendations, args.readers, args.items)
    if seconds:
        print(f"seeded in {seconds:.0f} s ({memberships:,} circle and center memberships)", file=sys.stderr)
    vendor = connection.vendor
    connection.close()
    command = [sys.executable, __file__, "--run", "--data", str(data), "--recommendations", str(args.recommendations)]
    command += ["--readers", str(args.readers), "--items", str(args.items)]
    if args.database_url:
        command += ["--database-url", args.database_url]
    child = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own script
    if child.returncode:
        print(child.stderr, file=sys.stderr)
        return child.returncode
    result = json.loads(child.stdout.strip().splitlines()[-1])
    settings = result["settings"]
    print(f"Journal ranking run on {vendor} ({machine()}), load average {os.getloadavg()[0]:.1f}")
    print(f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print()
    print("| | value |\n|---|---:|")
    print(f"| recommendations / readers | {result['recommendations']:,} / {result['readers']:,} |")
    print(f"| implicit zeros | {settings['zeros']:,} |")
    print(f"| fit | {settings['iterations']} L-BFGS iterations, converged={settings['converged']} |")
    print(f"| items written | {result['items_written']:,} |")
    print(f"| whole run, wall | **{result['wall']:.1f} s** |")
    print(f"| whole run, CPU of this process (on PostgreSQL the server's is not in it) | {result['cpu']:.1f} s |")
    print(f"| peak RSS of the run's process | **{result['peak_mb']:.0f} MB** |")
    cross = f"{result['cross_top']} / {result['cross_raw']}"
    print(f"| cross-faction items in the top 100: by score / by raw count | {cross} |")
    if not args.data and not args.database_url:
        shutil.rmtree(data, ignore_errors=True)
    return 0 if result["wall"] < 60 and result["peak_mb"] < 2048 else 1


if __name__ == "__main__":
    raise SystemExit(main())
