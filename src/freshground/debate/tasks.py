"""Background work for debates: closing debates whose closing date has passed (the worker's scheduler runs it)."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from freshground.core.scheduler import periodic


@periodic(every=timedelta(minutes=10), name="debate.close_expired")
@task
def close_expired_debates() -> int:
    """Debates past their closing date are marked closed (pages already show them closed from that moment)."""
    from freshground.debate import services_summaries

    return services_summaries.close_expired_debates()
