"""`freshground worker`: run background jobs, and the periodic scheduler beside them.

The database queue (django_tasks_db) is the default; when REDIS_URL is set the RQ worker runs instead. Any number of
workers may run: the scheduler enqueues each periodic job once per slot whichever worker gets there first.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from freshground.core import scheduler

DB_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_BACKEND = "django_tasks_rq.RQBackend"
# django_tasks_rq's own Job class is what turns a stored job back into a django.tasks Task; RQ's plain Job fails with
# "'Task' object is not callable".
RQ_JOB_CLASS = "django_tasks_rq.Job"


class Command(BaseCommand):
    help = _("Run background jobs from the task queue, and enqueue periodic jobs when they are due.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="default", help=_("Queues to work on, separated by commas."))
        parser.add_argument(
            "--interval", type=float, default=None, help=_("Seconds between polls of the database queue.")
        )
        parser.add_argument("--batch", action="store_true", help=_("Stop when the queue is empty."))
        parser.add_argument("--max-tasks", type=int, default=None, help=_("Stop after this many jobs."))
        parser.add_argument("--worker-id", default=None, help=_("A name for this worker in the job records."))
        parser.add_argument("--no-scheduler", action="store_true", help=_("Do not enqueue periodic jobs."))
        parser.add_argument(
            "--scheduler-tick", type=float, default=30.0, help=_("Seconds between checks for due periodic jobs.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
        if backend == DB_BACKEND:
            run = self._db_worker(options)
        elif backend == RQ_BACKEND:
            run = self._rq_worker(options)
        else:
            raise CommandError(
                _(
                    "The task backend %(backend)s has no worker to run. Use the database queue (leave REDIS_URL "
                    "unset) or Redis (set REDIS_URL)."
                )
                % {"backend": backend or _("(none)")}
            )
        scheduler.autodiscover()
        thread: scheduler.SchedulerThread | None = None
        if not options["no_scheduler"]:
            # One tick now, so that even a --batch run picks up what is due before the queue is drained.
            scheduler.tick()
            thread = scheduler.SchedulerThread(interval=options["scheduler_tick"])
            thread.start()
        try:
            run()
        finally:
            if thread is not None:
                thread.stop()
                thread.join(timeout=5)

    def _db_worker(self, options: dict[str, Any]) -> Any:
        worker_options: dict[str, Any] = {"queue_name": options["queue_name"], "batch": options["batch"]}
        for key in ("interval", "max_tasks", "worker_id"):
            if options[key] is not None:
                worker_options[key] = options[key]
        if options["batch"]:
            worker_options["startup_delay"] = False
        verbosity = options["verbosity"]

        def run() -> None:
            call_command("db_worker", verbosity=verbosity, **worker_options)

        return run

    def _rq_worker(self, options: dict[str, Any]) -> Any:
        try:
            import django_rq
            import django_tasks_rq  # noqa: F401
        except ImportError as error:
            raise CommandError(
                _("REDIS_URL is set but the Redis queue cannot be loaded (%(error)s).") % {"error": error}
            ) from error
        if not apps.is_installed("django_rq"):
            raise CommandError(_("REDIS_URL is set but django_rq is not in INSTALLED_APPS."))
        queues = [name.strip() for name in options["queue_name"].split(",") if name.strip()]
        for name in queues:
            if name not in getattr(settings, "RQ_QUEUES", {}):
                raise CommandError(_("The queue %(name)s is not configured in RQ_QUEUES.") % {"name": name})
        try:
            django_rq.get_connection(queues[0]).ping()
        except Exception as error:
            raise CommandError(
                _("Cannot reach Redis at REDIS_URL (%(error)s). Is it running?") % {"error": error}
            ) from error
        rq_options: dict[str, Any] = {"job_class": RQ_JOB_CLASS, "burst": options["batch"], "with_scheduler": True}
        if options["max_tasks"] is not None:
            rq_options["max_jobs"] = options["max_tasks"]
        if options["worker_id"] is not None:
            rq_options["name"] = options["worker_id"]
        verbosity = options["verbosity"]

        def run() -> None:
            call_command("rqworker", *queues, verbosity=verbosity, **rq_options)

        return run
