"""Running the analysis in the worker: debounced requests after votes, loading votes in bulk, storing snapshots,
and the compact JSON the pages and the voting order read."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from freshground.unity.analysis.types import Analysis, Previous, Settings, StatementStats
from freshground.unity.analysis.types import Vote as AnalysisVote
from freshground.unity.models import (
    AnalysisSnapshot,
    Conversation,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)

logger = logging.getLogger(__name__)

ANALYSIS_DEBOUNCE = timedelta(seconds=30)
ANALYSIS_LOST_AFTER = timedelta(minutes=10)  # a request older than this whose task never ran is enqueued again
SNAPSHOTS_KEPT = 5
VOTE_LOAD_CHUNK = 50_000

# Analysis


def request_analysis_on_commit(conversation_id: int) -> None:
    transaction.on_commit(lambda: request_analysis(conversation_id))


def request_analysis(conversation_id: int, *, now: datetime | None = None) -> bool:
    """Ask the worker for a recomputation unless one is already waiting (True if this call enqueued it)."""
    moment = now or timezone.now()
    claimed = Conversation.objects.filter(pk=conversation_id, analysis_requested_at__isnull=True).update(
        analysis_requested_at=moment
    )
    if not claimed:
        return False
    return _enqueue(conversation_id, moment)


def _enqueue(conversation_id: int, moment: datetime) -> bool:
    from freshground.unity.tasks import recompute_analysis

    try:
        task = recompute_analysis
        if task.get_backend().supports_defer:
            task = task.using(run_after=moment + ANALYSIS_DEBOUNCE)
        task.enqueue(conversation_id)
    except Exception:
        # The stamp stays: `requeue_lost_requests` enqueues it again later.
        logger.exception("Could not queue the analysis of conversation %s", conversation_id)
        return False
    return True


def requeue_lost_requests(*, now: datetime | None = None) -> int:
    """Enqueue again the requests whose task never ran (a worker died, the queue was flushed)."""
    moment = now or timezone.now()
    lost = list(
        Conversation.objects.filter(analysis_requested_at__lt=moment - ANALYSIS_LOST_AFTER).values_list("pk", flat=True)
    )
    for conversation_id in lost:
        Conversation.objects.filter(pk=conversation_id).update(analysis_requested_at=moment)
        _enqueue(conversation_id, moment - ANALYSIS_DEBOUNCE)
    return len(lost)


ANALYSED = (StatementStatus.APPROVED, StatementStatus.REJECTED)


def _load_votes(conversation_id: int) -> Iterator[AnalysisVote]:
    """The conversation's current votes on approved and rejected statements (rejected ones are passed to the maths
    as moderated out, as Pol.is does), read as bare tuples in chunks."""
    rows = (
        Vote.objects.filter(conversation_id=conversation_id, statement__status__in=ANALYSED)
        .order_by()
        .values_list("participant_id", "statement_id", "value")
        .iterator(chunk_size=VOTE_LOAD_CHUNK)
    )
    for participant_id, statement_id, value in rows:
        yield AnalysisVote(participant_id, statement_id, value)


def _declared_circles(conversation_id: int) -> dict[int | str, list[int]]:
    through = Participant.circles.through
    circles: dict[int | str, list[int]] = {}
    rows = through.objects.filter(participant__conversation_id=conversation_id).values_list(
        "participant_id", "circle_id"
    )
    for participant_id, circle_id in rows:
        circles.setdefault(participant_id, []).append(circle_id)
    return circles


def latest_snapshot(conversation: Conversation | int) -> AnalysisSnapshot | None:
    conversation_id = conversation if isinstance(conversation, int) else conversation.pk
    return AnalysisSnapshot.objects.filter(conversation_id=conversation_id).order_by("-computed_at", "-id").first()


def latest_summary(conversation: Conversation | int) -> AnalysisSnapshot | None:
    """The latest snapshot without the bulky `result` and `previous` JSON (what pages and reports read)."""
    conversation_id = conversation if isinstance(conversation, int) else conversation.pk
    return (
        AnalysisSnapshot.objects.filter(conversation_id=conversation_id)
        .defer("result", "previous")
        .order_by("-computed_at", "-id")
        .first()
    )


def run_analysis(conversation: Conversation, *, settings: Settings | None = None) -> AnalysisSnapshot:
    """Compute the analysis now (the worker calls this; so does the report command) and store a snapshot."""
    from freshground.unity.analysis import analyse

    started = time.perf_counter()
    last = latest_snapshot(conversation)
    previous = Previous.from_json(last.previous) if last is not None and last.previous else None
    chosen = settings or (settings_from_json(last.settings) if last is not None else Settings())
    votes_until = Vote.objects.filter(conversation=conversation).aggregate(latest=Max("updated_at"))["latest"]
    circles = _declared_circles(conversation.pk)
    rejected = set(
        Statement.objects.filter(conversation=conversation, status=StatementStatus.REJECTED).values_list(
            "pk", flat=True
        )
    )
    analysis = analyse(
        _load_votes(conversation.pk),
        settings=chosen,
        previous=previous,
        circles=circles or None,
        moderated_out=rejected,
    )
    snapshot = AnalysisSnapshot.objects.create(
        conversation=conversation,
        votes_until=votes_until,
        duration_ms=int((time.perf_counter() - started) * 1000),
        participants=analysis.participants,
        statements=analysis.statements,
        votes=analysis.votes,
        settings=analysis.settings.as_dict(),
        result=analysis.to_json(),
        previous=analysis.previous.to_json(),
        statement_stats=statement_stats(analysis),
        summary=summarise(analysis),
    )
    stale = list(
        AnalysisSnapshot.objects.filter(conversation=conversation)
        .order_by("-computed_at", "-id")
        .values_list("pk", flat=True)[SNAPSHOTS_KEPT:]
    )
    if stale:
        AnalysisSnapshot.objects.filter(pk__in=stale).delete()
    return snapshot


# Snapshot JSON: plain numbers, never NaN or infinity.


def finite(value: float, digits: int = 6) -> float | None:
    number = float(value)
    return round(number, digits) if math.isfinite(number) else None


def settings_from_json(data: Mapping[str, Any]) -> Settings:
    known = set(Settings.__dataclass_fields__)
    return Settings(**{key: value for key, value in data.items() if key in known})


def statement_stats(analysis: Analysis) -> dict[str, list[float]]:
    """Per statement, summed over groups (Pol.is routing): [agree, disagree, seen, extremity]."""
    totals: dict[str, list[float]] = {}
    for group in analysis.groups:
        for statement, stats in group.votes.items():
            row = totals.setdefault(str(statement), [0, 0, 0, 0.0])
            row[0] += stats.agree
            row[1] += stats.disagree
            row[2] += stats.agree + stats.disagree + stats.passed
    if not analysis.groups:  # nobody clustered yet: the overall tallies stand in
        for statement, stats in analysis.overall.items():
            totals[str(statement)] = [stats.agree, stats.disagree, stats.agree + stats.disagree + stats.passed, 0.0]
    for statement, (x, y) in analysis.statement_positions.items():
        row = totals.setdefault(str(statement), [0, 0, 0, 0.0])
        row[3] = finite(math.hypot(x, y)) or 0.0
    return totals


def _stats_json(stats: StatementStats) -> dict[str, Any]:
    return {
        "statement": stats.statement,
        "agree": stats.agree,
        "disagree": stats.disagree,
        "passed": stats.passed,
        "p_agree": finite(stats.p_agree),
        "p_disagree": finite(stats.p_disagree),
        "z_agree": finite(stats.z_agree),
        "z_disagree": finite(stats.z_disagree),
    }


def summarise(analysis: Analysis) -> dict[str, Any]:
    """What reports show, with our ids (participant and statement pks); report code maps them to texts."""
    return {
        "participants": analysis.participants,
        "clustered": len(analysis.clustered),
        "statements": analysis.statements,
        "votes": analysis.votes,
        "groups": [
            {
                "label": group.label,
                "size": len(group.members),
                "members": list(group.members),
                "centre": [finite(group.centre[0]), finite(group.centre[1])],
                "representative": [
                    {
                        **_stats_json(rep.stats),
                        "direction": rep.direction,
                        "ratio": finite(rep.ratio),
                        "ratio_z": finite(rep.ratio_z),
                        "metric": finite(rep.metric),
                    }
                    for rep in group.representative
                ],
            }
            for group in analysis.groups
        ],
        "consensus": [{"statement": statement, "score": finite(score)} for statement, score in analysis.consensus],
        "broad_agreement": [_stats_json(stats) for stats in analysis.broad_agreement],
        "broad_disagreement": [_stats_json(stats) for stats in analysis.broad_disagreement],
        "silhouettes": {str(k): finite(score) for k, score in analysis.silhouettes.items()},
        # Added for the pages (older snapshots lack these keys; readers use .get with a default):
        # every voter's point in the opinion map, rounded: [[participant, x, y], ...]
        "positions": [
            [participant, finite(x, 4) or 0.0, finite(y, 4) or 0.0]
            for participant, (x, y) in analysis.positions.items()
        ],
        # per group label and statement: [agree, disagree, passed] (the consensus table's shares per group)
        "group_votes": {
            str(group.label): {str(s): [v.agree, v.disagree, v.passed] for s, v in group.votes.items()}
            for group in analysis.groups
        },
        # everyone's tallies per statement: [agree, disagree, passed]
        "overall": {str(s): [v.agree, v.disagree, v.passed] for s, v in analysis.overall.items()},
        "divisive": divisive(analysis),
        # per declared circle and statement: [agree, disagree, passed] (documents freeze support per circle)
        "circle_votes": {
            str(circle): {str(s): [v.agree, v.disagree, v.passed] for s, v in stats.items()}
            for circle, stats in analysis.circle_votes.items()
        },
        # the same analysis with circles as the unit (None when nobody declared a circle)
        "circles": summarise(analysis.circle_analysis) if analysis.circle_analysis is not None else None,
    }


DIVISIVE_MIN_SPREAD = 0.3  # agree probability of the most and the least agreeing group at least this far apart
MAX_DIVISIVE = 5


def divisive(analysis: Analysis) -> list[dict[str, Any]]:
    """Statements that divide: the spread between the groups' pseudo-counted agree probabilities, widest first."""
    if len(analysis.groups) < 2:
        return []
    spreads: list[tuple[float, int | str]] = []
    for statement in analysis.overall:
        probabilities = [
            group.votes[statement].p_agree
            for group in analysis.groups
            if statement in group.votes and math.isfinite(group.votes[statement].p_agree)
        ]
        if len(probabilities) >= 2:
            spread = max(probabilities) - min(probabilities)
            if spread >= DIVISIVE_MIN_SPREAD:
                spreads.append((spread, statement))
    spreads.sort(key=lambda item: (-item[0], str(item[1])))
    return [{"statement": statement, "spread": finite(spread)} for spread, statement in spreads[:MAX_DIVISIVE]]


def counts(conversation: Conversation) -> dict[str, int]:
    return {
        "statements": Statement.objects.filter(conversation=conversation).count(),
        "participants": Participant.objects.filter(conversation=conversation).count(),
        "votes": Vote.objects.filter(conversation=conversation).count(),
    }
