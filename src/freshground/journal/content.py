"""Journal items in the content registry (core.content): commentable, moderated, with their space and author.

`register()` (called from JournalConfig.ready) also:
- places a new item on the "hot" front page by its freshness before its first ranking run (pre_save), and makes
  every cached front page stale when an item is created or its status changes (post_save);
- imports journal.tasks_ranking so its periodic job is registered with core.scheduler.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext_lazy as _

from freshground.core.content import ContentKind, Space, register_content
from freshground.journal.models import Item
from freshground.people.models import Person


def item_space(item: Item) -> Space:
    from freshground.journal.permissions_reading import item_space as space

    return space(item)


def item_author(item: Item) -> Person | None:
    author: Person | None = item.author
    return author


def _can_view(viewer: Any, item: Item) -> bool:
    from freshground.journal.permissions_reading import can_view_item

    return can_view_item(viewer, item)


def _place_new_item(sender: type[Item], instance: Item, **kwargs: Any) -> None:
    if instance.ranked_at is None and not instance.hot_score and instance.published_at is not None:
        from freshground.journal.ranking_runs import hot_score

        instance.hot_score = hot_score(instance.bridging_score, instance.pick_count, instance.published_at)


def _front_changed(sender: type[Item], instance: Item, created: bool, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if created or update_fields is None or "status" in update_fields or "title" in update_fields:
        from freshground.journal.ranking_runs import bump_front_version

        bump_front_version()


def register() -> None:
    """Called from JournalConfig.ready()."""
    register_content(
        ContentKind(
            model=Item,
            label="journal.item",
            noun=_("journal item"),
            space_of=item_space,
            author_of=item_author,
            can_view=_can_view,
            url_of=lambda item: item.get_absolute_url(),
            title_of=lambda item: item.title,
            commentable=True,
            moderated=True,
        )
    )
    pre_save.connect(_place_new_item, sender=Item, dispatch_uid="journal.item.place_new")
    post_save.connect(_front_changed, sender=Item, dispatch_uid="journal.item.front_changed")
    from freshground.journal import tasks_ranking  # noqa: F401  (registers the periodic ranking job)
