"""The journal's background work, found by core.scheduler.autodiscover(): fetching sources and shared links' pages,
and ranking items."""

from freshground.journal.tasks_fetch import fetch_due_sources
from freshground.journal.tasks_links import fetch_link_page
from freshground.journal.tasks_ranking import rank_items

__all__ = ["fetch_due_sources", "fetch_link_page", "rank_items"]
