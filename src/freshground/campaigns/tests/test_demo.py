# mypy: disable-error-code="arg-type,attr-defined"
"""The demo campaigns load on top of the demo network, once."""

from __future__ import annotations

import pytest

from freshground.campaigns.demo import load_demo_campaigns
from freshground.campaigns.models import Campaign, Petition, ProgressReport
from freshground.campaigns.queries import active_sponsors, pending_sponsors
from freshground.core import demo_data
from freshground.core.demo_network import PEOPLE
from freshground.network.models import Center, Circle
from freshground.people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_campaigns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_data, "APP_LOADERS", ())  # the network only
    demo_data.load_demo()
    people = {spec.key: Person.objects.get(email=spec.email) for spec in PEOPLE}
    circles = {c.slug: c for c in Circle.objects.all()}
    centers = {c.slug: c for c in Center.objects.all()}
    assert load_demo_campaigns(people, circles, centers) == 2
    assert load_demo_campaigns(people, circles, centers) == 0
    staffing = Campaign.objects.get(slug="safe-staffing-leeds-infirmary")
    assert len(active_sponsors(staffing)) == 3
    assert any(s.center_id for s in active_sponsors(staffing))
    assert len(pending_sponsors(staffing)) == 1
    assert staffing.actions.count() == 3
    assert staffing.tasks.count() == 3
    assert ProgressReport.objects.filter(campaign=staffing).count() == 3
    petition = Petition.objects.get(campaign=staffing)
    assert petition.signature_count == 5
    assert staffing.kit_items.filter(circle__isnull=False, adapted_from__isnull=False).exists()
    rent = Campaign.objects.get(slug="rent-freeze-now")
    assert len(active_sponsors(rent)) == 4
