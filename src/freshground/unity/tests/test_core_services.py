"""Services: opening, statements and moderation, joining, voting (replace, refusals), circles, the voting order and
the debounced analysis request."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.testing import factories
from freshground.unity import analysis_runs, queries, services
from freshground.unity.models import AnalysisSnapshot, Conversation, Statement, StatementStatus, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(cast):
    return services.open_conversation(
        person=cast.organiser,
        title="What unites us?",
        circle=cast.circle,
        seed_statements=["Rent is too high.", "Hospitals need more staff.", "  ", "Rent is too high."],
        needs_approval=True,
    )


def test_open_with_seeds(conversation, cast):
    assert conversation.slug == "what-unites-us"
    texts = list(conversation.statements.values_list("text", "is_seed", "status"))
    assert texts == [("Rent is too high.", True, "approved"), ("Hospitals need more staff.", True, "approved")]


def test_only_organisers_open_in_a_circles_name(cast):
    with pytest.raises(PermissionDenied):
        services.open_conversation(person=cast.member, title="Ours", circle=cast.circle)
    with pytest.raises(PermissionDenied):
        services.open_conversation(person=None, title="Anyone")
    with pytest.raises(DomainError) as refused:
        services.open_conversation(person=cast.member, title="Long", seed_statements=["x" * 281])
    assert refused.value.field == "seed_statements"


def test_statements_wait_for_approval_where_asked(conversation, cast):
    pending = services.add_statement(person=cast.member, conversation=conversation, text="Schools first.")
    assert pending.status == StatementStatus.PENDING
    mine = services.add_statement(person=cast.organiser, conversation=conversation, text="Moderators skip the queue.")
    assert mine.status == StatementStatus.APPROVED
    assert queries.pending_statements(conversation) == [pending]
    with pytest.raises(PermissionDenied):
        services.approve_statement(person=cast.member, statement=pending)
    services.approve_statement(person=cast.organiser, statement=pending)
    pending.refresh_from_db()
    assert pending.status == StatementStatus.APPROVED
    assert pending.moderated_by == cast.organiser


def test_statement_length_and_duplicates(conversation, cast):
    with pytest.raises(DomainError) as too_long:
        services.add_statement(person=cast.member, conversation=conversation, text="x" * 281)
    assert too_long.value.field == "text"
    services.add_statement(person=cast.member, conversation=conversation, text="y" * 280)
    with pytest.raises(Conflict):
        services.add_statement(person=cast.outsider, conversation=conversation, text="RENT is too high.")
    with pytest.raises(PermissionDenied):
        services.add_statement(person=None, conversation=conversation, text="Anonymous words")


def test_a_changed_vote_replaces_the_old(conversation, cast):
    statement = conversation.statements.first()
    services.vote(actor=cast.member, statement=statement, value=1)
    services.vote(actor=cast.member, statement=statement, value=-1)
    services.vote(actor=cast.member, statement=statement, value="0")
    assert list(Vote.objects.values_list("value", flat=True)) == [0]
    assert conversation.participants.count() == 1


@pytest.mark.parametrize("value", [2, -2, "agree", None, 0.5])
def test_bad_vote_values(conversation, cast, value):
    with pytest.raises(DomainError) as refused:
        services.vote(actor=cast.member, statement=conversation.statements.first(), value=value)
    assert refused.value.field == "value"
    assert not Vote.objects.exists()


def test_closed_conversation_refuses_votes(conversation, cast):
    statement = conversation.statements.first()
    services.vote(actor=cast.member, statement=statement, value=1)
    with pytest.raises(PermissionDenied):
        services.close_conversation(person=cast.member, conversation=conversation)
    services.close_conversation(person=cast.organiser, conversation=conversation)
    statement.refresh_from_db()
    with pytest.raises(PermissionDenied, match="closed"):
        services.vote(actor=cast.member, statement=statement, value=-1)
    with pytest.raises(Conflict):
        services.close_conversation(person=cast.organiser, conversation=conversation)
    assert list(Vote.objects.values_list("value", flat=True)) == [1]


def test_unapproved_rejected_and_deleted_statements_refuse_votes(conversation, cast):
    pending = services.add_statement(person=cast.member, conversation=conversation, text="Wait for me.")
    with pytest.raises(DomainError, match="not open for votes"):
        services.vote(actor=cast.outsider, statement=pending, value=1)
    services.reject_statement(person=cast.organiser, statement=pending)
    with pytest.raises(DomainError, match="not open for votes"):
        services.vote(actor=cast.outsider, statement=pending, value=1)
    seed = conversation.statements.filter(is_seed=True).first()
    services.delete_statement(person=cast.organiser, statement=seed)
    with pytest.raises(NotFound):
        services.vote(actor=cast.outsider, statement=seed, value=1)
    assert not Vote.objects.exists()


def test_anonymous_participation(conversation, cast):
    statement = conversation.statements.first()
    with pytest.raises(PermissionDenied, match="anonymous"):
        services.join_anonymously(actor=None, conversation=conversation)
    Conversation.objects.filter(pk=conversation.pk).update(allow_anonymous=True)
    conversation.refresh_from_db()
    participant, key = services.join_anonymously(actor=None, conversation=conversation)
    assert key not in participant.anonymous_key_hash
    assert queries.participant_by_key(conversation, key) == participant
    assert queries.participant_by_key(conversation, key + "x") is None
    statement.conversation = conversation
    services.vote(actor=None, participant=participant, statement=statement, value=1)
    with pytest.raises(PermissionDenied):
        services.vote(actor=None, statement=statement, value=1)  # no key: join first
    with pytest.raises(PermissionDenied):
        services.vote(actor=cast.member, participant=participant, statement=statement, value=1)
    with pytest.raises(DomainError):
        services.join_anonymously(actor=cast.member, conversation=conversation)
    assert Vote.objects.get().participant == participant


def test_declare_circles(conversation, cast):
    participant = services.join(person=cast.member, conversation=conversation)
    services.declare_circles(person=cast.member, participant=participant, circles=[cast.circle], centers=[cast.center])
    assert list(participant.circles.all()) == [cast.circle]
    assert list(participant.centers.all()) == [cast.center]
    other = factories.CircleFactory(name="Elsewhere")
    with pytest.raises(PermissionDenied):
        services.declare_circles(person=cast.member, participant=participant, circles=[other])
    with pytest.raises(PermissionDenied):
        services.declare_circles(person=cast.outsider, participant=participant, circles=[])
    assert list(participant.circles.all()) == [cast.circle]


def test_next_statement_serves_each_statement_once_and_is_deterministic(conversation, cast):
    for n in range(5):
        services.add_statement(person=cast.organiser, conversation=conversation, text=f"Statement {n}")
    participant = services.join(person=cast.member, conversation=conversation)
    first = queries.next_statement(participant, seed=7)
    assert first == queries.next_statement(participant, seed=7)
    served = []
    while (statement := queries.next_statement(participant, seed=len(served))) is not None:
        served.append(statement.pk)
        services.vote(actor=cast.member, participant=participant, statement=statement, value=1)
    approved = set(conversation.statements.filter(status="approved").values_list("pk", flat=True))
    assert sorted(served) == sorted(approved)


def test_priority_prefers_new_and_divisive_statements():
    new = queries.priority(0, 0, 0, 0.0)
    worn = queries.priority(20, 20, 40, 0.0)
    divisive = queries.priority(20, 20, 40, 2.0)
    passed = queries.priority(2, 2, 40, 2.0)
    assert new > divisive > worn > passed


def test_next_statement_uses_the_last_snapshot(conversation, cast):
    a, b = conversation.statements.all()
    AnalysisSnapshot.objects.create(
        conversation=conversation, statement_stats={str(a.pk): [300, 0, 300, 0.0], str(b.pk): [0, 0, 0, 3.0]}
    )
    participant = services.join(person=cast.member, conversation=conversation)
    picks = Counter(queries.next_statement(participant, seed=seed).pk for seed in range(60))
    assert picks[b.pk] > picks[a.pk] * 5


def test_votes_request_one_debounced_analysis(conversation, cast, monkeypatch, django_capture_on_commit_callbacks):
    enqueued = []
    monkeypatch.setattr(analysis_runs, "_enqueue", lambda pk, moment: enqueued.append(pk) or True)
    statement = conversation.statements.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.vote(actor=cast.member, statement=statement, value=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.vote(actor=cast.outsider, statement=statement, value=-1)
    assert enqueued == [conversation.pk]
    conversation.refresh_from_db()
    assert conversation.analysis_requested_at is not None
    later = timezone.now() + analysis_runs.ANALYSIS_LOST_AFTER + timedelta(seconds=1)
    assert analysis_runs.requeue_lost_requests(now=later) == 1
    assert enqueued == [conversation.pk, conversation.pk]


def test_statement_counts_helper(conversation):
    assert analysis_runs.counts(conversation) == {"statements": 2, "participants": 0, "votes": 0}
    assert Statement.objects.count() == 2
