# mypy: disable-error-code="arg-type,attr-defined"
"""The demo decisions load on top of the demo network and campaigns, once; without campaigns the Schulze vote is
skipped cleanly."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.campaigns.demo import load_demo_campaigns
from freshground.core import demo_data
from freshground.core.demo_network import PEOPLE
from freshground.decisions.demo import SCHULZE_SLUG, STV_SLUG, load_demo_decisions
from freshground.decisions.models import Decision, Phase
from freshground.network.models import Center, Circle
from freshground.people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_decisions(client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_data, "APP_LOADERS", ())  # the network only
    demo_data.load_demo()
    people = {spec.key: Person.objects.get(email=spec.email) for spec in PEOPLE}
    circles = {c.slug: c for c in Circle.objects.all()}
    centers = {c.slug: c for c in Center.objects.all()}
    assert load_demo_decisions(people, circles, centers) == 1  # no campaigns yet: only the STV election
    assert not Decision.objects.filter(slug=SCHULZE_SLUG).exists()
    load_demo_campaigns(people, circles, centers)
    assert load_demo_decisions(people, circles, centers) == 1
    assert load_demo_decisions(people, circles, centers) == 0
    stv = Decision.objects.get(slug=STV_SLUG)
    assert stv.phase == Phase.CLOSED
    assert stv.participant_count == 5
    body = client.get(reverse("decisions:results", args=[stv.slug])).content.decode()
    assert "Round by round" in body
    assert "Priya S." in body
    schulze = Decision.objects.get(slug=SCHULZE_SLUG)
    assert schulze.is_voting_open()
    assert schulze.options.filter(campaign__isnull=False).count() == 2
    body = client.get(reverse("decisions:results", args=[schulze.slug])).content.decode()
    assert "Pairwise preferences" in body
