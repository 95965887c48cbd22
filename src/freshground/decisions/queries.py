"""Reads for decision pages and the API, each with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from freshground.decisions import tally
from freshground.decisions.models import (
    RANKED_METHODS,
    AdviceResponse,
    Ballot,
    Decision,
    MethodChoice,
    Objection,
    Option,
    Phase,
    SpaceKind,
    receipt_hash,
)
from freshground.decisions.tally.ballot_file import write_ballot_file


def _decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("circle", "center", "campaign")


def decision_by_slug(slug: str) -> Decision | None:
    return _decisions().filter(slug=slug).first()


@dataclass(frozen=True)
class DecisionLists:
    open: list[Decision]
    upcoming: list[Decision]
    closed: list[Decision]


def public_decisions(space: str = "", limit: int = 200) -> DecisionLists:
    """Every decision past draft (of one kind of space if given), newest first, split into open / proposals
    (upcoming) / closed. One query."""
    qs = _decisions().exclude(phase=Phase.DRAFT)
    if space in SpaceKind.values:
        qs = qs.filter(space=space)
    rows = list(qs.order_by("-created_at", "id")[:limit])
    open_, upcoming, closed = [], [], []
    for decision in rows:
        if decision.is_closed():
            closed.append(decision)
        elif decision.phase == Phase.VOTING:
            open_.append(decision)
        else:
            upcoming.append(decision)
    return DecisionLists(open_, upcoming, closed)


def decisions_in_space(*, circle: Any = None, center: Any = None, campaign: Any = None) -> list[Decision]:
    """A space's decisions past draft, for a panel on its page. One query."""
    qs = _decisions().exclude(phase=Phase.DRAFT)
    if circle is not None:
        qs = qs.filter(space=SpaceKind.CIRCLE, circle=circle)
    elif center is not None:
        qs = qs.filter(space=SpaceKind.CENTER, center=center)
    elif campaign is not None:
        qs = qs.filter(space=SpaceKind.CAMPAIGN, campaign=campaign)
    return list(qs.order_by("-created_at", "id")[:20])


def options_of(decision: Decision) -> list[Option]:
    return list(decision.options.select_related("campaign").order_by("position", "id"))


def objections_of(decision: Decision) -> list[Objection]:
    return list(decision.objections.select_related("author").order_by("created_at", "id"))


def advice_of(decision: Decision) -> list[AdviceResponse]:
    return list(decision.advice.select_related("author").order_by("created_at", "id"))


def ballots_of(decision: Decision) -> list[Ballot]:
    """The published ballots, ordered by their random id (the order says nothing about when anyone voted)."""
    qs = decision.ballots.order_by("id")
    if not decision.secret:
        qs = qs.select_related("voter")
    return list(qs)


def find_receipt(decision: Decision, code: str) -> Ballot | None:
    """The ballot a receipt code belongs to, if it is in this decision's list."""
    if not code.strip():
        return None
    return decision.ballots.filter(receipt_hash=receipt_hash(code)).first()


def _tally_ballot(decision: Decision, content: dict[str, Any], blocking: bool = False) -> tally.Ballot:
    if decision.method in RANKED_METHODS:
        return tally.Ballot(ranking=tuple(tuple(group) for group in content.get("ranking", [])))
    if decision.method in (MethodChoice.SINGLE, MethodChoice.APPROVAL):
        return tally.Ballot(choices=tuple(content.get("choices", [])))
    if decision.method in (MethodChoice.SCORE, MethodChoice.DOTS):
        return tally.Ballot(points={str(k): int(v) for k, v in content.get("points", {}).items()})
    return tally.Ballot(response=str(content.get("response", "")), objection_standing=blocking)


def _blocking_objectors(decision: Decision) -> set[int]:
    if decision.method != MethodChoice.CONSENT:
        return set()
    return {o.author_id for o in decision.objections.all() if o.is_blocking and o.author_id is not None}


def tally_ballots(decision: Decision, ballots: list[Ballot]) -> list[tally.Ballot]:
    blocking = _blocking_objectors(decision)
    return [_tally_ballot(decision, b.content, b.voter_id in blocking) for b in ballots]


@dataclass(frozen=True)
class DecisionResult:
    result: tally.Result
    options: list[Option]
    ballots: list[Ballot]
    participants: int
    quorum_met: bool

    @property
    def labels(self) -> dict[str, str]:
        return {o.key: o.label for o in self.options}

    def label(self, key: str) -> str:
        return self.labels.get(key, key)


def results_of(decision: Decision) -> DecisionResult:
    """Tally the stored ballots (the same call the recount command makes, with the slug as tie seed)."""
    options = options_of(decision)
    ballots = ballots_of(decision)
    result = tally.tally(
        tally.Method(decision.method),
        [o.key for o in options],
        tally_ballots(decision, ballots),
        seats=decision.seats,
        max_score=decision.max_score,
        dots=decision.dots,
        tie_seed=decision.slug,
    )
    return DecisionResult(
        result=result,
        options=options,
        ballots=ballots,
        participants=decision.participant_count,
        quorum_met=decision.participant_count >= decision.quorum,
    )


def ballot_file_entries(decision: Decision, ballots: list[Ballot]) -> list[dict[str, Any]]:
    """The ballots of the published list: the receipt hash and the stored content (nothing else)."""
    blocking = _blocking_objectors(decision)
    entries = []
    for ballot in ballots:
        entry: dict[str, Any] = {"receipt": ballot.receipt_hash, **ballot.content}
        if decision.method == MethodChoice.CONSENT:
            entry["objection_standing"] = ballot.voter_id in blocking
        entries.append(entry)
    return entries


def ballot_file(decision: Decision) -> str:
    """The published anonymised ballot list as the contract's JSON file (`ballots.json`)."""
    options = options_of(decision)
    ballots = ballots_of(decision)
    return write_ballot_file(
        decision=decision.slug,
        question=decision.question,
        method=decision.method,
        seats=decision.seats,
        max_score=decision.max_score,
        dots=decision.dots,
        tie_seed=decision.slug,
        options=[(o.key, o.label) for o in options],
        ballots=ballot_file_entries(decision, ballots),
    )
