"""Every write to decisions: creating a decision, its options and its phases. Voting, with the objections and advice
a ballot can carry, is in services_voting.py."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from freshground.campaigns.models import Campaign
from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.core.text import unique_slug
from freshground.core.validation import checked_text
from freshground.decisions import permissions as perms
from freshground.decisions.models import (
    Decision,
    Delegate,
    Electorate,
    MethodChoice,
    Option,
    Phase,
    ResultsVisibility,
    SpaceKind,
)
from freshground.network.models import Center, Circle
from freshground.people.models import Person

MAX_OPTIONS = 50


@dataclass(frozen=True)
class DecisionFields:
    question: str
    method: str
    electorate: str
    description: str = ""
    region: str = ""
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

    @classmethod
    def taken_from(cls, values: Mapping[str, Any]) -> DecisionFields:
        """The fields named in values (an API payload, say); other keys are left out, missing fields keep their
        defaults."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in values.items() if key in names})


def _space_fields(space: Circle | Center | Campaign | None) -> dict[str, Any]:
    if isinstance(space, Circle):
        return {"space": SpaceKind.CIRCLE, "circle": space}
    if isinstance(space, Center):
        return {"space": SpaceKind.CENTER, "center": space}
    if isinstance(space, Campaign):
        return {"space": SpaceKind.CAMPAIGN, "campaign": space}
    return {"space": SpaceKind.NETWORK}


def _check_fields(fields: DecisionFields, space: Circle | Center | Campaign | None) -> dict[str, Any]:
    question = checked_text(fields.question, field="question", limit=200, message=_("Ask a question."))
    description = checked_text(fields.description, field="description", limit=10000, required=False)
    if fields.method not in MethodChoice.values:
        raise DomainError(_("Choose a voting method."), field="method")
    if fields.electorate not in Electorate.values:
        raise DomainError(_("Choose who votes."), field="electorate")
    if fields.electorate == Electorate.CIRCLE_MEMBERS and not isinstance(space, Circle):
        raise DomainError(_("Only a circle's decision can have its members as voters."), field="electorate")
    if fields.electorate == Electorate.CAMPAIGN_SPONSORS and not isinstance(space, Campaign):
        raise DomainError(_("Only a campaign's decision can have its sponsors as voters."), field="electorate")
    if fields.results_visibility not in ResultsVisibility.values:
        raise DomainError(_("Choose when results are shown."), field="results_visibility")
    seats = fields.seats if fields.method == MethodChoice.STV else 1
    if not 1 <= seats <= 20:
        raise DomainError(_("Between 1 and 20 seats."), field="seats")
    if not 1 <= fields.max_score <= 100:
        raise DomainError(_("The highest score must be between 1 and 100."), field="max_score")
    if not 1 <= fields.dots <= 100:
        raise DomainError(_("Between 1 and 100 dots."), field="dots")
    if fields.max_choices is not None and fields.max_choices < 1:
        raise DomainError(_("Allow at least one ticked option, or leave it empty."), field="max_choices")
    if fields.quorum < 0:
        raise DomainError(_("The quorum cannot be negative."), field="quorum")
    opens_at, closes_at = fields.opens_at, fields.closes_at
    if opens_at and timezone.is_naive(opens_at):
        opens_at = timezone.make_aware(opens_at)
    if closes_at and timezone.is_naive(closes_at):
        closes_at = timezone.make_aware(closes_at)
    if closes_at and closes_at <= timezone.now():
        raise DomainError(_("The closing time must be in the future."), field="closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError(_("Voting cannot close before it opens."), field="closes_at")
    # Consent and advice are open by nature: objections and advice carry their authors.
    secret = fields.secret and fields.method not in (MethodChoice.CONSENT, MethodChoice.ADVICE)
    region = checked_text(fields.region, field="region", limit=120, required=False)
    return {
        "question": question,
        "description": description,
        "method": fields.method,
        "electorate": fields.electorate,
        "region": region,
        "allow_proposals": fields.allow_proposals and fields.method not in (MethodChoice.CONSENT, MethodChoice.ADVICE),
        "seats": seats,
        "max_score": fields.max_score,
        "dots": fields.dots,
        "max_choices": fields.max_choices if fields.method == MethodChoice.APPROVAL else None,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "results_visibility": fields.results_visibility,
        "secret": secret,
        "quorum": fields.quorum,
    }


def _option_key(decision: Decision, label: str, taken: set[str]) -> str:
    base = slugify(label)[:40].strip("-") or "option"
    key, n = base, 2
    while key in taken:
        key = f"{base}-{n}"
        n += 1
    taken.add(key)
    return key


def _new_option(
    decision: Decision,
    *,
    label: str,
    description: str = "",
    campaign: Campaign | None = None,
    person: Person | None = None,
    taken: set[str],
    position: int,
) -> Option:
    label = checked_text(label, field="label", limit=200, message=_("Name the option."))
    description = checked_text(description, field="description", limit=4000, required=False)
    return Option(
        decision=decision,
        key=_option_key(decision, label, taken),
        label=label,
        description=description,
        campaign=campaign,
        proposed_by=person,
        position=position,
    )


@transaction.atomic
def create_decision(
    *,
    person: Person,
    space: Circle | Center | Campaign | None,
    fields: DecisionFields,
    options: Sequence[str] = (),
    campaigns: Sequence[Campaign] = (),
    delegates: Sequence[Person] = (),
) -> Decision:
    """A new decision in draft. Fixed options as labels, campaigns as options ("prioritising campaigns"), and for a
    delegates electorate its delegates."""
    if not perms.can_create_decision(person, space):
        raise PermissionDenied(_("You cannot open a decision here."))
    values = _check_fields(fields, space)
    labels = [label.strip() for label in options if label.strip()]
    if len(labels) + len(campaigns) > MAX_OPTIONS:
        raise DomainError(_("At most %(n)d options.") % {"n": MAX_OPTIONS}, field="options")
    if len({label.casefold() for label in labels}) != len(labels):
        raise DomainError(_("Two options have the same name."), field="options")
    if values["electorate"] == Electorate.DELEGATES and not delegates:
        raise DomainError(_("Name at least one delegate."), field="delegates")
    decision = Decision.objects.create(
        slug=unique_slug(Decision, values["question"]), created_by=person, **_space_fields(space), **values
    )
    taken: set[str] = set()
    rows: list[Option] = []
    if decision.method in (MethodChoice.CONSENT, MethodChoice.ADVICE):
        # One option, the proposal: the question itself (a consent result names it as passed or not).
        labels, campaigns = [], []
        rows.append(Option(decision=decision, key="proposal", label=decision.question, position=0))
    for label in labels:
        rows.append(_new_option(decision, label=label, person=person, taken=taken, position=len(rows)))
    for campaign in campaigns:
        rows.append(
            _new_option(
                decision, label=campaign.title, campaign=campaign, person=person, taken=taken, position=len(rows)
            )
        )
    Option.objects.bulk_create(rows)
    Delegate.objects.bulk_create([Delegate(decision=decision, person=p) for p in {p.pk: p for p in delegates}.values()])
    return decision


@transaction.atomic
def add_option(
    *, person: Person, decision: Decision, label: str, description: str = "", campaign: Campaign | None = None
) -> Option:
    """Managers add options in draft; during a proposal phase everyone in the electorate may propose one."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not perms.can_propose_option(person, decision):
        if decision.phase in (Phase.VOTING, Phase.CLOSED):
            raise PermissionDenied(_("Options can no longer be added: voting has begun."))
        raise PermissionDenied(_("You cannot add options to this decision."))
    existing = list(decision.options.all())
    if len(existing) >= MAX_OPTIONS:
        raise DomainError(_("At most %(n)d options.") % {"n": MAX_OPTIONS}, field="label")
    if any(o.label.casefold() == label.strip().casefold() for o in existing):
        raise Conflict(_("There is already an option with this name."), field="label")
    if campaign is not None and any(o.campaign_id == campaign.pk for o in existing):
        raise Conflict(_("This campaign is already an option."), field="campaign")
    option = _new_option(
        decision,
        label=label or (campaign.title if campaign else ""),
        description=description,
        campaign=campaign,
        person=person,
        taken={o.key for o in existing},
        position=len(existing),
    )
    option.save()
    return option


@transaction.atomic
def set_phase(*, person: Person, decision: Decision, phase: str) -> Decision:
    """Move a decision on: draft → proposals (if proposals are allowed) → voting → closed. Never back."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not perms.can_change_phase(person, decision):
        raise PermissionDenied(_("Only the decision's organisers can do this."))
    order = [Phase.DRAFT, Phase.PROPOSALS, Phase.VOTING, Phase.CLOSED]
    if phase not in Phase.values or order.index(Phase(phase)) <= order.index(Phase(decision.phase)):
        raise DomainError(_("A decision only moves forward: draft, proposals, voting, closed."), field="phase")
    if phase == Phase.PROPOSALS and not decision.allow_proposals:
        raise DomainError(_("This decision has fixed options and no proposal phase."), field="phase")
    needs_options = decision.method not in (MethodChoice.CONSENT, MethodChoice.ADVICE)
    if phase == Phase.VOTING and needs_options:
        count = decision.options.count()
        if count < 2:
            raise DomainError(_("A vote needs at least two options."), field="phase")
        if decision.method == MethodChoice.STV and count <= decision.seats:
            raise DomainError(_("STV needs more options than seats."), field="phase")
    decision.phase = phase
    if phase == Phase.VOTING and decision.opens_at is None:
        decision.opens_at = timezone.now()
    if phase == Phase.CLOSED:
        decision.closed_at = timezone.now()
        if decision.closes_at is None or decision.closes_at > decision.closed_at:
            decision.closes_at = decision.closed_at
    decision.save(update_fields=["phase", "opens_at", "closes_at", "closed_at"])
    return decision


def close_decision(*, person: Person, decision: Decision) -> Decision:
    return set_phase(person=person, decision=decision, phase=Phase.CLOSED)
