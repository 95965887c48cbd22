"""The gate's decisions: restrictions, locked threads, slow mode, rate limits, the spam check, first posts, mute and
block."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from freshground.core.exceptions import PermissionDenied
from freshground.moderation import gate, services, services_relations
from freshground.moderation.tests.conftest import freshground, make_comment
from freshground.testing import factories

pytestmark = pytest.mark.django_db

REAL_LIMITS = freshground(
    NEW_ACCOUNT_DAYS=7,
    RATE_LIMITS={"comment": (5, 60), "flag": (3, 3600)},
    NEW_ACCOUNT_RATE_LIMITS={"comment": (2, 60), "flag": (1, 3600)},
)


def _old(person):
    person.date_joined = timezone.now() - timedelta(days=30)
    person.save(update_fields=["date_joined"])
    return person


def test_anonymous_and_suspended_people_are_refused(cast):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        gate.check_may_post(AnonymousUser(), action="comment", space=cast.circle)
    services.act_on_person(actor=cast.organiser, person=cast.member, space=cast.circle, action="ban", reason="x")
    with pytest.raises(PermissionDenied, match="banned"):
        gate.check_may_post(cast.member, action="comment", space=cast.circle)
    # A ban from one circle does not reach another space.
    assert not gate.check_may_post(cast.member, action="comment", space=cast.center).needs_approval


def test_expired_suspension_no_longer_refuses(cast):
    from freshground.moderation.models import Restriction

    services.act_on_person(
        actor=cast.organiser, person=cast.member, space=cast.circle, action="suspend", reason="x", days=1
    )
    Restriction.objects.update(until=timezone.now() - timedelta(minutes=1))
    assert not gate.check_may_post(cast.member, action="comment", space=cast.circle).needs_approval


def test_locked_thread_refuses_all_but_moderators(cast):
    thread = make_comment(cast.circle, cast.member)
    services.act_on_thread(actor=cast.organiser, label="debate.comment", object_id=thread.pk, action="lock")
    with pytest.raises(PermissionDenied, match="locked"):
        gate.check_may_post(cast.member, action="comment", space=cast.circle, thread=thread)
    assert not gate.check_may_post(cast.organiser, action="comment", space=cast.circle, thread=thread).needs_approval


def test_slow_mode_refuses_with_the_wait(cast):
    thread = make_comment(cast.circle, cast.member)
    services.act_on_thread(
        actor=cast.organiser, label="debate.comment", object_id=thread.pk, action="slow_mode", seconds=300
    )
    gate.check_may_post(cast.member, action="comment", space=cast.circle, thread=thread)
    with pytest.raises(PermissionDenied, match=r"slow mode.*minutes"):
        gate.check_may_post(cast.member, action="comment", space=cast.circle, thread=thread)
    # Another person, or another thread, is not held up.
    gate.check_may_post(cast.outsider, action="comment", space=cast.circle, thread=thread)
    gate.check_may_post(cast.member, action="comment", space=cast.circle, thread=make_comment(cast.circle, cast.member))


@override_settings(FRESHGROUND=REAL_LIMITS)
def test_rate_limits_are_stricter_for_new_accounts(cast):
    new = cast.outsider
    old = _old(cast.member)
    for _ in range(2):
        gate.check_may_post(new, action="comment", space=None, text="")
    with pytest.raises(PermissionDenied, match="too fast"):
        gate.check_may_post(new, action="comment", space=None)
    for _ in range(5):
        gate.check_may_post(old, action="comment", space=None)
    with pytest.raises(PermissionDenied, match="too fast"):
        gate.check_may_post(old, action="comment", space=None)


@override_settings(FRESHGROUND=REAL_LIMITS)
def test_flag_rate_limit_through_the_service(cast):
    first, second = make_comment(cast.circle, cast.member), make_comment(cast.circle, cast.member)
    services.flag(actor=cast.outsider, label="debate.comment", object_id=first.pk, category="spam")
    with pytest.raises(PermissionDenied, match="too fast"):
        services.flag(actor=cast.outsider, label="debate.comment", object_id=second.pk, category="spam")


@override_settings(FRESHGROUND={**REAL_LIMITS, "RATE_LIMITS": None, "NEW_ACCOUNT_RATE_LIMITS": None})
def test_rate_limits_can_be_switched_off(cast):
    for _ in range(50):
        gate.check_may_post(cast.outsider, action="comment", space=None)


@pytest.mark.parametrize(
    "text",
    [
        "See https://a.example and https://b.example and https://c.example",
        "https://buy.example/now",
        "THIS IS THE BEST OFFER EVER SEEN",
    ],
)
@override_settings(FRESHGROUND={**REAL_LIMITS, "SPAM_CHECK": True})
def test_spam_heuristic_for_brand_new_accounts(cast, text):
    decision = gate.check_may_post(cast.outsider, action="comment", space=None, text=text)
    assert decision.needs_approval
    assert decision.reason
    old = _old(factories.PersonFactory())
    assert not gate.check_may_post(old, action="comment", space=None, text=text).needs_approval


@override_settings(FRESHGROUND={**REAL_LIMITS, "SPAM_CHECK": True})
def test_repeated_identical_posts_from_a_new_account_wait(cast):
    assert not gate.check_may_post(cast.outsider, action="comment", space=None, text="Join us on Friday").needs_approval
    again = gate.check_may_post(cast.outsider, action="comment", space=None, text="join us   on friday")
    assert again.needs_approval


def test_ordinary_posts_pass(cast):
    text = "I think the night shift should meet first. See https://example.org/minutes for last week."
    assert gate.check_may_post(cast.outsider, action="comment", space=cast.circle, text=text) == gate.PostDecision()


def test_mute_and_block(cast):
    assert gate.muted_ids(cast.member) == frozenset()
    services_relations.mute(actor=cast.member, other=cast.outsider)
    services_relations.mute(actor=cast.member, other=cast.outsider)  # twice is once
    assert gate.muted_ids(cast.member) == frozenset({cast.outsider.pk})
    assert gate.muted_ids(cast.outsider) == frozenset()
    services_relations.block(actor=cast.member, other=cast.outsider)
    assert gate.has_blocked(cast.outsider, by=cast.member)
    assert not gate.has_blocked(cast.member, by=cast.outsider)
    services_relations.unblock(actor=cast.member, other=cast.outsider)
    services_relations.unmute(actor=cast.member, other=cast.outsider)
    assert not gate.has_blocked(cast.outsider, by=cast.member)
    assert gate.muted_ids(cast.member) == frozenset()


def test_mute_or_block_oneself_is_refused(cast):
    from freshground.core.exceptions import DomainError

    with pytest.raises(DomainError):
        services_relations.block(actor=cast.member, other=cast.member)


def test_anonymous_viewers_mute_nobody():
    from django.contrib.auth.models import AnonymousUser

    assert gate.muted_ids(AnonymousUser()) == frozenset()
    assert not gate.has_blocked(AnonymousUser(), by=AnonymousUser())
