"""A speaker's talks as an iCalendar feed: linked from their page, valid, only their talks, no private address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from freshground.events import ical
from freshground.events.models import Event
from freshground.speakers import services_requests
from freshground.speakers.queries import speaker_events
from freshground.speakers.tests.helpers import make_request, make_speaker

pytestmark = pytest.mark.django_db
SECRET = "7 Hidden Yard, York YO1"


def test_speaker_feed_has_their_talks_and_no_private_address(client: Client, cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    services_requests.accept_request(person=cast.outsider, request=request)
    talk = Event.objects.get()
    Event.objects.filter(pk=talk.pk).update(
        venue_name="The Back Room", address=SECRET, address_for_registered_only=True, place_name="York"
    )
    other = make_speaker(cast.editor, name="Someone Else")
    services_requests.accept_request(person=cast.editor, request=make_request(cast.organiser, other, cast.circle))
    assert Event.objects.count() == 2

    url = reverse("speakers:speaker_ics", args=[speaker.pk])
    assert url == f"/speakers/{speaker.pk}/talks.ics"
    assert url in client.get(reverse("speakers:speaker", args=[speaker.pk])).content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    feed = Calendar.from_ical(response.content)
    events = feed.walk("VEVENT")
    talk.refresh_from_db()
    assert [str(e["UID"]) for e in events] == [talk.uid]
    assert str(feed["X-WR-CALNAME"]) == "Sam Speaker: talks"
    assert str(events[0]["LOCATION"]) == "York"
    assert SECRET not in body
    assert "Hidden Yard" not in body.replace("\r\n ", "")  # not even folded across lines
    assert feed.walk("VTIMEZONE")
    # The same calendar as events.ical.speaker_calendar builds.
    assert response.content == ical.speaker_calendar(speaker_events(speaker), name="Sam Speaker: talks").to_ical()
    # Calendar apps poll: an unchanged feed is a 304.
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_speaker_without_talks_has_an_empty_valid_feed(client: Client, cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    response = client.get(reverse("speakers:speaker_ics", args=[speaker.pk]))
    assert response.status_code == 200
    assert Calendar.from_ical(response.content).walk("VEVENT") == []


def test_unknown_speaker_feed_is_404_and_post_refused(client: Client, cast: Any) -> None:
    assert client.get("/speakers/999999/talks.ics").status_code == 404
    speaker = make_speaker(cast.outsider)
    assert client.post(reverse("speakers:speaker_ics", args=[speaker.pk])).status_code == 405
