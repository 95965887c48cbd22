"""Who may do what with circles, centers and ties. Pure predicates: the only home of these rules.

Roles: anonymous visitor, unrelated person, circle member, circle organiser, center editor, site admin. A center's
editors get no power over a circle through a tie.
"""

from __future__ import annotations

from typing import Any

from freshground.core.permissions import is_person, is_site_admin
from freshground.network.models import Center, Circle, JoinPolicy, MemberListVisibility, Membership, Role

_CACHE_ATTRIBUTE = "_fg_memberships"


def _membership_cache(person: Any) -> dict[int, Membership | None]:
    # Kept on the person object for the length of one request: pages ask the same question many times.
    cache: dict[int, Membership | None] = vars(person).setdefault(_CACHE_ATTRIBUTE, {})
    return cache


def membership_of(person: Any, circle: Circle) -> Membership | None:
    if not is_person(person):
        return None
    cache = _membership_cache(person)
    if circle.pk not in cache:
        cache[circle.pk] = Membership.objects.filter(circle=circle, person=person).first()
    return cache[circle.pk]


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


def is_member(person: Any, circle: Circle) -> bool:
    return membership_of(person, circle) is not None


def is_organiser(person: Any, circle: Circle) -> bool:
    membership = membership_of(person, circle)
    return membership is not None and membership.role == Role.ORGANISER


def is_center_editor(person: Any, center: Center) -> bool:
    return is_person(person) and center.editorships.filter(person=person).exists()


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
