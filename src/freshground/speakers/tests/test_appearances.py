# mypy: disable-error-code="arg-type,attr-defined,union-attr"
"""Roster speakers at events: services and who may use them, the event's speakers page, the panel on the event page,
the API, and the speaker's page and feed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from icalendar import Calendar

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.events import services as event_services
from freshground.events.models import Event, EventStatus
from freshground.network.tests.api_helpers import API, bearer, call
from freshground.speakers import services, services_requests, services_tours, views
from freshground.speakers.models import Appearance
from freshground.speakers.queries import speaker_events
from freshground.speakers.tests.helpers import make_event, make_request, make_speaker
from freshground.testing import factories

pytestmark = pytest.mark.django_db

ROLES = ("organiser", "speaker", "member", "editor", "outsider", "admin", "anonymous")


@pytest.fixture
def world(cast: Any) -> dict[str, Any]:
    speaker_person = factories.PersonFactory.create(display_name="Sam Speaker")
    speaker = make_speaker(speaker_person, topics=["housing", "rent strikes"])
    other = make_speaker(cast.outsider, name="Rosa Luxe", topics=["unions"])
    event = make_event(cast.organiser, cast.circle)
    people = {
        "organiser": cast.organiser,
        "speaker": speaker_person,
        "member": cast.member,
        "editor": cast.editor,
        "outsider": cast.outsider,
        "admin": cast.admin,
        "anonymous": AnonymousUser(),
    }
    return {"cast": cast, "speaker": speaker, "other": other, "event": event, "people": people}


def _page(slug: str) -> str:
    return reverse("speakers:event_speakers", args=[slug])


# Services


@pytest.mark.parametrize("role", ROLES)
def test_who_may_add_a_roster_speaker(world: dict[str, Any], role: str) -> None:
    person = world["people"][role]
    if role in ("organiser", "admin"):
        appearance = services_requests.add_appearance(person=person, event=world["event"], speaker=world["speaker"])
        assert appearance.added_by == person
        assert list(Appearance.objects.values_list("speaker_id", flat=True)) == [world["speaker"].pk]
    else:
        with pytest.raises(PermissionDenied) as refused:
            services_requests.add_appearance(person=person, event=world["event"], speaker=world["speaker"])
        assert "hosts" in refused.value.message
        assert not Appearance.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_remove_a_roster_speaker(world: dict[str, Any], role: str) -> None:
    appearance = services_requests.add_appearance(
        person=world["cast"].organiser, event=world["event"], speaker=world["speaker"]
    )
    person = world["people"][role]
    fresh = Appearance.objects.select_related("speaker", "event").get(pk=appearance.pk)
    if role in ("organiser", "admin", "speaker"):
        services_requests.remove_appearance(person=person, appearance=fresh)
        assert not Appearance.objects.exists()
    else:
        with pytest.raises(PermissionDenied):
            services_requests.remove_appearance(person=person, appearance=fresh)
        assert Appearance.objects.count() == 1


def test_a_speaker_cannot_remove_someone_else(world: dict[str, Any]) -> None:
    cast = world["cast"]
    services_requests.add_appearance(person=cast.organiser, event=world["event"], speaker=world["speaker"])
    rosa = services_requests.add_appearance(person=cast.organiser, event=world["event"], speaker=world["other"])
    with pytest.raises(PermissionDenied):
        services_requests.remove_appearance(person=world["people"]["speaker"], appearance=rosa)
    assert Appearance.objects.count() == 2


def test_twice_is_a_conflict_and_a_cancelled_event_is_refused(world: dict[str, Any]) -> None:
    cast, event = world["cast"], world["event"]
    appearance = services_requests.add_appearance(person=cast.organiser, event=event, speaker=world["speaker"])
    with pytest.raises(Conflict) as twice:
        services_requests.add_appearance(person=cast.organiser, event=event, speaker=world["speaker"])
    assert twice.value.field == "speaker"
    assert "already a speaker" in twice.value.message
    event_services.cancel_event(person=cast.organiser, event=event)
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    with pytest.raises(DomainError) as cancelled:
        services_requests.add_appearance(person=cast.organiser, event=event, speaker=world["other"])
    assert "cancelled" in cancelled.value.message
    appearance.event = event
    with pytest.raises(DomainError, match="cancelled"):
        services_requests.remove_appearance(person=cast.organiser, appearance=appearance)
    assert Appearance.objects.count() == 1


def test_accepting_a_request_records_the_appearance(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = services_requests.accept_request(
        person=cast.outsider, request=make_request(cast.organiser, speaker, cast.circle)
    )
    appearance = Appearance.objects.get()
    assert (appearance.speaker, appearance.event, appearance.added_by) == (speaker, request.event, cast.outsider)
    # The circle takes a proposed date: the organiser who answered recorded it.
    second = make_request(cast.organiser, speaker, cast.circle, first=12, last=14)
    services_requests.propose_date(person=cast.outsider, request=second, day=second.latest)
    services_requests.answer_proposal(person=cast.organiser, request=second, accept=True)
    second.refresh_from_db()
    assert Appearance.objects.get(event=second.event).added_by == cast.organiser


def test_accepting_a_tour_records_every_appearance(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    make_request(cast.organiser, speaker, cast.circle, first=3, last=3)
    make_request(cast.organiser, speaker, cast.circle, first=6, last=8)
    plan = services_tours.propose_tour(person=cast.outsider, speaker=speaker)
    services_tours.accept_tour(person=cast.outsider, tour=plan)
    events = set(Event.objects.values_list("pk", flat=True))
    assert len(events) == 2
    assert set(Appearance.objects.filter(speaker=speaker).values_list("event_id", flat=True)) == events


# The event's speakers page


def test_the_page_is_not_captured_by_the_events_app(world: dict[str, Any]) -> None:
    url = _page(world["event"].slug)
    assert url == f"/events/{world['event'].slug}/speakers/"
    assert resolve(url).func.__name__ == views.event_speakers.__name__
    assert resolve(url).namespace == "speakers"


def test_organiser_searches_the_roster_adds_and_removes(client: Client, world: dict[str, Any]) -> None:
    cast, event, sam = world["cast"], world["event"], world["speaker"]
    client.force_login(cast.organiser)
    url = _page(event.slug)
    body = client.get(url).content.decode()
    assert 'for="speaker-search"' in body
    assert "No speakers from the roster yet." in body
    # By name, then by topic.
    assert "Sam Speaker" in client.get(url, {"q": "sam"}).content.decode()
    by_topic = client.get(url, {"q": "housing"}).content.decode()
    assert "Sam Speaker" in by_topic
    assert "Rosa Luxe" not in by_topic
    response = client.post(url, {"action": "add", "speaker": sam.pk, "q": "housing"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?q=housing"
    assert Appearance.objects.get().speaker == sam
    after = client.get(response["Location"]).content.decode()
    assert "Sam Speaker is listed as a speaker." in after
    assert "Remove Sam Speaker" in after
    assert "Add Sam Speaker" not in after  # listed speakers are no longer offered
    # Twice: a message, nothing new.
    client.post(url, {"action": "add", "speaker": sam.pk})
    assert "already a speaker" in client.get(url).content.decode()
    assert Appearance.objects.count() == 1
    client.post(url, {"action": "remove", "speaker": sam.pk})
    assert not Appearance.objects.exists()


def test_the_page_with_htmx_swaps_the_panel(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["cast"].organiser)
    url = _page(world["event"].slug)
    response = client.post(url, {"action": "add", "speaker": world["speaker"].pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="event-speakers-panel">')
    assert "Sam Speaker is listed as a speaker." in body
    assert "<html" not in body


@pytest.mark.parametrize("role", ["outsider", "member", "editor"])
def test_others_are_refused_and_nothing_changes(client: Client, world: dict[str, Any], role: str) -> None:
    client.force_login(world["people"][role])
    url = _page(world["event"].slug)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "add", "speaker": world["speaker"].pk}).status_code == 403
    assert not Appearance.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, world: dict[str, Any]) -> None:
    response = client.get(_page(world["event"].slug))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client.post(_page(world["event"].slug), {"action": "add", "speaker": world["speaker"].pk})
    assert not Appearance.objects.exists()


def test_unknown_event_or_speaker_is_404(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["cast"].organiser)
    assert client.get(_page("no-such-event")).status_code == 404
    url = _page(world["event"].slug)
    assert client.post(url, {"action": "add", "speaker": "999999"}).status_code == 404
    assert client.post(url, {"action": "add", "speaker": "x"}).status_code == 404


def test_the_speaker_takes_themself_off(client: Client, world: dict[str, Any]) -> None:
    cast, event = world["cast"], world["event"]
    services_requests.add_appearance(person=cast.organiser, event=event, speaker=world["speaker"])
    services_requests.add_appearance(person=cast.organiser, event=event, speaker=world["other"])
    client.force_login(world["people"]["speaker"])
    body = client.get(_page(event.slug)).content.decode()
    assert "Take me off" in body
    assert "Remove Rosa Luxe" not in body
    assert 'id="speaker-search"' not in body
    # Trying to remove Rosa is refused; removing themself works and leads back to the event.
    assert client.post(_page(event.slug), {"action": "remove", "speaker": world["other"].pk}).status_code == 403
    response = client.post(_page(event.slug), {"action": "remove", "speaker": world["speaker"].pk})
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert list(Appearance.objects.values_list("speaker__name", flat=True)) == ["Rosa Luxe"]
    assert client.get(_page(event.slug)).status_code == 403


def test_the_page_of_a_cancelled_event_changes_nothing(client: Client, world: dict[str, Any]) -> None:
    cast, event = world["cast"], world["event"]
    event_services.cancel_event(person=cast.organiser, event=event)
    client.force_login(cast.organiser)
    body = client.get(_page(event.slug), {"q": "sam"}).content.decode()
    assert "can no longer be changed" in body
    assert "Add Sam Speaker" not in body
    client.post(_page(event.slug), {"action": "add", "speaker": world["speaker"].pk})
    assert not Appearance.objects.exists()


# The panel on the event page


def test_the_event_page_shows_roster_speakers_to_everyone(client: Client, world: dict[str, Any]) -> None:
    cast, event, sam = world["cast"], world["event"], world["speaker"]
    services_requests.add_appearance(person=cast.organiser, event=event, speaker=sam)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "From the speaker roster" in body
    assert f'<a href="{sam.get_absolute_url()}">Sam Speaker</a>' in body
    assert "Housing, rent strikes" in body  # "housing" is the vocabulary's topic "Housing"
    assert _page(event.slug) not in body  # no manage link for visitors
    client.force_login(cast.organiser)
    body = client.get(event.get_absolute_url()).content.decode()
    assert _page(event.slug) in body
    assert "Change the roster speakers" in body
    client.force_login(world["people"]["speaker"])
    assert "Take yourself off" in client.get(event.get_absolute_url()).content.decode()


def test_the_event_page_without_roster_speakers(client: Client, world: dict[str, Any]) -> None:
    event = world["event"]
    assert "From the speaker roster" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(world["cast"].organiser)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Add speakers from the roster" in body
    assert _page(event.slug) in body


def test_the_panel_costs_the_same_for_one_speaker_or_many(
    client: Client, world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast, event = world["cast"], world["event"]
    services_requests.add_appearance(person=cast.organiser, event=event, speaker=world["speaker"])
    client.force_login(cast.organiser)
    url = event.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        extra = services.create_speaker(person=cast.organiser, for_self=False, name=f"Guest {n}", topics=[f"t{n}"])
        services_requests.add_appearance(person=cast.organiser, event=event, speaker=extra)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(url).content.decode()
    assert "Guest 3" in body
    assert "t3" in body


# The API


def test_api_lists_adds_and_removes(client: Client, world: dict[str, Any]) -> None:
    cast, event, sam = world["cast"], world["event"], world["speaker"]
    path = f"/events/{event.slug}/speakers"
    assert call(client, "GET", path).json() == []
    created = call(client, "POST", path, {"speaker": sam.pk}, bearer(cast.organiser))
    assert created.status_code == 201, created.content
    assert created.json()["speaker"] == sam.pk
    assert created.json()["name"] == "Sam Speaker"
    assert created.json()["url"] == sam.get_absolute_url()
    listed = call(client, "GET", path).json()
    assert [(row["speaker"], row["topics"]) for row in listed] == [(sam.pk, ["Housing", "rent strikes"])]
    twice = call(client, "POST", path, {"speaker": sam.pk}, bearer(cast.organiser))
    assert twice.status_code == 409
    assert twice.json()["field"] == "speaker"
    assert call(client, "DELETE", f"{path}/{sam.pk}", None, bearer(cast.organiser)).status_code == 204
    assert not Appearance.objects.exists()
    assert call(client, "DELETE", f"{path}/{sam.pk}", None, bearer(cast.organiser)).status_code == 404


def test_api_refusals(client: Client, world: dict[str, Any]) -> None:
    cast, event, sam = world["cast"], world["event"], world["speaker"]
    path = f"/events/{event.slug}/speakers"
    assert call(client, "POST", path, {"speaker": sam.pk}).status_code == 401
    refused = call(client, "POST", path, {"speaker": sam.pk}, bearer(cast.outsider))
    assert refused.status_code == 403
    assert "hosts" in refused.json()["detail"]
    assert call(client, "POST", path, {"speaker": 999999}, bearer(cast.organiser)).status_code == 404
    assert call(client, "POST", path, {"speaker": "sam"}, bearer(cast.organiser)).status_code == 422
    assert call(client, "GET", "/events/no-such-event/speakers").status_code == 404
    assert not Appearance.objects.exists()
    services_requests.add_appearance(person=cast.organiser, event=event, speaker=sam)
    assert call(client, "DELETE", f"{path}/{sam.pk}", None, bearer(cast.outsider)).status_code == 403
    assert call(client, "DELETE", f"{path}/{sam.pk}").status_code == 401
    event_services.cancel_event(person=cast.organiser, event=event)
    assert call(client, "DELETE", f"{path}/{sam.pk}", None, bearer(cast.organiser)).status_code == 409
    added = call(client, "POST", path, {"speaker": world["other"].pk}, bearer(cast.admin))
    assert added.status_code == 409
    assert "cancelled" in added.json()["detail"]
    # The speaker themself may take themself off a live event.
    live = make_event(cast.organiser, cast.circle, title="Another assembly")
    services_requests.add_appearance(person=cast.organiser, event=live, speaker=sam)
    gone = call(client, "DELETE", f"/events/{live.slug}/speakers/{sam.pk}", None, bearer(world["people"]["speaker"]))
    assert gone.status_code == 204
    assert not Appearance.objects.filter(event=live).exists()


def test_api_paths_are_in_the_schema(client: Client) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert f"{API}/events/{{slug}}/speakers" in paths
    assert f"{API}/events/{{slug}}/speakers/{{speaker_id}}" in paths


# The speaker's page and feed


def test_speaker_page_lists_appearances_as_upcoming_and_past_talks(client: Client, world: dict[str, Any]) -> None:
    cast, sam = world["cast"], world["speaker"]
    services_requests.add_appearance(person=cast.organiser, event=world["event"], speaker=sam)
    past = make_event(cast.organiser, cast.circle, title="Last winter's teach-in", in_days=3)
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=40), ends_at=timezone.now() - timedelta(days=40, hours=-2)
    )
    Appearance.objects.create(speaker=sam, event=past)
    body = client.get(sam.get_absolute_url()).content.decode()
    upcoming, past_part = body.split('id="past-heading"')
    assert "Housing assembly" in upcoming
    assert "teach-in" not in upcoming
    assert "Last winter&#x27;s teach-in" in past_part
    assert world["event"].get_absolute_url() in upcoming


def test_a_talk_from_a_request_is_listed_once(client: Client, cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = services_requests.accept_request(
        person=cast.outsider, request=make_request(cast.organiser, speaker, cast.circle)
    )
    body = client.get(speaker.get_absolute_url()).content.decode()
    assert body.count(request.event.get_absolute_url()) == 1


def test_the_speaker_feed_contains_their_appearances(client: Client, world: dict[str, Any]) -> None:
    cast, sam, event = world["cast"], world["speaker"], world["event"]
    request = services_requests.accept_request(
        person=world["people"]["speaker"], request=make_request(cast.organiser, sam, cast.circle, first=9, last=9)
    )
    services_requests.add_appearance(person=cast.organiser, event=event, speaker=sam)
    elsewhere = make_event(cast.organiser, cast.circle, title="Not Sam's")
    services_requests.add_appearance(person=cast.organiser, event=elsewhere, speaker=world["other"])
    assert set(speaker_events(sam)) == {event, request.event}
    response = client.get(reverse("speakers:speaker_ics", args=[sam.pk]))
    assert response.status_code == 200
    uids = {str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    event.refresh_from_db()
    request.event.refresh_from_db()
    assert uids == {event.uid, request.event.uid}
