"""The role × action matrix of the decisions predicates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from freshground.decisions import permissions as perms
from freshground.decisions.models import Electorate, Phase, ResultsVisibility
from freshground.decisions.tests.helpers import campaign_with_sponsors, new_decision
from freshground.testing import factories

ROLES = ["anonymous", "outsider", "member", "organiser", "editor", "admin"]


def who(cast, role):
    return AnonymousUser() if role == "anonymous" else getattr(cast, role)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "circle", "center", "network", "campaign"),
    [
        ("anonymous", False, False, False, False),
        ("outsider", False, False, False, False),
        ("member", False, False, False, False),
        ("organiser", True, False, False, True),
        ("editor", False, True, False, False),
        ("admin", True, True, True, True),
    ],
)
def test_who_may_open_a_decision(cast, role, circle, center, network, campaign):
    person = who(cast, role)
    sponsored = campaign_with_sponsors(cast.circle)
    assert perms.can_create_decision(person, cast.circle) is circle
    assert perms.can_create_decision(person, cast.center) is center
    assert perms.can_create_decision(person, None) is network
    assert perms.can_create_decision(person, sponsored) is campaign


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "manage", "vote", "view_draft"),
    [
        ("anonymous", False, False, False),
        ("outsider", False, False, False),
        ("member", False, True, False),
        ("organiser", True, True, True),
        ("editor", False, False, False),
        ("admin", True, False, True),
    ],
)
def test_circle_decision_roles(cast, role, manage, vote, view_draft):
    person = who(cast, role)
    decision = new_decision(cast.organiser, cast.circle, electorate=Electorate.CIRCLE_MEMBERS)
    draft = new_decision(cast.organiser, cast.circle, electorate=Electorate.CIRCLE_MEMBERS, phase=Phase.DRAFT)
    assert perms.can_manage_decision(person, decision) is manage
    assert perms.can_change_phase(person, decision) is manage
    assert perms.can_vote(person, decision) is vote
    assert perms.can_view_decision(person, decision) is True
    assert perms.can_view_decision(person, draft) is view_draft
    assert perms.can_propose_option(person, draft) is manage


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_results_wait_for_the_close_unless_live(cast, role):
    person = who(cast, role)
    hidden = new_decision(cast.admin, None)
    live = new_decision(cast.admin, None, results_visibility=ResultsVisibility.LIVE)
    assert perms.can_see_results(person, hidden) is False
    assert perms.can_see_results(person, live) is True
    hidden.phase = Phase.CLOSED
    assert perms.can_see_results(person, hidden) is True


@pytest.mark.django_db
def test_proposals_are_open_to_the_electorate_only(cast):
    decision = new_decision(
        cast.organiser, cast.circle, electorate=Electorate.CIRCLE_MEMBERS, allow_proposals=True, phase=Phase.PROPOSALS
    )
    assert decision.phase == Phase.PROPOSALS
    assert perms.can_propose_option(cast.member, decision)
    assert not perms.can_propose_option(cast.outsider, decision)
    assert not perms.can_propose_option(AnonymousUser(), decision)
    assert not perms.can_vote(cast.member, decision)


@pytest.mark.django_db
def test_sponsor_electorate_is_the_sponsors_organisers_and_editors(cast):
    other_circle = factories.CircleFactory()
    campaign = campaign_with_sponsors(cast.circle, cast.center)
    decision = new_decision(cast.organiser, campaign, electorate=Electorate.CAMPAIGN_SPONSORS)
    assert perms.voting_parties(cast.organiser, decision) == [cast.circle]
    assert perms.voting_parties(cast.editor, decision) == [cast.center]
    assert perms.can_vote(cast.organiser, decision)
    assert perms.can_vote(cast.editor, decision)
    assert not perms.can_vote(cast.member, decision)  # a member is not an organiser of the sponsor
    assert not perms.can_vote(cast.outsider, decision)
    organiser_elsewhere = factories.PersonFactory()
    factories.add_member(other_circle, organiser_elsewhere, "organiser")
    assert not perms.can_vote(organiser_elsewhere, decision)


@pytest.mark.django_db
def test_delegates_electorate(cast):
    decision = new_decision(cast.admin, None, electorate=Electorate.DELEGATES, delegates=[cast.member])
    assert perms.can_vote(cast.member, decision)
    assert not perms.can_vote(cast.organiser, decision)
