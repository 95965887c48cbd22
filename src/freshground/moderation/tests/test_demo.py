"""The demo loader: code of conduct, house rules and one pending flag (on a comment when there is one); idempotent."""

from __future__ import annotations

import pytest

from freshground.moderation.demo import load_demo_moderation
from freshground.moderation.models import CodeOfConduct, Flag, HouseRules
from freshground.moderation.tests.conftest import make_comment

pytestmark = pytest.mark.django_db


def _world(cast):
    people = {"admin": cast.admin, "organiser": cast.organiser, "member": cast.member, "outsider": cast.outsider}
    return people, {cast.circle.slug: cast.circle}, {cast.center.slug: cast.center}


def test_demo_flags_a_comment_once(cast):
    comment = make_comment(cast.circle, cast.member)
    assert load_demo_moderation(*_world(cast)) == 3
    assert load_demo_moderation(*_world(cast)) == 0
    assert CodeOfConduct.objects.count() == 1
    assert HouseRules.objects.get().circle == cast.circle
    flag = Flag.objects.get()
    assert flag.object_id == comment.pk
    assert flag.circle == cast.circle


def test_demo_flags_a_person_without_comments(cast):
    assert load_demo_moderation(*_world(cast)) == 3
    assert Flag.objects.get().content_type.model == "person"
