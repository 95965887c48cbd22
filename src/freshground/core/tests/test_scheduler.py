from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.tasks import task

from freshground.core import scheduler
from freshground.core.models import PeriodicRun

pytestmark = pytest.mark.django_db(transaction=True)

scheduler.autodiscover()
REAL_REGISTRY = dict(scheduler._registry)
CALLS: list[str] = []


@task
def record_call() -> None:
    CALLS.append("ran")


@task
def always_fails_to_enqueue() -> None:  # pragma: no cover - never runs
    CALLS.append("never")


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    monkeypatch.setattr(scheduler, "_registry", {})
    CALLS.clear()
    yield
    CALLS.clear()


NOON = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)


def test_slots_are_aligned_to_the_epoch():
    assert scheduler.slot_start(NOON, timedelta(days=1)) == datetime(2025, 3, 4, tzinfo=UTC)
    assert scheduler.slot_start(NOON + timedelta(minutes=7), timedelta(minutes=5)) == datetime(
        2025, 3, 4, 12, 5, tzinfo=UTC
    )


def test_a_due_task_is_enqueued_once_per_slot():
    scheduler.register(record_call, every=timedelta(hours=1), name="test.record")
    assert scheduler.run_due(NOON) == ["test.record"]
    # A second worker (or a second tick) in the same slot does nothing.
    assert scheduler.run_due(NOON) == []
    assert scheduler.run_due(NOON + timedelta(minutes=59)) == []
    assert CALLS == ["ran"]
    assert PeriodicRun.objects.get(name="test.record").last_run_at == NOON
    # The next slot runs again.
    assert scheduler.run_due(NOON + timedelta(hours=1, seconds=1)) == ["test.record"]
    assert CALLS == ["ran", "ran"]


def test_the_periodic_decorator_registers_with_a_default_name():
    decorated = scheduler.periodic(every=timedelta(minutes=10))(record_call)
    assert decorated is record_call
    assert [job.name for job in scheduler.jobs()] == [record_call.module_path]


def test_disabled_jobs_are_skipped():
    scheduler.register(record_call, every=timedelta(hours=1), name="test.off", enabled=lambda: False)
    assert scheduler.run_due(NOON) == []
    assert not PeriodicRun.objects.exists()


def test_a_failed_enqueue_releases_the_slot(monkeypatch):
    scheduler.register(always_fails_to_enqueue, every=timedelta(hours=1), name="test.fails")

    def refuse(*args, **kwargs):
        raise RuntimeError("queue is down")

    with monkeypatch.context() as patched:
        patched.setattr(type(always_fails_to_enqueue), "enqueue", refuse)
        assert scheduler.run_due(NOON) == []
    scheduler.register(record_call, every=timedelta(hours=1), name="test.fails")
    assert scheduler.run_due(NOON) == ["test.fails"]
    assert CALLS == ["ran"]


def test_core_housekeeping_jobs_are_registered(monkeypatch):
    scheduler.autodiscover()
    monkeypatch.setattr(scheduler, "_registry", dict(REAL_REGISTRY))
    names = [job.name for job in scheduler.jobs()]
    assert "core.clear_expired_sessions" in names
    assert "core.prune_task_results" in names
    # The test settings use the immediate backend: pruning the database queue is off, clearing sessions runs.
    enqueued = scheduler.run_due(NOON)
    assert "core.clear_expired_sessions" in enqueued
    assert "core.prune_task_results" not in enqueued


def test_tick_never_raises(monkeypatch):
    def boom(now=None):
        raise RuntimeError("database gone")

    monkeypatch.setattr(scheduler, "run_due", boom)
    assert scheduler.tick() == []
