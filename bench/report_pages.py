"""Benchmark the published reports' pages, the overview and a desk's queue on a seeded SQLite database.

Bulk-creates N reports (default 100000) on a few desks: 90 % published (each with its approved Version, topics on a
third of them, a fifth of them wins) over the last three years, the rest waiting in the desks' queues. Then times the
reports index (plain, paged deep, each filter), the overview, a report's page, the API and a desk's queue (for a
reviewer with two-factor authentication) through Django's test client in-process, and prints a Markdown table like
bench/directory_pages.py (whose helpers it reuses).

    uv run python bench/report_pages.py --reports 100000
    uv run python bench/report_pages.py --reports 10000 --data /tmp/fg-reports   # keep, and reuse on the next run
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from directory_pages import machine, measure, print_report, setup

BATCH = 5000
REGIONS = [
    "Leeds", "Glasgow", "Chicago", "Oakland", "Toronto", "Melbourne", "Manchester", "Lyon", "Berlin", "Santiago",
    "Amman", "Cardiff", "Belfast", "Detroit", "Lagos", "Nairobi", "Mumbai", "Manila", "São Paulo", "Bogotá",
]  # fmt: skip
SECTORS = list("ABCDEFGHIJKLMNOPQRSTU")
KINDS = ["workplace"] * 6 + ["school", "campus", "neighbourhood", "tenancy", "other"]
OPEN = ["submitted", "in_review", "awaiting", "approved"]
TEXT = (
    "On the late shift our breaks were cut without notice. We kept a shared log for six weeks, then took it to the "
    "managers together, signed by most of us. "
)


def seed_reports(n_reports: int, seed: int) -> dict[str, float]:
    from django.db import transaction
    from django.utils import timezone

    from freshground.core.models import Tag
    from freshground.reports.models import Desk, Report, Version

    rng = random.Random(seed)
    timings: dict[str, float] = {}
    today = timezone.localdate()
    started = time.perf_counter()
    desks = [Desk.objects.create(name="The platform's editors")]
    tags = [Tag.objects.get_or_create(name=f"topic {i}", slug=f"topic-{i}")[0] for i in range(40)]
    desk_ids = [d.pk for d in desks]
    through = Report.desks.through
    topics_through = Report.topics.through
    with transaction.atomic():
        for start in range(0, n_reports, BATCH):
            reports, versions, desk_rows, topic_rows = [], [], [], []
            for i in range(start + 1, min(n_reports, start + BATCH) + 1):
                published = rng.random() < 0.9
                submitted = today - timedelta(days=rng.randint(0, 3 * 365))
                region = rng.choice(REGIONS)
                status = "published" if published else rng.choice(OPEN)
                reports.append(
                    Report(
                        id=i,
                        public_id=f"r{i:011d}",
                        mode="anonymous",
                        passphrase_hash="fg1$0000$bench",  # noqa: S106 - not a hash of anything: no one opens these
                        title=f"Report {i}",
                        place_kind=rng.choice(KINDS),
                        sector=rng.choice(SECTORS),
                        region=region,
                        what_happened=TEXT,
                        is_win=rng.random() < 0.2,
                        status=status,
                        submitted_on=submitted,
                        last_activity_on=submitted,
                        published_version_id=i if published else None,
                        published_by_desk_id=desk_ids[0] if published else None,
                        published_on=submitted + timedelta(days=7) if published else None,
                    )
                )
                if published:
                    versions.append(
                        Version(
                            id=i,
                            report_id=i,
                            number=1,
                            title=f"Published report {i}",
                            region=region,
                            what_happened=TEXT,
                            status="approved",
                        )
                    )
                desk_rows.append(through(report_id=i, desk_id=desk_ids[0]))
                if rng.random() < 0.33:
                    topic_rows.append(topics_through(report_id=i, tag_id=rng.choice(tags).pk))
            Report.objects.bulk_create(reports)
            Version.objects.bulk_create(versions)
            through.objects.bulk_create(desk_rows)
            topics_through.objects.bulk_create(topic_rows)
    timings["reports"] = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000, help="reports to create (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--data", type=Path, help="use (and keep) this data folder; reuse its data if seeded")
    parser.add_argument("--show-sql", action="store_true", help="print the slowest query of every page")
    parser.add_argument("--no-cache", action="store_true", help="compute the aggregates on every request")
    args = parser.parse_args()

    data = args.data or Path(tempfile.mkdtemp(prefix="freshground-reportbench-"))
    data.mkdir(parents=True, exist_ok=True)
    setup(data)

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from freshground.core.models import Tag
    from freshground.people.models import Person
    from freshground.reports.models import Desk, Report, Reviewer

    if args.no_cache:
        settings.FRESHGROUND_REPORTS_CACHE_SECONDS = 0
    else:
        from freshground.reports.queries_desk import published_changed

        published_changed()  # start from a cold cache: the first request of each page computes (warm-up included)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        seed_s: float | None = None
        if not Report.objects.exists():
            started = time.perf_counter()
            seed_reports(args.reports, args.seed)
            seed_s = time.perf_counter() - started
        reviewer, created = Person.objects.get_or_create(
            email="bench-reviewer@example.org", defaults={"display_name": "Bench Reviewer"}
        )
        desk = Desk.objects.get(circle__isnull=True, center__isnull=True)
        Reviewer.objects.get_or_create(desk=desk, person=reviewer)
        if created:
            TOTP.activate(reviewer, generate_totp_secret())
        counts = {
            "reports": Report.objects.count(),
            "published": Report.objects.filter(status="published").count(),
        }
        topic = Tag.objects.filter(slug="topic-3").first()
        some = Report.objects.filter(status="published").order_by("id").values_list("public_id", flat=True)[500]
        pages = [
            ("index (/reports/)", "/reports/"),
            ("index, page 200", "/reports/?page=200"),
            ("index, sector", "/reports/?sector=Q"),
            ("index, wins", "/reports/?wins=on"),
            ("index, kind + wins", "/reports/?place_kind=tenancy&wins=on"),
            ("index, region", "/reports/?region=Glasgow"),
            ("index, topic", f"/reports/?topic={topic.slug if topic else ''}"),
            ("index, sector + region + topic", f"/reports/?sector=C&region=Leeds&topic={topic.slug if topic else ''}"),
            ("overview", "/reports/overview/"),
            ("a report", f"/reports/{some}/"),
            ("API published", "/api/v1/reports/published?sector=H"),
            ("API overview", "/api/v1/reports/overview"),
        ]
        client = Client()
        results = [measure(client, label, url, args.repeat, args.warmup) for label, url in pages]
        reviewer_client = Client()
        reviewer_client.force_login(reviewer)
        for label, url in [
            ("desk queue (reviewer)", f"/reports/desks/{desk.pk}/"),
            ("desk queue, approved", f"/reports/desks/{desk.pk}/?status=approved"),
        ]:
            results.append(measure(reviewer_client, label, url, args.repeat, args.warmup))
    finally:
        if args.data is None:
            shutil.rmtree(data, ignore_errors=True)

    print(f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC  ")
    print(f"Machine: {machine()}  ")
    print(f"Load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}  ")
    seeded = f"{seed_s:.1f} s" if seed_s is not None else "reused existing data"
    print(
        f"Scale: {counts['reports']} reports ({counts['published']} published); seed time: {seeded}; "
        f"{args.repeat} requests per URL; aggregates cache: {'off' if args.no_cache else 'on'}"
    )
    print()
    missed = print_report(results, show_sql=args.show_sql)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
