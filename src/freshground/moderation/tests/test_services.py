"""Flags (threshold, duplicates), moderator actions, the append-only audit log, appeals and notifications."""

from __future__ import annotations

import pytest
from django.test import override_settings

from freshground.core.content import ContentStatus
from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.moderation import gate, services, services_appeals
from freshground.moderation.models import (
    ActionKind,
    AppealStatus,
    AppendOnlyError,
    Flag,
    FlagResolution,
    ModerationAction,
    Restriction,
)
from freshground.moderation.tests.conftest import freshground, make_comment
from freshground.notifications.send import Kind
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def _flaggers(n):
    return [factories.PersonFactory() for _ in range(n)]


@override_settings(FRESHGROUND=freshground(FLAG_THRESHOLD=3))
def test_third_distinct_flagger_hides_the_comment_pending_review(cast, told, django_capture_on_commit_callbacks):
    comment = make_comment(cast.circle, cast.member)
    a, b, c = _flaggers(3)
    with django_capture_on_commit_callbacks(execute=True):
        services.flag(actor=a, label="debate.comment", object_id=comment.pk, category="abuse")
        services.flag(actor=b, label="debate.comment", object_id=comment.pk, category="spam")
        comment.refresh_from_db()
        assert comment.status == ContentStatus.PUBLISHED
        services.flag(actor=c, label="debate.comment", object_id=comment.pk, category="other", text="Doxxing")
    comment.refresh_from_db()
    assert comment.status == ContentStatus.HIDDEN
    assert "3 people flagged" in comment.hidden_reason
    auto = ModerationAction.objects.get(kind=ActionKind.AUTO_HIDE)
    assert auto.moderator is None
    assert auto.target_person == cast.member
    assert auto.circle == cast.circle
    to_author = [call for call in told if call["recipients"] == [cast.member]]
    assert len(to_author) == 1
    assert to_author[0]["kind"] == Kind.MODERATION
    for name in (a.display_name, b.display_name, c.display_name):
        assert name not in to_author[0]["summary"]
    # The circle's organiser heard of the first flag only, without the flagger's name.
    to_organiser = [call for call in told if cast.organiser.pk in call["recipients"]]
    assert len(to_organiser) == 1
    assert to_organiser[0]["actor"] is None


def test_flagging_twice_counts_once(cast):
    comment = make_comment(cast.circle, cast.member)
    services.flag(actor=cast.outsider, label="debate.comment", object_id=comment.pk, category="spam")
    with pytest.raises(Conflict):
        services.flag(actor=cast.outsider, label="debate.comment", object_id=comment.pk, category="abuse")
    assert Flag.objects.count() == 1


@override_settings(FRESHGROUND=freshground(FLAG_THRESHOLD=2))
def test_same_person_twice_never_reaches_the_threshold(cast):
    comment = make_comment(cast.circle, cast.member)
    services.flag(actor=cast.outsider, label="debate.comment", object_id=comment.pk, category="spam")
    with pytest.raises(Conflict):
        services.flag(actor=cast.outsider, label="debate.comment", object_id=comment.pk, category="spam")
    comment.refresh_from_db()
    assert comment.status == ContentStatus.PUBLISHED


def test_flag_refusals(cast):
    comment = make_comment(cast.circle, cast.member)
    with pytest.raises(PermissionDenied):
        services.flag(actor=cast.member, label="debate.comment", object_id=comment.pk, category="spam")
    with pytest.raises(NotFound):
        services.flag(actor=cast.outsider, label="debate.comment", object_id=999999, category="spam")
    with pytest.raises(NotFound):
        services.flag(actor=cast.outsider, label="nothing.here", object_id=comment.pk, category="spam")
    with pytest.raises(DomainError):
        services.flag(actor=cast.outsider, label="debate.comment", object_id=comment.pk, category="bogus")
    with pytest.raises(DomainError):
        services.flag(actor=cast.outsider, label="debate.comment", object_id=comment.pk, category="other", text="")


def test_a_person_can_be_flagged_and_goes_to_site_moderators(cast):
    flag = services.flag(actor=cast.outsider, label="people.person", object_id=cast.member.pk, category="abuse")
    assert flag.circle is None
    assert flag.center is None
    assert flag.author == cast.member
    with pytest.raises(PermissionDenied):
        services.flag(actor=cast.member, label="people.person", object_id=cast.member.pk, category="abuse")


def test_hide_restore_edit_and_the_log(cast, told, django_capture_on_commit_callbacks):
    comment = make_comment(cast.circle, cast.member, "Original words")
    services.flag(actor=cast.outsider, label="debate.comment", object_id=comment.pk, category="abuse")
    with django_capture_on_commit_callbacks(execute=True):
        services.act_on_content(
            actor=cast.organiser, label="debate.comment", object_id=comment.pk, action="hide", reason="Insults"
        )
    comment.refresh_from_db()
    assert comment.status == ContentStatus.HIDDEN
    assert comment.hidden_reason == "Insults"
    assert Flag.objects.get().resolution == FlagResolution.ACTIONED
    assert told[-1]["recipients"] == [cast.member]
    assert "Insults" in told[-1]["summary"]
    services.act_on_content(actor=cast.organiser, label="debate.comment", object_id=comment.pk, action="restore")
    comment.refresh_from_db()
    assert comment.status == ContentStatus.PUBLISHED
    assert comment.hidden_reason == ""
    services.act_on_content(
        actor=cast.organiser,
        label="debate.comment",
        object_id=comment.pk,
        action="edit",
        text="Kinder words",
        reason="Removed a slur",
    )
    comment.refresh_from_db()
    assert comment.body == "Kinder words"
    assert comment.revisions.get().note == "Removed a slur"
    kinds = list(ModerationAction.objects.order_by("created_at", "id").values_list("kind", flat=True))
    assert kinds == [ActionKind.HIDE, ActionKind.RESTORE, ActionKind.EDIT]


def test_hiding_needs_a_reason_and_nobody_moderates_their_own(cast):
    comment = make_comment(cast.circle, cast.organiser)
    with pytest.raises(PermissionDenied):
        services.act_on_content(
            actor=cast.organiser, label="debate.comment", object_id=comment.pk, action="hide", reason="x"
        )
    other = make_comment(cast.circle, cast.member)
    with pytest.raises(DomainError):
        services.act_on_content(actor=cast.organiser, label="debate.comment", object_id=other.pk, action="hide")


def test_the_audit_log_is_append_only(cast):
    action = services.act_on_person(
        actor=cast.organiser, person=cast.member, space=cast.circle, action="warn", reason="Tone"
    )
    action.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        action.save()
    with pytest.raises(AppendOnlyError):
        action.delete()
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.filter(pk=action.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.all().delete()
    assert ModerationAction.objects.get(pk=action.pk).reason == "Tone"


def test_deleting_an_account_keeps_the_log_lines(cast):
    action = services.act_on_person(
        actor=cast.organiser, person=cast.member, space=cast.circle, action="warn", reason="Tone"
    )
    cast.member.delete()
    assert ModerationAction.objects.get(pk=action.pk).target_person is None


def test_appeal_once_decided_by_another_moderator(cast, told, django_capture_on_commit_callbacks):
    second = factories.PersonFactory()
    factories.add_member(cast.circle, second, "organiser")
    action = services.act_on_person(
        actor=cast.organiser, person=cast.member, space=cast.circle, action="suspend", reason="Spamming", days=3
    )
    with pytest.raises(PermissionDenied):
        gate.check_may_post(cast.member, action="comment", space=cast.circle)
    with pytest.raises(NotFound):
        services_appeals.appeal(actor=cast.outsider, action=action, text="Not mine")
    appeal = services_appeals.appeal(actor=cast.member, action=action, text="It was one link")
    with pytest.raises(Conflict):
        services_appeals.appeal(actor=cast.member, action=action, text="Again")
    with pytest.raises(PermissionDenied):
        services_appeals.decide_appeal(actor=cast.organiser, appeal=appeal, overturn=True, note="Mine")
    with pytest.raises(PermissionDenied):
        services_appeals.decide_appeal(actor=cast.editor, appeal=appeal, overturn=True, note="Not my circle")
    with django_capture_on_commit_callbacks(execute=True):
        services_appeals.decide_appeal(actor=second, appeal=appeal, overturn=True, note="A first offence")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OVERTURNED
    assert appeal.decided_by == second
    assert Restriction.objects.get().lifted_at is not None
    assert gate.check_may_post(cast.member, action="comment", space=cast.circle).needs_approval is False
    logged = ModerationAction.objects.get(kind=ActionKind.APPEAL_OVERTURNED)
    assert logged.appeal_of == action
    assert logged.target_person == cast.member
    assert told[-1]["recipients"] == [cast.member]
    with pytest.raises(Conflict):
        services_appeals.decide_appeal(actor=cast.admin, appeal=appeal, overturn=False, note="Again")


def test_overturning_a_hide_restores_the_content(cast):
    comment = make_comment(cast.circle, cast.member)
    action = services.act_on_content(
        actor=cast.organiser, label="debate.comment", object_id=comment.pk, action="hide", reason="Off topic"
    )
    appeal = services_appeals.appeal(actor=cast.member, action=action, text="It was on topic")
    services_appeals.decide_appeal(actor=cast.admin, appeal=appeal, overturn=True, note="Agreed")
    comment.refresh_from_db()
    assert comment.status == ContentStatus.PUBLISHED


def test_lock_and_slow_mode_are_per_thread(cast):
    comment = make_comment(cast.circle, cast.member)
    services.act_on_thread(actor=cast.organiser, label="debate.comment", object_id=comment.pk, action="lock")
    assert gate.thread_state(comment).locked
    services.act_on_thread(
        actor=cast.organiser, label="debate.comment", object_id=comment.pk, action="slow_mode", seconds=60
    )
    state = gate.thread_state(comment)
    assert state.locked
    assert state.slow_mode_seconds == 60
    other = make_comment(cast.circle, cast.member)
    assert gate.thread_state(other) == gate.ThreadState()


def test_approval_queue_publishes_and_trusts(cast):
    from freshground.moderation.models import SpaceSettings

    SpaceSettings.objects.create(circle=cast.circle, first_posts_need_approval=True)
    decision = gate.check_may_post(cast.member, action="comment", space=cast.circle, text="Hello all")
    assert decision.needs_approval
    assert "First posts" in decision.reason
    comment = make_comment(cast.circle, cast.member, status=ContentStatus.PENDING)
    services.act_on_content(actor=cast.organiser, label="debate.comment", object_id=comment.pk, action="approve")
    comment.refresh_from_db()
    assert comment.status == ContentStatus.PUBLISHED
    assert not gate.check_may_post(cast.member, action="comment", space=cast.circle, text="Next").needs_approval
    rejected = make_comment(cast.circle, cast.outsider, status=ContentStatus.PENDING)
    services.act_on_content(
        actor=cast.organiser, label="debate.comment", object_id=rejected.pk, action="reject", reason="Advert"
    )
    rejected.refresh_from_db()
    assert rejected.status == ContentStatus.HIDDEN


def test_ban_needs_a_space_and_site_suspension_a_site_moderator(cast):
    with pytest.raises(PermissionDenied):
        services.act_on_person(
            actor=cast.organiser, person=cast.member, space=None, action="site_suspend", reason="x", days=2
        )
    with pytest.raises(PermissionDenied):
        services.act_on_person(actor=cast.organiser, person=cast.member, space=None, action="ban", reason="x")
    services.act_on_person(actor=cast.admin, person=cast.member, space=None, action="site_suspend", reason="x", days=2)
    with pytest.raises(PermissionDenied, match="suspended"):
        gate.check_may_post(cast.member, action="comment", space=None)
