"""Small builders for the decisions tests: a campaign with sponsors, and decisions in every space and method."""

from __future__ import annotations

from typing import Any

from freshground.campaigns.models import Campaign, Sponsor, SponsorStatus
from freshground.decisions import services
from freshground.decisions.models import Decision, Electorate, Phase
from freshground.network.models import Center, Circle
from freshground.people.models import Person

OPTIONS = ["Alpha", "Bravo", "Charlie", "Delta"]


def campaign_with_sponsors(*parties: Circle | Center, title: str = "Free transit") -> Campaign:
    campaign = Campaign.objects.create(title=title, slug=title.lower().replace(" ", "-"))
    for index, party in enumerate(parties):
        Sponsor.objects.create(
            campaign=campaign,
            circle=party if isinstance(party, Circle) else None,
            center=party if isinstance(party, Center) else None,
            status=SponsorStatus.ACTIVE,
            initiator=index == 0,
        )
    return campaign


def new_decision(
    person: Person,
    space: Circle | Center | Campaign | None,
    *,
    method: str = "single",
    electorate: str = Electorate.SIGNED_IN,
    options: list[str] | None = None,
    phase: str = Phase.VOTING,
    **fields: Any,
) -> Decision:
    campaigns = fields.pop("campaigns", ())
    delegates = fields.pop("delegates", ())
    question = fields.pop("question", f"Which one? ({method})")
    decision = services.create_decision(
        person=person,
        space=space,
        fields=services.DecisionFields(question=question, method=method, electorate=electorate, **fields),
        options=OPTIONS if options is None else options,
        campaigns=campaigns,
        delegates=delegates,
    )
    if phase in (Phase.PROPOSALS, Phase.VOTING, Phase.CLOSED) and decision.allow_proposals:
        services.set_phase(person=person, decision=decision, phase=Phase.PROPOSALS)
    if phase in (Phase.VOTING, Phase.CLOSED):
        services.set_phase(person=person, decision=decision, phase=Phase.VOTING)
    decision.refresh_from_db()
    return decision


def keys(decision: Decision) -> list[str]:
    return list(decision.options.order_by("position").values_list("key", flat=True))
