"""Background work for the journal's ranking: a periodic full run and a debounced run after recommendations."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.tasks import task

from freshground.core.scheduler import periodic


@task
def rank_items() -> int:
    """One ranking run (debounced after recommendations); returns the run's id. The request flag is cleared
    first, so recommendations made during the run ask for the next one."""
    from freshground.journal import ranking_runs

    cache.delete(ranking_runs.REQUEST_KEY)
    return ranking_runs.run_ranking().pk


@periodic(every=timedelta(minutes=15), name="journal.rank_items")
@task
def rank_items_periodically() -> int:
    from freshground.journal import ranking_runs

    return ranking_runs.run_ranking().pk
