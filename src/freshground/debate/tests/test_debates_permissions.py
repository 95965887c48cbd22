# factory_boy factories are typed as the factory, not the model they build:
# mypy: disable-error-code="arg-type"
"""The permission matrix for debates: every predicate, for every role. Each row names who is allowed; every other
role must be refused. A predicate added to permissions_debates.py without a row fails
`test_every_predicate_is_in_the_matrix`."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from freshground.core.content import ContentStatus
from freshground.core.exceptions import PermissionDenied
from freshground.debate import permissions_debates as perms
from freshground.debate import services_debates as services
from freshground.debate import services_summaries
from freshground.debate.models import Debate
from freshground.debate.tests.debates_helpers import argue, debate_of, no_rate_limits, person, sent
from freshground.network.models import Role
from freshground.testing import factories

pytestmark = pytest.mark.usefixtures("no_rate_limits", "sent")
__all__ = ["no_rate_limits", "sent"]

ROLES = (
    "anonymous",
    "outsider",
    "member",
    "organiser",
    "invited_editor",
    "unrelated_organiser",
    "moderator",
    "admin",
)
EVERYONE = frozenset(ROLES)
PEOPLE = EVERYONE - {"anonymous"}
MODERATORS = frozenset({"organiser", "moderator", "admin"})


class World:
    """The cast's circle opens a debate (by its organiser); the cast's center is invited; one more circle stands by."""

    def __init__(self, cast: Any) -> None:
        self.cast = cast
        self.debate = debate_of(cast)
        self.unrelated_organiser = person(display_name="Ulla Unrelated Organiser")
        factories.add_member(factories.CircleFactory(), self.unrelated_organiser, Role.ORGANISER)
        self.moderator = person(display_name="Max Moderator")
        services.set_moderators(person=cast.organiser, debate=self.debate, moderators=[self.moderator])
        self.invitation = services.invite(person=cast.organiser, debate=self.debate, center=cast.center)
        self.argument = argue(person(display_name="Avi Author"), self.debate)

    def actor(self, role: str) -> Any:
        if role == "anonymous":
            return AnonymousUser()
        if role == "invited_editor":
            return self.cast.editor
        if role in ("unrelated_organiser", "moderator"):
            return getattr(self, role)
        return getattr(self.cast, role)

    def fresh(self) -> Debate:
        return Debate.objects.get(pk=self.debate.pk)


def _closed(world: World) -> Any:
    summary = services_summaries.close_debate(
        person=world.cast.organiser, debate=world.debate, positions="p", agreements="a", open_questions="o"
    )
    summary.debate = world.fresh()
    return summary


def _pending(world: World) -> Debate:
    Debate.objects.filter(pk=world.debate.pk).update(status=ContentStatus.PENDING)
    return world.fresh()


MATRIX: dict[str, tuple[Any, frozenset[str]]] = {
    "can_view_debate": (lambda w, who: perms.can_view_debate(who, w.fresh()), EVERYONE),
    "can_view_debate (pending)": (lambda w, who: perms.can_view_debate(who, _pending(w)), MODERATORS),
    "can_create_debate": (lambda w, who: perms.can_create_debate(who), PEOPLE),
    "can_open_for_circle": (
        lambda w, who: perms.can_open_for_circle(who, w.cast.circle),
        frozenset({"organiser", "admin"}),
    ),
    "can_open_for_center": (
        lambda w, who: perms.can_open_for_center(who, w.cast.center),
        frozenset({"invited_editor", "admin"}),
    ),
    "is_debate_moderator": (lambda w, who: perms.is_debate_moderator(who, w.fresh()), MODERATORS),
    "can_add_position": (lambda w, who: perms.can_add_position(who, w.fresh()), PEOPLE),
    "can_add_position (closed)": (lambda w, who: perms.can_add_position(who, _closed(w).debate), frozenset()),
    "can_argue": (lambda w, who: perms.can_argue(who, w.fresh()), PEOPLE),
    "can_argue (closed)": (lambda w, who: perms.can_argue(who, _closed(w).debate), frozenset()),
    "can_view_argument": (lambda w, who: perms.can_view_argument(who, w.argument), EVERYONE),
    "can_mark_convincing": (lambda w, who: perms.can_mark_convincing(who, w.argument), PEOPLE),
    "can_invite": (lambda w, who: perms.can_invite(who, w.fresh()), MODERATORS),
    "can_state": (lambda w, who: perms.can_state(who, w.invitation), frozenset({"invited_editor", "admin"})),
    "can_close": (lambda w, who: perms.can_close(who, w.fresh()), MODERATORS),
    "can_summarise": (lambda w, who: perms.can_summarise(who, w.fresh()), MODERATORS),
    "can_edit_summary": (lambda w, who: perms.can_edit_summary(who, _closed(w)), MODERATORS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MATRIX))
def test_matrix(cast, name: str, role: str) -> None:
    world = World(cast)
    check, allowed = MATRIX[name]
    assert check(world, world.actor(role)) is (role in allowed), f"{name} for {role}"


def test_every_predicate_is_in_the_matrix() -> None:
    predicates = {
        name
        for name, member in inspect.getmembers(perms, inspect.isfunction)
        if member.__module__ == perms.__name__ and (name.startswith(("can_", "is_")))
    }
    covered = {name.split(" ")[0] for name in MATRIX}
    assert predicates <= covered, predicates - covered


def test_author_cannot_mark_own_argument(cast) -> None:
    world = World(cast)
    assert perms.can_mark_convincing(world.argument.author, world.argument) is False


def test_organiser_of_one_circle_cannot_moderate_a_debate_of_another(cast) -> None:
    world = World(cast)
    with pytest.raises(PermissionDenied):
        services_summaries.close_debate(
            person=world.unrelated_organiser, debate=world.debate, positions="p", agreements="a", open_questions="o"
        )
    with pytest.raises(PermissionDenied):
        services.invite(person=world.unrelated_organiser, debate=world.debate, circle=cast.circle)
    with pytest.raises(PermissionDenied):
        services.state_position(person=world.unrelated_organiser, invitation=world.invitation, statement="x")


def test_member_cannot_open_in_the_circles_name(cast) -> None:
    with pytest.raises(PermissionDenied):
        services.create_debate(person=cast.member, circle=cast.circle, question="Q?", opening_statement="S.")
