"""Reads about people, with each person's visibility choices applied for the viewer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from freshground.core.permissions import is_person, is_site_admin
from freshground.people.models import Person, Visibility


def shares_a_circle(viewer: Any, person: Person) -> bool:
    if not is_person(viewer):
        return False
    from freshground.network.models import Membership

    return Membership.objects.filter(person=viewer, circle__memberships__person=person).exists()


def can_see_field(viewer: Any, person: Person, field_name: str) -> bool:
    """Whether viewer may see one of person's profile fields, by the level person chose for it."""
    if is_person(viewer) and (viewer.pk == person.pk or is_site_admin(viewer)):
        return True
    level = person.visibility_of(field_name)
    if level == Visibility.PUBLIC:
        return True
    if level == Visibility.CIRCLES:
        return shares_a_circle(viewer, person)
    return False


@dataclass
class VisibleProfile:
    """A profile as one viewer may see it: hidden fields are absent (None), not blank."""

    person: Person
    display_name: str
    bio: str | None = None
    place_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    languages: list[str] | None = None
    skills: list[str] | None = None
    interests: list[str] | None = None
    hidden: list[str] = field(default_factory=list)


def visible_profile(viewer: Any, person: Person) -> VisibleProfile:
    is_self_or_admin = is_person(viewer) and (viewer.pk == person.pk or is_site_admin(viewer))
    in_circle: bool | None = None

    def allowed(name: str) -> bool:
        nonlocal in_circle
        if is_self_or_admin:
            return True
        level = person.visibility_of(name)
        if level == Visibility.PUBLIC:
            return True
        if level == Visibility.CIRCLES:
            if in_circle is None:
                in_circle = shares_a_circle(viewer, person)
            return in_circle
        return False

    profile = VisibleProfile(person=person, display_name=person.display_name)
    if allowed("bio"):
        profile.bio = person.bio
    else:
        profile.hidden.append("bio")
    if allowed("place"):
        profile.place_name = person.place_name
        profile.latitude, profile.longitude = person.latitude, person.longitude
    else:
        profile.hidden.append("place")
    if allowed("languages"):
        profile.languages = list(person.languages)
    else:
        profile.hidden.append("languages")
    if allowed("skills"):
        profile.skills = [tag.name for tag in person.skills.all()]
    else:
        profile.hidden.append("skills")
    if allowed("interests"):
        profile.interests = [tag.name for tag in person.interests.all()]
    else:
        profile.hidden.append("interests")
    return profile
