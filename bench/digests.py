"""Benchmark the daily digest: N people (default 100000), each with some notifications waiting for it.

Seeds a fresh SQLite database in a temporary data folder (production settings, WAL), then times one run of
notifications.mail.run_digest("daily") on this one process — the work one worker does — with a mail backend that
renders and counts every message but sends nothing. Prints a Markdown summary; exit status 1 when the run takes
10 minutes or more.

    uv run python bench/digests.py                      # 100000 people, 5 notifications each
    uv run python bench/digests.py --people 10000 --per-person 8
"""

from __future__ import annotations

import argparse
import cProfile
import email.policy
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

TARGET_SECONDS = 600.0


class CountingBackend:
    """Does what the SMTP backend does short of the network (each message's bytes, as for SMTP); counts them."""

    messages = 0
    bytes = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> CountingBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send_messages(self, messages: list[Any]) -> int:
        for message in messages:
            CountingBackend.messages += 1
            CountingBackend.bytes += len(message.message(policy=email.policy.SMTP).as_bytes())
        return len(messages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--per-person", type=int, default=5)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--data", help="data folder (default: a temporary one, removed afterwards); reused if seeded")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions of the run (cProfile)")
    args = parser.parse_args()

    data = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="fg-bench-digests-"))
    os.environ["FRESHGROUND_DATA"] = str(data)
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "freshground.settings"
    os.environ["EMAIL_URL"] = "dummy://"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from freshground.network.models import Circle
    from freshground.notifications import mail
    from freshground.notifications.models import Channel, Delivery, Notification
    from freshground.notifications.send import Kind
    from freshground.people.models import Person

    settings.MAILERS = {"default": {"BACKEND": "__main__.CountingBackend"}}
    call_command("migrate", verbosity=0)
    rng = random.Random(1)
    started = time.perf_counter()
    if not Person.objects.exists():
        print(f"seeding {args.people} people …", file=sys.stderr)
        circles = Circle.objects.bulk_create(
            [Circle(name=f"Circle {n}", slug=f"circle-{n}") for n in range(200)], batch_size=500
        )
        for start in range(0, args.people, 5000):
            Person.objects.bulk_create(
                [
                    Person(email=f"p{n}@example.org", display_name=f"Person {n}", handle=f"p{n}", password="!")  # noqa: S106 - unusable
                    for n in range(start, min(start + 5000, args.people))
                ]
            )
        ids = list(Person.objects.values_list("pk", flat=True))
        circle_type = ContentType.objects.get_for_model(Circle).pk
        now = timezone.now()
        kinds = [Kind.FOLLOWED_CONTENT.value, Kind.DEBATE_ACTIVITY.value, Kind.REPLY.value]
        rows: list[Notification] = []
        for pk in ids:
            for k in range(args.per_person):
                space = rng.choice(circles)
                thread = rng.choice(circles)
                rows.append(
                    Notification(
                        recipient_id=pk,
                        kind=kinds[k % 3],
                        channel=Channel.DAILY,
                        actor_id=rng.choice(ids),
                        target_type_id=circle_type,
                        target_id=rng.randrange(1, 100_000) if k % 4 else space.pk,
                        space_circle_id=space.pk if k % 5 else None,
                        thread_type_id=circle_type,
                        thread_id=thread.pk,
                        thread_title=thread.name,
                        summary=f"Something new in {space.name}: item {k}",
                        url=f"/circles/{space.slug}/",
                        created_at=now - timedelta(minutes=rng.randrange(1, 1400)),
                    )
                )
            if len(rows) >= 20_000:
                Notification.objects.bulk_create(rows, batch_size=2000)
                rows = []
        Notification.objects.bulk_create(rows, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        # A reused database: every notification waits for its digest again, as on the first run.
        Notification.objects.exclude(delivery=None).update(delivery=None)
        Delivery.objects.all().delete()
    seeded = time.perf_counter() - started
    waiting = Notification.objects.filter(channel=Channel.DAILY, delivery__isnull=True).count()
    print(f"seeded in {seeded:.0f} s; {waiting} notifications wait for the daily digest", file=sys.stderr)

    profiler = cProfile.Profile() if args.profile else None
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    stats = mail.run_digest(Channel.DAILY, batch=args.batch)
    if profiler is not None:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    if profiler is not None:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(args.profile)
    again = mail.run_digest(Channel.DAILY, batch=args.batch)

    print("| people | notifications | digests sent | failed | wall | CPU | per digest | mail bytes | second run |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {stats.people} | {stats.notifications} | {CountingBackend.messages} | {stats.failed} | {wall:.1f} s "
        f"| {cpu:.1f} s | {wall / max(stats.people, 1) * 1000:.2f} ms | {CountingBackend.bytes // 1_000_000} MB "
        f"| {again.sent} sent |"
    )
    print(f"\nLoad average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}  ")
    if not args.data:
        shutil.rmtree(data, ignore_errors=True)
    return 0 if wall < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
