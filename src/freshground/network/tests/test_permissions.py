"""The permission matrix for circles, centers and ties: every predicate and every service, for every role.

Each table row names who is allowed; every other role must be refused. A predicate added to permissions.py without a
row here fails `test_every_predicate_is_in_the_matrix`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.network import permissions, services
from freshground.network.models import (
    CenterEditor,
    Follow,
    Invite,
    JoinPolicy,
    JoinRequest,
    MemberListVisibility,
    Membership,
    Role,
    Tie,
)
from freshground.testing import factories

ROLES = ("anonymous", "member", "organiser", "editor", "admin", "outsider", "deactivated")
PEOPLE = frozenset(ROLES) - {"anonymous", "deactivated"}
NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(ROLES)


def actor(cast: Any, role: str) -> Any:
    """The person playing `role` in the cast; `deactivated` is a former organiser whose account was switched off."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "deactivated":
        person = factories.PersonFactory.create(display_name="Dee Deactivated")
        factories.add_member(cast.circle, person, Role.ORGANISER)
        factories.add_editor(cast.center, person)
        person.is_active = False
        person.save(update_fields=["is_active"])
        return person
    return getattr(cast, role)


def _approval(cast: Any) -> None:
    cast.circle.join_policy = JoinPolicy.APPROVAL
    cast.circle.save(update_fields=["join_policy"])


def _public_list(cast: Any) -> None:
    cast.circle.member_list_visibility = MemberListVisibility.PUBLIC
    cast.circle.save(update_fields=["member_list_visibility"])


def _as_is(cast: Any) -> None:
    return None


# (predicate, arguments it takes after the person, how to set up the circle, who is allowed).
# The cast's circle is open, keeps its member list to members, and is tied to the cast's center.
MATRIX: list[tuple[str, str, Callable[[Any], None], frozenset[str]]] = [
    ("can_create_circle", "", _as_is, PEOPLE),
    ("can_view_circle", "circle", _as_is, EVERYONE),
    ("can_edit_circle", "circle", _as_is, frozenset({"organiser", "admin"})),
    ("can_see_members", "circle", _as_is, frozenset({"member", "organiser", "admin"})),
    ("can_see_members", "circle", _public_list, EVERYONE),
    ("can_join", "circle", _as_is, frozenset({"editor", "admin", "outsider"})),
    ("can_join", "circle", _approval, NOBODY),
    ("can_request_to_join", "circle", _as_is, NOBODY),
    ("can_request_to_join", "circle", _approval, frozenset({"editor", "admin", "outsider"})),
    ("can_leave", "circle", _as_is, frozenset({"member", "organiser"})),
    ("can_manage_members", "circle", _as_is, frozenset({"organiser", "admin"})),
    ("can_declare_tie", "circle", _as_is, frozenset({"organiser", "admin"})),
    ("can_end_tie", "circle", _as_is, frozenset({"organiser", "admin"})),
    ("can_follow", "", _as_is, PEOPLE),
    ("can_create_center", "", _as_is, PEOPLE),
    ("can_edit_center", "center", _as_is, frozenset({"editor", "admin"})),
    ("can_manage_editors", "center", _as_is, frozenset({"editor", "admin"})),
    ("can_acknowledge_tie", "center", _as_is, frozenset({"editor", "admin"})),
    ("can_see_tied_circles", "center", _as_is, EVERYONE),
    ("can_see_tie_note", "tie", _as_is, frozenset({"member", "organiser", "editor", "admin"})),
    # The helpers the predicates are built from.
    ("is_member", "circle", _as_is, frozenset({"member", "organiser"})),
    ("is_organiser", "circle", _as_is, frozenset({"organiser"})),
    ("is_center_editor", "center", _as_is, frozenset({"editor"})),
]


def _target(cast: Any, target: str) -> Any:
    if target == "tie":
        return Tie.objects.get(circle=cast.circle, center=cast.center)
    return getattr(cast, target)


def _matrix_params() -> list[Any]:
    params = []
    for name, target, setup, allowed in MATRIX:
        variant = "" if setup is _as_is else f"-{setup.__name__.strip('_')}"
        for role in ROLES:
            expected = "allow" if role in allowed else "deny"
            params.append(
                pytest.param(name, target, setup, role, role in allowed, id=f"{name}{variant}-{role}-{expected}")
            )
    return params


@pytest.mark.parametrize(("name", "target", "setup", "role", "allowed"), _matrix_params())
def test_predicate_matrix(cast, name, target, setup, role, allowed):
    setup(cast)
    person = actor(cast, role)
    predicate = getattr(permissions, name)
    args = (_target(cast, target),) if target else ()
    assert predicate(person, *args) is allowed


def test_every_predicate_is_in_the_matrix():
    predicates = {
        name
        for name, function in inspect.getmembers(permissions, inspect.isfunction)
        if function.__module__ == permissions.__name__ and name.startswith(("can_", "is_"))
    }
    assert predicates == {row[0] for row in MATRIX}


def test_membership_of_is_none_for_anonymous_and_outsiders(cast):
    assert permissions.membership_of(AnonymousUser(), cast.circle) is None
    assert permissions.membership_of(cast.outsider, cast.circle) is None
    assert permissions.membership_of(cast.member, cast.circle).role == Role.MEMBER


def test_a_tie_gives_no_power_over_other_circles_or_centers(cast):
    """Being an organiser of one circle or an editor of one center gives nothing over another."""
    other_circle = factories.CircleFactory(name="Dockside Cleaners")
    other_center = factories.CenterFactory.create(name="Blue Door Center")
    factories.tie(other_circle, cast.center)
    assert not permissions.can_edit_circle(cast.organiser, other_circle)
    assert not permissions.can_declare_tie(cast.organiser, other_circle)
    assert not permissions.can_edit_circle(cast.editor, other_circle)
    assert not permissions.can_see_members(cast.editor, other_circle)
    assert not permissions.can_edit_center(cast.editor, other_center)
    assert not permissions.can_acknowledge_tie(cast.editor, other_center)


# Services: every write refuses the roles its predicate refuses, with PermissionDenied, and works for the others.


def _pending_request(cast: Any) -> JoinRequest:
    applicant = factories.PersonFactory.create(display_name="Abe Applicant")
    return JoinRequest.objects.create(circle=cast.circle, person=applicant)


def _invite(cast: Any) -> Invite:
    return Invite.objects.create(circle=cast.circle, created_by=cast.organiser)


def _tie(cast: Any) -> Tie:
    return Tie.objects.get(circle=cast.circle, center=cast.center)


def _second_editor(cast: Any) -> Any:
    person = factories.PersonFactory.create(display_name="Sam Second-Editor")
    factories.add_editor(cast.center, person)
    return person


def _check_create_circle(cast: Any, person: Any) -> None:
    circle = services.create_circle(person=person, name="Night Shift Drivers")
    assert Membership.objects.get(circle=circle).person == person


def _check_update_circle(cast: Any, person: Any) -> None:
    services.update_circle(person=person, circle=cast.circle, description="We meet on Thursdays.")
    cast.circle.refresh_from_db()
    assert cast.circle.description == "We meet on Thursdays."


def _check_join(cast: Any, person: Any) -> None:
    services.join_circle(person=person, circle=cast.circle)
    assert Membership.objects.filter(circle=cast.circle, person=person).exists()


def _check_request(cast: Any, person: Any) -> None:
    _approval(cast)
    services.request_to_join(person=person, circle=cast.circle, message="Hello")
    assert JoinRequest.objects.filter(circle=cast.circle, person=person, status="pending").exists()


def _check_decide(cast: Any, person: Any) -> None:
    request = _pending_request(cast)
    services.decide_join_request(person=person, join_request=request, approve=True)
    assert Membership.objects.filter(circle=cast.circle, person=request.person).exists()


def _check_leave(cast: Any, person: Any) -> None:
    services.leave_circle(person=person, circle=cast.circle)
    assert not Membership.objects.filter(circle=cast.circle, person=person).exists()


def _check_withdraw(cast: Any, person: Any) -> None:
    _approval(cast)
    if person.pk is not None:
        JoinRequest.objects.create(circle=cast.circle, person=person)
    services.withdraw_join_request(person=person, circle=cast.circle)
    assert not JoinRequest.objects.filter(circle=cast.circle, person__pk=person.pk, status="pending").exists()


def _check_set_role(cast: Any, person: Any) -> None:
    services.set_role(person=person, circle=cast.circle, member=cast.member, role=Role.ORGANISER)
    assert Membership.objects.get(circle=cast.circle, person=cast.member).role == Role.ORGANISER


def _check_remove_member(cast: Any, person: Any) -> None:
    services.remove_member(person=person, circle=cast.circle, member=cast.member)
    assert not Membership.objects.filter(circle=cast.circle, person=cast.member).exists()


def _check_create_invite(cast: Any, person: Any) -> None:
    invite = services.create_invite(person=person, circle=cast.circle)
    assert invite.is_usable


def _check_revoke_invite(cast: Any, person: Any) -> None:
    invite = _invite(cast)
    services.revoke_invite(person=person, invite=invite)
    invite.refresh_from_db()
    assert invite.revoked


def _check_accept_invite(cast: Any, person: Any) -> None:
    _approval(cast)
    membership = services.accept_invite(person=person, token=_invite(cast).token)
    assert membership.person == person


def _check_create_center(cast: Any, person: Any) -> None:
    center = services.create_center(person=person, name="Green Shoots Center")
    assert CenterEditor.objects.filter(center=center, person=person).exists()


def _check_update_center(cast: Any, person: Any) -> None:
    services.update_center(person=person, center=cast.center, description="Pamphlets every month.")
    cast.center.refresh_from_db()
    assert cast.center.description == "Pamphlets every month."


def _check_add_editor(cast: Any, person: Any) -> None:
    services.add_center_editor(person=person, center=cast.center, editor=cast.outsider)
    assert CenterEditor.objects.filter(center=cast.center, person=cast.outsider).exists()


def _check_remove_editor(cast: Any, person: Any) -> None:
    second = _second_editor(cast)
    services.remove_center_editor(person=person, center=cast.center, editor=second)
    assert not CenterEditor.objects.filter(center=cast.center, person=second).exists()


def _check_declare_tie(cast: Any, person: Any) -> None:
    center = factories.CenterFactory.create(name="Blue Door Center")
    tie = services.declare_tie(person=person, circle=cast.circle, center=center, wants=["advice"], note="Hi")
    assert tie.is_active


def _check_update_tie(cast: Any, person: Any) -> None:
    tie = services.update_tie(person=person, tie=_tie(cast), wants=["speakers"], note="Speakers, please")
    assert tie.wants == ["speakers"]


def _check_end_tie(cast: Any, person: Any) -> None:
    tie = services.end_tie(person=person, tie=_tie(cast))
    assert not tie.is_active


def _check_acknowledge_tie(cast: Any, person: Any) -> None:
    tie = services.acknowledge_tie(person=person, tie=_tie(cast))
    assert tie.acknowledged_at is not None


def _check_follow_circle(cast: Any, person: Any) -> None:
    services.follow(person=person, circle=cast.circle)
    assert Follow.objects.filter(person=person, circle=cast.circle).exists()


def _check_follow_center(cast: Any, person: Any) -> None:
    services.follow(person=person, center=cast.center)
    assert Follow.objects.filter(person=person, center=cast.center).exists()


def _check_unfollow(cast: Any, person: Any) -> None:
    if person.pk is not None:
        services.follow(person=person, circle=cast.circle)
    services.unfollow(person=person, circle=cast.circle)
    assert not Follow.objects.filter(circle=cast.circle, person__pk=person.pk).exists()


ORGANISERS = frozenset({"organiser", "admin"})
EDITORS = frozenset({"editor", "admin"})
NON_MEMBERS = frozenset({"editor", "admin", "outsider"})

# (the call and what it checks, who is allowed, what the other signed-in roles get when it is not PermissionDenied).
SERVICE_MATRIX: list[tuple[Callable[[Any, Any], None], frozenset[str], dict[str, type[DomainError]]]] = [
    (_check_create_circle, PEOPLE, {}),
    (_check_update_circle, ORGANISERS, {}),
    (_check_join, NON_MEMBERS, {"member": Conflict, "organiser": Conflict}),
    (_check_request, NON_MEMBERS, {"member": Conflict, "organiser": Conflict}),
    (_check_decide, ORGANISERS, {}),
    # The only organiser may not leave while others remain; that is a rule, not a permission.
    (_check_leave, frozenset({"member"}), {"organiser": DomainError, **dict.fromkeys(NON_MEMBERS, NotFound)}),
    (_check_withdraw, PEOPLE, {}),
    (_check_set_role, ORGANISERS, {}),
    (_check_remove_member, ORGANISERS, {}),
    (_check_create_invite, ORGANISERS, {}),
    (_check_revoke_invite, ORGANISERS, {}),
    (_check_accept_invite, PEOPLE, {}),
    (_check_create_center, PEOPLE, {}),
    (_check_update_center, EDITORS, {}),
    (_check_add_editor, EDITORS, {}),
    (_check_remove_editor, EDITORS, {}),
    (_check_declare_tie, ORGANISERS, {}),
    (_check_update_tie, ORGANISERS, {}),
    (_check_end_tie, ORGANISERS, {}),
    (_check_acknowledge_tie, EDITORS, {}),
    (_check_follow_circle, PEOPLE, {}),
    (_check_follow_center, PEOPLE, {}),
    (_check_unfollow, PEOPLE, {}),
]


def _service_params() -> list[Any]:
    params = []
    for check, allowed, other in SERVICE_MATRIX:
        name = check.__name__.removeprefix("_check_")
        for role in ROLES:
            if role in allowed:
                expected: type[DomainError] | None = None
            else:
                expected = other.get(role, PermissionDenied)
            label = "allow" if expected is None else expected.__name__
            params.append(pytest.param(check, role, expected, id=f"{name}-{role}-{label}"))
    return params


@pytest.mark.parametrize(("check", "role", "expected"), _service_params())
def test_service_matrix(cast, check, role, expected):
    person = actor(cast, role)
    if expected is None:
        check(cast, person)
        return
    with pytest.raises(expected) as raised:
        check(cast, person)
    if expected is not PermissionDenied:
        assert not isinstance(raised.value, PermissionDenied)
    assert raised.value.message


def test_refused_service_changes_nothing(cast):
    before = (cast.circle.name, cast.circle.description, Membership.objects.count(), Tie.objects.count())
    for person in (AnonymousUser(), cast.outsider, cast.editor, cast.member):
        with pytest.raises(PermissionDenied):
            services.update_circle(person=person, circle=cast.circle, name="Taken over", description="Ours now")
        with pytest.raises(PermissionDenied):
            services.remove_member(person=person, circle=cast.circle, member=cast.organiser)
    cast.circle.refresh_from_db()
    after = (cast.circle.name, cast.circle.description, Membership.objects.count(), Tie.objects.count())
    assert after == before
