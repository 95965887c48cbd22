"""Reads for the unity pages: the conversation lists, the analysis status, and the report's tables (statement texts
mapped onto the last snapshot's summary). Every share is a finite number: no votes gives 0 %, never NaN."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate

from freshground.network.models import Center, Circle
from freshground.unity.analysis_runs import latest_summary
from freshground.unity.models import (
    AnalysisSnapshot,
    Conversation,
    ConversationState,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from freshground.unity.opinion_map import group_colour

LIST_LIMIT = 100


def _count(queryset: Any) -> Coalesce:
    return Coalesce(
        Subquery(queryset.order_by().values("conversation").annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def conversation_lists() -> tuple[list[Conversation], list[Conversation]]:
    """Open and closed conversations, newest first, with their statement and participant counts (two queries)."""
    base = Conversation.objects.select_related("circle", "center", "opened_by").annotate(
        statement_count=_count(Statement.objects.filter(conversation=OuterRef("pk"), status=StatementStatus.APPROVED)),
        participant_count=_count(Participant.objects.filter(conversation=OuterRef("pk"))),
    )
    open_: list[Conversation] = list(
        base.filter(state=ConversationState.OPEN).order_by("-created_at", "-id")[:LIST_LIMIT]
    )
    closed: list[Conversation] = list(
        base.filter(state=ConversationState.CLOSED).order_by("-created_at", "-id")[:LIST_LIMIT]
    )
    still_open = [c for c in open_ if c.is_open]
    return still_open, [c for c in open_ if not c.is_open] + closed


@dataclass(frozen=True)
class AnalysisStatus:
    computed_at: datetime | None
    pending: bool  # a recomputation has been asked for and not started yet

    @property
    def recomputing(self) -> bool:
        return self.pending


def analysis_status(conversation: Conversation, snapshot: AnalysisSnapshot | None) -> AnalysisStatus:
    return AnalysisStatus(
        computed_at=snapshot.computed_at if snapshot is not None else None,
        pending=conversation.analysis_requested_at is not None,
    )


def share(part: int, whole: int) -> int:
    """A whole percentage, 0 when there is nothing to share."""
    return round(100 * part / whole) if whole > 0 else 0


@dataclass(frozen=True)
class Tally:
    agree: int = 0
    disagree: int = 0
    passed: int = 0

    @property
    def seen(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def agree_share(self) -> int:
        return share(self.agree, self.seen)

    @property
    def disagree_share(self) -> int:
        return share(self.disagree, self.seen)

    @property
    def pass_share(self) -> int:
        return share(self.passed, self.seen) if self.seen else 0

    def as_json(self) -> dict[str, int]:
        return {"agree": self.agree, "disagree": self.disagree, "passed": self.passed}


def _tally(row: Any) -> Tally:
    if isinstance(row, list | tuple) and len(row) == 3:
        return Tally(int(row[0]), int(row[1]), int(row[2]))
    return Tally()


@dataclass(frozen=True)
class StatementLine:
    id: int
    text: str
    overall: Tally
    per_group: tuple[tuple[int, Tally], ...] = ()  # (group number, tally)
    score: float | None = None
    direction: str = ""


@dataclass(frozen=True)
class GroupView:
    number: int
    label: int
    size: int
    colour: str
    representative: tuple[StatementLine, ...]


@dataclass(frozen=True)
class CircleView:
    """The analysis with circles as the unit: groups of circles and what unites them."""

    groups: tuple[tuple[int, tuple[str, ...]], ...]  # (group number, circle names)
    consensus: tuple[StatementLine, ...]


@dataclass
class Report:
    conversation: Conversation
    snapshot: AnalysisSnapshot | None
    participants: int = 0
    clustered: int = 0
    votes: int = 0
    statements: int = 0
    groups: list[GroupView] = field(default_factory=list)
    consensus: list[StatementLine] = field(default_factory=list)
    divisive: list[StatementLine] = field(default_factory=list)
    broad_disagreement: list[StatementLine] = field(default_factory=list)
    circles: CircleView | None = None
    all_statements: list[StatementLine] = field(default_factory=list)


def _texts(conversation: Conversation) -> dict[int, str]:
    return dict(
        Statement.objects.filter(conversation=conversation)
        .exclude(status=StatementStatus.DELETED)
        .values_list("pk", "text")
    )


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def build_report(conversation: Conversation, snapshot: AnalysisSnapshot | None = None) -> Report:
    """The report page's data (three queries: the snapshot, statement texts, circle names)."""
    snapshot = snapshot if snapshot is not None else latest_summary(conversation)
    report = Report(conversation=conversation, snapshot=snapshot)
    if snapshot is None:
        return report
    summary: Mapping[str, Any] = snapshot.summary or {}
    texts = _texts(conversation)
    overall = {str(k): _tally(v) for k, v in (summary.get("overall") or {}).items()}
    group_votes = summary.get("group_votes") or {}
    raw_groups = list(summary.get("groups") or [])
    numbers = {str(g.get("label")): index for index, g in enumerate(raw_groups, start=1)}

    def line(statement: Any, *, score: Any = None, direction: str = "") -> StatementLine | None:
        pk = _as_int(statement)
        if pk is None or pk not in texts:
            return None
        per_group = tuple(
            (numbers[label], _tally((votes or {}).get(str(pk))))
            for label, votes in group_votes.items()
            if label in numbers
        )
        number = float(score) if isinstance(score, int | float) else None
        return StatementLine(pk, texts[pk], overall.get(str(pk), Tally()), per_group, number, direction)

    report.participants = int(summary.get("participants", 0) or 0)
    report.clustered = int(summary.get("clustered", 0) or 0)
    report.votes = int(summary.get("votes", 0) or 0)
    report.statements = int(summary.get("statements", 0) or 0)
    for index, group in enumerate(raw_groups, start=1):
        reps = [
            line(rep.get("statement"), direction=rep.get("direction", "")) for rep in group.get("representative", [])
        ]
        report.groups.append(
            GroupView(
                number=index,
                label=int(group.get("label", index)),
                size=int(group.get("size", 0)),
                colour=group_colour(index),
                representative=tuple(r for r in reps if r is not None),
            )
        )
    consensus = [line(item.get("statement"), score=item.get("score")) for item in summary.get("consensus", [])]
    report.consensus = [c for c in consensus if c is not None]
    divisive = [line(item.get("statement"), score=item.get("spread")) for item in summary.get("divisive", [])]
    report.divisive = [d for d in divisive if d is not None]
    against = [line(item.get("statement")) for item in summary.get("broad_disagreement", [])]
    report.broad_disagreement = [a for a in against if a is not None]
    consensus_scores = {str(item.get("statement")): item.get("score") for item in summary.get("consensus", [])}
    everything = [line(pk, score=consensus_scores.get(str(pk))) for pk in sorted(texts)]
    report.all_statements = [s for s in everything if s is not None]
    circles = summary.get("circles")
    if isinstance(circles, Mapping) and circles.get("groups"):
        names = dict(Circle.objects.filter(pk__in=_circle_ids(circles)).values_list("pk", "name"))
        circle_groups = tuple(
            (index, tuple(names.get(_as_int(m) or 0, "?") for m in group.get("members", [])))
            for index, group in enumerate(circles.get("groups", []), start=1)
        )
        unite = [line(item.get("statement"), score=item.get("score")) for item in circles.get("consensus", [])]
        report.circles = CircleView(circle_groups, tuple(u for u in unite if u is not None))
    return report


def _circle_ids(circles: Mapping[str, Any]) -> list[int]:
    ids = []
    for group in circles.get("groups", []):
        ids += [pk for pk in (_as_int(m) for m in group.get("members", [])) if pk is not None]
    return ids


def participation_by_day(conversation: Conversation) -> list[tuple[date, int]]:
    """Votes cast (first time) per day, oldest first."""
    rows = (
        Vote.objects.filter(conversation=conversation)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return [(row["day"], row["n"]) for row in rows if row["day"] is not None]


def declarable_groups(person: Any) -> tuple[list[Circle], list[Center]]:
    """The circles a person is a member of and the centers they edit or a circle of theirs is tied to."""
    if person is None or not getattr(person, "is_authenticated", False):
        return [], []
    circles = list(Circle.objects.filter(memberships__person=person).distinct().order_by("name"))
    centers = list(
        Center.objects.filter(
            Q(editorships__person=person) | Q(ties__circle__memberships__person=person, ties__ended_at__isnull=True)
        )
        .distinct()
        .order_by("name")
    )
    return circles, centers


def statement_lines(texts: Sequence[tuple[int, str]]) -> list[StatementLine]:
    return [StatementLine(pk, text, Tally()) for pk, text in texts]
