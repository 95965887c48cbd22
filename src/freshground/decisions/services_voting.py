"""Voting, and the objections and advice a ballot can carry.

Voting (`cast_vote`) validates the whole ballot with `tally.validate_ballot` before anything is stored, then, in one
transaction holding a row lock on the decision, stores a `Participation` and an anonymous `Ballot`. Two requests of
the same person at once are serialised by the lock (and, should anything slip past it, by the unique constraints):
exactly one participation and one ballot are stored.

The rule for changing a vote: a secret ballot is final once cast (nothing links it back to its voter, so there is
nothing to change); an open ballot may be changed while voting is open, and keeps its receipt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.core.validation import checked_text
from freshground.decisions import permissions as perms
from freshground.decisions import tally
from freshground.decisions.models import (
    RANKED_METHODS,
    AdviceKind,
    AdviceResponse,
    Ballot,
    Decision,
    Electorate,
    MethodChoice,
    Objection,
    ObjectionStatus,
    Participation,
    Phase,
    new_receipt_code,
    receipt_hash,
)
from freshground.network.models import Center, Circle
from freshground.people.models import Person


@dataclass(frozen=True)
class VoteOutcome:
    """What a voter is told: the receipt code (shown once; None when an open ballot was changed)."""

    receipt: str | None
    changed: bool = False


@dataclass
class BallotInput:
    """A ballot as a form or the API sends it, before validation. Ranked ballots come as `ranking` (best first) or
    as `ranks` (option key → rank number, 1 = best; blank = not ranked)."""

    choices: Sequence[str] = ()
    ranking: Sequence[str] = ()
    ranks: Mapping[str, int | None] = field(default_factory=dict)
    points: Mapping[str, int] = field(default_factory=dict)
    response: str = ""
    reason: str = ""


# Ballots


def to_tally_ballot(decision: Decision, given: BallotInput, keys: Sequence[str]) -> tally.Ballot:
    """Turn form or API input into a tally ballot, refusing what a ballot file could say but the site does not
    accept (ties in a ranking, two options with one rank). `tally.validate_ballot` checks the rest."""
    method = decision.method
    if method in RANKED_METHODS:
        ranking: list[str] = [str(k) for k in given.ranking]
        if given.ranks:
            numbered = [(int(n), str(k)) for k, n in given.ranks.items() if n is not None]
            numbers = [n for n, _k in numbered]
            if len(set(numbers)) != len(numbers):
                raise DomainError(
                    _("Two options have the same rank: give each rank to one option only."), field="ranking"
                )
            if any(n < 1 for n in numbers):
                raise DomainError(_("Ranks start at 1."), field="ranking")
            ranking = [k for _n, k in sorted(numbered)]
        if len(set(ranking)) != len(ranking):
            raise DomainError(_("An option appears twice in the ranking."), field="ranking")
        return tally.Ballot(ranking=tuple((k,) for k in ranking))
    if method in (MethodChoice.SINGLE, MethodChoice.APPROVAL):
        choices = [str(c) for c in given.choices]
        if len(set(choices)) != len(choices):
            raise DomainError(_("An option is ticked twice."), field="choices")
        return tally.Ballot(choices=tuple(choices))
    if method in (MethodChoice.SCORE, MethodChoice.DOTS):
        points: dict[str, int] = {}
        for key, value in given.points.items():
            try:
                points[str(key)] = int(value)
            except (TypeError, ValueError):
                raise DomainError(_("Points must be whole numbers."), field="points") from None
        if method == MethodChoice.DOTS:
            points = {k: v for k, v in points.items() if v}
        return tally.Ballot(points=points)
    return tally.Ballot(response=given.response)


def ballot_content(ballot: tally.Ballot, method: str) -> dict[str, Any]:
    """The stored JSON of a ballot: the ballot file's entry without its receipt."""
    if method in RANKED_METHODS:
        return {"ranking": [list(group) for group in ballot.ranking]}
    if method in (MethodChoice.SINGLE, MethodChoice.APPROVAL):
        return {"choices": list(ballot.choices)}
    if method in (MethodChoice.SCORE, MethodChoice.DOTS):
        return {"points": dict(ballot.points)}
    return {"response": ballot.response}


def _validate(decision: Decision, ballot: tally.Ballot, keys: Sequence[str], given: BallotInput) -> None:
    if decision.method == MethodChoice.CONSENT:
        if given.response not in tally.CONSENT_RESPONSES:
            raise DomainError(_("Choose consent, stand aside or object."), field="response")
        if given.response == "object" and not given.reason.strip():
            raise DomainError(_("An objection needs its reason."), field="reason")
    if decision.method == MethodChoice.ADVICE and given.response not in AdviceKind.values:
        raise DomainError(_("Choose support, concern or oppose."), field="response")
    try:
        tally.validate_ballot(
            tally.Method(decision.method),
            keys,
            ballot,
            max_score=decision.max_score,
            dots=decision.dots,
            max_choices=1 if decision.method == MethodChoice.SINGLE else decision.max_choices,
        )
    except tally.TallyError as error:
        raise DomainError(getattr(error, "message", str(error)), field="ballot") from None


def _party_key(party: Circle | Center | None) -> str:
    if party is None:
        return ""
    return f"{'circle' if isinstance(party, Circle) else 'center'}:{party.pk}"


def _choose_party(person: Person, decision: Decision, party: Circle | Center | None) -> Circle | Center | None:
    if decision.electorate != Electorate.CAMPAIGN_SPONSORS:
        return None
    parties = perms.voting_parties(person, decision)
    if party is None:
        if len(parties) == 1:
            return parties[0]
        raise DomainError(_("Say which sponsor circle or center you vote for."), field="sponsor")
    if not any(type(p) is type(party) and p.pk == party.pk for p in parties):
        raise PermissionDenied(_("You do not vote for this sponsor: only its organisers or editors do."))
    return party


def cast_vote(
    *,
    person: Person,
    decision: Decision,
    given: BallotInput,
    sponsor: Circle | Center | None = None,
) -> VoteOutcome:
    """Validate, then store one participation and one ballot in one transaction. Refusals store nothing."""
    try:
        return _cast_vote(person=person, decision=decision, given=given, sponsor=sponsor)
    except IntegrityError:
        # Only reachable if two requests slipped past the row lock: the unique constraints hold the line.
        raise Conflict(_("You have already voted in this decision."), field="ballot") from None


@transaction.atomic
def _cast_vote(
    *, person: Person, decision: Decision, given: BallotInput, sponsor: Circle | Center | None
) -> VoteOutcome:
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("circle", "center", "campaign")
        .get(pk=decision.pk)
    )
    now = timezone.now()
    if decision.phase != Phase.VOTING or not decision.is_voting_open(now):
        if decision.phase == Phase.VOTING and decision.opens_at and now < decision.opens_at:
            raise PermissionDenied(_("Voting has not opened yet."), field="ballot")
        raise PermissionDenied(_("Voting is not open: this decision is not taking votes now."), field="ballot")
    if not perms.in_electorate(person, decision):
        raise PermissionDenied(_("You are not among the voters of this decision."), field="ballot")
    party = _choose_party(person, decision, sponsor)
    keys = list(decision.options.values_list("key", flat=True))
    ballot = to_tally_ballot(decision, given, keys)
    _validate(decision, ballot, keys, given)
    reason = checked_text(given.reason, field="reason", limit=4000, required=False)

    if party is None:
        existing = Participation.objects.filter(
            decision=decision, person=person, sponsor_circle=None, sponsor_center=None
        )
    elif isinstance(party, Circle):
        existing = Participation.objects.filter(decision=decision, sponsor_circle=party)
    else:
        existing = Participation.objects.filter(decision=decision, sponsor_center=party)
    content = ballot_content(ballot, decision.method)
    if existing.exists():
        if not decision.vote_changes_allowed:
            if party is not None:
                raise Conflict(_("%(party)s has already voted in this decision.") % {"party": party}, field="ballot")
            raise Conflict(
                _("You have already voted in this decision; a secret ballot cannot be changed."), field="ballot"
            )
        stored = Ballot.objects.filter(decision=decision)
        stored = stored.filter(sponsor_key=_party_key(party)) if party else stored.filter(voter=person, sponsor_key="")
        stored.update(content=content, voter=person)
        _record_response(person=person, decision=decision, given=given, reason=reason)
        return VoteOutcome(receipt=None, changed=True)

    Participation.objects.create(
        decision=decision,
        person=person,
        sponsor_circle=party if isinstance(party, Circle) else None,
        sponsor_center=party if isinstance(party, Center) else None,
    )
    code = new_receipt_code()
    Ballot.objects.create(
        decision=decision,
        content=content,
        receipt_hash=receipt_hash(code),
        voter=None if decision.secret else person,
        sponsor_key="" if decision.secret else _party_key(party),
        sponsor_label="" if decision.secret or party is None else str(party),
    )
    Decision.objects.filter(pk=decision.pk).update(participant_count=F("participant_count") + 1)
    _record_response(person=person, decision=decision, given=given, reason=reason)
    return VoteOutcome(receipt=code)


def _record_response(*, person: Person, decision: Decision, given: BallotInput, reason: str) -> None:
    """Consent: an objection with its reason (shown with its author). Advice: the advice given."""
    now = timezone.now()
    if decision.method == MethodChoice.CONSENT:
        objection = Objection.objects.filter(decision=decision, author=person).first()
        if given.response == "object":
            if objection is None:
                Objection.objects.create(decision=decision, author=person, reason=reason)
            else:
                objection.reason, objection.status, objection.updated_at = reason, ObjectionStatus.STANDING, now
                objection.save(update_fields=["reason", "status", "updated_at"])
        elif objection is not None and objection.is_blocking:
            objection.status, objection.updated_at = ObjectionStatus.WITHDRAWN, now
            objection.save(update_fields=["status", "updated_at"])
    elif decision.method == MethodChoice.ADVICE:
        AdviceResponse.objects.update_or_create(
            decision=decision, author=person, defaults={"response": given.response, "text": reason}
        )


# Objections


@transaction.atomic
def answer_objection(*, person: Person, objection: Objection, response: str) -> Objection:
    """The proposer addresses an objection: an answer the objector can accept (resolved) or not (upheld)."""
    objection = Objection.objects.select_for_update().select_related("decision").get(pk=objection.pk)
    if not perms.can_answer_objection(person, objection):
        raise PermissionDenied(_("Only the proposer can answer a standing objection."))
    objection.response = checked_text(response, field="response", limit=4000, message=_("Write your answer."))
    objection.updated_at = timezone.now()
    objection.save(update_fields=["response", "updated_at"])
    return objection


@transaction.atomic
def settle_objection(*, person: Person, objection: Objection, status: str) -> Objection:
    """The objector withdraws the objection, declares it resolved by the answer, or upholds it."""
    objection = Objection.objects.select_for_update().select_related("decision").get(pk=objection.pk)
    if not perms.can_settle_objection(person, objection):
        raise PermissionDenied(_("Only the objector can withdraw, uphold or resolve an objection."))
    if status not in (ObjectionStatus.WITHDRAWN, ObjectionStatus.UPHELD, ObjectionStatus.RESOLVED):
        raise DomainError(_("Withdraw, uphold or resolve."), field="status")
    objection.status = status
    objection.updated_at = timezone.now()
    objection.save(update_fields=["status", "updated_at"])
    return objection
