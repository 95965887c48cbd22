"""Background work for shared links: the worker fetches a new link's title and summary (see journal.links).

`links.share` enqueues `fetch_link_page` once the sharing transaction commits; `journal/tasks.py` imports this module.
"""

from __future__ import annotations

from django.tasks import task


@task
def fetch_link_page(link_id: int) -> str:
    """Fetch a shared link's page and store its title and summary, or why it could not be read. Returns "fetched",
    "failed", or "skipped" (the link is gone or was fetched already)."""
    from freshground.journal import links

    return links.fetch_link(link_id)
