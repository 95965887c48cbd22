# mypy: disable-error-code="arg-type,attr-defined"
"""The events API: reads that hide what the caller may not see, writes through the same services."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from freshground.events.models import Event, EventStatus, Promotion
from freshground.events.tests.core_helpers import make_event
from freshground.people import services as people_services
from freshground.testing import factories

pytestmark = pytest.mark.django_db
API = "/api/v1"
SECRET = "7 Hidden Yard, Leeds LS2"


def bearer(person) -> dict[str, str]:
    _token, key = people_services.create_api_token(person=person, name="tests")
    return {"Authorization": f"Bearer {key}"}


def call(client, method: str, path: str, body=None, headers=None):
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, API + path, data=data, content_type="application/json", headers=headers or {})


@pytest.fixture
def event(cast):
    return make_event(
        cast.organiser,
        host_circle=cast.circle,
        address=SECRET,
        address_for_registered_only=True,
        attendance_mode="hybrid",
        online_url="https://meet.example.org/room",
    )


def test_read_hides_private_address_and_link(client, cast, event):
    anonymous = call(client, "GET", f"/events/{event.slug}").json()
    assert anonymous["address"] is None
    assert anonymous["online_url"] is None
    assert SECRET not in json.dumps(anonymous)
    assert anonymous["hosts"][0]["circle"] == cast.circle.slug
    host_view = call(client, "GET", f"/events/{event.slug}", headers=bearer(cast.organiser)).json()
    assert host_view["address"] == SECRET
    assert host_view["you"]["can_manage"] is True


def test_create_patch_cancel(client, cast):
    start = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    body = {
        "title": "Picket support",
        "kind": "action",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "time_zone": "Europe/London",
        "venue_name": "Depot gates",
        "circle": cast.circle.slug,
        "topics": ["strikes"],
    }
    assert call(client, "POST", "/events", body, bearer(cast.member)).status_code == 403
    response = call(client, "POST", "/events", body, bearer(cast.organiser))
    assert response.status_code == 201, response.content
    slug = response.json()["slug"]
    bad = call(
        client,
        "PATCH",
        f"/events/{slug}",
        {"ends_at": start.isoformat(), "starts_at": (start + timedelta(days=1)).isoformat()},
        bearer(cast.organiser),
    )
    assert bad.status_code == 400
    assert bad.json()["field"] == "ends_at"
    patched = call(client, "PATCH", f"/events/{slug}", {"title": "Picket support, day two"}, bearer(cast.organiser))
    assert patched.json()["sequence"] == 1
    cancelled = call(client, "POST", f"/events/{slug}/cancel", None, bearer(cast.organiser))
    assert cancelled.json()["status"] == EventStatus.CANCELLED


def test_close_before_start_is_refused(client, cast, event):
    response = call(client, "POST", f"/events/{event.slug}/close", {"minutes": "x"}, bearer(cast.organiser))
    assert response.status_code == 400
    past = timezone.now() - timedelta(days=1)
    Event.objects.filter(pk=event.pk).update(starts_at=past, ends_at=past + timedelta(hours=1))
    closed = call(
        client,
        "POST",
        f"/events/{event.slug}/close",
        {"minutes": "Done", "attendance_count": 9},
        bearer(cast.organiser),
    )
    assert closed.json()["attendance_count"] == 9


def test_cohost_invite_and_accept(client, cast, event):
    invited = call(
        client, "POST", f"/events/{event.slug}/cohosts", {"center": cast.center.slug}, bearer(cast.organiser)
    )
    assert invited.status_code == 201
    host_id = invited.json()["id"]
    assert invited.json()["status"] == "pending"
    refused = call(client, "POST", f"/events/{event.slug}/cohosts/{host_id}/accept", None, bearer(cast.member))
    assert refused.status_code == 403
    accepted = call(client, "POST", f"/events/{event.slug}/cohosts/{host_id}/accept", None, bearer(cast.editor))
    assert accepted.json()["status"] == "accepted"


def test_promotions_by_an_unrelated_circle(client, cast, event):
    other = factories.CircleFactory(name="Hyde Park Students")
    organiser = factories.PersonFactory()
    factories.add_member(other, organiser, "organiser")
    response = call(client, "POST", f"/events/{event.slug}/promotions", {"circle": other.slug}, bearer(organiser))
    assert response.status_code == 201
    assert response.json()["promoted_by"] == [{"circle": other.slug}]
    assert (
        call(client, "POST", f"/events/{event.slug}/promotions", {"circle": other.slug}, bearer(organiser)).status_code
        == 409
    )
    assert (
        call(
            client, "DELETE", f"/events/{event.slug}/promotions", {"circle": other.slug}, bearer(cast.outsider)
        ).status_code
        == 403
    )
    assert (
        call(
            client, "DELETE", f"/events/{event.slug}/promotions", {"circle": other.slug}, bearer(organiser)
        ).status_code
        == 204
    )
    assert not Promotion.objects.exists()


def test_unknown_event_is_404(client):
    assert call(client, "GET", "/events/nothing-here").status_code == 404
