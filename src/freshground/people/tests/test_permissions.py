"""Who sees which profile field: every visibility level × every role, through people.queries.

The subject is the cast's circle member. Their circle-mate is the organiser; the center editor is tied to the circle
only through the center, which must not count as sharing a circle.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from freshground.core.exceptions import NotFound
from freshground.people import queries, services
from freshground.people.models import PROFILE_VISIBILITY_FIELDS, ApiToken, Visibility
from freshground.testing import factories

ROLES = ("anonymous", "self", "circle_mate", "editor", "admin", "outsider", "deactivated_mate")

ALLOWED: dict[str, frozenset[str]] = {
    Visibility.PUBLIC: frozenset(ROLES),
    Visibility.CIRCLES: frozenset({"self", "circle_mate", "admin"}),
    Visibility.PRIVATE: frozenset({"self", "admin"}),
}

# The attribute of VisibleProfile that carries each visibility field.
PROFILE_ATTRIBUTE = {
    "bio": "bio",
    "place": "place_name",
    "languages": "languages",
    "skills": "skills",
    "interests": "interests",
}


def viewer(cast: Any, role: str) -> Any:
    if role == "anonymous":
        return AnonymousUser()
    if role == "self":
        return cast.member
    if role == "circle_mate":
        return cast.organiser
    if role == "deactivated_mate":
        person = factories.PersonFactory.create(display_name="Dee Deactivated")
        factories.add_member(cast.circle, person)
        person.is_active = False
        person.save(update_fields=["is_active"])
        return person
    return getattr(cast, role)


def _subject(cast: Any, level: str) -> Any:
    person = cast.member
    services.update_profile(
        person=person,
        bio="Night-shift nurse.",
        place_name="Leeds",
        latitude=53.8,
        longitude=-1.55,
        languages=["en", "pt-br"],
        skills=["first aid"],
        interests=["housing"],
        visibility=dict.fromkeys(PROFILE_VISIBILITY_FIELDS, level),
    )
    return person


def _params() -> list[Any]:
    return [
        pytest.param(
            field,
            level,
            role,
            role in ALLOWED[level],
            id=f"{field}-{level}-{role}-{'see' if role in ALLOWED[level] else 'hidden'}",
        )
        for field in PROFILE_VISIBILITY_FIELDS
        for level in Visibility.values
        for role in ROLES
    ]


@pytest.mark.parametrize(("field", "level", "role", "allowed"), _params())
def test_can_see_field_matrix(cast, field, level, role, allowed):
    person = _subject(cast, level)
    assert queries.can_see_field(viewer(cast, role), person, field) is allowed


@pytest.mark.parametrize(("field", "level", "role", "allowed"), _params())
def test_visible_profile_agrees_with_can_see_field(cast, field, level, role, allowed):
    person = _subject(cast, level)
    profile = queries.visible_profile(viewer(cast, role), person)
    value = getattr(profile, PROFILE_ATTRIBUTE[field])
    assert profile.display_name == person.display_name
    if allowed:
        assert value, f"{field} should be shown to {role}"
        assert field not in profile.hidden
    else:
        assert value is None, f"{field} leaked to {role}"
        assert field in profile.hidden
    if field == "place":
        assert (profile.latitude is not None) is allowed
        assert (profile.longitude is not None) is allowed


def test_mixed_levels_are_applied_field_by_field(cast):
    person = cast.member
    services.update_profile(
        person=person,
        bio="Public bio",
        languages=["en"],
        skills=["welding"],
        visibility={"bio": Visibility.PUBLIC, "languages": Visibility.PRIVATE, "skills": Visibility.CIRCLES},
    )
    for role, expected in {
        "anonymous": {"bio"},
        "outsider": {"bio"},
        "editor": {"bio"},
        "circle_mate": {"bio", "skills"},
        "self": {"bio", "skills", "languages"},
        "admin": {"bio", "skills", "languages"},
    }.items():
        seen = {f for f in ("bio", "languages", "skills") if queries.can_see_field(viewer(cast, role), person, f)}
        assert seen == expected, role


def test_unknown_field_is_private_to_others(cast):
    assert not queries.can_see_field(cast.outsider, cast.member, "no-such-field")
    assert queries.can_see_field(cast.member, cast.member, "no-such-field")


def test_sharing_a_circle_needs_the_same_circle(cast):
    assert queries.shares_a_circle(cast.organiser, cast.member)
    assert not queries.shares_a_circle(cast.editor, cast.member)
    assert not queries.shares_a_circle(AnonymousUser(), cast.member)
    other = factories.CircleFactory(name="Dockside Cleaners")
    factories.add_member(other, cast.outsider)
    assert not queries.shares_a_circle(cast.outsider, cast.member)
    factories.add_member(other, cast.member)
    assert queries.shares_a_circle(cast.outsider, cast.member)


def test_leaving_the_shared_circle_hides_circle_fields_again(cast):
    person = _subject(cast, Visibility.CIRCLES)
    assert queries.can_see_field(cast.organiser, person, "bio")
    cast.member.memberships.all().delete()
    assert not queries.can_see_field(cast.organiser, person, "bio")


def test_nobody_can_revoke_someone_elses_token(cast):
    token, _key = services.create_api_token(person=cast.member, name="phone")
    for other in (cast.organiser, cast.admin, cast.outsider):
        with pytest.raises(NotFound):
            services.revoke_api_token(person=other, token_id=token.pk)
    assert ApiToken.objects.filter(pk=token.pk).exists()
    services.revoke_api_token(person=cast.member, token_id=token.pk)
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_a_deactivated_persons_token_stops_working(cast):
    _token, key = services.create_api_token(person=cast.member, name="phone")
    assert services.authenticate_token(key) == cast.member
    cast.member.is_active = False
    cast.member.save(update_fields=["is_active"])
    assert services.authenticate_token(key) is None
