# mypy: disable-error-code="arg-type,attr-defined,union-attr"
"""The speakers JSON API: the roster, requests with their answers, and tour plans."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from freshground.events.models import Event
from freshground.network.tests.api_helpers import API, bearer, call
from freshground.speakers import services
from freshground.speakers.models import RequestStatus, SpeakingRequest
from freshground.speakers.tests.helpers import MANCHESTER, days, make_request, make_speaker

pytestmark = pytest.mark.django_db


def test_paths_are_in_the_schema(client: Client) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/speakers",
        "/speakers/{speaker_id}",
        "/speakers/{speaker_id}/requests",
        "/requests/{request_id}/accept",
        "/requests/{request_id}/decline",
        "/requests/{request_id}/propose",
        "/speakers/{speaker_id}/tour-plan",
        "/speakers/{speaker_id}/tour-plan/accept",
    ):
        assert API + path in paths, path


def test_roster_and_speaker_reads(client: Client, cast: Any, django_assert_num_queries: Any) -> None:
    speaker = make_speaker(cast.outsider)
    for k in range(5):
        services.create_speaker(person=cast.editor, for_self=False, name=f"Guest {k}", topics=["a"])
    with django_assert_num_queries(3):
        listing = client.get(f"{API}/speakers", {"page_size": 50})
    assert listing.status_code == 200
    assert listing.json()["count"] == 6
    only = client.get(f"{API}/speakers", {"topic": "housing"}).json()
    assert [item["name"] for item in only["items"]] == ["Sam Speaker"]
    assert only["items"][0]["topics"] == ["Housing", "unions"]
    detail = client.get(f"{API}/speakers/{speaker.pk}").json()
    assert detail["talks"][0]["title"] == "Rent strikes that won"
    assert detail["fees"] is None  # anonymous
    as_organiser = call(client, "GET", f"/speakers/{speaker.pk}", headers=bearer(cast.organiser)).json()
    assert as_organiser["fees"] == "Travel costs only"
    assert as_organiser["you"]["can_invite"] is True
    assert client.get(f"{API}/speakers/99999").status_code == 404


def test_create_speaker(client: Client, cast: Any) -> None:
    body = {
        "name": "Uma",
        "topics": ["care"],
        "talks": [{"title": "Care strikes", "abstract": "2019"}],
        "availability": [{"starts_on": str(days(1)), "ends_on": str(days(9))}],
        "latitude": 53.8,
        "longitude": -1.55,
    }
    assert call(client, "POST", "/speakers", body).status_code == 401
    created = call(client, "POST", "/speakers", body, bearer(cast.outsider))
    assert created.status_code == 201
    assert created.json()["availability"] == [{"starts_on": str(days(1)), "ends_on": str(days(9))}]
    assert call(client, "POST", "/speakers", body, bearer(cast.outsider)).status_code == 409
    other = call(client, "POST", "/speakers", {**body, "for_self": False}, bearer(cast.member))
    assert other.status_code == 403
    bad = call(client, "POST", "/speakers", {"latitude": 200}, bearer(cast.member))
    assert bad.status_code == 422
    backwards = {"availability": [{"starts_on": str(days(9)), "ends_on": str(days(1))}]}
    refused = call(client, "POST", "/speakers", backwards, bearer(cast.member))
    assert refused.status_code == 400
    assert refused.json()["field"] == "availability"


def test_request_accept_creates_the_event(client: Client, cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    body = {
        "circle": cast.circle.slug,
        "topic": "housing",
        "place_name": "York",
        "latitude": 53.96,
        "longitude": -1.08,
        "earliest": str(days(3)),
        "latest": str(days(8)),
        "time_zone": "Europe/London",
    }
    assert call(client, "POST", f"/speakers/{speaker.pk}/requests", body, bearer(cast.member)).status_code == 403
    assert (
        call(client, "POST", f"/speakers/{speaker.pk}/requests", {**body, "circle": "nope"}, bearer(cast.organiser))
    ).status_code == 404
    sent = call(client, "POST", f"/speakers/{speaker.pk}/requests", body, bearer(cast.organiser))
    assert sent.status_code == 201
    request_id = sent.json()["id"]
    assert sent.json()["status"] == "pending"
    # Outsiders do not learn the request exists; the circle cannot accept for the speaker.
    assert call(client, "POST", f"/requests/{request_id}/accept", {}, bearer(cast.member)).status_code == 404
    assert call(client, "POST", f"/requests/{request_id}/accept", {}, bearer(cast.organiser)).status_code == 403
    wrong = call(client, "POST", f"/requests/{request_id}/accept", {"date": str(days(20))}, bearer(cast.outsider))
    assert wrong.status_code == 400
    assert wrong.json()["field"] == "date"
    accepted = call(client, "POST", f"/requests/{request_id}/accept", {"date": str(days(4))}, bearer(cast.outsider))
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "scheduled"
    event = Event.objects.get()
    assert accepted.json()["event"] == event.slug
    again = call(client, "POST", f"/requests/{request_id}/decline", {}, bearer(cast.outsider))
    assert again.status_code == 409


def test_propose_then_circle_accepts_or_declines(client: Client, cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    first = make_request(cast.organiser, speaker, cast.circle)
    proposed = call(
        client, "POST", f"/requests/{first.pk}/propose", {"date": str(days(15)), "note": "Later"}, bearer(cast.outsider)
    )
    assert proposed.json()["status"] == "proposed"
    taken = call(client, "POST", f"/requests/{first.pk}/accept", {}, bearer(cast.organiser))
    assert taken.json()["status"] == "scheduled"
    assert taken.json()["scheduled_date"] == str(days(15))
    second = make_request(cast.organiser, speaker, cast.circle)
    call(client, "POST", f"/requests/{second.pk}/propose", {"date": str(days(16))}, bearer(cast.outsider))
    turned_down = call(client, "POST", f"/requests/{second.pk}/decline", {}, bearer(cast.organiser))
    assert turned_down.json()["status"] == "declined"
    missing_date = call(client, "POST", f"/requests/{second.pk}/propose", {}, bearer(cast.outsider))
    assert missing_date.status_code == 422


def test_tour_plan_api(client: Client, cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    york = make_request(cast.organiser, speaker, cast.circle, first=3, last=3)
    make_request(cast.organiser, speaker, cast.circle, first=3, last=6, where=MANCHESTER)
    late = make_request(cast.organiser, speaker, cast.circle, first=50, last=52)
    path = f"/speakers/{speaker.pk}/tour-plan"
    assert call(client, "GET", path, headers=bearer(cast.organiser)).status_code == 403
    assert call(client, "GET", path, headers=bearer(cast.outsider)).status_code == 404  # a GET never plans
    planned = call(client, "POST", path, headers=bearer(cast.outsider))
    assert planned.status_code == 201
    plan = planned.json()
    assert plan["stops"][0]["request"] == york.pk
    assert plan["unplaced"] == [{"request": late.pk, "reason": "outside_availability"}]
    assert call(client, "GET", path, headers=bearer(cast.outsider)).json()["id"] == plan["id"]  # the same proposal
    accepted = call(client, "POST", f"{path}/accept", {"plan": plan["id"]}, bearer(cast.outsider))
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert Event.objects.count() == 2
    assert SpeakingRequest.objects.filter(status=RequestStatus.SCHEDULED).count() == 2
    assert call(client, "POST", f"{path}/accept", {"plan": plan["id"]}, bearer(cast.outsider)).status_code == 409
    assert call(client, "POST", f"{path}/accept", {"plan": 999999}, bearer(cast.outsider)).status_code == 404
