"""Registering under contention never over-fills an event or a timeslot (PostgreSQL: real row locks, real threads)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from freshground.events import services_registrations as services
from freshground.events.models import Event, Registration, RegistrationMode, RegistrationStatus, Timeslot
from freshground.testing import factories
from freshground.testing.events_factories import new_event, new_timeslot

THREADS = 16

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL (DATABASE_URL=postgres://…): SQLite serialises all writers, so there is no race to test.",
)


def _race(event: Event, timeslot: Timeslot | None, people: list[Any]) -> list[BaseException]:
    """Every person registers at the same moment, each thread on its own database connection."""
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def attempt(person) -> None:
        try:
            barrier.wait(timeout=10)
            services.register(person=person, event=Event.objects.get(pk=event.pk), timeslot=timeslot)
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
def test_concurrent_registrations_never_overfill_an_event():
    event = new_event(registration_mode=RegistrationMode.LIMITED, capacity=5)
    people = [factories.PersonFactory() for _ in range(THREADS)]
    errors = _race(event, None, people)
    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 5
    assert statuses.count(RegistrationStatus.WAITLISTED) == THREADS - 5
    event.refresh_from_db()
    assert (event.registered_count, event.waitlist_count) == (5, THREADS - 5)
    # The waiting list has a strict order: every waiting registration has its own place in it.
    order = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
        .order_by("waitlisted_at", "id")
        .values_list("id", flat=True)
    )
    assert len(order) == len(set(order)) == THREADS - 5


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_overfill_a_timeslot():
    event = new_event(registration_mode=RegistrationMode.LIMITED)
    slot = new_timeslot(event, capacity=3)
    people = [factories.PersonFactory() for _ in range(THREADS)]
    errors = _race(event, slot, people)
    assert errors == []
    slot.refresh_from_db()
    assert services.places_taken(event, slot) == 3
    assert slot.registered_count == 3


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_registration_makes_one():
    event = new_event(registration_mode=RegistrationMode.LIMITED, capacity=5)
    someone = factories.PersonFactory()
    errors = _race(event, None, [someone] * 8)
    assert len(errors) == 7
    assert all("already registered" in str(error) for error in errors)
    assert Registration.objects.filter(event=event).count() == 1
