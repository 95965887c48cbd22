# mypy: disable-error-code="arg-type,attr-defined"
"""The permission matrix for speakers: every predicate for every role.

Roles: the speaker themself, circle organiser, circle member, center editor, site admin, unrelated person, anonymous
visitor, and a deactivated account. A predicate added to permissions.py without a row here fails the last test.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from freshground.speakers import permissions
from freshground.speakers.models import Appearance, RequestStatus
from freshground.speakers.tests.helpers import make_event, make_request, make_speaker
from freshground.testing import factories

pytestmark = pytest.mark.django_db

ROLES = ("speaker", "organiser", "member", "editor", "admin", "outsider", "anonymous", "deactivated")
PEOPLE = frozenset(ROLES) - {"anonymous", "deactivated"}
EVERYONE = frozenset(ROLES)


@pytest.fixture
def world(cast: Any) -> dict[str, Any]:
    speaker_person = factories.PersonFactory.create(display_name="Sam Speaker")
    speaker = make_speaker(speaker_person)
    request = make_request(cast.organiser, speaker, cast.circle)
    deactivated = factories.PersonFactory.create(display_name="Dee")
    factories.add_member(cast.circle, deactivated, "organiser")
    factories.add_editor(cast.center, deactivated)
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    people = {
        "speaker": speaker_person,
        "organiser": cast.organiser,
        "member": cast.member,
        "editor": cast.editor,
        "admin": cast.admin,
        "outsider": cast.outsider,
        "anonymous": AnonymousUser(),
        "deactivated": deactivated,
    }
    # An event the circle hosts (the center is tied to the circle but hosts nothing), with the speaker listed.
    event = make_event(cast.organiser, cast.circle)
    appearance = Appearance.objects.create(speaker=speaker, event=event, added_by=cast.organiser)
    return {
        "cast": cast,
        "speaker": speaker,
        "request": request,
        "people": people,
        "event": event,
        "appearance": appearance,
    }


def _proposed(w: dict[str, Any]) -> Any:
    w["request"].status = RequestStatus.PROPOSED
    return w["request"]


def _scheduled(w: dict[str, Any]) -> Any:
    w["request"].status = RequestStatus.SCHEDULED
    return w["request"]


# (predicate, how to build its arguments after the person, who is allowed)
MATRIX: list[tuple[str, Any, frozenset[str]]] = [
    ("can_view_speaker", lambda w: (w["speaker"],), EVERYONE),
    ("can_list_self", lambda w: (), PEOPLE),
    ("can_enter_speaker", lambda w: (), frozenset({"organiser", "editor", "admin"})),
    ("is_inviter", lambda w: (), frozenset({"organiser", "editor"})),
    ("can_manage_speaker", lambda w: (w["speaker"],), frozenset({"speaker", "admin"})),
    ("can_see_private_details", lambda w: (w["speaker"],), frozenset({"speaker", "organiser", "editor", "admin"})),
    ("can_plan_tour", lambda w: (w["speaker"],), frozenset({"speaker", "admin"})),
    ("can_act_for_circle", lambda w: (w["cast"].circle,), frozenset({"organiser", "admin"})),
    ("can_send_request", lambda w: (w["speaker"], w["cast"].circle), frozenset({"organiser", "admin"})),
    ("can_see_request", lambda w: (w["request"],), frozenset({"speaker", "organiser", "admin"})),
    ("can_answer_request", lambda w: (w["request"],), frozenset({"speaker", "admin"})),
    ("can_answer_request", lambda w: (_proposed(w),), frozenset()),
    ("can_answer_proposal", lambda w: (w["request"],), frozenset()),
    ("can_answer_proposal", lambda w: (_proposed(w),), frozenset({"organiser", "admin"})),
    ("can_withdraw_request", lambda w: (w["request"],), frozenset({"organiser", "admin"})),
    ("can_withdraw_request", lambda w: (_scheduled(w),), frozenset()),
    ("can_leave_feedback", lambda w: (w["request"],), frozenset()),
    ("can_leave_feedback", lambda w: (_scheduled(w),), frozenset({"organiser", "admin"})),
    ("can_manage_event_speakers", lambda w: (w["event"],), frozenset({"organiser", "admin"})),
    ("is_appearing_speaker", lambda w: (w["appearance"],), frozenset({"speaker"})),
    ("can_remove_appearance", lambda w: (w["appearance"],), frozenset({"speaker", "organiser", "admin"})),
]


@pytest.mark.parametrize(("predicate", "arguments", "allowed"), MATRIX, ids=[row[0] for row in MATRIX])
def test_matrix(world: dict[str, Any], predicate: str, arguments: Any, allowed: frozenset[str]) -> None:
    check = getattr(permissions, predicate)
    args = arguments(world)
    answers = {role: bool(check(person, *args)) for role, person in world["people"].items()}
    assert {role for role, yes in answers.items() if yes} == set(allowed)


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [("circle", frozenset({"organiser", "admin"})), ("center", frozenset({"editor", "admin"}))],
)
def test_endorse_matrix(world: dict[str, Any], kind: str, allowed: frozenset[str]) -> None:
    group = {kind: getattr(world["cast"], kind)}
    answers = {
        role for role, person in world["people"].items() if permissions.can_endorse(person, world["speaker"], **group)
    }
    assert answers == set(allowed)


def test_nobody_endorses_themself(world: dict[str, Any]) -> None:
    cast = world["cast"]
    own = make_speaker(cast.organiser, name="Olga")
    assert not permissions.can_endorse(cast.organiser, own, circle=cast.circle)


def test_whoever_entered_a_non_member_manages_the_entry(world: dict[str, Any]) -> None:
    from freshground.speakers import services

    cast = world["cast"]
    guest = services.create_speaker(person=cast.editor, for_self=False, name="Guest")
    managers = {role for role, person in world["people"].items() if permissions.can_manage_speaker(person, guest)}
    assert managers == {"editor", "admin"}


def test_every_predicate_is_in_the_matrix() -> None:
    predicates = {
        name
        for name, value in inspect.getmembers(permissions, inspect.isfunction)
        if value.__module__ == permissions.__name__ and name.startswith(("can_", "is_"))
    }
    covered = {row[0] for row in MATRIX} | {"can_endorse"}
    assert predicates == covered


def test_whoever_entered_a_non_member_speaker_cannot_take_them_off_an_event(world: dict[str, Any]) -> None:
    """Only the person on the roster entry counts as "the speaker themself" at an event."""
    from freshground.speakers import services

    cast = world["cast"]
    guest = services.create_speaker(person=cast.editor, for_self=False, name="Guest")
    appearance = Appearance.objects.create(speaker=guest, event=world["event"])
    assert not permissions.is_appearing_speaker(cast.editor, appearance)
    assert not permissions.can_remove_appearance(cast.editor, appearance)
