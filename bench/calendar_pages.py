"""Benchmark the shared calendar's pages and feeds on a seeded SQLite database.

Seeds a network (people, circles, centers) with core.seeding, then bulk-creates N events (default 100000) spread over
the year before and the year after today, 10 % of them weekly recurring (with their Occurrence rows), hosts,
promotions, topics and R registrations (default 10 per event), then times the month, week and list views, filtered
variants, the iCal feeds and the calendar API through Django's test client in-process, and prints a Markdown table
like bench/directory_pages.py (whose helpers it reuses).

    uv run python bench/calendar_pages.py --events 100000
    uv run python bench/calendar_pages.py --events 10000 --data /tmp/fg-cal   # keep, and reuse on the next run
"""

from __future__ import annotations

import argparse
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
KINDS = ["public_meeting", "talk", "study", "action", "social", "training", "conference_session", "other"]
ZONES = {"Europe": "Europe/London", "America": "America/New_York", "Other": "UTC"}
MODES = ["in_person"] * 6 + ["online"] * 2 + ["hybrid"] * 2
LANGUAGES = ["en"] * 8 + ["de", "fr", "es"]


def seed_events(n_events: int, registrations_per_event: int, seed: int) -> dict[str, float]:
    """Bulk-create the events and everything hanging off them; return the seconds each part took."""
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from freshground.core.models import Tag
    from freshground.core.seeding import CITIES
    from freshground.events.models import (
        Event,
        EventHost,
        Occurrence,
        Promotion,
        Registration,
        RegistrationStatus,
    )
    from freshground.network.models import Center, Circle
    from freshground.people.models import Person

    rng = random.Random(seed)
    timings: dict[str, float] = {}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    circle_ids = list(Circle.objects.values_list("id", flat=True))
    center_ids = list(Center.objects.values_list("id", flat=True))
    person_ids = list(Person.objects.values_list("id", flat=True))
    tag_ids = list(Tag.objects.values_list("id", flat=True))[:60]
    run = get_random_string(6).lower()

    def insert(model: type, rows: list, label: str) -> None:
        started = time.perf_counter()
        for offset in range(0, len(rows), BATCH):
            with transaction.atomic():
                model.objects.bulk_create(rows[offset : offset + BATCH])
        timings[label] = time.perf_counter() - started
        print(f"  {label}: {len(rows)} rows in {timings[label]:.1f} s", file=sys.stderr)

    events = []
    for index in range(n_events):
        city, lat, lon = rng.choice(CITIES)
        starts = now + timedelta(hours=rng.randint(-365 * 24, 365 * 24))
        recurring = rng.random() < 0.10
        zone = ZONES["Europe"] if lon > -30 else ZONES["America"]
        private = rng.random() < 0.15
        events.append(
            Event(
                title=f"{rng.choice(KINDS).replace('_', ' ').title()} in {city} {index}",
                slug=f"bench-{run}-{index}",
                description="A benchmark event.",
                kind=rng.choice(KINDS),
                starts_at=starts,
                ends_at=starts + timedelta(hours=rng.choice([1, 2, 2, 3])),
                time_zone=zone,
                rrule=f"FREQ=WEEKLY;COUNT={rng.randint(6, 26)}" if recurring else "",
                place_name=city,
                latitude=lat + rng.uniform(-0.05, 0.05),
                longitude=lon + rng.uniform(-0.05, 0.05),
                venue_name=f"Hall {index % 500}",
                address=f"{index % 300} Main Street",
                address_for_registered_only=private,
                attendance_mode=rng.choice(MODES),
                step_free=rng.random() < 0.5,
                hearing_loop=rng.random() < 0.2,
                childcare=rng.random() < 0.1,
                quiet_room=rng.random() < 0.1,
                language=rng.choice(LANGUAGES),
                status="cancelled" if rng.random() < 0.03 else "scheduled",
                sequence=rng.randint(0, 3),
                created_at=starts - timedelta(days=20),
                updated_at=starts - timedelta(days=10),
            )
        )
    insert(Event, events, "events")

    occurrences, hosts, promotions, topics, registrations = [], [], [], [], []
    Topic = Event.topics.through
    for event in events:
        if event.rrule:
            count = int(event.rrule.rsplit("=", 1)[1])
            # Weekly in UTC is close enough for the benchmark's shape (the app expands in the event's zone).
            for week in range(count):
                start = event.starts_at + timedelta(weeks=week)
                occurrences.append(
                    Occurrence(event_id=event.pk, starts_at=start, ends_at=start + (event.ends_at - event.starts_at))
                )
        else:
            occurrences.append(Occurrence(event_id=event.pk, starts_at=event.starts_at, ends_at=event.ends_at))
        roll = rng.random()
        if roll < 0.8 and circle_ids:
            hosts.append(EventHost(event_id=event.pk, circle_id=rng.choice(circle_ids)))
            if rng.random() < 0.1:
                hosts.append(EventHost(event_id=event.pk, circle_id=rng.choice(circle_ids), role="cohost"))
        elif roll < 0.9 and center_ids:
            hosts.append(EventHost(event_id=event.pk, center_id=rng.choice(center_ids)))
        else:
            hosts.append(EventHost(event_id=event.pk, person_id=rng.choice(person_ids)))
        if rng.random() < 0.1 and center_ids:
            promotions.append(Promotion(event_id=event.pk, center_id=rng.choice(center_ids)))
        for tag_id in rng.sample(tag_ids, k=min(len(tag_ids), rng.randint(1, 3))):
            topics.append(Topic(event_id=event.pk, tag_id=tag_id))
        for person_id in rng.sample(person_ids, k=min(len(person_ids), registrations_per_event)):
            registrations.append(
                Registration(
                    event_id=event.pk,
                    person_id=person_id,
                    status=RegistrationStatus.CONFIRMED,
                    code=get_random_string(12, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"),
                    confirmation_token=get_random_string(32),
                )
            )
    # Deduplicate co-hosts that drew the same circle twice (the table allows a circle once per event).
    seen: set[tuple[int, int | None, int | None, int | None]] = set()
    unique_hosts = []
    for host in hosts:
        key = (host.event_id, host.circle_id, host.center_id, host.person_id)
        if key not in seen:
            seen.add(key)
            unique_hosts.append(host)
    insert(Occurrence, occurrences, "occurrences")
    insert(EventHost, unique_hosts, "hosts")
    insert(Promotion, promotions, "promotions")
    insert(Topic, topics, "topics")
    insert(Registration, registrations, "registrations")
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000, help="events to create (default 100000)")
    parser.add_argument("--registrations", type=int, default=10, help="registrations per event (default 10)")
    parser.add_argument("--people", type=int, default=20_000, help="people to seed the network with (default 20000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--data", type=Path, help="use (and keep) this data folder; reuse its data if seeded")
    parser.add_argument("--show-sql", action="store_true", help="print the slowest query of every page")
    args = parser.parse_args()

    data = args.data or Path(tempfile.mkdtemp(prefix="freshground-calbench-"))
    data.mkdir(parents=True, exist_ok=True)
    setup(data)

    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from freshground.core.seeding import seed_network
    from freshground.events.models import Event, EventHost, Occurrence, Registration
    from freshground.people.models import Person

    try:
        call_command("migrate", verbosity=0, interactive=False)
        seed_s: float | None = None
        if not Event.objects.exists():
            started = time.perf_counter()
            if not Person.objects.exists():
                seed_network(args.people, seed=args.seed, stream=sys.stderr, interactive=False)
            seed_events(args.events, args.registrations, args.seed)
            seed_s = time.perf_counter() - started
        counts = {
            "events": Event.objects.count(),
            "recurring": Event.objects.exclude(rrule="").count(),
            "occurrences": Occurrence.objects.count(),
            "registrations": Registration.objects.count(),
        }
        busiest = (
            EventHost.objects.filter(circle__isnull=False)
            .values("circle__slug")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        circle_slug = busiest["circle__slug"] if busiest else ""
        today = timezone.now().date()
        later = today + timedelta(days=40)
        month = f"year={today.year}&month={today.month}"
        pages = [
            ("month", f"/events/month/?{month}"),
            ("month, next", f"/events/month/?year={later.year}&month={later.month}"),
            ("month, kind + access", f"/events/month/?{month}&kind=talk&access=step_free"),
            ("month, near Leeds 30 km", f"/events/month/?{month}&lat=53.8&lon=-1.55&km=30"),
            ("month, circle", f"/events/month/?{month}&circle={circle_slug}"),
            ("week", "/events/week/"),
            ("list (/events/)", "/events/"),
            ("list, page 20", "/events/list/?page=20"),
            ("list, city + online", "/events/list/?place=Glasgow&mode=online"),
            ("feed, whole calendar", "/events/calendar.ics"),
            ("feed, kind + city", "/events/calendar.ics?kind=study&place=Leeds"),
            ("feed, near + topic", "/events/calendar.ics?lat=51.5&lon=-0.13&km=50&language=en"),
            (f"feed, circle ({busiest['n'] if busiest else 0} events)", f"/circles/{circle_slug}/events.ics"),
            ("API calendar, a month", f"/api/v1/calendar?start={today}&end={later}"),
        ]
        client = Client()
        results = [measure(client, label, url, args.repeat, args.warmup) for label, url in pages]
        # The same feeds rendered afresh every time (as on the first request after any change to their events).
        from freshground.events import ical

        cached_for = ical.FEED_CACHE_SECONDS
        ical.FEED_CACHE_SECONDS = -1  # a negative timeout stores nothing: every request renders
        try:
            for label, url in pages:
                if label.startswith("feed"):
                    results.append(measure(client, f"{label}, uncached", url, args.repeat, args.warmup))
        finally:
            ical.FEED_CACHE_SECONDS = cached_for
    finally:
        if args.data is None:
            shutil.rmtree(data, ignore_errors=True)

    import os

    print(f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC  ")
    print(f"Machine: {machine()}  ")
    print(f"Load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}  ")
    seeded = f"{seed_s:.1f} s" if seed_s is not None else "reused existing data"
    print(
        f"Scale: {counts['events']} events ({counts['recurring']} recurring), {counts['occurrences']} occurrences, "
        f"{counts['registrations']} registrations; seed time: {seeded}; {args.repeat} requests per URL"
    )
    print()
    missed = print_report(results, show_sql=args.show_sql)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
