"""Voting through the services: every method, the rules for changing a vote, consent objections, proposals, and
the bad-input list (each refused with a clear message and nothing stored)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import models
from django.utils import timezone

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.decisions import queries, services, services_voting
from freshground.decisions.models import (
    Ballot,
    Decision,
    Electorate,
    Objection,
    ObjectionStatus,
    Participation,
    Phase,
    receipt_hash,
)
from freshground.decisions.services_voting import BallotInput
from freshground.decisions.tests.helpers import campaign_with_sponsors, keys, new_decision
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def voters(n):
    return [factories.PersonFactory() for _ in range(n)]


def vote(person, decision, **given):
    return services_voting.cast_vote(person=person, decision=decision, given=BallotInput(**given))


def stored(decision):
    return Participation.objects.filter(decision=decision).count(), Ballot.objects.filter(decision=decision).count()


def close(decision, person):
    services.set_phase(person=person, decision=decision, phase=Phase.CLOSED)
    decision.refresh_from_db()
    return queries.results_of(decision)


def test_single_approval_score_and_dots(cast):
    people = voters(3)
    single = new_decision(cast.admin, None, method="single")
    a, b, c, d = keys(single)
    for person, choice in zip(people, [a, b, b], strict=True):
        vote(person, single, choices=[choice])
    assert close(single, cast.admin).result.winners == (b,)

    approval = new_decision(cast.admin, None, method="approval", question="Approve?")
    a, b, c, d = keys(approval)
    for person, ticks in zip(people, [[a, c], [c], [b, c]], strict=True):
        vote(person, approval, choices=ticks)
    result = close(approval, cast.admin).result
    assert result.winners == (c,)
    assert result.totals[c] == 3

    score = new_decision(cast.admin, None, method="score", max_score=3, question="Score?")
    a, b, c, d = keys(score)
    for person in people:
        vote(person, score, points={a: 1, b: 3, c: 0, d: 2})
    assert close(score, cast.admin).result.winners == (b,)

    dots = new_decision(cast.admin, None, method="dots", dots=4, question="Dots?")
    a, b, c, d = keys(dots)
    for person, spread in zip(people, [{a: 4}, {d: 1, a: 2}, {d: 4}], strict=True):
        vote(person, dots, points=spread)
    assert close(dots, cast.admin).result.winners == (a,)


def test_irv_stv_and_schulze(cast):
    people = voters(5)
    irv = new_decision(cast.admin, None, method="irv")
    a, b, c, d = keys(irv)
    rankings = [[a, b], [a, d], [b, c], [c, b], [c, b]]
    for person, ranking in zip(people, rankings, strict=True):
        vote(person, irv, ranking=ranking)
    outcome = close(irv, cast.admin)
    assert outcome.result.winners == (c,)
    assert len(outcome.result.rounds) >= 2

    stv = new_decision(cast.admin, None, method="stv", seats=2, question="Two seats?")
    a, b, c, d = keys(stv)
    for person, ranking in zip(people, [[a, b], [a, b], [a, c], [c, a], [d, c]], strict=True):
        vote(person, stv, ranking=ranking)
    outcome = close(stv, cast.admin)
    assert set(outcome.result.winners) == {a, c}
    assert outcome.result.quota == pytest.approx(5 / 3 + 1 - 1e-9, abs=1)
    assert outcome.result.rounds

    schulze = new_decision(cast.admin, None, method="schulze", question="Condorcet?")
    a, b, c, d = keys(schulze)
    # b beats every other option head to head.
    for person, ranks in zip(people, [{b: 1, a: 2}, {b: 1, c: 2}, {a: 1, b: 2}, {c: 1, b: 2}, {b: 1}], strict=True):
        services_voting.cast_vote(person=person, decision=schulze, given=BallotInput(ranks=ranks))
    outcome = close(schulze, cast.admin)
    assert outcome.result.winners[0] == b
    assert outcome.result.pairwise is not None
    assert outcome.result.pairwise[b][a] == 4


def test_consent_objection_is_answered_then_resolved(cast):
    decision = new_decision(cast.organiser, cast.circle, method="consent", electorate=Electorate.CIRCLE_MEMBERS)
    assert decision.secret is False  # consent is always open: objections carry their authors
    with pytest.raises(DomainError, match="reason"):
        vote(cast.member, decision, response="object")
    assert stored(decision) == (0, 0)
    vote(cast.member, decision, response="object", reason="It leaves the night shift out.")
    vote(cast.organiser, decision, response="consent")
    assert queries.results_of(decision).result.passed is False
    objection = Objection.objects.get(decision=decision)
    with pytest.raises(PermissionDenied):
        services_voting.settle_objection(person=cast.organiser, objection=objection, status=ObjectionStatus.RESOLVED)
    with pytest.raises(PermissionDenied):
        services_voting.answer_objection(person=cast.member, objection=objection, response="No.")
    services_voting.answer_objection(person=cast.organiser, objection=objection, response="We add a night meeting.")
    services_voting.settle_objection(person=cast.member, objection=objection, status=ObjectionStatus.RESOLVED)
    result = close(decision, cast.organiser).result
    assert result.passed is True
    assert result.totals["object"] == 1


def test_advice_is_recorded_with_its_author(cast):
    decision = new_decision(cast.admin, None, method="advice")
    vote(cast.member, decision, response="concern", reason="Too soon.")
    advice = queries.advice_of(decision)
    assert [(a.author, a.response, a.text) for a in advice] == [(cast.member, "concern", "Too soon.")]
    assert queries.results_of(decision).result.totals["concern"] == 1


def test_secret_ballot_cannot_be_changed_open_ballot_can(cast):
    secret = new_decision(cast.admin, None, method="single")
    a, b, *_ = keys(secret)
    outcome = vote(cast.member, secret, choices=[a])
    assert outcome.receipt
    assert not outcome.changed
    with pytest.raises(Conflict, match="already voted"):
        vote(cast.member, secret, choices=[b])
    assert stored(secret) == (1, 1)

    public = new_decision(cast.admin, None, method="single", secret=False, question="Open?")
    a, b, *_ = keys(public)
    first = vote(cast.member, public, choices=[a])
    second = vote(cast.member, public, choices=[b])
    assert second.changed
    assert second.receipt is None
    assert stored(public) == (1, 1)
    ballot = Ballot.objects.get(decision=public)
    assert ballot.content == {"choices": [b]}
    assert ballot.voter == cast.member
    assert ballot.receipt_hash == receipt_hash(first.receipt)
    public.refresh_from_db()
    assert public.participant_count == 1


def test_secret_ballot_has_no_link_to_its_participation(cast):
    decision = new_decision(cast.admin, None, method="irv")
    a, _b, c, _d = keys(decision)
    outcome = vote(cast.member, decision, ranking=[c, a])
    ballot = Ballot.objects.get(decision=decision)
    participation = Participation.objects.get(decision=decision)
    # No column of a ballot points at a person or a participation, and none holds a time.
    for f in Ballot._meta.concrete_fields:
        assert not isinstance(f, models.DateTimeField | models.DateField), f.name
        if isinstance(f, models.ForeignKey):
            assert f.related_model is Decision or f.name == "voter", f.name
    assert ballot.voter is None
    assert ballot.sponsor_key == ""
    assert ballot.sponsor_label == ""
    for f in Participation._meta.concrete_fields:
        assert not (isinstance(f, models.ForeignKey) and f.related_model is Ballot)
    assert len(ballot.id) == 32
    assert ballot.id != str(participation.pk)
    # The receipt finds the ballot; only its hash is stored.
    assert outcome.receipt not in str(Ballot.objects.filter(decision=decision).values())
    assert queries.find_receipt(decision, outcome.receipt.lower().replace("-", " ")) == ballot
    assert queries.find_receipt(decision, "AAAA-BBBB-CCCC-DDDD") is None
    assert ballot.content == {"ranking": [[c], [a]]}


def test_sponsor_electorate_one_vote_per_sponsor(cast):
    second_organiser = factories.PersonFactory()
    factories.add_member(cast.circle, second_organiser, "organiser")
    campaign = campaign_with_sponsors(cast.circle, cast.center)
    decision = new_decision(cast.organiser, campaign, electorate=Electorate.CAMPAIGN_SPONSORS, method="single")
    a, b, *_ = keys(decision)
    vote(cast.organiser, decision, choices=[a])
    with pytest.raises(Conflict, match="already voted"):
        vote(second_organiser, decision, choices=[b])
    vote(cast.editor, decision, choices=[b])
    assert stored(decision) == (2, 2)
    rows = set(Participation.objects.values_list("sponsor_circle", "sponsor_center"))
    assert rows == {(cast.circle.pk, None), (None, cast.center.pk)}
    with pytest.raises(PermissionDenied, match="not among the voters"):
        vote(cast.member, decision, choices=[a])


def test_proposal_phase_then_voting(cast):
    decision = new_decision(
        cast.organiser,
        cast.circle,
        electorate=Electorate.CIRCLE_MEMBERS,
        allow_proposals=True,
        options=[],
        phase=Phase.PROPOSALS,
    )
    services.add_option(person=cast.member, decision=decision, label="Strike on Friday")
    services.add_option(person=cast.organiser, decision=decision, label="March on Saturday")
    with pytest.raises(Conflict):
        services.add_option(person=cast.member, decision=decision, label="strike on friday")
    with pytest.raises(PermissionDenied):
        services.add_option(person=cast.outsider, decision=decision, label="Nothing")
    services.set_phase(person=cast.organiser, decision=decision, phase=Phase.VOTING)
    with pytest.raises(PermissionDenied, match="voting has begun"):
        services.add_option(person=cast.member, decision=decision, label="Late")
    with pytest.raises(DomainError, match="only moves forward"):
        services.set_phase(person=cast.organiser, decision=decision, phase=Phase.PROPOSALS)
    assert keys(decision) == ["strike-on-friday", "march-on-saturday"]


def test_a_vote_needs_two_options(cast):
    decision = new_decision(cast.admin, None, options=["Only one"], phase=Phase.DRAFT)
    with pytest.raises(DomainError, match="two options"):
        services.set_phase(person=cast.admin, decision=decision, phase=Phase.VOTING)


BAD = [
    ("irv", {"ranks": {"alpha": 1, "bravo": 1}}, "same rank"),
    ("irv", {"ranking": ["alpha", "alpha"]}, "twice"),
    ("irv", {"ranking": ["alpha", "zulu"]}, ""),
    ("single", {"choices": ["zulu"]}, ""),
    ("single", {"choices": ["alpha", "bravo"]}, ""),
    ("single", {"choices": []}, ""),
    ("approval", {"choices": ["alpha", "bravo", "charlie"]}, ""),
    ("dots", {"points": {"alpha": 4, "bravo": 3}}, ""),
    ("dots", {"points": {"alpha": -1}}, ""),
    ("score", {"points": {"alpha": 9}}, ""),
    ("consent", {"response": "maybe"}, ""),
]


@pytest.mark.parametrize(("method", "given", "words"), BAD)
def test_bad_ballots_are_refused_and_nothing_is_stored(cast, method, given, words):
    decision = new_decision(cast.admin, None, method=method, max_choices=2, dots=5, max_score=5)
    with pytest.raises(DomainError, match=words or None) as refused:
        vote(cast.member, decision, **given)
    assert refused.value.message
    assert stored(decision) == (0, 0)
    decision.refresh_from_db()
    assert decision.participant_count == 0


def test_votes_outside_the_window_or_electorate_are_refused(cast):
    later = new_decision(cast.admin, None, opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(PermissionDenied, match="not opened yet"):
        vote(cast.member, later, choices=[keys(later)[0]])
    over = new_decision(cast.admin, None, question="Over?")
    Decision.objects.filter(pk=over.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    over.refresh_from_db()
    with pytest.raises(PermissionDenied, match="not open"):
        vote(cast.member, over, choices=[keys(over)[0]])
    draft = new_decision(cast.admin, None, phase=Phase.DRAFT, question="Draft?")
    with pytest.raises(PermissionDenied, match="not open"):
        vote(cast.member, draft, choices=[keys(draft)[0]])
    circle_only = new_decision(cast.organiser, cast.circle, electorate=Electorate.CIRCLE_MEMBERS)
    with pytest.raises(PermissionDenied, match="not among the voters"):
        vote(cast.outsider, circle_only, choices=[keys(circle_only)[0]])
    for decision in (later, over, draft, circle_only):
        assert stored(decision) == (0, 0)


def test_data_download_lists_participation_never_a_secret_ballot(cast):
    from freshground.decisions.portability import export

    secret = new_decision(cast.admin, None, method="single")
    vote(cast.member, secret, choices=[keys(secret)[0]])
    public = new_decision(cast.admin, None, method="single", secret=False, question="Open one?")
    vote(cast.member, public, choices=[keys(public)[1]])
    data = export(cast.member)
    assert {row["decision"] for row in data["took_part_in"]} == {secret.slug, public.slug}
    assert data["open_ballots"] == [{"decision": public.slug, "ballot": {"choices": [keys(public)[1]]}}]
