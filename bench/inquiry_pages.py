"""Benchmark the workers' inquiry pages with 1,000,000 answers on a seeded SQLite database.

Creates one inquiry through the services (eight questions: three single choice, one multiple choice, two scales,
a short and a long text), publishes it, bulk-creates N answer rows (default 1000000) grouped in submissions and
counts them into the results tallies with services.rebuild_tallies (timed), then times the results page (warm, and
cold: right after a new submission, which is what used to force a recount of every answer), one submission through
services.submit_answers (the write path that now also bumps the tallies), the inquiry page with its answer form,
the list, the results API and the editor page, and prints a Markdown table like bench/directory_pages.py (whose
helpers it reuses).

    uv run python bench/inquiry_pages.py --answers 1000000
    uv run python bench/inquiry_pages.py --answers 100000 --data /tmp/fg-inq   # keep, and reuse on the next run
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from directory_pages import Result, machine, measure, print_report, setup

BATCH = 10_000


def seed_inquiry(n_answers: int, seed: int) -> tuple[str, float, float]:
    """One published inquiry and about n_answers answer rows; returns its slug, the seconds the seed took and the
    seconds rebuild_tallies took to count them."""
    from django.db import transaction

    from freshground.inquiries import services
    from freshground.inquiries.models import Answer, Inquiry, QuestionKind, random_key
    from freshground.inquiries.services import InquiryFields, QuestionFields
    from freshground.people.models import Person

    started = time.perf_counter()
    rng = random.Random(seed)
    admin = Person.objects.create_user(
        email="bench-admin@example.org", password=None, display_name="Bench Admin", is_staff=True, is_superuser=True
    )
    inquiry = services.create_inquiry(admin, fields=InquiryFields(title="Conditions in warehouses and logistics"))
    specs = [
        QuestionFields(kind=QuestionKind.SINGLE, text="Your job", options=["Picker", "Packer", "Driver", "Other"]),
        QuestionFields(kind=QuestionKind.SINGLE, text="Contract", options=["Permanent", "Agency", "Zero hours"]),
        QuestionFields(kind=QuestionKind.SINGLE, text="Union at work?", options=["Yes", "No", "Don't know"]),
        QuestionFields(
            kind=QuestionKind.MULTIPLE,
            text="What is hardest?",
            options=["Pace", "Heat", "Surveillance", "Pay", "Hours", "Injuries", "Managers"],
        ),
        QuestionFields(kind=QuestionKind.SCALE, text="Safety", scale_min_label="unsafe", scale_max_label="safe"),
        QuestionFields(kind=QuestionKind.SCALE, text="Pressure", scale_min=0, scale_max=10),
        QuestionFields(kind=QuestionKind.SHORT_TEXT, text="Your site"),
        QuestionFields(kind=QuestionKind.LONG_TEXT, text="What would you change?"),
    ]
    for spec in specs:
        services.add_question(admin, inquiry, fields=spec)
    services.publish_inquiry(admin, inquiry)
    questions = list(inquiry.questions.prefetch_related("options").order_by("position"))
    options = {q.pk: [o.pk for o in q.options.all()] for q in questions}
    words = [
        "heat",
        "pace",
        "break",
        "shift",
        "manager",
        "scanner",
        "target",
        "injury",
        "pay",
        "union",
        "rota",
        "night",
        "agency",
        "contract",
    ]

    rows: list[Answer] = []
    made = 0
    responses = 0

    def flush() -> None:
        nonlocal rows
        Answer.objects.bulk_create(rows, batch_size=BATCH)
        rows = []

    with transaction.atomic():
        while made < n_answers:
            response = random_key()
            responses += 1
            for q in questions:
                if q.kind == QuestionKind.SINGLE:
                    rows.append(Answer(question=q, response=response, option_id=rng.choice(options[q.pk])))
                elif q.kind == QuestionKind.MULTIPLE:
                    for option_id in rng.sample(options[q.pk], rng.randint(1, 3)):
                        rows.append(Answer(question=q, response=response, option_id=option_id))
                elif q.kind == QuestionKind.SCALE:
                    rows.append(Answer(question=q, response=response, number=rng.randint(q.scale_min, q.scale_max)))
                elif rng.random() < 0.25:
                    text = " ".join(rng.choice(words) for _ in range(rng.randint(2, 30)))
                    rows.append(Answer(question=q, response=response, text=text))
            if len(rows) >= BATCH:
                made += len(rows)
                flush()
        made += len(rows)
        flush()
        Inquiry.objects.filter(pk=inquiry.pk).update(answer_count=responses)
    seeded = time.perf_counter() - started
    # The answers were written around submit_answers: count them once, as the rebuild command would.
    started = time.perf_counter()
    tallies = services.rebuild_tallies(inquiry=inquiry)
    rebuild = time.perf_counter() - started
    print(f"seeded {made} answers in {responses} submissions; {tallies} tally rows in {rebuild:.1f} s", file=sys.stderr)
    return inquiry.slug, seeded, rebuild


def submit_one(slug: str, rng: random.Random) -> None:
    """One more submission through the service, as the answer form sends it."""
    from freshground.inquiries import services
    from freshground.inquiries.models import Inquiry, QuestionKind

    inquiry = Inquiry.objects.get(slug=slug)
    answers: dict[int, services.AnswerValue] = {}
    for q in inquiry.questions.prefetch_related("options"):
        options = [o.pk for o in q.options.all()]
        if q.kind == QuestionKind.SINGLE:
            answers[q.pk] = rng.choice(options)
        elif q.kind == QuestionKind.MULTIPLE:
            answers[q.pk] = rng.sample(options, rng.randint(1, 3))
        elif q.kind == QuestionKind.SCALE:
            answers[q.pk] = rng.randint(q.scale_min, q.scale_max)
        elif rng.random() < 0.25:
            answers[q.pk] = "night shift target"
    services.submit_answers(inquiry=inquiry, answers=answers, token=services.issue_token(inquiry))


def measure_cold(client: object, label: str, url: str, slug: str, repeat: int) -> Result:
    """Like measure(), with a new submission before each timed request (not timed itself): the results must then
    account for an answer they have never seen."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(99)
    submit_one(slug, rng)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)  # type: ignore[attr-defined]
    queries = list(captured.captured_queries)
    slowest = max(queries, key=lambda q: float(q["time"]), default={"time": "0", "sql": ""})
    timings, cpu = [], []
    for _ in range(repeat):
        submit_one(slug, rng)
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)  # type: ignore[attr-defined]
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return Result(
        label, url, timings, cpu, len(queries), float(slowest["time"]) * 1000, str(slowest["sql"]), response.status_code
    )


def measure_submit(slug: str, repeat: int) -> Result:
    """services.submit_answers itself: validation, the answer rows, the tally bumps, the inquiry's count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(7)
    with CaptureQueriesContext(connection) as captured:
        submit_one(slug, rng)
    queries = list(captured.captured_queries)
    slowest = max(queries, key=lambda q: float(q["time"]), default={"time": "0", "sql": ""})
    timings, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        submit_one(slug, rng)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return Result(
        "one submission (service)",
        "services.submit_answers",
        timings,
        cpu,
        len(queries),
        float(slowest["time"]) * 1000,
        str(slowest["sql"]),
        200,
    )


def reset_storages() -> None:
    """setup() swaps in plain static file storage, but a storage touched while Django set up (the reports app's
    private storage) has already fixed the storage handler's backends: reset them as override_settings would."""
    from django.conf import settings
    from django.test.signals import setting_changed

    setting_changed.send(sender=type(settings), setting="STORAGES", value=settings.STORAGES, enter=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=1_000_000, help="answer rows to create (default 1000000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per URL")
    parser.add_argument("--cold-repeat", type=int, default=20, help="timed requests right after a new answer")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--data", type=Path, help="use (and keep) this data folder; reuse its data if seeded")
    parser.add_argument("--show-sql", action="store_true")
    args = parser.parse_args()

    data = args.data or Path(tempfile.mkdtemp(prefix="freshground-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    setup(data)
    reset_storages()

    from django.core.management import call_command
    from django.test import Client

    from freshground.inquiries.models import Answer, Inquiry
    from freshground.people.models import Person

    try:
        call_command("migrate", verbosity=0, interactive=False)
        seed_s: float | None = None
        rebuild_s: float | None = None
        inquiry = Inquiry.objects.order_by("id").first()
        if inquiry is None:
            slug, seed_s, rebuild_s = seed_inquiry(args.answers, args.seed)
            inquiry = Inquiry.objects.get(slug=slug)
        answers = Answer.objects.count()
        admin = Person.objects.get(email="bench-admin@example.org")
        client = Client()
        results_url = f"/inquiries/{inquiry.slug}/results/"
        results = [
            measure(client, "results (warm)", results_url, args.repeat, args.warmup),
            measure_cold(client, "results (cold: after a new answer)", results_url, inquiry.slug, args.cold_repeat),
            measure_submit(inquiry.slug, args.cold_repeat),
            measure(client, "results API (warm)", f"/api/v1/inquiries/{inquiry.slug}/results", args.repeat, 1),
            measure(client, "inquiry + answer form", f"/inquiries/{inquiry.slug}/", args.repeat, args.warmup),
            measure(client, "inquiry list", "/inquiries/", args.repeat, args.warmup),
        ]
        editor = Client()
        editor.force_login(admin)
        results.append(measure(editor, "editor page", f"/inquiry-editor/{inquiry.slug}/", args.repeat, args.warmup))
        inquiry.refresh_from_db()
    finally:
        if args.data is None:
            shutil.rmtree(data, ignore_errors=True)

    print(f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC  ")
    print(f"Machine: {machine()}  ")
    print(f"Load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}  ")
    seeded = f"{seed_s:.1f} s" if seed_s is not None else "reused existing data"
    rebuilt = f"; tallies rebuilt from the answers in {rebuild_s:.1f} s" if rebuild_s is not None else ""
    print(f"Scale: {answers} answers in {inquiry.answer_count} submissions; seed time: {seeded}{rebuilt}")
    print()
    missed = print_report(results, show_sql=args.show_sql)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
