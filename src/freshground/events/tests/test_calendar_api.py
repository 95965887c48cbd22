"""GET /api/v1/calendar and /api/v1/calendar/feeds: filters, paging, privacy and a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from freshground.events.models import EventStatus
from freshground.people import services as people_services
from freshground.testing import factories
from freshground.testing.calendar_factories import make_event

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar"
MARCH = {"start": "2030-03-01", "end": "2030-04-01"}


def test_occurrences_in_range_with_filters(client, cast):
    make_event(
        title="Reading group",
        starts_at=datetime(2030, 3, 4, 18, tzinfo=UTC),
        rrule="FREQ=WEEKLY;COUNT=3",
        circles=[cast.circle],
        topics=["Marx"],
    )
    make_event(title="April", starts_at=datetime(2030, 4, 2, 18, tzinfo=UTC), circles=[cast.circle])
    make_event(title="Elsewhere", starts_at=datetime(2030, 3, 5, 18, tzinfo=UTC))
    body = client.get(URL, {**MARCH, "circle": cast.circle.slug}).json()
    assert body["count"] == 3
    first = body["items"][0]
    assert first["starts_at"].startswith("2030-03-04T18:00")
    assert first["event"]["title"] == "Reading group"
    assert first["event"]["recurring"] is True
    assert first["event"]["topics"] == ["marx"]
    assert first["event"]["hosts"] == [{"type": "circle", "name": cast.circle.name, "slug": cast.circle.slug}]
    assert first["event"]["ics_url"].endswith("/event.ics")
    assert client.get(URL, {**MARCH, "topic": "marx", "near": "53.8,-1.55"}).json()["count"] == 0


def test_private_address_and_cancelled(client, cast):
    make_event(
        title="House meeting",
        starts_at=datetime(2030, 3, 4, 18, tzinfo=UTC),
        address="17 Secret Street",
        place_name="Leeds",
        address_for_registered_only=True,
        status=EventStatus.CANCELLED,
    )
    response = client.get(URL, MARCH)
    assert "Secret" not in response.content.decode()
    event = response.json()["items"][0]["event"]
    assert event["location"] == "Leeds"
    assert event["cancelled"] is True
    assert client.get(URL, {**MARCH, "hide_cancelled": "true"}).json()["count"] == 0


def test_bad_input_is_a_422_naming_the_field(client, cast):
    for params, field in (
        ({"start": "2030-03-10", "end": "2030-03-01"}, ""),
        ({"start": "2030-01-01", "end": "2032-01-01"}, ""),
        ({"near": "north"}, "near"),
        ({"access": "teleporter"}, "access"),
        ({"kind": "rave"}, "kind"),
    ):
        response = client.get(URL, params)
        assert response.status_code == 422, params
        assert field in response.json()["detail"]


def test_mine_needs_a_person(client, cast):
    make_event(title="Ours", starts_at=datetime(2030, 3, 4, 18, tzinfo=UTC), circles=[cast.circle])
    assert client.get(URL, {**MARCH, "mine": "true"}).status_code == 400
    _token, secret = people_services.create_api_token(person=cast.member, name="cal")
    response = client.get(URL, {**MARCH, "mine": "true"}, headers={"Authorization": f"Bearer {secret}"})
    assert [item["event"]["title"] for item in response.json()["items"]] == ["Ours"]


def test_feed_addresses(client, cast):
    body = client.get("/api/v1/calendar/feeds", {"kind": "talk", "access": "step_free"}).json()
    assert "/events/calendar.ics?" in body["calendar"]
    assert "kind=talk" in body["calendar"]
    assert body["personal"] is None
    client.force_login(cast.member)
    assert "/events/feeds/" in client.get("/api/v1/calendar/feeds").json()["personal"]


def test_openapi_documents_the_feeds(client):
    schema = client.get("/api/v1/openapi.json").json()
    description = schema["paths"]["/api/v1/calendar"]["get"]["description"]
    assert "/events/calendar.ics" in description
    assert "/circles/{slug}/events.ics" in description


@pytest.mark.parametrize("count", [2, 10])
def test_fixed_queries(client, cast, django_assert_num_queries, count):
    other = factories.CircleFactory()
    for i in range(count):
        make_event(
            starts_at=datetime(2030, 3, 2, 18, tzinfo=UTC) + timedelta(days=i),
            circles=[cast.circle],
            cohosts=[other],
            topics=["Housing", f"T{i}"],
        )
    with django_assert_num_queries(4):
        response = client.get(URL, {**MARCH, "topic": "housing"})
    assert response.json()["count"] == count
