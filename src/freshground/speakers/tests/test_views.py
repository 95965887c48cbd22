# mypy: disable-error-code="arg-type,attr-defined,union-attr"
"""The speaker pages as people see them: roster, speaker page, forms, inbox, circle requests and the tour planner."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from freshground.events.models import Event
from freshground.speakers import services, services_requests
from freshground.speakers.models import RequestStatus, Speaker, SpeakingRequest, TourPlan
from freshground.speakers.tests.helpers import MANCHESTER, days, make_request, make_speaker
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_roster_filters_and_fixed_query_count(cast: Any, client: Client, django_assert_num_queries: Any) -> None:
    make_speaker(cast.outsider)
    make_speaker(cast.member, name="Mo", topics=["climate"], languages=["fr"], regions=["Wales"], talks=[])
    url = reverse("speakers:roster")
    page = client.get(url).content.decode()
    assert "Sam Speaker" in page
    assert "Mo" in page
    assert "Rent strikes that won" in page
    assert "Mo" not in client.get(url, {"topic": "housing"}).content.decode().split('id="speaker-results"')[1]
    assert "Sam Speaker" not in client.get(url, {"language": "fr"}).content.decode()
    assert "Sam Speaker" in client.get(url, {"region": "scotland"}).content.decode()
    assert "Sam Speaker" in client.get(url, {"q": "rent strikes"}).content.decode()
    # The page costs the same whatever the number of speakers: count, page, topics, talks (plus the session).
    for k in range(30):
        services.create_speaker(person=cast.editor, for_self=False, name=f"Guest {k}", topics=["a", "b"])
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()


def test_speaker_page_shows_topics_talks_endorsements_and_private_details_to_inviters(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    services.endorse(person=cast.editor, speaker=speaker, topic="housing", center=cast.center)
    url = speaker.get_absolute_url()
    anonymous = Client().get(url).content.decode()
    assert "Rent strikes that won" in anonymous
    assert "Red Thread Center" in anonymous
    assert "Travel costs only" not in anonymous
    organiser_view = client_for(cast.organiser).get(url).content.decode()
    assert "Travel costs only" in organiser_view
    assert "Step-free venue" in organiser_view
    assert reverse("speakers:request", args=[speaker.pk]) in organiser_view
    assert reverse("speakers:speaker_edit", args=[speaker.pk]) not in organiser_view
    own = client_for(cast.outsider).get(url).content.decode()
    assert reverse("speakers:speaker_edit", args=[speaker.pk]) in own
    assert Client().get(reverse("speakers:speaker", args=[9999])).status_code == 404


def test_list_yourself_and_edit(cast: Any) -> None:
    client = client_for(cast.outsider)
    assert client.get(reverse("speakers:speaker_create")).status_code == 200
    response = client.post(
        reverse("speakers:speaker_create"),
        {
            "name": "Uma",
            "topics": "housing, care work",
            "talks": "Care strikes\nWhat happened in 2019.\n\nTenant unions\n",
            "languages": "en",
            "availability": f"{days(2)} to {days(20)}",
            "latitude": "53.8",
            "longitude": "-1.55",
        },
    )
    speaker = Speaker.objects.get(person=cast.outsider)
    assert response.status_code == 302
    assert [t.title for t in speaker.talks.all()] == ["Care strikes", "Tenant unions"]
    assert speaker.availability.get().ends_on == days(20)
    bad = client.post(
        reverse("speakers:speaker_edit", args=[speaker.pk]), {"name": "Uma", "availability": "next tuesday"}
    )
    assert bad.status_code == 200
    assert "Line 1" in bad.content.decode()
    assert client_for(cast.member).get(reverse("speakers:speaker_edit", args=[speaker.pk])).status_code == 403
    anonymous = Client().get(reverse("speakers:speaker_edit", args=[speaker.pk]))
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]


def test_enter_a_non_member_only_as_organiser_or_editor(cast: Any) -> None:
    url = reverse("speakers:speaker_create") + "?for=other"
    assert client_for(cast.member).get(url).status_code == 403
    response = client_for(cast.editor).post(url, {"for": "other", "name": "Rosa", "contact_email": "rosa@example.org"})
    assert response.status_code == 302
    rosa = Speaker.objects.get(name="Rosa")
    assert rosa.person is None
    assert rosa.entered_by == cast.editor


def test_endorse_page(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    url = reverse("speakers:endorse", args=[speaker.pk])
    assert client_for(cast.member).get(url).status_code == 403
    client = client_for(cast.organiser)
    assert "Riverside Hospital Workers" in client.get(url).content.decode()
    response = client.post(url, {"endorser": f"circle-{cast.circle.pk}", "topic": "housing"})
    assert response.status_code == 302
    page = Client().get(speaker.get_absolute_url()).content.decode()
    assert "Riverside Hospital Workers" in page


def test_request_form_and_the_whole_answer_flow(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    url = reverse("speakers:request", args=[speaker.pk])
    assert client_for(cast.member).get(url).status_code == 403
    organiser = client_for(cast.organiser)
    bad = organiser.post(url, {"circle": cast.circle.pk, "earliest": str(days(5)), "latest": str(days(2))})
    assert bad.status_code == 200
    assert not SpeakingRequest.objects.exists()
    response = organiser.post(
        url,
        {
            "circle": cast.circle.pk,
            "talk": speaker.talks.get().pk,
            "place_name": "York",
            "latitude": "53.96",
            "longitude": "-1.08",
            "earliest": str(days(3)),
            "latest": str(days(8)),
            "time_zone": "Europe/London",
            "expected_audience": "50",
        },
    )
    assert response.status_code == 302
    request = SpeakingRequest.objects.get()
    # The speaker's inbox shows it; nobody else sees the inbox.
    speaker_client = client_for(cast.outsider)
    inbox = speaker_client.get(reverse("speakers:inbox", args=[speaker.pk])).content.decode()
    assert "Riverside Hospital Workers" in inbox
    assert "Rent strikes that won" in inbox
    assert client_for(cast.organiser).get(reverse("speakers:inbox", args=[speaker.pk])).status_code == 403
    # An organiser cannot answer for the speaker.
    assert organiser.post(reverse("speakers:answer", args=[request.pk]), {"action": "accept"}).status_code == 403
    speaker_client.post(reverse("speakers:answer", args=[request.pk]), {"action": "propose"})
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING  # a proposal needs a date
    speaker_client.post(reverse("speakers:answer", args=[request.pk]), {"action": "propose", "date": str(days(12))})
    request.refresh_from_db()
    assert request.status == RequestStatus.PROPOSED
    circle_page = organiser.get(reverse("speakers:circle_requests", args=[cast.circle.slug])).content.decode()
    assert "Take" in circle_page
    assert client_for(cast.member).get(reverse("speakers:circle_requests", args=[cast.circle.slug])).status_code == 403
    organiser.post(reverse("speakers:proposal", args=[request.pk]), {"accept": "1"})
    request.refresh_from_db()
    assert request.status == RequestStatus.SCHEDULED
    event = Event.objects.get()
    page = Client().get(speaker.get_absolute_url()).content.decode()
    assert event.title in page  # under upcoming talks


def test_accept_from_the_inbox_creates_the_event(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    client = client_for(cast.outsider)
    response = client.post(
        reverse("speakers:answer", args=[request.pk]), {"action": "accept", "date": str(days(30))}, follow=True
    )
    assert "Choose a date between" in response.content.decode()
    client.post(reverse("speakers:answer", args=[request.pk]), {"action": "accept", "date": str(days(4))})
    request.refresh_from_db()
    assert request.event is not None
    assert request.event.starts_at is not None


def test_feedback_appears_on_the_speaker_page(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    services_requests.accept_request(person=cast.outsider, request=request, day=days(3))
    SpeakingRequest.objects.filter(pk=request.pk).update(scheduled_date=days(-1))
    organiser = client_for(cast.organiser)
    assert (
        "How was the talk?"
        in organiser.get(reverse("speakers:circle_requests", args=[cast.circle.slug])).content.decode()
    )
    organiser.post(reverse("speakers:feedback", args=[request.pk]), {"rating": "5", "comment": "Brilliant evening"})
    page = Client().get(speaker.get_absolute_url()).content.decode()
    assert "Brilliant evening" in page
    assert "Past talks" in page


def test_tour_planner_page_route_sketch_unplaced_and_accept(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    york = make_request(cast.organiser, speaker, cast.circle, first=3, last=3)
    make_request(cast.organiser, speaker, cast.circle, first=3, last=6, where=MANCHESTER)
    make_request(cast.organiser, speaker, cast.circle, first=40, last=45)
    url = reverse("speakers:tour", args=[speaker.pk])
    assert client_for(cast.organiser).get(url).status_code == 403
    client = client_for(cast.outsider)
    assert "Accept the plan" not in client.get(url).content.decode()
    client.post(url)
    page = client.get(url).content.decode()
    assert '<ol class="tour-route">' in page
    assert page.index(days(3).strftime("%-d %b %Y")) < page.index(days(4).strftime("%-d %b %Y"))
    assert 'role="img"' in page
    assert '<title id="sketch-title">' in page
    assert "outside the speaker&#x27;s availability" in page
    plan = TourPlan.objects.get(status="proposed")
    response = client.post(reverse("speakers:tour_accept", args=[speaker.pk]), {"plan": plan.pk})
    assert response.status_code == 302
    assert Event.objects.count() == 2
    york.refresh_from_db()
    assert york.status == RequestStatus.SCHEDULED
    # The same plan cannot be accepted twice.
    client.post(reverse("speakers:tour_accept", args=[speaker.pk]), {"plan": plan.pk})
    assert Event.objects.count() == 2


def test_pages_refuse_anonymous_actions(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    anonymous = Client()
    for url in (
        reverse("speakers:answer", args=[request.pk]),
        reverse("speakers:tour", args=[speaker.pk]),
        reverse("speakers:endorse", args=[speaker.pk]),
    ):
        response = anonymous.post(url, {"action": "accept"})
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_outsider_sees_no_invite_or_endorse_buttons(cast: Any) -> None:
    speaker = make_speaker(cast.member)
    page = client_for(factories.PersonFactory.create()).get(speaker.get_absolute_url()).content.decode()
    assert reverse("speakers:request", args=[speaker.pk]) not in page
    assert reverse("speakers:endorse", args=[speaker.pk]) not in page


def test_availability_and_who_entered_a_speaker(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    window = days(1).strftime("%-d %b %Y")
    assert window not in Client().get(speaker.get_absolute_url()).content.decode()
    assert window in client_for(cast.organiser).get(speaker.get_absolute_url()).content.decode()
    guest = services.create_speaker(person=cast.editor, for_self=False, name="Rosa")
    assert "entered by Edie Editor" in Client().get(guest.get_absolute_url()).content.decode()


def test_roster_links_an_organisers_circle_invitations(cast: Any) -> None:
    page = client_for(cast.organiser).get(reverse("speakers:roster")).content.decode()
    assert reverse("speakers:circle_requests", args=[cast.circle.slug]) in page
    assert (
        reverse("speakers:circle_requests", args=[cast.circle.slug])
        not in Client().get(reverse("speakers:roster")).content.decode()
    )
