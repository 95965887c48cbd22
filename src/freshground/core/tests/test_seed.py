from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from freshground.core.progress import progress
from freshground.network.models import Center, Circle, Follow, Membership, Role, Tie
from freshground.people.models import Person

pytestmark = pytest.mark.django_db


def assert_consistent() -> None:
    circles = Circle.objects.annotate(
        members=Count("memberships", distinct=True),
        followers=Count("follows", distinct=True),
        organisers=Count("memberships", filter=Q(memberships__role=Role.ORGANISER), distinct=True),
    )
    for circle in circles:
        assert circle.member_count == circle.members, circle
        assert circle.follower_count == circle.followers, circle
        assert circle.organisers >= 1, circle
    centers = Center.objects.annotate(
        ties_now=Count("ties", filter=Q(ties__ended_at__isnull=True), distinct=True),
        followers=Count("follows", distinct=True),
    )
    for center in centers:
        assert center.tie_count == center.ties_now, center
        assert center.follower_count == center.followers, center
        assert center.editorships.exists(), center


def test_seed_500_has_consistent_counters():
    out = StringIO()
    call_command("seed", "--scale", "500", "--seed", "7", stdout=out)
    assert Person.objects.count() == 500
    assert Circle.objects.count() == 25
    assert Center.objects.count() == 5
    assert Membership.objects.exists()
    assert Tie.objects.exists()
    assert Follow.objects.exists()
    assert_consistent()
    # Plain progress lines when stdout is not a terminal, and a summary.
    text = out.getvalue()
    assert "People: 500 done" in text
    assert "Seeded run" in text
    # Seeded people share one hash and cannot sign in without --password.
    assert not Person.objects.earliest("id").has_usable_password()


def test_seed_twice_does_not_crash_and_stays_consistent():
    call_command("seed", "--scale", "60", stdout=StringIO())
    call_command("seed", "--scale", "60", stdout=StringIO())
    assert Person.objects.count() == 120
    assert Circle.objects.count() == 6
    assert_consistent()


def test_seed_password_lets_people_sign_in():
    call_command("seed", "--scale", "20", "--password", "seeded-password-1", stdout=StringIO())
    assert Person.objects.earliest("id").check_password("seeded-password-1")


def test_seed_refuses_zero():
    with pytest.raises(CommandError):
        call_command("seed", "--scale", "0", stdout=StringIO())


def test_progress_plain_lines():
    out = StringIO()
    with progress("Things", total=20, stream=out) as step:
        for _ in range(20):
            step.advance()
    lines = out.getvalue().splitlines()
    assert lines[0] == "Things: 2/20 (10%)"
    assert lines[-1].startswith("Things: 20 done in")
    assert len(lines) == 10


def test_progress_bar_on_a_terminal():
    out = StringIO()
    with progress("Things", total=5, stream=out, interactive=True) as step:
        step.advance(5)
    assert "Things" in out.getvalue()
    assert "5/5" in out.getvalue()
