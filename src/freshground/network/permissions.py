"""Who may do what with circles, centers and ties. Pure predicates: the only home of these rules.

Roles: anonymous visitor, unrelated person, circle member, circle organiser, center editor, site admin. A center's
editors get no power over a circle through a tie.
"""

from __future__ import annotations

from typing import Any

from freshground.core.permissions import is_person, is_site_admin
from freshground.network.models import (
    Center,
    CenterEditor,
    Circle,
    JoinPolicy,
    MemberListVisibility,
    Membership,
    Role,
    Tie,
)

_CACHE_ATTRIBUTE = "_fg_memberships"


def _membership_cache(person: Any) -> dict[int, Membership | None]:
    # Kept on the person object for the length of one request: pages ask the same question many times.
    cache: dict[int, Membership | None] = vars(person).setdefault(_CACHE_ATTRIBUTE, {})
    return cache


def membership_of(person: Any, circle: Circle) -> Membership | None:
    return _membership_by_circle_id(person, circle.pk)


def _membership_by_circle_id(person: Any, circle_id: int) -> Membership | None:
    if not is_person(person):
        return None
    cache = _membership_cache(person)
    if circle_id not in cache:
        cache[circle_id] = Membership.objects.filter(circle_id=circle_id, person=person).first()
    return cache[circle_id]


def remember_memberships(person: Any, memberships: dict[int, Membership | None]) -> None:
    """Prime the cache for many circles at once (circle id → membership or None), to keep list pages flat."""
    if is_person(person):
        _membership_cache(person).update(memberships)


def known_membership_circles(person: Any) -> set[int]:
    """Circle ids whose membership is already cached for person."""
    return set(_membership_cache(person)) if is_person(person) else set()


def forget_memberships(person: Any) -> None:
    """Drop the cache after a change to the person's memberships (services call this)."""
    if is_person(person):
        vars(person).pop(_CACHE_ATTRIBUTE, None)
        vars(person).pop(_EDITOR_CACHE_ATTRIBUTE, None)


def is_member(person: Any, circle: Circle) -> bool:
    return membership_of(person, circle) is not None


def is_organiser(person: Any, circle: Circle) -> bool:
    membership = membership_of(person, circle)
    return membership is not None and membership.role == Role.ORGANISER


_EDITOR_CACHE_ATTRIBUTE = "_fg_editorships"


def _editor_cache(person: Any) -> dict[int, bool]:
    cache: dict[int, bool] = vars(person).setdefault(_EDITOR_CACHE_ATTRIBUTE, {})
    return cache


def is_center_editor(person: Any, center: Center) -> bool:
    return _edits_center_id(person, center.pk)


def _edits_center_id(person: Any, center_id: int) -> bool:
    if not is_person(person):
        return False
    cache = _editor_cache(person)
    if center_id not in cache:
        cache[center_id] = CenterEditor.objects.filter(center_id=center_id, person=person).exists()
    return cache[center_id]


def remember_editorships(person: Any, center_ids: set[int]) -> None:
    """Learn in one query which of these centers person edits, for pages that ask about many."""
    if not is_person(person):
        return
    cache = _editor_cache(person)
    missing = center_ids - set(cache)
    if missing:
        edited = set(
            CenterEditor.objects.filter(person=person, center_id__in=missing).values_list("center_id", flat=True)
        )
        cache.update({center_id: center_id in edited for center_id in missing})


# Circles


def can_create_circle(person: Any) -> bool:
    return is_person(person)


def can_view_circle(person: Any, circle: Circle) -> bool:
    """Every circle's page is public; what it shows is decided by the finer predicates."""
    return True


def can_edit_circle(person: Any, circle: Circle) -> bool:
    return is_organiser(person, circle) or is_site_admin(person)


def can_see_members(person: Any, circle: Circle) -> bool:
    if circle.member_list_visibility == MemberListVisibility.PUBLIC:
        return True
    return is_member(person, circle) or is_site_admin(person)


def can_join(person: Any, circle: Circle) -> bool:
    """Join at once (open circles). Approval circles take a request instead."""
    return is_person(person) and circle.join_policy == JoinPolicy.OPEN and not is_member(person, circle)


def can_request_to_join(person: Any, circle: Circle) -> bool:
    return is_person(person) and circle.join_policy == JoinPolicy.APPROVAL and not is_member(person, circle)


def can_leave(person: Any, circle: Circle) -> bool:
    return is_member(person, circle)


def can_manage_members(person: Any, circle: Circle) -> bool:
    """Approve requests, change roles, remove members, make invite links."""
    return is_organiser(person, circle) or is_site_admin(person)


def can_declare_tie(person: Any, circle: Circle) -> bool:
    return is_organiser(person, circle) or is_site_admin(person)


def can_end_tie(person: Any, circle: Circle) -> bool:
    return can_declare_tie(person, circle)


def can_follow(person: Any) -> bool:
    return is_person(person)


# Centers


def can_create_center(person: Any) -> bool:
    """Anyone signed in may set up a center (an existing organisation, a journal, a tendency)."""
    return is_person(person)


def can_edit_center(person: Any, center: Center) -> bool:
    return is_center_editor(person, center) or is_site_admin(person)


def can_manage_editors(person: Any, center: Center) -> bool:
    return can_edit_center(person, center)


def can_acknowledge_tie(person: Any, center: Center) -> bool:
    return can_edit_center(person, center)


def can_see_tied_circles(person: Any, center: Center) -> bool:
    """Ties are public declarations: everyone may see which circles relate to a center."""
    return True


# Ties


def can_see_tie_note(person: Any, tie: Tie) -> bool:
    """A tie is public; its note is a message between the circle and the center, for them (and site admins)."""
    if not is_person(person):
        return False
    return (
        is_site_admin(person)
        or _membership_by_circle_id(person, tie.circle_id) is not None
        or _edits_center_id(person, tie.center_id)
    )
