"""Every write of the reading part: recommendations, editorial picks, the reading list."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import DomainError, NotFound, PermissionDenied
from freshground.journal import permissions_reading as perms
from freshground.journal import ranking_runs
from freshground.journal.models import EditorialPick, Item, Recommendation, SavedItem
from freshground.network import permissions as network_perms
from freshground.network.models import Center
from freshground.people.models import Person

NOTE_MAX_LENGTH = 500


def _require_person(person: Any) -> Person:
    if not isinstance(person, Person) or not person.is_authenticated:
        raise PermissionDenied(_("Log in first."))
    return person


def _check_visible(person: Any, item: Item) -> None:
    if not perms.can_view_item(person, item):
        raise NotFound(_("There is no such item."))


@transaction.atomic
def recommend(*, person: Any, item: Item) -> bool:
    """Recommend `item` ("worth reading"). True if this created the recommendation, False if it existed."""
    person = _require_person(person)
    _check_visible(person, item)
    if perms.is_own_item(person, item):
        raise PermissionDenied(_("You cannot recommend your own article or link."), field="item")
    if not perms.can_recommend(person, item):
        raise PermissionDenied(_("This item cannot be recommended."), field="item")
    try:
        with transaction.atomic():
            Recommendation.objects.create(person=person, item=item)
    except IntegrityError:
        return False
    Item.objects.filter(pk=item.pk).update(recommendation_count=F("recommendation_count") + 1)
    ranking_runs.request_ranking_on_commit()
    return True


@transaction.atomic
def unrecommend(*, person: Any, item: Item) -> bool:
    person = _require_person(person)
    deleted, _rows = Recommendation.objects.filter(person=person, item=item).delete()
    if deleted:
        Item.objects.filter(pk=item.pk, recommendation_count__gt=0).update(
            recommendation_count=F("recommendation_count") - 1
        )
        ranking_runs.request_ranking_on_commit()
    return bool(deleted)


@transaction.atomic
def pick(*, person: Any, center: Center, item: Item, note: str = "") -> EditorialPick:
    """A center's editor picks `item` for the center (a second pick updates the note)."""
    person = _require_person(person)
    _check_visible(person, item)
    if not perms.can_pick(person, center, item):
        raise PermissionDenied(_("Only the center's editors pick items for it."), field="center")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(_("Keep the note under %(n)d characters.") % {"n": NOTE_MAX_LENGTH}, field="note")
    found, created = EditorialPick.objects.get_or_create(
        center=center, item=item, defaults={"picked_by": person, "note": note}
    )
    if not created and found.note != note:
        found.note = note
        found.picked_by = person
        found.save(update_fields=["note", "picked_by"])
    if created:
        Item.objects.filter(pk=item.pk).update(pick_count=F("pick_count") + 1)
        ranking_runs.request_ranking_on_commit()
    return found


@transaction.atomic
def unpick(*, person: Any, center: Center, item: Item) -> bool:
    person = _require_person(person)
    if not network_perms.is_center_editor(person, center):
        raise PermissionDenied(_("Only the center's editors pick items for it."), field="center")
    deleted, _rows = EditorialPick.objects.filter(center=center, item=item).delete()
    if deleted:
        Item.objects.filter(pk=item.pk, pick_count__gt=0).update(pick_count=F("pick_count") - 1)
        ranking_runs.request_ranking_on_commit()
    return bool(deleted)


@transaction.atomic
def save_item(*, person: Any, item: Item) -> bool:
    """Put `item` on the reading list. True if newly saved."""
    person = _require_person(person)
    _check_visible(person, item)
    _found, created = SavedItem.objects.get_or_create(person=person, item=item)
    return created


@transaction.atomic
def unsave_item(*, person: Any, item: Item) -> bool:
    person = _require_person(person)
    deleted, _rows = SavedItem.objects.filter(person=person, item=item).delete()
    return bool(deleted)


@transaction.atomic
def mark_read(*, person: Any, item: Item) -> None:
    person = _require_person(person)
    SavedItem.objects.filter(person=person, item=item, read_at__isnull=True).update(read_at=timezone.now())
