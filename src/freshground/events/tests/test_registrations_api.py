"""Registrations API: register, cancel, mine, the hosts' list (403 for others), attendance."""

from __future__ import annotations

import json

import pytest

from freshground.events import mail_registrations
from freshground.events import services_registrations as services
from freshground.events.models import Registration, RegistrationMode, RegistrationStatus
from freshground.people import services as people_services
from freshground.testing import factories
from freshground.testing.events_factories import new_event, new_timeslot

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def mail_at_once(monkeypatch):
    monkeypatch.setattr(mail_registrations.transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def bearer(person) -> dict[str, str]:
    _token, key = people_services.create_api_token(person=person, name="tests")
    return {"Authorization": f"Bearer {key}"}


def call(client, method, path, body=None, headers=None):
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, API + path, data=data, content_type="application/json", headers=headers or {})


def test_register_cancel_and_list_mine(client):
    someone = factories.PersonFactory()
    auth = bearer(someone)
    event = new_event(registration_mode=RegistrationMode.LIMITED, capacity=1, title="Talk")
    answer = call(client, "POST", f"/events/{event.slug}/registrations", {}, auth)
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "confirmed"
    assert body["event"]["title"] == "Talk"
    assert len(body["code"]) == 10
    again = call(client, "POST", f"/events/{event.slug}/registrations", {}, auth)
    assert again.status_code == 409
    assert "already registered" in again.json()["detail"]
    mine = call(client, "GET", "/me/registrations", headers=auth).json()
    assert [item["id"] for item in mine["items"]] == [body["id"]]
    assert call(client, "DELETE", f"/registrations/{body['id']}", headers=auth).status_code == 204
    assert Registration.objects.get(pk=body["id"]).status == RegistrationStatus.CANCELLED


def test_registering_needs_a_caller_and_a_valid_session(client):
    event = new_event(registration_mode=RegistrationMode.LIMITED)
    slot = new_timeslot(event, capacity=2)
    assert call(client, "POST", f"/events/{event.slug}/registrations", {}).status_code == 401
    auth = bearer(factories.PersonFactory())
    missing = call(client, "POST", f"/events/{event.slug}/registrations", {}, auth)
    assert missing.status_code == 400
    assert missing.json()["field"] == "timeslot"
    other = call(client, "POST", f"/events/{event.slug}/registrations", {"timeslot_id": 999999}, auth)
    assert other.status_code == 404
    ok = call(client, "POST", f"/events/{event.slug}/registrations", {"timeslot_id": slot.pk}, auth)
    assert ok.status_code == 201
    assert call(client, "POST", "/events/nope/registrations", {}, auth).status_code == 404
    assert call(client, "POST", f"/events/{event.slug}/registrations", {"answers": "x"}, auth).status_code == 422


def test_cannot_cancel_someone_elses(client):
    registration = services.register(person=factories.PersonFactory(), event=new_event())
    auth = bearer(factories.PersonFactory())
    assert call(client, "DELETE", f"/registrations/{registration.pk}", headers=auth).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("outsider", 403), ("member", 403), ("editor", 403), ("organiser", 200), ("admin", 200)],
)
def test_who_sees_an_events_registrations(client, cast, role, status):
    event = new_event(circle=cast.circle)
    services.register_guest(event=event, email="gil@example.org", name="Gil")
    headers = {} if role == "anonymous" else bearer(getattr(cast, role))
    answer = call(client, "GET", f"/events/{event.slug}/registrations", headers=headers)
    assert answer.status_code == status
    if status == 200:
        assert answer.json()["items"][0]["email"] == "gil@example.org"
    else:
        assert b"gil@example.org" not in answer.content


def test_hosts_list_costs_the_same_queries_for_more_rows(client, cast, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = new_event(circle=cast.circle)
    auth = bearer(cast.organiser)
    services.register(person=cast.member, event=event)
    with CaptureQueriesContext(connection) as first:
        call(client, "GET", f"/events/{event.slug}/registrations", headers=auth)
    for n in range(8):
        services.register_guest(event=event, email=f"g{n}@example.org", name=f"G{n}")
    with django_assert_max_num_queries(len(first)):
        call(client, "GET", f"/events/{event.slug}/registrations", headers=auth)


def test_attendance_by_hosts_only(client, cast):
    event = new_event(circle=cast.circle)
    registration = services.register(person=cast.member, event=event)
    path = f"/registrations/{registration.pk}/attendance"
    assert call(client, "POST", path, {"attended": True}, bearer(cast.member)).status_code == 403
    answer = call(client, "POST", path, {"attended": True}, bearer(cast.organiser))
    assert answer.status_code == 200
    assert answer.json()["attended"] is True
    assert call(client, "POST", "/registrations/999999/attendance", {}, bearer(cast.organiser)).status_code == 404
