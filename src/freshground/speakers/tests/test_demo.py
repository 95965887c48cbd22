# mypy: disable-error-code="arg-type,attr-defined"
"""The demo speakers load on top of the demo network, once."""

from __future__ import annotations

import pytest

from freshground.core.demo_data import load_demo
from freshground.core.demo_network import PEOPLE
from freshground.network.models import Center, Circle
from freshground.people.models import Person
from freshground.speakers.demo import load_demo_speakers
from freshground.speakers.models import RequestStatus, Speaker, SpeakingRequest, TourPlan

pytestmark = pytest.mark.django_db


def test_demo_speakers_with_requests_a_talk_and_a_tour() -> None:
    load_demo()
    people = {spec.key: Person.objects.get(email=spec.email) for spec in PEOPLE}
    circles = {c.slug: c for c in Circle.objects.all()}
    centers = {c.slug: c for c in Center.objects.all()}
    # load_demo() already loaded them (and counted them); loading again adds nothing.
    assert load_demo_speakers(people, circles, centers) == 0
    assert Speaker.objects.count() == 3
    assert SpeakingRequest.objects.filter(status=RequestStatus.SCHEDULED, event__isnull=False).count() == 1
    tour = TourPlan.objects.get(speaker__name="Tamsin Reed")
    assert tour.stops.count() == 4
    assert tour.unplaced == []
