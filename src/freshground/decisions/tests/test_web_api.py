"""The decisions API: create, propose, phases, vote (receipt), results, the ballot list and the receipt check; every
refusal a 4xx with a reason and nothing stored."""

from __future__ import annotations

import pytest

from freshground.decisions.models import Ballot, Decision, Participation
from freshground.decisions.tests.helpers import campaign_with_sponsors, new_decision
from freshground.people.services import create_api_token
from freshground.testing import factories

pytestmark = pytest.mark.django_db

BASE = "/api/v1/decisions"


def auth(person) -> dict[str, str]:
    _token, key = create_api_token(person=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_create_vote_and_read_results(client, cast):
    admin = auth(cast.admin)
    response = client.post(
        f"{BASE}/",
        {
            "question": "Which first?",
            "method": "irv",
            "electorate": "signed_in",
            "options": ["Rent", "Transit", "Wages"],
            "results_visibility": "live",
        },
        content_type="application/json",
        **admin,
    )
    assert response.status_code == 201, response.json()
    slug = response.json()["slug"]
    assert [o["key"] for o in response.json()["options"]] == ["rent", "transit", "wages"]
    assert (
        client.post(f"{BASE}/{slug}/phase", {"phase": "voting"}, content_type="application/json", **admin).json()[
            "phase"
        ]
        == "voting"
    )
    member = auth(cast.member)
    voted = client.post(
        f"{BASE}/{slug}/vote", {"ranking": ["transit", "rent"]}, content_type="application/json", **member
    )
    assert voted.status_code == 201
    assert voted.json()["receipt"]
    again = client.post(f"{BASE}/{slug}/vote", {"ranking": ["rent"]}, content_type="application/json", **member)
    assert again.status_code == 409
    assert "already voted" in again.json()["detail"]
    results = client.get(f"{BASE}/{slug}/results").json()
    assert results["winners"] == ["transit"]
    assert results["rounds"]
    assert results["labels"]["transit"] == "Transit"
    assert results["recount"] == "freshground decisions tally ballots.json --method irv"
    ballots = client.get(f"{BASE}/{slug}/ballots").json()
    assert ballots["format"] == "freshground-ballots/1"
    assert ballots["ballots"][0]["ranking"] == [["transit"], ["rent"]]
    found = client.post(
        f"{BASE}/{slug}/receipt", {"code": voted.json()["receipt"]}, content_type="application/json"
    ).json()
    assert found["found"] is True
    assert found["receipt"] == ballots["ballots"][0]["receipt"]
    assert client.post(f"{BASE}/{slug}/receipt", {"code": "nope"}, content_type="application/json").json() == {
        "found": False,
        "receipt": None,
        "ballot": None,
    }
    listing = client.get(f"{BASE}/").json()
    assert [d["slug"] for d in listing] == [slug]
    detail = client.get(f"{BASE}/{slug}/", **member).json()
    assert detail["can_vote"] is True
    assert detail["results_available"] is True


def test_refusals_have_reasons(client, cast):
    decision = new_decision(cast.organiser, cast.circle, electorate="circle_members", method="dots", dots=3)
    outsider = auth(cast.outsider)
    refused = client.post(
        f"{BASE}/{decision.slug}/vote", {"points": {"alpha": 1}}, content_type="application/json", **outsider
    )
    assert refused.status_code == 403
    assert "not among the voters" in refused.json()["detail"]
    member = auth(cast.member)
    over = client.post(
        f"{BASE}/{decision.slug}/vote", {"points": {"alpha": 3, "bravo": 1}}, content_type="application/json", **member
    )
    assert over.status_code == 400
    assert over.json()["detail"]
    unknown = client.post(
        f"{BASE}/{decision.slug}/vote", {"points": {"zulu": 1}}, content_type="application/json", **member
    )
    assert unknown.status_code == 400
    assert unknown.json()["detail"]
    assert (
        client.post(
            f"{BASE}/{decision.slug}/vote", {"points": {"alpha": 1}}, content_type="application/json"
        ).status_code
        == 401
    )
    assert Participation.objects.count() == Ballot.objects.count() == 0
    assert client.get(f"{BASE}/{decision.slug}/results").status_code == 403
    assert client.get(f"{BASE}/{decision.slug}/ballots").status_code == 403
    assert client.get(f"{BASE}/nothing-here/").status_code == 404
    member_create = client.post(
        f"{BASE}/",
        {"question": "Q", "method": "single", "electorate": "signed_in", "options": ["a", "b"]},
        content_type="application/json",
        **member,
    )
    assert member_create.status_code == 403
    assert member_create.json()["detail"]
    bad_method = client.post(
        f"{BASE}/",
        {"question": "Q", "method": "borda", "electorate": "signed_in"},
        content_type="application/json",
        **auth(cast.admin),
    )
    assert bad_method.status_code == 400
    assert bad_method.json()["field"] == "method"
    late = client.post(
        f"{BASE}/{decision.slug}/options", {"label": "Late"}, content_type="application/json", **auth(cast.organiser)
    )
    assert late.status_code == 403
    assert "voting has begun" in late.json()["detail"]
    assert Decision.objects.count() == 1


def test_prioritising_campaigns_with_sponsor_votes(client, cast):
    other = factories.CircleFactory(name="Docks")
    first = campaign_with_sponsors(cast.circle, title="Free transit")
    second = campaign_with_sponsors(other, title="Rent strike")
    response = client.post(
        f"{BASE}/",
        {
            "question": "Our priority this year?",
            "method": "schulze",
            "electorate": "signed_in",
            "campaign_options": [first.slug, second.slug],
            "region": "Leeds",
        },
        content_type="application/json",
        **auth(cast.admin),
    )
    assert response.status_code == 201
    assert [o["campaign"] for o in response.json()["options"]] == [first.slug, second.slug]
    # A campaign's own decision, voted by its sponsors: one vote per sponsor circle or center.
    campaign = campaign_with_sponsors(cast.circle, cast.center, title="Clean air")
    decision = new_decision(cast.organiser, campaign, electorate="campaign_sponsors", method="approval")
    voted = client.post(
        f"{BASE}/{decision.slug}/vote",
        {"choices": ["alpha"], "sponsor": f"center:{cast.center.slug}"},
        content_type="application/json",
        **auth(cast.editor),
    )
    assert voted.status_code == 201
    wrong = client.post(
        f"{BASE}/{decision.slug}/vote",
        {"choices": ["alpha"], "sponsor": f"center:{cast.center.slug}"},
        content_type="application/json",
        **auth(cast.organiser),
    )
    assert wrong.status_code == 403
    assert Participation.objects.get(decision=decision).sponsor_center == cast.center
