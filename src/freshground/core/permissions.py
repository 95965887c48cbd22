"""Helpers shared by every app's permission predicates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    from freshground.people.models import Person


def is_person(actor: Any) -> TypeGuard[Person]:
    """True for a signed-in, active person; False for anonymous visitors and deactivated accounts."""
    return actor is not None and bool(getattr(actor, "is_authenticated", False)) and bool(actor.is_active)


def is_site_admin(actor: Any) -> bool:
    return is_person(actor) and bool(actor.is_staff or actor.is_superuser)
