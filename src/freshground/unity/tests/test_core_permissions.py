"""Role × action matrix for the unity predicates."""

from __future__ import annotations

import pytest

from freshground.testing import factories
from freshground.unity import permissions as perms
from freshground.unity import services
from freshground.unity.models import Participant

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "anonymous_participant", "person", "owner", "circle_organiser", "admin"]
ACTIONS = ["view", "vote", "add_statement", "moderate", "close"]

# A conversation opened by `owner` in the cast's circle, allowing anonymous participation.
MATRIX = {
    "view": set(ROLES),
    "vote": {"anonymous_participant", "person", "owner", "circle_organiser", "admin"},
    "add_statement": {"person", "owner", "circle_organiser", "admin"},
    "moderate": {"owner", "circle_organiser", "admin"},
    "close": {"owner", "circle_organiser", "admin"},
}


@pytest.fixture
def world(cast):
    owner = factories.PersonFactory(display_name="Owen Owner")
    factories.add_member(cast.circle, owner)
    conversation = services.open_conversation(
        person=cast.organiser, title="What unites us?", circle=cast.circle, allow_anonymous=True
    )
    conversation.opened_by = owner  # the owner is a plain member; the organiser acts through the circle
    conversation.save()
    anonymous_participant, _key = services.join_anonymously(actor=None, conversation=conversation)
    actors = {
        "anonymous": (None, None),
        "anonymous_participant": (None, anonymous_participant),
        "person": (cast.outsider, None),
        "owner": (owner, None),
        "circle_organiser": (cast.organiser, None),
        "admin": (cast.admin, None),
    }
    return conversation, actors


def allowed(action: str, actor, participant, conversation) -> bool:
    if action == "view":
        return perms.can_view(actor, conversation)
    if action == "vote":
        return perms.can_vote(actor, conversation, participant)
    if action == "add_statement":
        return perms.can_add_statement(actor, conversation)
    if action == "moderate":
        return perms.can_moderate(actor, conversation)
    return perms.can_close(actor, conversation)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(world, role, action):
    conversation, actors = world
    actor, participant = actors[role]
    assert allowed(action, actor, participant, conversation) is (role in MATRIX[action])


@pytest.mark.parametrize("role", ROLES)
def test_closed_conversation_takes_no_votes_or_statements(world, role):
    conversation, actors = world
    actor, participant = actors[role]
    conversation.state = "closed"
    assert not perms.can_vote(actor, conversation, participant)
    assert not perms.can_add_statement(actor, conversation)
    assert not perms.can_close(actor, conversation)
    assert perms.can_view(actor, conversation)
    assert perms.can_moderate(actor, conversation) is (role in MATRIX["moderate"])


def test_anonymous_participants_vote_only_where_allowed(world):
    conversation, actors = world
    _actor, participant = actors["anonymous_participant"]
    conversation.allow_anonymous = False
    assert not perms.can_vote(None, conversation, participant)
    assert not perms.can_join_anonymously(None, conversation)


def test_nobody_votes_as_someone_else(world, cast):
    conversation, actors = world
    theirs = Participant.objects.create(conversation=conversation, person=cast.member)
    assert not perms.can_vote(cast.outsider, conversation, theirs)
    assert not perms.can_vote(cast.outsider, conversation, actors["anonymous_participant"][1])
    assert perms.can_vote(cast.member, conversation, theirs)


def test_center_editors_moderate_their_centers_conversations(cast):
    conversation = services.open_conversation(person=cast.editor, title="Centre talk", center=cast.center)
    conversation.opened_by = None
    assert perms.can_moderate(cast.editor, conversation)
    assert not perms.can_moderate(cast.organiser, conversation)
