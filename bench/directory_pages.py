"""Benchmark the network's busiest pages on a seeded SQLite database.

Seeds N people (default 100000) into a temporary data folder, warms up, then times GET requests through the Django
test client in-process (no network, warm cache) and prints a Markdown table with p50/p95/p99 latencies, the number
of SQL queries per page and the slowest query. See bench/README.md.

    uv run python bench/directory_pages.py --scale 100000
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchlib import machine

TARGET_MS = 100.0


@dataclass
class Result:
    label: str
    url: str
    timings_ms: list[float]
    cpu_ms: list[float]
    queries: int
    slowest_sql_ms: float
    slowest_sql: str
    status: int

    def percentile(self, p: float, cpu: bool = False) -> float:
        ordered = sorted(self.cpu_ms if cpu else self.timings_ms)
        if len(ordered) == 1:
            return ordered[0]
        rank = p / 100 * (len(ordered) - 1)
        low = int(rank)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def setup(data: Path) -> None:
    os.environ["FRESHGROUND_DATA"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "freshground.settings"
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["FRESHGROUND_INSECURE_HTTP"] = "1"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings

    # Production settings want collected, hashed static files; the pages only need their URLs.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Storages may already be set up (a model's file field looks its storage up when the app loads): tell Django's
    # own receivers, as override_settings would, so the new static files storage is the one used.
    from django.core.signals import setting_changed

    setting_changed.send(sender=None, setting="STORAGES", value=settings.STORAGES, enter=True)


def measure(client: object, label: str, url: str, repeat: int, warmup: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        client.get(url)  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)  # type: ignore[attr-defined]
    queries = list(captured.captured_queries)
    slowest = max(queries, key=lambda q: float(q["time"]), default={"time": "0", "sql": ""})
    timings, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)  # type: ignore[attr-defined]
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return Result(
        label=label,
        url=url,
        timings_ms=timings,
        cpu_ms=cpu,
        queries=len(queries),
        slowest_sql_ms=float(slowest["time"]) * 1000,
        slowest_sql=str(slowest["sql"]),
        status=response.status_code,
    )


def print_report(results: list[Result], *, show_sql: bool, target_note: str = "") -> list[Result]:
    """Print the Markdown table of results (and the slowest queries); return the pages that missed the target."""
    print("| page | URL | status | p50 ms | p95 ms | p99 ms | CPU p50 ms | CPU p95 ms | queries | slowest query ms |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    missed = []
    for r in results:
        p95 = r.percentile(95)
        flag = "" if p95 < TARGET_MS and r.status == 200 else " ⚠"
        if flag:
            missed.append(r)
        print(
            f"| {r.label}{flag} | `{r.url}` | {r.status} | {r.percentile(50):.1f} | {p95:.1f} | "
            f"{r.percentile(99):.1f} | {r.percentile(50, cpu=True):.1f} | {r.percentile(95, cpu=True):.1f} | "
            f"{r.queries} | {r.slowest_sql_ms:.1f} |"
        )
    print()
    mean = statistics.fmean(t for r in results for t in r.timings_ms)
    print(f"Mean over all pages: {mean:.1f} ms. Target: p95 < {TARGET_MS:.0f} ms{target_note}.")
    for r in results if show_sql else missed:
        print()
        print(f"Slowest query for {r.label} ({r.slowest_sql_ms:.1f} ms):")
        print()
        print("```sql")
        print(r.slowest_sql)
        print("```")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100_000, help="people to seed (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the network's shape")
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per URL first")
    parser.add_argument("--data", type=Path, help="use (and keep) this data folder; reuse its data if seeded")
    parser.add_argument("--show-sql", action="store_true", help="print the slowest query of every page")
    args = parser.parse_args()

    data = args.data or Path(tempfile.mkdtemp(prefix="freshground-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    setup(data)

    from django.core.management import call_command
    from django.test import Client

    from freshground.core.seeding import seed_network
    from freshground.network.models import Center, Circle
    from freshground.people.models import Person

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrate_s = time.perf_counter() - started
        seed_s: float | None = None
        if not Person.objects.exists():
            report = seed_network(args.scale, seed=args.seed, stream=sys.stderr, interactive=False)
            seed_s = report.seconds
        people = Person.objects.count()

        big_circle = Circle.objects.order_by("-member_count", "id").first()
        typical_circle = Circle.objects.order_by("member_count", "id")[Circle.objects.count() // 2]
        big_center = Center.objects.order_by("-tie_count", "id").first()
        typical_center = Center.objects.order_by("tie_count", "id")[Center.objects.count() // 2]
        assert big_circle is not None
        assert big_center is not None
        pages = [
            ("directory", "/circles/"),
            ("directory, page 40", "/circles/?page=40"),
            ("directory, kind", "/circles/?kind=workplace"),
            ("directory, text", "/circles/?q=hospital"),
            ("directory, place + sort", "/circles/?place=Glasgow&sort=members"),
            ("directory, near + newest", "/circles/?lat=53.8&lon=-1.55&km=50&sort=newest"),
            ("directory, kind + text + page 3", "/circles/?kind=neighbourhood&q=tenants&page=3"),
            (f"circle ({big_circle.member_count} members)", big_circle.get_absolute_url()),
            (f"circle ({typical_circle.member_count} members)", typical_circle.get_absolute_url()),
            (f"center ({big_center.tie_count} ties)", big_center.get_absolute_url()),
            (f"center ({typical_center.tie_count} ties)", typical_center.get_absolute_url()),
            ("center directory", "/centers/"),
        ]
        client = Client()
        results = [measure(client, label, url, args.repeat, args.warmup) for label, url in pages]
    finally:
        if args.data is None:
            shutil.rmtree(data, ignore_errors=True)

    print(f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC  ")
    print(f"Machine: {machine()}  ")
    print(f"Load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}  ")
    seeded = f"{seed_s:.1f} s" if seed_s is not None else "reused existing data"
    print(f"Scale: {people} people; seed time: {seeded}; migrate: {migrate_s:.1f} s; {args.repeat} requests per URL")
    print()
    missed = print_report(results, show_sql=args.show_sql, target_note="; seed < 120 s")
    return 1 if missed or (seed_s is not None and seed_s >= 120) else 0


if __name__ == "__main__":
    sys.exit(main())
