"""Benchmark a big debate's pages on a seeded SQLite database.

Seeds a network (default 2000 people) with core.seeding, then bulk-creates one debate with P positions (default 20),
A arguments (default 50000) spread over its positions and sides with cached bridging scores, and C comments (default
10000, a quarter of them replies) on the debate itself, plus 200 smaller debates for the list; then times the debate
page (anonymous and signed in), a position's ranked arguments (first and a deep page), an argument, the list and the
API through Django's test client in-process, and prints a Markdown table like bench/directory_pages.py (whose helpers
it reuses).

    uv run python bench/debate_pages.py
    uv run python bench/debate_pages.py --arguments 5000 --comments 1000 --repeat 15
    uv run python bench/debate_pages.py --data /tmp/fg-debate      # keep, and reuse on the next run
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from directory_pages import machine, measure, print_report, setup

BATCH = 5000
BIG_SLUG = "bench-big-debate"


def seed_debates(n_positions: int, n_arguments: int, n_comments: int, seed: int) -> dict[str, float]:
    """Bulk-create the big debate and everything hanging off it; return the seconds each part took."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from freshground.debate.models import Argument, Comment, Conviction, Debate, Position
    from freshground.network.models import Circle
    from freshground.people.models import Person

    rng = random.Random(seed)
    timings: dict[str, float] = {}
    now = timezone.now()
    person_ids = list(Person.objects.values_list("id", flat=True))
    circle = Circle.objects.order_by("-member_count").first()

    def insert(model: type, rows: list, label: str) -> None:
        started = time.perf_counter()
        for offset in range(0, len(rows), BATCH):
            with transaction.atomic():
                model.objects.bulk_create(rows[offset : offset + BATCH])
        timings[label] = time.perf_counter() - started
        print(f"  {label}: {len(rows)} rows in {timings[label]:.1f} s", file=sys.stderr)

    opening = "\n\n".join(f"Paragraph {i} of the opening statement, long enough to matter. " * 4 for i in range(8))
    big = Debate.objects.create(
        slug=BIG_SLUG,
        question="Should circles in one region federate?",
        opening_statement=opening,
        opening_html="".join(f"<p>Paragraph {i} of the opening statement.</p>" for i in range(8)),
        opened_by_id=person_ids[0],
        circle=circle,
        created_at=now - timedelta(days=30),
    )
    small = [
        Debate(
            slug=f"bench-debate-{i}",
            question=f"Bench question number {i}?",
            opening_statement="Discuss.",
            opening_html="<p>Discuss.</p>",
            opened_by_id=rng.choice(person_ids),
            state="closed" if i % 3 == 0 else "open",
            last_activity_at=now - timedelta(hours=i),
        )
        for i in range(200)
    ]
    insert(Debate, small, "small debates")
    positions = [Position(debate=big, title=f"Position {i}", order=i) for i in range(n_positions)]
    insert(Position, positions, "positions")
    position_ids = list(big.positions.values_list("id", flat=True))
    arguments = []
    for index in range(n_arguments):
        convinced = int(rng.paretovariate(1.5)) - 1
        groups = min(convinced, rng.randint(0, 6))
        arguments.append(
            Argument(
                position_id=rng.choice(position_ids),
                debate=big,
                side=rng.choice(("for", "against")),
                author_id=rng.choice(person_ids),
                body=f"Argument {index}: because it follows from what we agreed.",
                body_html=f"<p>Argument {index}: because it follows from what we agreed.</p>",
                created_at=now - timedelta(minutes=n_arguments - index),
                convinced_count=convinced,
                group_count=groups,
                bridging_score=round(groups + rng.random(), 6) if convinced else 0.0,
            )
        )
    insert(Argument, arguments, "arguments")
    top_ids = list(Argument.objects.filter(debate=big).order_by("-bridging_score").values_list("id", flat=True)[:200])
    convictions = [
        Conviction(argument_id=argument_id, person_id=person_id)
        for argument_id in top_ids
        for person_id in rng.sample(person_ids, 10)
    ]
    insert(Conviction, convictions, "convictions")
    thread_type = ContentType.objects.get_for_model(Debate)
    top_level = int(n_comments * 0.75)
    comments = [
        Comment(
            thread_type=thread_type,
            thread_id=big.pk,
            author_id=rng.choice(person_ids),
            body=f"Comment {i}",
            body_html=f"<p>Comment {i}</p>",
            created_at=now - timedelta(minutes=n_comments - i),
        )
        for i in range(top_level)
    ]
    insert(Comment, comments, "top-level comments")
    roots = list(Comment.objects.filter(thread_id=big.pk, parent__isnull=True).values_list("id", flat=True))
    replies = []
    for i in range(n_comments - top_level):
        root = rng.choice(roots)
        replies.append(
            Comment(
                thread_type=thread_type,
                thread_id=big.pk,
                parent_id=root,
                root_id=root,
                depth=1,
                author_id=rng.choice(person_ids),
                body=f"Reply {i}",
                body_html=f"<p>Reply {i}</p>",
                created_at=now - timedelta(seconds=n_comments - i),
            )
        )
    insert(Comment, replies, "replies")
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arguments", type=int, default=50_000)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--positions", type=int, default=20)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--data", type=Path, help="use (and keep) this data folder; reuse its data if seeded")
    parser.add_argument("--show-sql", action="store_true", help="print the slowest query of every page")
    args = parser.parse_args()

    data = args.data or Path(tempfile.mkdtemp(prefix="freshground-debatebench-"))
    data.mkdir(parents=True, exist_ok=True)
    setup(data)

    from django.core.management import call_command
    from django.test import Client

    from freshground.core.seeding import seed_network
    from freshground.debate.models import Argument, Comment, Debate
    from freshground.people.models import Person

    try:
        call_command("migrate", verbosity=0, interactive=False)
        seed_s: float | None = None
        if not Debate.objects.filter(slug=BIG_SLUG).exists():
            started = time.perf_counter()
            if not Person.objects.exists():
                seed_network(args.people, seed=args.seed, stream=sys.stderr, interactive=False)
            seed_debates(args.positions, args.arguments, args.comments, args.seed)
            seed_s = time.perf_counter() - started
        big = Debate.objects.get(slug=BIG_SLUG)
        position = big.positions.order_by("order").first()
        argument = Argument.objects.filter(debate=big).order_by("-bridging_score").first()
        assert position is not None
        assert argument is not None
        pages = [
            ("debate page", f"/debates/{BIG_SLUG}/"),
            ("debate page, comments page 2", f"/debates/{BIG_SLUG}/?page=2"),
            ("position, arguments for", f"/debates/{BIG_SLUG}/positions/{position.pk}/?side=for"),
            ("position, page 50", f"/debates/{BIG_SLUG}/positions/{position.pk}/?side=against&page=50"),
            ("argument", f"/arguments/{argument.pk}/"),
            ("list (/debates/)", "/debates/"),
            ("list, open + search", "/debates/?state=open&q=number"),
            ("API debate", f"/api/v1/debates/{BIG_SLUG}"),
        ]
        client = Client()
        results = [measure(client, label, url, args.repeat, args.warmup) for label, url in pages]
        signed_in = Client()
        viewer = Person.objects.order_by("id")[5]
        signed_in.force_login(viewer)
        results.append(measure(signed_in, "debate page, signed in", f"/debates/{BIG_SLUG}/", args.repeat, args.warmup))
        print(f"Machine: {machine()}")
        print(
            f"Big debate: {big.positions.count()} positions, {Argument.objects.filter(debate=big).count()} arguments, "
            f"{Comment.objects.filter(thread_id=big.pk).count()} comments; {Debate.objects.count()} debates in all."
        )
        if seed_s is not None:
            print(f"Seeding took {seed_s:.0f} s.")
        print()
        missed = print_report(results, show_sql=args.show_sql)
        return 1 if missed else 0
    finally:
        if not args.data:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
