"""Who may see, recommend, save and pick journal items: pure predicates, the only home of these rules."""

from __future__ import annotations

from typing import Any

from freshground.core.content import ContentStatus, Space
from freshground.core.permissions import is_person
from freshground.journal.models import Item, ItemKind
from freshground.network import permissions as network_perms
from freshground.network.models import Center


def item_space(item: Item) -> Space:
    """The item's first circle, else its first center, else the site (prefetched circles/centers are used)."""
    circles = list(item.circles.all())
    if circles:
        return min(circles, key=lambda c: c.pk)
    centers = list(item.centers.all())
    if centers:
        return min(centers, key=lambda c: c.pk)
    return None


def can_view_item(viewer: Any, item: Item) -> bool:
    """Published items are public; hidden, pending or deleted ones only to the moderators of the item's space."""
    if item.status == ContentStatus.PUBLISHED:
        return True
    from freshground.moderation.permissions import is_space_moderator

    return is_person(viewer) and is_space_moderator(viewer, item_space(item))


def is_own_item(person: Any, item: Item) -> bool:
    """One's own article or link (entries from sources belong to nobody here)."""
    return (
        is_person(person)
        and item.kind in (ItemKind.ARTICLE, ItemKind.LINK)
        and item.author_id is not None
        and item.author_id == person.pk
    )


def can_recommend(person: Any, item: Item) -> bool:
    return is_person(person) and item.status == ContentStatus.PUBLISHED and not is_own_item(person, item)


def can_save(person: Any, item: Item) -> bool:
    return is_person(person) and can_view_item(person, item)


def can_pick(person: Any, center: Center, item: Item) -> bool:
    """A center's editors pick published items for their center."""
    return (
        is_person(person) and item.status == ContentStatus.PUBLISHED and network_perms.is_center_editor(person, center)
    )


def pickable_centers(person: Any) -> list[Center]:
    """The centers `person` may pick for (their editorships)."""
    if not is_person(person):
        return []
    return list(Center.objects.filter(editorships__person=person).order_by("name"))
