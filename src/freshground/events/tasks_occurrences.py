"""The daily job that moves the occurrence horizon forward for recurring events that never end."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from freshground.core.scheduler import periodic


@periodic(every=timedelta(days=1), name="events.extend_occurrences")
@task
def extend_occurrences() -> int:
    """Materialise the dates that came within the horizon (about 18 months) since yesterday."""
    from freshground.events import occurrences

    return occurrences.extend_horizons()
