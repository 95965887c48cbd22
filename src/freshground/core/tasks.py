"""Background housekeeping that the worker's scheduler runs on its own."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.tasks import task

from freshground.core.scheduler import periodic

DB_BACKEND = "django_tasks_db.DatabaseBackend"
TASK_RESULT_DAYS = 14


def uses_database_queue() -> bool:
    return bool(settings.TASKS.get("default", {}).get("BACKEND") == DB_BACKEND)


@periodic(every=timedelta(days=1), name="core.prune_task_results", enabled=uses_database_queue)
@task
def prune_task_results() -> str:
    """Forget finished background jobs older than two weeks (the database queue only; Redis expires its own)."""
    out = StringIO()
    call_command(
        "prune_db_task_results", queue_name="*", min_age_days=TASK_RESULT_DAYS, stdout=out, stderr=out, verbosity=1
    )
    return out.getvalue().strip()


@periodic(every=timedelta(days=1), name="core.clear_expired_sessions")
@task
def clear_expired_sessions() -> None:
    """Delete sessions that have expired, so the session table does not grow for ever."""
    call_command("clearsessions")
