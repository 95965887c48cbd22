"""Benchmark of unity vote latency under concurrent voting (issue 6: p95 < 50 ms on PostgreSQL).

Creates (or reuses) a PostgreSQL database, migrates it, seeds one open conversation with S statements and P anonymous
participants, then runs T threads at once, each with its own database connection, each casting N votes for random
(participant, statement, value) pairs — new votes and changed votes mixed, the analysis request stamped on the first
one as in production. Two modes: `service` calls `unity.services.vote` directly; `api` posts to
`/api/v1/unity/conversations/<slug>/votes` through Django's test client with the participant's `X-Participant-Key`
(routing, JSON, auth, the vote and the next statement). Prints p50/p95/p99 per vote, throughput and the load average;
exit status 1 when a p95 reaches 50 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fg_unity_bench uv run python bench/unity_votes.py
    … bench/unity_votes.py --threads 8 --votes 300 --participants 500 --statements 200 --mode service api
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "freshground.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fg_unity_bench")
os.environ.setdefault("FRESHGROUND_TASKS_IN_DB", "1")

TARGET_P95_MS = 50.0


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(participants: int, statements: int) -> tuple[int, list[int], list[tuple[int, str]]]:
    """One open conversation allowing anonymous votes; returns its id, statement ids, and (participant id, key)."""
    from freshground.people.models import Person
    from freshground.unity import analysis_runs, services
    from freshground.unity.models import Conversation, Participant, Statement

    Conversation.objects.filter(slug__startswith="bench-votes").delete()
    opener, _created = Person.objects.get_or_create(
        email="bench-unity@example.org", defaults={"display_name": "Bench opener"}
    )
    conversation = services.open_conversation(
        person=opener,
        title=f"Bench votes {time.time():.0f}",
        seed_statements=[f"Bench statement number {i}." for i in range(min(statements, 50))],
        allow_anonymous=True,
    )
    Statement.objects.bulk_create(
        [Statement(conversation=conversation, text=f"Bench statement number {i}.") for i in range(50, statements)]
    )
    Conversation.objects.filter(pk=conversation.pk).update(slug=f"bench-votes-{conversation.pk}")
    keys = []
    for _ in range(participants):
        participant, key = services.join_anonymously(actor=None, conversation=conversation)
        keys.append((participant.pk, key))
    analysis_runs.run_analysis(conversation)  # as in production: the voting order reads the last snapshot
    statement_ids = list(conversation.statements.values_list("pk", flat=True))
    assert Participant.objects.filter(conversation=conversation).count() == participants
    return conversation.pk, statement_ids, keys


def run(mode: str, conversation_id: int, statement_ids: list[int], keys: list[tuple[int, str]], threads: int,
        votes: int) -> tuple[list[float], float, int, float]:  # fmt: skip
    from django.db import connection
    from django.test import Client

    from freshground.unity import services
    from freshground.unity.models import Conversation, Participant, Statement

    slug = Conversation.objects.get(pk=conversation_id).slug
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def worker(number: int) -> None:
        rng = random.Random(number)
        client = Client() if mode == "api" else None
        statements = {s.pk: s for s in Statement.objects.select_related("conversation").filter(pk__in=statement_ids)}
        mine = keys[number::threads]
        participants = {p.pk: p for p in Participant.objects.filter(pk__in=[pk for pk, _key in mine])}
        own: list[float] = []
        barrier.wait()
        for _ in range(votes):
            participant_id, key = rng.choice(mine)
            statement_id = rng.choice(statement_ids)
            value = rng.choice((1, -1, 0))
            started = time.perf_counter()
            try:
                if client is not None:
                    response = client.post(
                        f"/api/v1/unity/conversations/{slug}/votes",
                        {"statement": statement_id, "value": value},
                        content_type="application/json",
                        HTTP_X_PARTICIPANT_KEY=key,
                        secure=True,
                    )
                    if response.status_code != 200:
                        raise RuntimeError(f"{response.status_code} {response.content[:200]!r}")
                else:
                    services.vote(
                        actor=None,
                        statement=statements[statement_id],
                        value=value,
                        participant=participants[participant_id],
                    )
            except Exception as error:
                with lock:
                    errors[0] += 1
                print(f"  error: {error}", file=sys.stderr)
                continue
            own.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(own)
        connection.close()

    started = time.perf_counter()
    cpu_started = time.process_time()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    cpu_ms = (time.process_time() - cpu_started) * 1000 / max(1, len(latencies))
    return latencies, time.perf_counter() - started, errors[0], cpu_ms


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--votes", type=int, default=250, help="votes per thread")
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--mode", nargs="+", default=["service", "api"], choices=["service", "api"])
    args = parser.parse_args()

    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        print("DATABASE_URL must point at PostgreSQL", file=sys.stderr)
        return 2
    ensure_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    print("migrating…", file=sys.stderr)
    call_command("migrate", verbosity=0)
    conversation_id, statement_ids, keys = seed(args.participants, args.statements)
    server = connection.cursor().connection.info.server_version
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Linux {platform.release()}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL {server // 10000}.{server % 10000}; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{args.threads} threads × {args.votes} votes, {args.participants} participants, {args.statements} statements\n"
    )
    print("| mode | threads | votes | errors | p50 ms | p95 ms | p99 ms | votes/s | CPU ms/vote |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed = False
    for mode in args.mode:
        run(mode, conversation_id, statement_ids, keys, args.threads, 10)  # warm-up
        latencies, seconds, errors, cpu_ms = run(mode, conversation_id, statement_ids, keys, args.threads, args.votes)
        p95 = percentile(latencies, 95)
        failed |= p95 >= TARGET_P95_MS or errors > 0
        print(
            f"| {mode} | {args.threads} | {len(latencies)} | {errors} | {statistics.median(latencies):.1f} | "
            f"{p95:.1f} | {percentile(latencies, 99):.1f} | {len(latencies) / seconds:.0f} | {cpu_ms:.1f} |"
        )
    print(f"\nload after: {os.getloadavg()[0]:.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
