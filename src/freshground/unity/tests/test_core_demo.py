"""The demo conversation: three planted groups and the planted consensus on top; loading twice creates nothing."""

from __future__ import annotations

import pytest

from freshground.unity import analysis_runs, queries
from freshground.unity.demo import CONSENSUS, load_demo_unity
from freshground.unity.models import Conversation, Vote

pytestmark = pytest.mark.django_db


def test_demo_shows_three_groups_and_the_planted_consensus(cast):
    assert load_demo_unity({"organiser": cast.organiser}, {}, {}) == 1
    assert load_demo_unity({"organiser": cast.organiser}, {}, {}) == 0
    conversation = Conversation.objects.get()
    assert conversation.participants.count() == 300
    assert Vote.objects.count() > 300 * 15
    report = queries.report_json(conversation, analysis_runs.latest_snapshot(conversation))
    assert len(report["groups"]) == 3
    assert sorted(group["size"] for group in report["groups"]) == [100, 100, 100]
    top = [item["text"] for item in report["consensus"][: len(CONSENSUS)]]
    assert sorted(top) == sorted(CONSENSUS)
