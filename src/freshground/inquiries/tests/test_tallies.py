"""Tallies: the counts behind the results page are exact, kept in the submission's transaction, rebuilt identically
from the answers (by the service, the command and the migration), hold nothing but counts, and survive concurrent
submissions on PostgreSQL without a lost update."""

from __future__ import annotations

import importlib
import io
import random
import threading
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, connections

from freshground.inquiries import queries, services
from freshground.inquiries.models import Answer, Inquiry, Tally, random_key
from freshground.inquiries.tests.helpers import answer, clear_cache, fill, make_inquiry, questions
from freshground.testing import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def snapshot(inquiry: Inquiry) -> dict[tuple[int, int | None, int | None], int]:
    return {
        (q, o, n): count
        for q, o, n, count in Tally.objects.filter(question__inquiry=inquiry).values_list(
            "question_id", "option_id", "number", "count"
        )
        if count
    }


def expected_from_answers(inquiry: Inquiry) -> dict[tuple[int, int | None, int | None], int]:
    """The counts worked out in Python from the answer rows: what every tally must equal."""
    rows = list(
        Answer.objects.filter(question__inquiry=inquiry).values_list("question_id", "option_id", "number", "response")
    )
    counts: Counter[tuple[int, int | None, int | None]] = Counter()
    for question_id, option_id, number, _response in rows:
        if option_id is not None or number is not None:
            counts[(question_id, option_id, number)] += 1
    for question_id, _response in {(q, r) for q, _o, _n, r in rows}:
        counts[(question_id, None, None)] += 1
    return dict(counts)


def random_answers(inquiry: Inquiry, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for _ in range(n):
        answer(
            inquiry,
            choice=rng.randrange(2),
            picks=tuple(rng.sample(range(3), rng.randint(0, 3))),
            scale=rng.randint(1, 5),
            text=rng.choice(["", "", "Too hot.", "Short breaks."]),
        )
    inquiry.refresh_from_db()


@pytest.mark.django_db
def test_counts_are_exact_and_answered_counts_people(cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    fill(inquiry, 3, choice=0, picks=(0, 1), scale=2, text="Hot.")
    fill(inquiry, 2, choice=1, picks=(), scale=5, text="")
    single, multiple, scale, text = questions(inquiry)
    results = queries.results_of(inquiry)
    assert results is not None
    assert results.answer_count == 5
    by_id = {r.question_id: r for r in results.questions}
    assert by_id[single.pk].rows == [("Yes", 3), ("No", 2)]
    assert by_id[single.pk].answered == 5
    assert by_id[multiple.pk].rows == [("Heat", 3), ("Pace", 3), ("Pay", 0)]
    assert by_id[multiple.pk].answered == 3  # people who chose anything, not the 6 selections
    assert by_id[scale.pk].rows == [("1", 0), ("2", 3), ("3", 0), ("4", 0), ("5", 2)]
    assert by_id[scale.pk].answered == 5
    assert by_id[text.pk].rows == []
    assert by_id[text.pk].answered == 3
    assert snapshot(inquiry) == expected_from_answers(inquiry)


@pytest.mark.django_db
def test_a_refused_submission_counts_nothing(cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    fill(inquiry, 2)
    before = snapshot(inquiry)
    single, *_rest = questions(inquiry)
    with pytest.raises(services.AnswerErrors):
        services.submit_answers(inquiry=inquiry, answers={single.pk: -5}, token=services.issue_token(inquiry))
    token = services.issue_token(inquiry)
    services.submit_answers(inquiry=inquiry, answers={single.pk: single.options.first().pk}, token=token)
    with pytest.raises(services.Conflict):
        services.submit_answers(inquiry=inquiry, answers={single.pk: single.options.first().pk}, token=token)
    after = snapshot(inquiry)
    assert (
        after[(single.pk, single.options.first().pk, None)] == before[(single.pk, single.options.first().pk, None)] + 1
    )
    assert after == expected_from_answers(inquiry)


@pytest.mark.django_db
def test_rebuild_equals_incremental_and_repairs_drift(cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    other = make_inquiry(cast.organiser, circle=cast.circle, title="Other")
    random_answers(inquiry, 40)
    random_answers(other, 7, seed=3)
    incremental, incremental_other = snapshot(inquiry), snapshot(other)
    assert incremental == expected_from_answers(inquiry)

    services.rebuild_tallies(inquiry=inquiry)
    assert snapshot(inquiry) == incremental
    assert snapshot(other) == incremental_other

    Tally.objects.filter(question__inquiry=inquiry).update(count=999)  # drift, or answers written around services
    Tally.objects.filter(question__inquiry=other).delete()
    out = io.StringIO()
    call_command("inquiries_rebuild_tallies", stdout=out)
    assert "Wrote" in out.getvalue()
    assert snapshot(inquiry) == incremental
    assert snapshot(other) == incremental_other
    # And counting goes on from the rebuilt rows.
    answer(inquiry)
    assert snapshot(inquiry) == expected_from_answers(inquiry)


@pytest.mark.django_db
def test_migration_backfill_equals_incremental(cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    random_answers(inquiry, 25)
    incremental = snapshot(inquiry)
    Tally.objects.all().delete()
    migration = importlib.import_module("freshground.inquiries.migrations.0002_tally")
    migration.backfill(apps, None)
    assert snapshot(inquiry) == incremental


def test_tallies_hold_only_counts():
    fields = {field.name for field in Tally._meta.get_fields()}
    assert fields == {"id", "question", "option", "number", "count"}
    # Random, not sequential: the first rows would otherwise be the first person's choices.
    assert Tally._meta.pk.default is random_key


@pytest.mark.django_db
def test_tally_ids_are_not_a_sequence(cast):
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    answer(inquiry, choice=1, picks=(2,), scale=5)
    fill(inquiry, 3, choice=0, picks=(0, 1), scale=1)
    ids = list(Tally.objects.values_list("pk", flat=True))
    assert len(ids) == 11  # 2 + 3 options, 2 scale values, 4 questions answered
    assert min(ids) > 2**32  # random 62-bit keys (a chance of 1 in 2**30 per row of failing)


@pytest.mark.django_db
def test_the_k_rule_holds_with_tallies_present(cast, settings):
    settings.FRESHGROUND = {**settings.FRESHGROUND, "INQUIRY_MIN_ANSWERS": 3}
    inquiry = make_inquiry(cast.organiser, circle=cast.circle)
    fill(inquiry, 2)
    assert Tally.objects.filter(question__inquiry=inquiry).exists()
    assert queries.results_of(inquiry) is None
    fill(inquiry, 1)
    assert queries.results_of(inquiry) is not None


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL (DATABASE_URL=postgres://…): SQLite serialises all writers, so there is no race to test.",
)
THREADS = 12
ROUNDS = 3


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_lose_no_count():
    editor = factories.PersonFactory(is_staff=True, is_superuser=True)
    inquiry = make_inquiry(editor)
    single, multiple, scale, text = questions(inquiry)
    yes, no = single.options.all()
    heat, pace, pay = multiple.options.all()
    errors: list[BaseException] = []

    def submit(i: int, barrier: threading.Barrier) -> None:
        try:
            barrier.wait(timeout=10)
            services.submit_answers(
                inquiry=Inquiry.objects.get(pk=inquiry.pk),
                answers={
                    single.pk: (yes if i % 2 else no).pk,
                    multiple.pk: [heat.pk, pay.pk] if i % 3 else [pace.pk],
                    scale.pk: 1 + i % 5,
                    text.pk: "Hot." if i % 4 == 0 else "",
                },
                token=services.issue_token(inquiry),
            )
        except BaseException as error:  # a deadlock or a crash: the test reports it
            errors.append(error)
        finally:
            connections.close_all()

    for _round in range(ROUNDS):  # the first round races to create the tally rows, the next ones to update them
        barrier = threading.Barrier(THREADS)
        threads = [threading.Thread(target=submit, args=(i, barrier)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    inquiry.refresh_from_db()
    assert inquiry.answer_count == THREADS * ROUNDS
    counts = snapshot(inquiry)
    assert counts == expected_from_answers(inquiry)
    assert counts[(single.pk, None, None)] == THREADS * ROUNDS
    assert counts[(single.pk, yes.pk, None)] == ROUNDS * sum(1 for i in range(THREADS) if i % 2)
    assert counts[(multiple.pk, pace.pk, None)] == ROUNDS * sum(1 for i in range(THREADS) if i % 3 == 0)
    assert sum(counts[(scale.pk, None, v)] for v in range(1, 6)) == THREADS * ROUNDS
