"""Who may do what with decisions. Pure predicates: the only home of these rules.

- Create: circle organisers for their circle, center editors for their center, campaign managers
  (`campaigns.permissions.can_manage_campaign`) for their campaign, site admins for network-wide decisions (and
  anywhere).
- Manage (options in draft, phases, close): the same people for the decision's space.
- View: a draft only its managers; every other phase everyone.
- Vote: someone in the electorate while voting is open. In a sponsor electorate a person votes *for* a sponsor
  circle or center they speak for (its organisers or editors), one vote per sponsor.
- Results: live results while voting if the decision says so, otherwise once it is closed.
"""

from __future__ import annotations

from typing import Any

from freshground.campaigns import permissions as campaign_perms
from freshground.campaigns.models import Campaign
from freshground.campaigns.queries import active_sponsors
from freshground.core.permissions import is_person, is_site_admin
from freshground.decisions.models import (
    Decision,
    Delegate,
    Electorate,
    Objection,
    ObjectionStatus,
    Phase,
    ResultsVisibility,
    SpaceKind,
)
from freshground.network import permissions as network_perms
from freshground.network.models import Center, Circle

Space = Circle | Center | Campaign | None


def can_create_decision(person: Any, space: Space) -> bool:
    """May person open a decision in this space (None: the whole network)?"""
    if not is_person(person):
        return False
    if is_site_admin(person):
        return True
    if isinstance(space, Circle):
        return network_perms.is_organiser(person, space)
    if isinstance(space, Center):
        return network_perms.is_center_editor(person, space)
    if isinstance(space, Campaign):
        return campaign_perms.can_manage_campaign(person, space)
    return False


def can_manage_decision(person: Any, decision: Decision) -> bool:
    if not is_person(person):
        return False
    if is_site_admin(person):
        return True
    if decision.space == SpaceKind.CIRCLE and decision.circle is not None:
        return network_perms.is_organiser(person, decision.circle)
    if decision.space == SpaceKind.CENTER and decision.center is not None:
        return network_perms.is_center_editor(person, decision.center)
    if decision.space == SpaceKind.CAMPAIGN and decision.campaign is not None:
        return campaign_perms.can_manage_campaign(person, decision.campaign)
    return False


def can_view_decision(person: Any, decision: Decision) -> bool:
    if decision.phase == Phase.DRAFT:
        return can_manage_decision(person, decision)
    return True


def voting_parties(person: Any, decision: Decision) -> list[Circle | Center]:
    """In a sponsor electorate: the active sponsor circles and centers person may vote for."""
    if not is_person(person) or decision.electorate != Electorate.CAMPAIGN_SPONSORS or decision.campaign is None:
        return []
    parties: list[Circle | Center] = []
    for sponsor in active_sponsors(decision.campaign):
        if campaign_perms.speaks_for(person, sponsor):
            party = sponsor.party
            if party is not None:
                parties.append(party)
    return parties


def in_electorate(person: Any, decision: Decision) -> bool:
    """Is person one of the voters (whatever the phase)?"""
    if not is_person(person):
        return False
    if decision.electorate == Electorate.SIGNED_IN:
        return True
    if decision.electorate == Electorate.CIRCLE_MEMBERS:
        return decision.circle is not None and network_perms.is_member(person, decision.circle)
    if decision.electorate == Electorate.DELEGATES:
        cache: dict[int, bool] = vars(person).setdefault("_fg_decision_delegates", {})
        if decision.pk not in cache:
            cache[decision.pk] = Delegate.objects.filter(decision=decision, person=person).exists()
        return cache[decision.pk]
    if decision.electorate == Electorate.CAMPAIGN_SPONSORS:
        return bool(voting_parties(person, decision))
    return False


def can_vote(person: Any, decision: Decision) -> bool:
    return decision.is_voting_open() and in_electorate(person, decision)


def can_propose_option(person: Any, decision: Decision) -> bool:
    """Participants propose options during the proposal phase; managers add them in draft and proposals."""
    if decision.is_consent or decision.is_advice:
        return False
    if decision.phase == Phase.DRAFT:
        return can_manage_decision(person, decision)
    if decision.phase == Phase.PROPOSALS:
        return can_manage_decision(person, decision) or in_electorate(person, decision)
    return False


def can_change_phase(person: Any, decision: Decision) -> bool:
    return decision.phase != Phase.CLOSED and can_manage_decision(person, decision)


def can_see_results(person: Any, decision: Decision) -> bool:
    if not can_view_decision(person, decision):
        return False
    if decision.is_closed():
        return True
    return decision.phase == Phase.VOTING and decision.results_visibility == ResultsVisibility.LIVE


def can_see_who_voted_what(person: Any, decision: Decision) -> bool:
    """Open ballots show their voters next to the ballots; secret ones never can."""
    return not decision.secret and can_see_results(person, decision)


def can_answer_objection(person: Any, objection: Objection) -> bool:
    """The proposer (the decision's creator) or its managers write an answer to a standing objection."""
    decision = objection.decision
    if decision.is_closed() or objection.status != ObjectionStatus.STANDING:
        return False
    if is_person(person) and decision.created_by_id == person.pk:
        return True
    return can_manage_decision(person, decision)


def can_settle_objection(person: Any, objection: Objection) -> bool:
    """Only the objector withdraws an objection, upholds it, or declares it resolved by the answer."""
    if objection.decision.is_closed() or not objection.is_blocking:
        return False
    return is_person(person) and objection.author_id == person.pk
