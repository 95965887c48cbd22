from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """SQLite rebuilds a table (dropping its triggers) for some schema changes: put the search index back."""
    from freshground.journal.search.schema import ensure_installed

    ensure_installed(connections[using])


class JournalConfig(AppConfig):
    name = "freshground.journal"
    label = "journal"
    verbose_name = _("Journal")

    def ready(self) -> None:
        from freshground.journal import content, portability

        content.register()
        portability.register()
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="journal.search_index")
