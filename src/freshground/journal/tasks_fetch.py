"""Background fetching: every minute the worker fetches the sources that are due (see journal.fetching).

The scheduler imports each app's `tasks` module; `journal/tasks.py` imports this one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.tasks import task

from freshground.core.scheduler import periodic


@periodic(every=timedelta(minutes=1), name="journal.fetch_due_sources")
@task
def fetch_due_sources() -> dict[str, Any]:
    """Fetch every due active source (at most JOURNAL_FETCH_BATCH per run). Returns the run's summary."""
    from freshground.journal import fetching

    summary = fetching.run(
        limit=int(getattr(settings, "JOURNAL_FETCH_BATCH", 200)),
        workers=int(getattr(settings, "JOURNAL_FETCH_THREADS", 4)),
    )
    return summary.as_dict()
