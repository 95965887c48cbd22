"""The same person voting twice at once stores exactly one participation and one ballot (PostgreSQL: real row
locks, real threads)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from freshground.decisions import services_voting
from freshground.decisions.models import Ballot, Decision, Participation
from freshground.decisions.tests.helpers import campaign_with_sponsors, new_decision
from freshground.testing import factories

THREADS = 8

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL (DATABASE_URL=postgres://…): SQLite serialises all writers, so there is no race to test.",
)


def _race(decision: Decision, people: list[Any], ranking: list[str]) -> list[BaseException]:
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def attempt(person: Any) -> None:
        try:
            barrier.wait(timeout=10)
            services_voting.cast_vote(
                person=person,
                decision=Decision.objects.get(pk=decision.pk),
                given=services_voting.BallotInput(ranking=ranking),
            )
        except Exception as error:  # a refusal or a crash: the test reports both
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_one_person_voting_at_once_stores_one_vote():
    admin = factories.PersonFactory(is_staff=True)
    decision = new_decision(admin, None, method="irv")
    someone = factories.PersonFactory()
    errors = _race(decision, [someone] * THREADS, ["alpha", "bravo"])
    assert len(errors) == THREADS - 1
    assert all("already voted" in str(error) for error in errors), errors
    assert Participation.objects.filter(decision=decision).count() == 1
    assert Ballot.objects.filter(decision=decision).count() == 1
    decision.refresh_from_db()
    assert decision.participant_count == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_organisers_of_one_sponsor_at_once_store_one_vote():
    circle = factories.CircleFactory()
    organisers = [factories.PersonFactory() for _ in range(4)]
    for person in organisers:
        factories.add_member(circle, person, "organiser")
    campaign = campaign_with_sponsors(circle)
    decision = new_decision(organisers[0], campaign, method="schulze", electorate="campaign_sponsors")
    errors = _race(decision, organisers, ["bravo", "alpha"])
    assert len(errors) == 3
    assert all("already voted" in str(error) for error in errors), errors
    assert Participation.objects.filter(decision=decision).count() == 1
    assert Ballot.objects.filter(decision=decision).count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_many_people_at_once_all_count():
    admin = factories.PersonFactory(is_staff=True)
    decision = new_decision(admin, None, method="irv")
    people = [factories.PersonFactory() for _ in range(THREADS)]
    assert _race(decision, people, ["charlie"]) == []
    decision.refresh_from_db()
    assert decision.participant_count == THREADS == Ballot.objects.filter(decision=decision).count()
