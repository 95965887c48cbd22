"""The decisions part of /api/v1/: list, detail, create, propose an option, change phase, vote (returns the receipt
code, once), results, the published ballot list and the receipt check. Every refusal is a 4xx with a reason."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.campaigns.models import Campaign
from freshground.core.exceptions import DomainError, NotFound, PermissionDenied
from freshground.decisions import charts, queries, services, services_voting
from freshground.decisions import permissions as perms
from freshground.decisions.models import Decision, Electorate, Option, ResultsVisibility
from freshground.decisions.tally import TallyError
from freshground.network.models import Center, Circle
from freshground.people.api import ERRORS, actor, viewer
from freshground.people.models import Person

router = Router(tags=["decisions"])


class OptionOut(Schema):
    key: str
    label: str
    description: str
    campaign: str | None


class DecisionOut(Schema):
    slug: str
    question: str
    space: str
    circle: str | None
    center: str | None
    campaign: str | None
    region: str
    method: str
    phase: str
    electorate: str
    secret: bool
    results_visibility: str
    seats: int
    max_score: int
    dots: int
    max_choices: int | None
    quorum: int
    opens_at: datetime | None
    closes_at: datetime | None
    is_voting_open: bool
    is_closed: bool
    participant_count: int
    url: str


class DecisionDetailOut(DecisionOut):
    description: str
    options: list[OptionOut]
    can_vote: bool
    results_available: bool


class DecisionIn(Schema):
    question: str
    method: str
    electorate: str
    description: str = ""
    circle: str | None = Field(None, description="Slug of the circle; or center, or campaign; none: network-wide.")
    center: str | None = None
    campaign: str | None = None
    region: str = ""
    options: list[str] = []
    campaign_options: list[str] = Field([], description="Slugs of campaigns to take as options.")
    delegates: list[int] = Field([], description="Person ids, for a delegates electorate.")
    allow_proposals: bool = False
    seats: int = 1
    max_score: int = 5
    dots: int = 5
    max_choices: int | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    results_visibility: str = ResultsVisibility.AFTER_CLOSE
    secret: bool = True
    quorum: int = 0


class OptionIn(Schema):
    label: str = ""
    description: str = ""
    campaign: str | None = None


class PhaseIn(Schema):
    phase: str


class VoteIn(Schema):
    choices: list[str] = Field([], description="single: one option key; approval: any number.")
    ranking: list[str] = Field([], description="irv/stv/schulze: option keys, best first, each once.")
    points: dict[str, int] = Field({}, description="score: 0..max_score per option; dots: dots per option.")
    response: str = Field("", description="consent: consent|stand_aside|object; advice: support|concern|oppose.")
    reason: str = Field("", description="consent: the objection's reason (required to object); advice: comment.")
    sponsor: str | None = Field(None, description='Sponsor electorates: "circle:<slug>" or "center:<slug>".')


class VoteOut(Schema):
    receipt: str | None = Field(description="Shown once; keep it to check your ballot is in the published list.")
    changed: bool


class RoundOut(Schema):
    number: int
    tallies: dict[str, float]
    elected: list[str]
    eliminated: list[str]
    exhausted: float
    note: str


class ResultsOut(Schema):
    method: str
    closed: bool
    participants: int
    quorum: int
    quorum_met: bool
    winners: list[str]
    ranking: list[list[str]]
    totals: dict[str, float]
    quota: float | None
    passed: bool | None
    rounds: list[RoundOut]
    pairwise: dict[str, dict[str, float]] | None
    strongest_paths: dict[str, dict[str, float]] | None
    notes: list[str]
    labels: dict[str, str]
    recount: str


class ReceiptOut(Schema):
    found: bool
    receipt: str | None = None
    ballot: dict[str, Any] | None = None


def _out(decision: Decision) -> DecisionOut:
    return DecisionOut(
        slug=decision.slug,
        question=decision.question,
        space=decision.space,
        circle=decision.circle.slug if decision.circle else None,
        center=decision.center.slug if decision.center else None,
        campaign=decision.campaign.slug if decision.campaign else None,
        region=decision.region,
        method=decision.method,
        phase=decision.phase,
        electorate=decision.electorate,
        secret=decision.secret,
        results_visibility=decision.results_visibility,
        seats=decision.seats,
        max_score=decision.max_score,
        dots=decision.dots,
        max_choices=decision.max_choices,
        quorum=decision.quorum,
        opens_at=decision.opens_at,
        closes_at=decision.closes_at,
        is_voting_open=decision.is_voting_open(),
        is_closed=decision.is_closed(),
        participant_count=decision.participant_count,
        url=decision.get_absolute_url(),
    )


def _option_out(option: Option) -> OptionOut:
    return OptionOut(
        key=option.key,
        label=option.label,
        description=option.description,
        campaign=option.campaign.slug if option.campaign else None,
    )


def _visible(request: HttpRequest, slug: str) -> Decision:
    decision = queries.decision_by_slug(slug)
    if decision is None or not perms.can_view_decision(viewer(request), decision):
        raise NotFound(_("There is no decision at this address."))
    return decision


def _detail(request: HttpRequest, decision: Decision) -> DecisionDetailOut:
    who = viewer(request)
    return DecisionDetailOut(
        **_out(decision).dict(),
        description=decision.description,
        options=[_option_out(o) for o in queries.options_of(decision)],
        can_vote=perms.can_vote(who, decision),
        results_available=perms.can_see_results(who, decision),
    )


@router.get("/decisions/", response={200: list[DecisionOut]}, auth=OPTIONAL_AUTH)
def list_decisions(request: HttpRequest, space: str = "") -> list[DecisionOut]:
    lists = queries.public_decisions(space)
    return [_out(d) for d in [*lists.open, *lists.upcoming, *lists.closed]]


@router.get("/decisions/{slug}/", response={200: DecisionDetailOut, **ERRORS}, auth=OPTIONAL_AUTH)
def get_decision(request: HttpRequest, slug: str) -> DecisionDetailOut:
    return _detail(request, _visible(request, slug))


def _by_slug[T](model: type[T], slug: str, field: str) -> T:
    found = model.objects.filter(slug=slug).first()  # type: ignore[attr-defined]
    if found is None:
        raise NotFound(_("Nothing with this short name: %(slug)s") % {"slug": slug}, field=field)
    return found  # type: ignore[no-any-return]


@router.post("/decisions/", response={201: DecisionDetailOut, **ERRORS}, auth=AUTH)
def create_decision(request: HttpRequest, payload: DecisionIn) -> Status[DecisionDetailOut]:
    person = actor(request)
    space: Circle | Center | Campaign | None = None
    if payload.circle:
        space = _by_slug(Circle, payload.circle, "circle")
    elif payload.center:
        space = _by_slug(Center, payload.center, "center")
    elif payload.campaign:
        space = _by_slug(Campaign, payload.campaign, "campaign")
    campaigns = [_by_slug(Campaign, slug, "campaign_options") for slug in payload.campaign_options]
    delegates = list(Person.objects.filter(pk__in=payload.delegates, is_active=True))
    if len(delegates) != len(set(payload.delegates)):
        raise DomainError(_("Some delegates are not people here."), field="delegates")
    decision = services.create_decision(
        person=person,
        space=space,
        fields=services.DecisionFields.taken_from(payload.model_dump()),
        options=payload.options,
        campaigns=campaigns,
        delegates=delegates,
    )
    fresh = queries.decision_by_slug(decision.slug)
    assert fresh is not None
    return Status(201, _detail(request, fresh))


@router.post("/decisions/{slug}/options", response={201: OptionOut, **ERRORS}, auth=AUTH)
def propose_option(request: HttpRequest, slug: str, payload: OptionIn) -> Status[OptionOut]:
    person = actor(request)
    decision = _visible(request, slug)
    campaign = _by_slug(Campaign, payload.campaign, "campaign") if payload.campaign else None
    option = services.add_option(
        person=person, decision=decision, label=payload.label, description=payload.description, campaign=campaign
    )
    return Status(201, _option_out(option))


@router.post("/decisions/{slug}/phase", response={200: DecisionOut, **ERRORS}, auth=AUTH)
def change_phase(request: HttpRequest, slug: str, payload: PhaseIn) -> DecisionOut:
    person = actor(request)
    decision = _visible(request, slug)
    services.set_phase(person=person, decision=decision, phase=payload.phase)
    fresh = queries.decision_by_slug(slug)
    assert fresh is not None
    return _out(fresh)


def _sponsor(decision: Decision, value: str | None) -> Circle | Center | None:
    if not value:
        return None
    kind, _sep, slug = value.partition(":")
    if decision.electorate != Electorate.CAMPAIGN_SPONSORS or kind not in ("circle", "center"):
        raise DomainError(_('A sponsor is "circle:<slug>" or "center:<slug>", in a sponsor vote.'), field="sponsor")
    return _by_slug(Circle, slug, "sponsor") if kind == "circle" else _by_slug(Center, slug, "sponsor")


@router.post("/decisions/{slug}/vote", response={201: VoteOut, **ERRORS}, auth=AUTH)
def vote(request: HttpRequest, slug: str, payload: VoteIn) -> Status[VoteOut]:
    person = actor(request)
    decision = _visible(request, slug)
    outcome = services_voting.cast_vote(
        person=person,
        decision=decision,
        given=services_voting.BallotInput(
            choices=payload.choices,
            ranking=payload.ranking,
            points=payload.points,
            response=payload.response,
            reason=payload.reason,
        ),
        sponsor=_sponsor(decision, payload.sponsor),
    )
    return Status(201, VoteOut(receipt=outcome.receipt, changed=outcome.changed))


def _results_visible(request: HttpRequest, slug: str) -> Decision:
    decision = _visible(request, slug)
    if not perms.can_see_results(viewer(request), decision):
        raise PermissionDenied(_("Results are shown once the vote closes."))
    return decision


@router.get("/decisions/{slug}/results", response={200: ResultsOut, **ERRORS}, auth=OPTIONAL_AUTH)
def results(request: HttpRequest, slug: str) -> ResultsOut:
    decision = _results_visible(request, slug)
    try:
        outcome = queries.results_of(decision)
    except TallyError as error:
        raise HttpError(409, f"No result can be counted yet: {error.message}") from error
    result = outcome.result
    return ResultsOut(
        method=decision.method,
        closed=decision.is_closed(),
        participants=outcome.participants,
        quorum=decision.quorum,
        quorum_met=outcome.quorum_met,
        winners=list(result.winners),
        ranking=[list(group) for group in result.ranking],
        totals=dict(result.totals),
        quota=result.quota,
        passed=result.passed,
        rounds=[
            RoundOut(
                number=r.number,
                tallies=dict(r.tallies),
                elected=list(r.elected),
                eliminated=list(r.eliminated),
                exhausted=r.exhausted,
                note=r.note,
            )
            for r in result.rounds
        ],
        pairwise={k: dict(v) for k, v in result.pairwise.items()} if result.pairwise else None,
        strongest_paths={k: dict(v) for k, v in result.strongest_paths.items()} if result.strongest_paths else None,
        notes=list(result.notes),
        labels=outcome.labels,
        recount=charts.ResultView(decision, outcome).recount_command,
    )


@router.get("/decisions/{slug}/ballots", response={200: dict[str, Any], **ERRORS}, auth=OPTIONAL_AUTH)
def ballots(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The published anonymised ballot list, in the ballot file format (freshground-ballots/1)."""
    decision = _results_visible(request, slug)
    data: dict[str, Any] = json.loads(queries.ballot_file(decision))
    return data


class ReceiptIn(Schema):
    code: str


@router.post("/decisions/{slug}/receipt", response={200: ReceiptOut, **ERRORS}, auth=None)
def check_receipt(request: HttpRequest, slug: str, payload: ReceiptIn) -> ReceiptOut:
    """Is the ballot with this receipt code in the published list? POSTed, so the code stays out of addresses."""
    decision = queries.decision_by_slug(slug)
    if decision is None or not perms.can_view_decision(None, decision):
        raise NotFound(_("There is no decision at this address."))
    found = queries.find_receipt(decision, payload.code)
    if found is None:
        return ReceiptOut(found=False)
    return ReceiptOut(found=True, receipt=found.receipt_hash, ballot=found.content)
