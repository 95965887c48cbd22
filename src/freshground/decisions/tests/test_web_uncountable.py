"""Results that the tally refuses to count (a state the services are meant to prevent, such as too few options) are
explained, on the page as a message and in the API as a 409 with the reason, never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.decisions import tally
from freshground.decisions.models import ResultsVisibility
from freshground.decisions.tests.helpers import new_decision

pytestmark = pytest.mark.django_db


def test_results_that_cannot_be_counted_are_explained(cast, client, monkeypatch) -> None:
    decision = new_decision(cast.organiser, cast.circle, method="irv", results_visibility=ResultsVisibility.LIVE)

    def refuse(*args, **kwargs):
        raise tally.TallyError("An instant-runoff count needs at least two options.")

    monkeypatch.setattr(tally, "tally", refuse)
    client.force_login(cast.organiser)
    response = client.get(reverse("decisions:results", args=[decision.slug]), follow=True)
    assert response.status_code == 200
    assert "No result can be counted yet: An instant-runoff count needs at least two options." in (
        response.content.decode()
    )
    api = client.get(f"/api/v1/decisions/{decision.slug}/results")
    assert api.status_code == 409
    assert "two options" in api.json()["detail"]
