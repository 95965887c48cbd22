"""Background work for unity: the debounced recomputation after votes, and re-queueing requests whose task got lost."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from freshground.core.scheduler import periodic


@task
def recompute_analysis(conversation_id: int) -> int | None:
    """Run the analysis of one conversation and store a snapshot; returns the snapshot's id (None: no such
    conversation). The request stamp is cleared first, so votes cast during the run ask for the next one."""
    from freshground.unity import analysis_runs
    from freshground.unity.models import Conversation

    Conversation.objects.filter(pk=conversation_id).update(analysis_requested_at=None)
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return None
    return analysis_runs.run_analysis(conversation).pk


@periodic(every=timedelta(minutes=5), name="unity.requeue_lost_analyses")
@task
def requeue_lost_analyses() -> int:
    from freshground.unity import analysis_runs

    return analysis_runs.requeue_lost_requests()
