"""Decisions' part of a person's data download. Nothing needs erasing: participations, open ballots, objections and
advice point at the person with SET_NULL (shown as "a former member"), and secret ballots never pointed at anyone.

The download lists the decisions a person took part in, their open ballots, objections and advice — never a secret
ballot, which nothing links to them (the receipt code, known only to the voter, finds it)."""

from __future__ import annotations

from typing import Any

from freshground.decisions.models import AdviceResponse, Ballot, Objection, Participation
from freshground.people.models import Person


def export(person: Person) -> dict[str, Any]:
    participations = Participation.objects.filter(person=person).select_related(
        "decision", "sponsor_circle", "sponsor_center"
    )
    return {
        "took_part_in": [
            {
                "decision": p.decision.slug,
                "question": p.decision.question,
                "on": p.voted_on.isoformat(),
                "for": str(p.sponsor_circle or p.sponsor_center or ""),
            }
            for p in participations.order_by("id")
        ],
        "open_ballots": [
            {"decision": b.decision.slug, "ballot": b.content}
            for b in Ballot.objects.filter(voter=person).select_related("decision")
        ],
        "objections": [
            {"decision": o.decision.slug, "reason": o.reason, "status": o.status, "answer": o.response}
            for o in Objection.objects.filter(author=person).select_related("decision").order_by("id")
        ],
        "advice": [
            {"decision": a.decision.slug, "response": a.response, "text": a.text}
            for a in AdviceResponse.objects.filter(author=person).select_related("decision").order_by("id")
        ],
    }
