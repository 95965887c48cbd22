"""Decisions for `freshground demo`: a closed STV election in a circle, with its round table, and an open
network-wide Schulze vote whose options are the demo campaigns ("prioritising campaigns").

Idempotent: a decision whose slug exists is left as it is. Everything goes through the services, so the ballots are
as unlinked as anyone's. The Schulze vote is skipped cleanly when no demo campaign exists (campaigns' demo not
loaded).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from freshground.campaigns.models import Campaign
from freshground.core.exceptions import DomainError
from freshground.decisions import services, services_voting
from freshground.decisions.models import Decision, Electorate, Phase, ResultsVisibility
from freshground.network.models import Center, Circle
from freshground.people.models import Person

STV_SLUG = "leeds-trades-council-delegates"
SCHULZE_SLUG = "network-priorities-this-year"
CAMPAIGN_SLUGS = ("safe-staffing-leeds-infirmary", "rent-freeze-now")

# Leeds City Circle elects two delegates to the trades council. Quota 2 of 5: the first count elects Priya, her
# surplus moves on, and the rounds show Kit overtaking Dev.
STV_OPTIONS = ["Priya S.", "Kit Wainwright", "Dev Harrow", "Fern"]
STV_BALLOTS = {
    "dev": ["priya-s", "kit-wainwright"],
    "organiser": ["priya-s", "dev-harrow"],
    "member": ["priya-s", "kit-wainwright"],
    "priya": ["kit-wainwright", "dev-harrow"],
    "kit": ["fern", "kit-wainwright", "dev-harrow"],
}
SCHULZE_VOTERS = ("dev", "kit", "meera", "cass", "ailsa", "june")


def _rename(decision: Decision, slug: str) -> Decision:
    Decision.objects.filter(pk=decision.pk).update(slug=slug)
    decision.refresh_from_db()
    return decision


def _stv(people: dict[str, Person], circles: dict[str, Circle]) -> int:
    circle = circles.get("leeds-city-circle") or Circle.objects.filter(slug="leeds-city-circle").first()
    organiser = people.get("dev")
    if circle is None or organiser is None or Decision.objects.filter(slug=STV_SLUG).exists():
        return 0
    decision = services.create_decision(
        person=organiser,
        space=circle,
        fields=services.DecisionFields(
            question="Who represents us on the Leeds trades council?",
            description="Two delegates for the coming year. Rank as many candidates as you like.",
            method="stv",
            electorate=Electorate.CIRCLE_MEMBERS,
            seats=2,
            secret=True,
            quorum=3,
        ),
        options=STV_OPTIONS,
    )
    decision = _rename(decision, STV_SLUG)
    services.set_phase(person=organiser, decision=decision, phase=Phase.VOTING)
    for key, ranking in STV_BALLOTS.items():
        voter = people.get(key)
        if voter is None:
            continue
        try:
            services_voting.cast_vote(
                person=voter, decision=decision, given=services_voting.BallotInput(ranking=ranking)
            )
        except DomainError:
            continue  # not a member in this world: the election runs with whoever is
    services.set_phase(person=organiser, decision=decision, phase=Phase.CLOSED)
    return 1


def _schulze(people: dict[str, Person]) -> int:
    admin = people.get("admin")
    if admin is None or Decision.objects.filter(slug=SCHULZE_SLUG).exists():
        return 0
    campaigns = list(Campaign.objects.filter(slug__in=CAMPAIGN_SLUGS).order_by("slug"))
    if len(campaigns) < 2:
        return 0  # nothing to prioritise without the demo campaigns
    decision = services.create_decision(
        person=admin,
        space=None,
        fields=services.DecisionFields(
            question="Which campaigns should the whole network put first this year?",
            description="Rank the common campaigns. The Schulze method finds the option a majority prefers to "
            "each of the others, if there is one, and a full order.",
            method="schulze",
            electorate=Electorate.SIGNED_IN,
            results_visibility=ResultsVisibility.LIVE,
            closes_at=timezone.now() + timedelta(days=21),
            secret=True,
        ),
        campaigns=campaigns,
    )
    decision = _rename(decision, SCHULZE_SLUG)
    services.set_phase(person=admin, decision=decision, phase=Phase.VOTING)
    keys = list(decision.options.order_by("position").values_list("key", flat=True))
    for index, name in enumerate(SCHULZE_VOTERS):
        voter = people.get(name)
        if voter is None:
            continue
        ranking = keys if index % 3 else list(reversed(keys))
        services_voting.cast_vote(person=voter, decision=decision, given=services_voting.BallotInput(ranking=ranking))
    return 1


def load_demo_decisions(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo decisions that are missing; returns how many were created."""
    return _stv(people, circles) + _schulze(people)
