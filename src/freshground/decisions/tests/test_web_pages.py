"""The decision pages: creating, every ballot form through the page, proposals, consent objections, closing, the
results page (rounds, pairwise matrix, chart, ballots, recount), ballots.json, the receipt checker, query counts."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from freshground.decisions import services, services_voting
from freshground.decisions.models import Ballot, Decision, Electorate, Objection, Participation, Phase
from freshground.decisions.tally.ballot_file import read_ballot_file
from freshground.decisions.tests.helpers import campaign_with_sponsors, keys, new_decision
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def page(client, decision):
    return client.get(reverse("decisions:decision", args=[decision.slug]))


def post_vote(client, decision, data):
    return client.post(reverse("decisions:vote", args=[decision.slug]), data)


def receipt_of(response):
    match = re.search(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</strong>", response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


def test_organiser_creates_a_circle_decision_and_opens_it(client, cast):
    client.force_login(cast.organiser)
    url = reverse("decisions:create") + f"?circle={cast.circle.slug}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "question": "Which day do we strike?",
            "method": "irv",
            "options": "Monday\nFriday\nSaturday",
            "electorate": "circle_members",
            "seats": 1,
            "max_score": 5,
            "dots": 5,
            "results_visibility": "after_close",
            "secret": "on",
            "quorum": 2,
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == decision.get_absolute_url()
    assert (decision.circle, decision.phase, decision.secret) == (cast.circle, Phase.DRAFT, True)
    assert keys(decision) == ["monday", "friday", "saturday"]
    client.post(reverse("decisions:phase", args=[decision.slug]), {"phase": "voting"})
    decision.refresh_from_db()
    assert decision.phase == Phase.VOTING
    client.force_login(cast.member)
    body = page(client, decision).content.decode()
    assert 'name="rank_monday"' in body
    assert "Cast my vote" in body


def test_who_may_open_decisions_where(client, cast):
    client.force_login(cast.member)
    assert client.get(reverse("decisions:create") + f"?circle={cast.circle.slug}").status_code == 403
    assert client.get(reverse("decisions:create")).status_code == 403
    client.force_login(cast.editor)
    assert client.get(reverse("decisions:create") + f"?center={cast.center.slug}").status_code == 200
    client.force_login(cast.admin)
    body = client.get(reverse("decisions:create")).content.decode()
    assert "Campaigns as options" in body
    assert "Region or place" in body


def test_bad_create_form_stores_nothing(client, cast):
    client.force_login(cast.organiser)
    url = reverse("decisions:create") + f"?circle={cast.circle.slug}"
    response = client.post(
        url,
        {
            "question": "",
            "method": "irv",
            "electorate": "circle_members",
            "seats": 1,
            "max_score": 5,
            "dots": 5,
            "results_visibility": "after_close",
            "quorum": 0,
        },
    )
    assert response.status_code == 400
    assert Decision.objects.count() == 0


FORMS = [
    ("single", lambda k: {"choice": k[1]}, 'type="radio"'),
    ("approval", lambda k: {"choices": [k[0], k[1]]}, 'type="checkbox"'),
    ("score", lambda k: {f"score_{x}": "3" for x in k}, 'name="score_alpha"'),
    ("dots", lambda k: {f"dots_{k[0]}": "3", f"dots_{k[1]}": "2"}, 'type="number"'),
    ("irv", lambda k: {f"rank_{k[2]}": "1", f"rank_{k[0]}": "2"}, 'name="rank_alpha"'),
    ("schulze", lambda k: {f"rank_{k[1]}": "1", f"rank_{k[0]}": "2"}, 'name="rank_alpha"'),
    ("stv", lambda k: {f"rank_{k[1]}": "1"}, 'name="rank_alpha"'),
]


@pytest.mark.parametrize(("method", "data", "widget"), FORMS)
def test_each_method_votes_through_its_form(client, cast, method, data, widget):
    decision = new_decision(cast.admin, None, method=method, seats=2 if method == "stv" else 1)
    client.force_login(cast.member)
    assert widget in page(client, decision).content.decode()
    response = post_vote(client, decision, data(keys(decision)))
    assert response.status_code == 200, response.content.decode()[:2000]
    code = receipt_of(response)
    assert Participation.objects.filter(decision=decision, person=cast.member).count() == 1
    assert Ballot.objects.get(decision=decision).voter is None
    check = client.post(reverse("decisions:receipt", args=[decision.slug]), {"code": code})
    assert check.status_code == 200
    assert "Your ballot is in the list" in check.content.decode()
    # A second vote in a secret ballot is refused on the form, with a reason.
    again = post_vote(client, decision, data(keys(decision)))
    assert again.status_code == 400
    assert "already voted" in again.content.decode()


def test_duplicate_ranks_are_refused_on_the_form(client, cast):
    decision = new_decision(cast.admin, None, method="irv")
    client.force_login(cast.member)
    response = post_vote(client, decision, {"rank_alpha": "1", "rank_bravo": "1"})
    assert response.status_code == 400
    assert "same rank" in response.content.decode()
    assert Ballot.objects.count() == Participation.objects.count() == 0


def test_outsider_gets_a_403_and_anonymous_a_login(client, cast):
    decision = new_decision(cast.organiser, cast.circle, electorate=Electorate.CIRCLE_MEMBERS)
    response = post_vote(client, decision, {"choice": "alpha"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    client.force_login(cast.outsider)
    assert "not among the voters" in page(client, decision).content.decode()
    assert post_vote(client, decision, {"choice": "alpha"}).status_code == 403
    assert Ballot.objects.count() == 0


def test_proposals_through_the_page(client, cast):
    decision = new_decision(
        cast.organiser,
        cast.circle,
        electorate=Electorate.CIRCLE_MEMBERS,
        allow_proposals=True,
        options=[],
        phase=Phase.PROPOSALS,
    )
    client.force_login(cast.member)
    assert "Propose an option" in page(client, decision).content.decode()
    response = client.post(reverse("decisions:propose", args=[decision.slug]), {"label": "Occupy the canteen"})
    assert response.status_code == 302
    assert decision.options.get().proposed_by == cast.member
    client.force_login(cast.outsider)
    assert client.post(reverse("decisions:propose", args=[decision.slug]), {"label": "X"}).status_code == 403


def test_consent_page_objection_answer_and_resolution(client, cast):
    decision = new_decision(cast.organiser, cast.circle, method="consent", electorate=Electorate.CIRCLE_MEMBERS)
    client.force_login(cast.member)
    response = post_vote(client, decision, {"response": "object", "reason": "Not without the cleaners."})
    assert response.status_code == 200
    objection = Objection.objects.get()
    client.force_login(cast.organiser)
    body = page(client, decision).content.decode()
    assert "Not without the cleaners." in body
    assert "Mo Member" in body
    assert "Post the answer" in body
    client.post(reverse("decisions:objection_answer", args=[decision.slug, objection.pk]), {"response": "Agreed."})
    assert (
        client.post(
            reverse("decisions:objection_settle", args=[decision.slug, objection.pk]), {"status": "resolved"}
        ).status_code
        == 403
    )
    client.force_login(cast.member)
    client.post(reverse("decisions:objection_settle", args=[decision.slug, objection.pk]), {"status": "upheld"})
    objection.refresh_from_db()
    assert (objection.response, objection.status) == ("Agreed.", "upheld")
    client.force_login(cast.organiser)
    client.post(reverse("decisions:phase", args=[decision.slug]), {"phase": "closed"})
    body = client.get(reverse("decisions:results", args=[decision.slug])).content.decode()
    assert "does not pass" in body


def test_results_page_rounds_chart_ballots_and_recount(client, cast):
    people = [factories.PersonFactory() for _ in range(5)]
    decision = new_decision(cast.admin, None, method="stv", seats=2, quorum=3)
    a, b, c, d = keys(decision)
    for person, ranking in zip(people, [[a, b], [a, b], [a, c], [c, a], [d, c]], strict=True):
        services_voting.cast_vote(person=person, decision=decision, given=services_voting.BallotInput(ranking=ranking))
    assert client.get(reverse("decisions:results", args=[decision.slug])).status_code == 403
    assert client.get(reverse("decisions:ballots", args=[decision.slug])).status_code == 403
    services.set_phase(person=cast.admin, decision=decision, phase=Phase.CLOSED)
    body = client.get(reverse("decisions:results", args=[decision.slug])).content.decode()
    assert "Round by round" in body
    assert "Round 2" in body
    assert "elected in round" in body
    assert "Droop quota" in body
    assert "The quorum of 3 is met" in body
    assert "<svg" in body
    assert "Alpha" in body
    assert "freshground decisions tally ballots.json --method stv --seats 2" in body
    download = client.get(reverse("decisions:ballots", args=[decision.slug]))
    assert download["Content-Disposition"] == 'attachment; filename="ballots.json"'
    data = json.loads(download.content)
    assert data["format"] == "freshground-ballots/1"
    assert len(data["ballots"]) == 5
    assert all(set(entry) == {"receipt", "ranking"} for entry in data["ballots"])


def test_ballot_file_recounts_to_the_same_result(tmp_path, cast):
    from freshground.decisions import queries, tally

    people = [factories.PersonFactory() for _ in range(4)]
    decision = new_decision(cast.admin, None, method="schulze", results_visibility="live")
    a, b, c, _d = keys(decision)
    for person, ranking in zip(people, [[a, b, c], [b, c], [c, a], [b, a]], strict=True):
        services_voting.cast_vote(person=person, decision=decision, given=services_voting.BallotInput(ranking=ranking))
    path = tmp_path / "ballots.json"
    path.write_text(queries.ballot_file(decision))
    loaded = read_ballot_file(path)
    recount = tally.tally(loaded.method, loaded.options, loaded.ballots, seats=loaded.seats, tie_seed=loaded.tie_seed)
    assert recount.to_json() == queries.results_of(decision).result.to_json()


def test_schulze_live_results_show_the_matrix(client, cast):
    decision = new_decision(cast.admin, None, method="schulze", results_visibility="live")
    a, b, _c, _d = keys(decision)
    services_voting.cast_vote(person=cast.member, decision=decision, given=services_voting.BallotInput(ranking=[b, a]))
    body = client.get(reverse("decisions:results", args=[decision.slug])).content.decode()
    assert "Live results" in body
    assert "Pairwise preferences" in body
    assert "Strongest paths" in body


def test_open_ballot_results_show_voters(client, cast):
    decision = new_decision(cast.admin, None, method="single", secret=False, results_visibility="live")
    services_voting.cast_vote(
        person=cast.member, decision=decision, given=services_voting.BallotInput(choices=["bravo"])
    )
    body = client.get(reverse("decisions:results", args=[decision.slug])).content.decode()
    assert "Mo Member" in body


def test_campaign_panel_tag(client, cast):
    from django.template import Context, Template
    from django.test import RequestFactory

    campaign = campaign_with_sponsors(cast.circle)
    decision = new_decision(cast.organiser, campaign, electorate=Electorate.CAMPAIGN_SPONSORS)
    request = RequestFactory().get("/")
    request.user = cast.organiser
    html = Template("{% load decisions_tags %}{% decisions_panel campaign %}").render(
        Context({"campaign": campaign, "request": request})
    )
    assert decision.question in html
    assert f"?campaign={campaign.slug}" in html


def test_index_and_results_query_counts_do_not_grow(client, cast, django_assert_max_num_queries):
    for n in range(3):
        new_decision(cast.admin, None, question=f"Question {n}")
    new_decision(cast.organiser, cast.circle, electorate=Electorate.CIRCLE_MEMBERS, question="Circle one")
    new_decision(cast.editor, cast.center, question="Center one")
    decision = new_decision(cast.admin, None, method="irv", results_visibility="live", question="Counted")
    people = [factories.PersonFactory() for _ in range(6)]
    for person in people[:2]:
        services_voting.cast_vote(
            person=person, decision=decision, given=services_voting.BallotInput(ranking=["alpha"])
        )
    with django_assert_max_num_queries(4) as few:
        assert client.get(reverse("decisions:index")).status_code == 200
    with django_assert_max_num_queries(8) as before:
        client.get(reverse("decisions:results", args=[decision.slug]))
    for n in range(5):
        new_decision(cast.admin, None, question=f"More {n}")
    for person in people[2:]:
        services_voting.cast_vote(
            person=person, decision=decision, given=services_voting.BallotInput(ranking=["bravo"])
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("decisions:index"))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("decisions:results", args=[decision.slug]))
