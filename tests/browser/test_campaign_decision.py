"""Issue 7's acceptance story in a real browser: a circle joins an existing campaign instead of starting a duplicate,
reports its progress, and its members vote in a ranked decision whose results page shows the rounds.

A circle's organiser starts describing a campaign the network already runs; the form suggests the existing one and
she asks to co-sponsor it instead; its initiators accept; she posts a progress report on the campaign page; she opens
an instant-runoff decision for her circle's members, who vote with the numbered selects (one with JavaScript off);
she closes it and the results page shows the round-by-round table.
"""

from __future__ import annotations

import pytest
from browser_support import submit
from playwright.sync_api import expect

from freshground.campaigns import services as campaign_services
from freshground.campaigns.models import Campaign, ProgressReport, Sponsor, SponsorStatus
from freshground.decisions import services_voting as decision_voting
from freshground.decisions.models import Ballot, Decision, Participation, Phase
from freshground.network.models import Role
from freshground.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Free buses for Leeds"
SLOW_MACHINE_MS = 60_000  # the shared test machine can be slow to render the first pages


def new_page(browsing):
    page = browsing.new_page()
    page.set_default_timeout(SLOW_MACHINE_MS)
    return page


def test_a_circle_joins_a_campaign_reports_and_votes(new_browsing):
    initiator = factories.PersonFactory(display_name="Ina Initiator")
    first_circle = factories.CircleFactory(name="Leeds Bus Riders", place_name="Leeds")
    factories.add_member(first_circle, initiator, Role.ORGANISER)
    existing = campaign_services.create_campaign(
        actor=initiator,
        sponsor=first_circle,
        title=TITLE,
        description="Free buses across Leeds: fares off, routes back, drivers paid properly.",
        place_name="Leeds",
    )
    olga = factories.PersonFactory(display_name="Olga Organiser")
    circle = factories.CircleFactory(name="Hyde Park Tenants", place_name="Leeds")
    factories.add_member(circle, olga, Role.ORGANISER)
    members = [factories.PersonFactory(display_name=f"Member {n}") for n in range(4)]
    for member in members:
        factories.add_member(circle, member)

    # 1. Olga starts describing the same campaign; the form suggests the existing one, and she joins it instead.
    organiser = new_browsing()
    organiser.log_in_as(olga)
    page = new_page(organiser)
    page.goto("/campaigns/new/")
    page.fill("#id_title", "Free buses in Leeds")
    page.fill("#id_description", "Make the buses in Leeds free: no fares, routes restored.")
    page.fill("#id_place_name", "Leeds")
    page.select_option("#id_sponsor", label="Hyde Park Tenants (circle)")
    submit(page, "#id_title")
    expect(page.locator("#similar-title")).to_be_visible()
    suggestion = page.locator(".campaign-suggestions li").filter(has_text=TITLE)
    with page.expect_navigation():
        suggestion.get_by_role("link", name="Join this campaign instead").click()
    submit(page, "#id_party")
    assert Campaign.objects.count() == 1  # no duplicate
    request = Sponsor.objects.get(campaign=existing, circle=circle)
    campaign_services.decide_sponsorship(actor=initiator, sponsor=request, accept=True)
    assert Sponsor.objects.get(pk=request.pk).status == SponsorStatus.ACTIVE

    # 2. She posts a progress report on the campaign page.
    page.goto(existing.get_absolute_url())
    page.get_by_text("What did you do this week?").click()
    page.fill("#id_body", "We leafleted every stop on the 56 route.")
    submit(page, "#id_body")
    expect(page.locator("main")).to_contain_text("We leafleted every stop on the 56 route.")
    assert ProgressReport.objects.filter(campaign=existing, circle=circle).exists()

    # 3. She opens a ranked decision for her circle's members.
    page.goto(f"/decisions/new/?circle={circle.slug}")
    page.fill("#id_question", "What do we do first for free buses?")
    page.select_option("#id_method", "irv")
    page.fill("#id_options", "March\nLeaflet\nPetition")
    page.select_option("#id_electorate", "circle_members")
    submit(page, "#id_question")
    expect(page.locator("h1")).to_have_text("What do we do first for free buses?")
    page.get_by_role("button", name="Open the vote").click()
    expect(page.locator("main")).to_contain_text("Cast my vote")
    decision = Decision.objects.get()
    assert decision.phase == Phase.VOTING

    # 4. Members vote with the numbered selects: one with JavaScript on, one with it off; three more by service.
    page.select_option("#id_rank_march", "1")
    submit(page, "#id_rank_march")
    expect(page.locator(".receipt-code")).to_be_visible()
    for member, ranks, javascript in (
        (members[0], {"march": "1"}, False),
        (members[1], {"leaflet": "1", "petition": "2"}, True),
    ):
        voter = new_browsing(java_script_enabled=javascript)
        voter.log_in_as(member)
        voting = new_page(voter)
        voting.goto(decision.get_absolute_url())
        for key, rank in ranks.items():
            voting.select_option(f"#id_rank_{key}", rank)
        submit(voting, "#id_rank_march")
        expect(voting.locator("h1")).to_have_text("Your vote is counted")
        code = voting.locator(".receipt-code strong").inner_text()
        voting.goto(f"{decision.get_absolute_url()}receipt/")
        voting.fill("#id_code", code)
        submit(voting, "#id_code")
        expect(voting.locator("main")).to_contain_text("Your ballot is in the list.")
    for member, ranking in ((members[2], ["petition", "leaflet"]), (members[3], ["petition", "leaflet"])):
        decision_voting.cast_vote(person=member, decision=decision, given=decision_voting.BallotInput(ranking=ranking))
    assert Participation.objects.filter(decision=decision).count() == Ballot.objects.count() == 5

    # 5. She closes it; the results page shows the rounds: Leaflet is eliminated and Petition wins in round 2.
    page.goto(decision.get_absolute_url())
    page.get_by_role("button", name="Close the decision").click()
    expect(page.locator("main")).to_contain_text("Results")
    page.get_by_role("link", name="Results").first.click()
    expect(page.locator("#rounds-title")).to_have_text("Round by round")
    table = page.locator(".rounds-table")
    expect(table).to_contain_text("Round 2")
    expect(table.locator("tr").filter(has_text="Leaflet")).to_contain_text("eliminated in round 1")
    expect(table.locator("tr").filter(has_text="Petition")).to_contain_text("elected in round 2")
    expect(page.locator(".outcome")).to_contain_text("Petition")
    expect(page.locator("main")).to_contain_text("freshground decisions tally ballots.json --method irv")
