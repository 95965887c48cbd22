"""The demo debates load once, with arguments from several circles, a statement and a closed debate's summary."""

from __future__ import annotations

import pytest

from freshground.core import demo_data
from freshground.debate.demo import ACTIVE_QUESTION, CLOSED_QUESTION, load_demo_debates
from freshground.debate.models import Argument, Debate, Invitation, Summary
from freshground.debate.tests.debates_helpers import sent

pytestmark = pytest.mark.usefixtures("sent")
__all__ = ["sent"]


@pytest.mark.django_db
def test_demo_debates_are_idempotent(monkeypatch) -> None:
    monkeypatch.setattr(demo_data, "APP_LOADERS", [])  # only the network; the other parts test their own demos
    builder = demo_data._Loader()
    builder.run()
    assert load_demo_debates(builder.people, builder.circles, builder.centers) == 2
    assert load_demo_debates(builder.people, builder.circles, builder.centers) == 0
    active = Debate.objects.get(question=ACTIVE_QUESTION)
    closed = Debate.objects.get(question=CLOSED_QUESTION)
    assert active.is_open
    assert not closed.is_open
    assert Summary.objects.filter(debate=closed).exists()
    assert Invitation.objects.filter(debate=active, stated_at__isnull=False).exists()
    best = Argument.objects.filter(debate=active).order_by("-bridging_score").first()
    assert best is not None
    assert best.group_count >= 3
