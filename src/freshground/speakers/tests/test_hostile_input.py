# mypy: disable-error-code="arg-type,attr-defined,union-attr"
"""Bad, hostile or stale input gets a clear 4xx answer and changes nothing; pages stay flat in queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from freshground.events.models import Event
from freshground.network.tests.api_helpers import bearer, call
from freshground.speakers import services, services_requests
from freshground.speakers.models import RequestStatus, SpeakingRequest
from freshground.speakers.tests.helpers import days, make_request, make_speaker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"talks": [{"title": "x" * 161}]}, 422),
        ({"topics": ["x" * 61]}, 422),
        ({"availability": [{"starts_on": "tomorrow", "ends_on": "2030-01-01"}]}, 422),
        ({"latitude": 10.0}, 400),
        ({"languages": ["<script>"]}, 400),
        ({"name": "\u0000\u0001"}, 400),
        ({"contact_email": "not an address", "for_self": False}, 400),
    ],
)
def test_bad_speaker_bodies(client: Client, cast: Any, body: dict[str, Any], status: int) -> None:
    response = call(client, "POST", "/speakers", {"name": "Ok", **body}, bearer(cast.organiser))
    assert response.status_code == status, response.content
    assert "detail" in response.json()


def test_bad_request_answers(client: Client, cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    headers = bearer(cast.outsider)
    assert call(client, "POST", f"/requests/{request.pk}/propose", {"date": str(days(-3))}, headers).status_code == 400
    assert call(client, "POST", f"/requests/{request.pk}/accept", {"date": "soon"}, headers).status_code == 422
    assert call(client, "POST", "/requests/999999/accept", {}, headers).status_code == 404
    assert call(client, "POST", f"/requests/{request.pk}/accept", {}, {}).status_code == 401
    other = make_speaker(cast.member, name="Mo")
    foreign_talk = other.talks.get()
    body = {"circle": cast.circle.slug, "talk": foreign_talk.pk, "earliest": str(days(2)), "latest": str(days(3))}
    sent = call(client, "POST", f"/speakers/{speaker.pk}/requests", body, bearer(cast.organiser))
    assert sent.status_code == 404
    assert sent.json()["field"] == "talk"
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert not Event.objects.exists()


def test_answer_form_with_garbage_changes_nothing(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    client = Client()
    client.force_login(cast.outsider)
    response = client.post(reverse("speakers:answer", args=[request.pk]), {"action": "explode", "date": "x"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert client.post(reverse("speakers:answer", args=[999999]), {"action": "accept"}).status_code == 404
    for bad in ("abc", "²", "9" * 40):
        assert client.post(reverse("speakers:tour_accept", args=[speaker.pk]), {"plan": bad}).status_code == 404


def test_request_form_refuses_another_speakers_talk(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    other = make_speaker(cast.member, name="Mo")
    client = Client()
    client.force_login(cast.organiser)
    response = client.post(
        reverse("speakers:request", args=[speaker.pk]),
        {
            "circle": cast.circle.pk,
            "talk": other.talks.get().pk,
            "earliest": str(days(2)),
            "latest": str(days(3)),
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 200
    assert not SpeakingRequest.objects.exists()


def test_speaker_page_queries_do_not_grow(cast: Any, django_assert_max_num_queries: Any) -> None:
    speaker = make_speaker(cast.outsider)
    client = Client()
    url = speaker.get_absolute_url()
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for k in range(6):
        services.endorse(person=cast.organiser, speaker=speaker, topic=f"topic {k}", circle=cast.circle)
        request = make_request(cast.organiser, speaker, cast.circle, first=2 + k, last=2 + k)
        services_requests.accept_request(person=cast.outsider, request=request)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("topic ") >= 6


def test_roster_htmx_partial(cast: Any) -> None:
    make_speaker(cast.outsider)
    response = Client().get(reverse("speakers:roster"), {"q": "sam"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Sam Speaker" in body
    assert "<html" not in body
