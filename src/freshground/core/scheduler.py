"""Periodic jobs: a registry of django.tasks Tasks and the loop that enqueues each one once per time slot.

Time is cut into slots of `every` counted from the Unix epoch (a daily job's slot starts at midnight UTC). Whoever
first moves a job's `PeriodicRun.last_run_at` forward to the current slot — with one conditional UPDATE, which the
database serialises — enqueues it; every other worker sees zero rows updated and does nothing. So any number of
workers may run the scheduler.

    @periodic(every=timedelta(hours=1))
    @task
    def tidy_up() -> None: ...
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, close_old_connections, connections, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from freshground.core.models import PeriodicRun

logger = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
T = TypeVar("T", bound=Task[Any, Any])


def _always() -> bool:
    return True


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: Task[Any, Any]
    enabled: Callable[[], bool] = _always


_registry: dict[str, PeriodicJob] = {}


def register(
    task: Task[Any, Any], *, every: timedelta, name: str | None = None, enabled: Callable[[], bool] = _always
) -> PeriodicJob:
    """Run `task` (with no arguments) once every `every`. Registering the same name again replaces it."""
    if every < timedelta(seconds=1):
        raise ValueError("A periodic job runs at most once a second.")
    job = PeriodicJob(name=name or task.module_path, every=every, task=task, enabled=enabled)
    if len(job.name) > PeriodicRun._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValueError(f"Periodic job name too long: {job.name!r}")
    _registry[job.name] = job
    return job


def unregister(name: str) -> None:
    _registry.pop(name, None)


def periodic(*, every: timedelta, name: str | None = None, enabled: Callable[[], bool] = _always) -> Callable[[T], T]:
    """Decorator form of `register`, placed above `@task`."""

    def decorate(task: T) -> T:
        register(task, every=every, name=name, enabled=enabled)
        return task

    return decorate


def jobs() -> list[PeriodicJob]:
    return sorted(_registry.values(), key=lambda job: job.name)


def autodiscover() -> None:
    """Import every installed app's tasks module, where periodic jobs register themselves."""
    autodiscover_modules("tasks")


def slot_start(now: datetime, every: timedelta) -> datetime:
    """The start of the slot that `now` falls in."""
    slots = (now - EPOCH) // every
    return EPOCH + slots * every


def _claim(job: PeriodicJob, slot: datetime) -> bool:
    """Move the job's last run to `slot`, if nobody has yet. True for exactly one caller per slot."""
    if not PeriodicRun.objects.filter(name=job.name).exists():
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=job.name, last_run_at=slot - job.every)
        except IntegrityError:
            pass  # another worker created it first; the UPDATE below decides who runs
    updated = PeriodicRun.objects.filter(name=job.name, last_run_at__lt=slot).update(last_run_at=slot)
    return updated == 1


def run_due(now: datetime | None = None) -> list[str]:
    """Enqueue every registered job whose current slot nobody has claimed yet. Returns the names enqueued."""
    moment = now or timezone.now()
    enqueued: list[str] = []
    for job in jobs():
        if not job.enabled():
            continue
        slot = slot_start(moment, job.every)
        try:
            # Claim and enqueue together: if enqueueing fails, the claim is rolled back and the next tick retries.
            with transaction.atomic():
                if not _claim(job, slot):
                    continue
                job.task.enqueue()
        except Exception:
            logger.exception("Could not enqueue periodic job %s", job.name)
            continue
        enqueued.append(job.name)
    return enqueued


def tick() -> list[str]:
    """One scheduler step with fresh database connections; never raises (a worker must outlive a bad tick)."""
    names: list[str] = []
    try:
        close_old_connections()
        names = run_due()
        if names:
            logger.info("Enqueued periodic jobs: %s", ", ".join(names))
    except Exception:
        logger.exception("Periodic scheduler tick failed")
    finally:
        close_old_connections()
    return names


class SchedulerThread(threading.Thread):
    """Calls `tick()` every `interval` seconds (after a first wait) until stopped.

    A daemon thread: it never keeps a worker process alive on its own.
    """

    def __init__(self, interval: float = 30.0) -> None:
        super().__init__(name="freshground-scheduler", daemon=True)
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            tick()
        connections.close_all()

    def stop(self) -> None:
        self._stop_event.set()
