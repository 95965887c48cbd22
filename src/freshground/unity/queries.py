"""Reads for unity: conversations, participants, the order statements are served in, and reports.

The voting order (`next_statement`)
-----------------------------------
A participant is served, one at a time, an approved statement of the conversation they have not voted on yet. Which
one is drawn at random with probability proportional to Pol.is's routing priority (conversation.clj
`importance-metric`, `priority-metric`), computed from the last analysis snapshot:

- A, D, S: agrees, disagrees and "seen" votes (passes included) on the statement, summed over the opinion groups of the
  last analysis (all voters while nobody is clustered yet); P = S − (A + D) passes;
- E: the statement's extremity, the length of its projection in the opinion map (how strongly it separates groups);
- p = (P + 1)/(S + 2), a = (A + 1)/(S + 2), importance = (1 − p)·(E + 1)·a;
- priority = (importance · (1 + 8 · 2^(−S/5)))².

So the three concerns are balanced as follows. *New statements* (written after the last analysis) count as S = 0 and
get the full boost of 9× (81× after squaring); *statements with few votes* keep most of that boost, which halves every
five votes; *statements that separate groups* weigh more through E, and statements people mostly pass on weigh less
through 1 − p. Before any analysis exists the votes are counted directly (E = 0). The draw uses `random.Random(seed)`:
the same seed gives the same statement (tests pass one; pages leave it None for system randomness).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from freshground.unity.models import (
    AnalysisSnapshot,
    Conversation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from freshground.unity.services import hash_key

NEW_STATEMENT_BOOST = 8.0
BOOST_HALF_LIFE_VOTES = 5.0


def conversation_by_slug(slug: str) -> Conversation | None:
    return Conversation.objects.select_related("circle", "center", "opened_by").filter(slug=slug).first()


def participant_for_person(person: Any, conversation: Conversation) -> Participant | None:
    if person is None or not getattr(person, "is_authenticated", False):
        return None
    return Participant.objects.filter(conversation=conversation, person=person).first()


def participant_by_key(conversation: Conversation, key: str | None) -> Participant | None:
    """The anonymous participant whose cookie holds `key` (None for a missing, wrong or foreign key)."""
    if not key:
        return None
    return Participant.objects.filter(conversation=conversation, anonymous_key_hash=hash_key(key)).first()


def pending_statements(conversation: Conversation) -> list[Statement]:
    return list(
        Statement.objects.filter(conversation=conversation, status=StatementStatus.PENDING)
        .select_related("author")
        .order_by("created_at", "id")
    )


# The voting order


@dataclass(frozen=True)
class Routing:
    agree: float
    disagree: float
    seen: float
    extremity: float


def priority(agree: float, disagree: float, seen: float, extremity: float) -> float:
    """Pol.is's routing priority (see the module docstring)."""
    passed = seen - (agree + disagree)
    p = (passed + 1) / (seen + 2)
    a = (agree + 1) / (seen + 2)
    importance = (1 - p) * (extremity + 1) * a
    return float((importance * (1 + NEW_STATEMENT_BOOST * 2 ** (-seen / BOOST_HALF_LIFE_VOTES))) ** 2)


def routing_data(conversation: Conversation) -> dict[int, Routing]:
    """Per statement id: the numbers the priority reads, from the last snapshot (or counted, before any)."""
    # Only the compact per-statement numbers: the snapshot's other JSON (positions, the full result) can be megabytes.
    stats = (
        AnalysisSnapshot.objects.filter(conversation=conversation)
        .order_by("-computed_at", "-id")
        .values_list("statement_stats", flat=True)
        .first()
    )
    if stats is not None:
        return {
            int(statement): Routing(float(row[0]), float(row[1]), float(row[2]), float(row[3]))
            for statement, row in stats.items()
            if str(statement).lstrip("-").isdigit()
        }
    counts = (
        Vote.objects.filter(conversation=conversation)
        .values("statement_id")
        .annotate(agree=Count("pk", filter=Q(value=1)), disagree=Count("pk", filter=Q(value=-1)), seen=Count("pk"))
        .order_by()
    )
    return {
        row["statement_id"]: Routing(float(row["agree"]), float(row["disagree"]), float(row["seen"]), 0.0)
        for row in counts
    }


def choose(candidates: Sequence[int], routing: Mapping[int, Routing], *, seed: int | None = None) -> int | None:
    """Draw one statement id with probability proportional to its priority (candidates in a stable order)."""
    if not candidates:
        return None
    unknown = Routing(0.0, 0.0, 0.0, 0.0)
    weights = [
        priority(r.agree, r.disagree, r.seen, r.extremity)
        for r in (routing.get(statement, unknown) for statement in candidates)
    ]
    rng = random.Random(seed) if seed is not None else random.SystemRandom()  # noqa: S311 - not for secrets
    if not any(weight > 0 for weight in weights):
        return candidates[rng.randrange(len(candidates))]
    return rng.choices(list(candidates), weights=weights, k=1)[0]


def next_statement(participant: Participant, *, seed: int | None = None) -> Statement | None:
    """The next statement to put to `participant` (None when they have voted on every approved one). Three queries:
    the unvoted approved statements, the last snapshot (or the vote counts), and the chosen statement."""
    conversation = participant.conversation
    candidates = list(
        Statement.objects.filter(conversation=conversation, status=StatementStatus.APPROVED)
        .exclude(pk__in=Vote.objects.filter(participant=participant).values("statement_id"))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    if not candidates:
        return None
    chosen = choose(candidates, routing_data(conversation), seed=seed)
    if chosen is None:
        return None
    return Statement.objects.select_related("conversation").get(pk=chosen)


# Analyses and reports


def is_fresh(snapshot: AnalysisSnapshot) -> bool:
    """Does the snapshot still describe the conversation (no vote, statement or moderation since)?"""
    votes = Vote.objects.filter(conversation_id=snapshot.conversation_id)
    if snapshot.votes_until is not None:
        votes = votes.filter(updated_at__gt=snapshot.votes_until)
    if votes.exists():
        return False
    changed = Q(created_at__gt=snapshot.computed_at) | Q(moderated_at__gt=snapshot.computed_at)
    return not Statement.objects.filter(changed, conversation_id=snapshot.conversation_id).exists()


def _public_id(external: str, pk: int) -> int | str:
    """Imported rows are named by their Pol.is id (a number where it is one); ours by primary key."""
    if not external:
        return pk
    return int(external) if external.lstrip("-").isdigit() else external


def _id_order(value: int | str) -> tuple[int, int, str]:
    return (1, 0, value) if isinstance(value, str) else (0, value, "")


def report_json(conversation: Conversation, snapshot: AnalysisSnapshot) -> dict[str, Any]:
    """The report of one analysis as plain JSON: groups (sizes, members), representative statements per group, the
    group-informed consensus ranking, broad agreement and disagreement, and the settings. Statements and participants
    are named by their Pol.is ids for an imported conversation, by our ids otherwise."""
    summary = snapshot.summary
    statements = {
        pk: (external, text)
        for pk, external, text in Statement.objects.filter(conversation=conversation).values_list(
            "pk", "external_id", "text"
        )
    }
    participant_ids = dict(
        Participant.objects.filter(conversation=conversation).exclude(external_id="").values_list("pk", "external_id")
    )

    def statement(item: Mapping[str, Any]) -> dict[str, Any]:
        pk = item["statement"]
        external, text = statements.get(int(pk), ("", "")) if str(pk).isdigit() else ("", "")
        return {**item, "statement": _public_id(external, int(pk)) if str(pk).isdigit() else pk, "text": text}

    def member(pk: Any) -> int | str:
        return _public_id(participant_ids.get(int(pk), ""), int(pk)) if str(pk).isdigit() else str(pk)

    return {
        "conversation": {"slug": conversation.slug, "title": conversation.title},
        "computed_at": snapshot.computed_at.isoformat(),
        "duration_ms": snapshot.duration_ms,
        "participants": summary.get("participants", 0),
        "clustered": summary.get("clustered", 0),
        "statements": summary.get("statements", 0),
        "votes": summary.get("votes", 0),
        "groups": [
            {
                "id": group["label"],
                "size": group["size"],
                "members": sorted((member(pk) for pk in group["members"]), key=_id_order),
                "representative": [statement(rep) for rep in group["representative"]],
            }
            for group in summary.get("groups", [])
        ],
        "consensus": [statement(item) for item in summary.get("consensus", [])],
        "broad_agreement": [statement(item) for item in summary.get("broad_agreement", [])],
        "broad_disagreement": [statement(item) for item in summary.get("broad_disagreement", [])],
        "settings": snapshot.settings,
    }
