# mypy: disable-error-code="arg-type,attr-defined,union-attr"
"""Speaker services: the roster, endorsements, requests (and the events they create), feedback and tours."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.events.models import Event, EventHost, EventKind
from freshground.network.models import Role
from freshground.speakers import services, services_requests, services_tours
from freshground.speakers.models import (
    Endorsement,
    RequestStatus,
    Speaker,
    SpeakingRequest,
    TourPlanStatus,
)
from freshground.speakers.tests.helpers import MANCHESTER, days, make_request, make_speaker
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def test_a_person_lists_themself_once(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    assert speaker.person == cast.outsider
    assert [t.name for t in speaker.topics.all()] == ["Housing", "unions"]  # "Housing": the vocabulary's topic
    assert [t.title for t in speaker.talks.all()] == ["Rent strikes that won"]
    assert speaker.availability.count() == 1
    with pytest.raises(Conflict):
        make_speaker(cast.outsider)


def test_organisers_and_editors_enter_non_members_others_cannot(cast: Any) -> None:
    for person in (cast.organiser, cast.editor, cast.admin):
        speaker = services.create_speaker(person=person, for_self=False, name=f"Guest of {person.display_name}")
        assert speaker.person is None
        assert speaker.entered_by == person
    for person in (cast.member, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.create_speaker(person=person, for_self=False, name="Someone")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": ""}, "name"),
        ({"latitude": 53.0, "longitude": None}, "latitude"),
        ({"latitude": 91.0, "longitude": 0.0}, "latitude"),
        ({"availability": [(days(5), days(2))]}, "availability"),
        ({"talks": [{"title": "", "abstract": "x"}]}, "talks"),
        ({"talks": [{"title": "Same"}, {"title": "same"}]}, "talks"),
        ({"languages": ["not a code!"]}, "languages"),
        ({"bio": "x" * 5001}, "bio"),
    ],
)
def test_bad_speaker_input_is_refused_and_nothing_saved(cast: Any, values: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as refused:
        make_speaker(cast.outsider, **values)
    assert refused.value.field == field
    assert not Speaker.objects.exists()


def test_update_keeps_talks_that_requests_point_to(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    talk = speaker.talks.get()
    services.update_speaker(
        person=cast.outsider,
        speaker=speaker,
        talks=[{"title": "Rent strikes that won", "abstract": "New abstract"}, {"title": "Tenant unions"}],
    )
    talk.refresh_from_db()
    assert talk.abstract == "New abstract"
    assert speaker.talks.count() == 2
    with pytest.raises(PermissionDenied):
        services.update_speaker(person=cast.member, speaker=speaker, name="Hijacked")


def test_endorse_in_a_circle_or_center_name(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    services.endorse(person=cast.organiser, speaker=speaker, topic="housing", circle=cast.circle)
    services.endorse(person=cast.editor, speaker=speaker, topic="housing", center=cast.center)
    with pytest.raises(Conflict):
        services.endorse(person=cast.organiser, speaker=speaker, topic="Housing", circle=cast.circle)
    with pytest.raises(PermissionDenied):
        services.endorse(person=cast.member, speaker=speaker, topic="housing", circle=cast.circle)
    with pytest.raises(PermissionDenied):
        services.endorse(person=cast.organiser, speaker=speaker, topic="housing", center=cast.center)
    own = make_speaker(cast.organiser, name="Olga")
    with pytest.raises(PermissionDenied, match="yourself"):
        services.endorse(person=cast.organiser, speaker=own, topic="housing", circle=cast.circle)
    endorsement = Endorsement.objects.get(circle=cast.circle)
    with pytest.raises(PermissionDenied):
        services.unendorse(person=cast.editor, endorsement=endorsement)
    services.unendorse(person=cast.organiser, endorsement=endorsement)
    assert Endorsement.objects.count() == 1


def test_request_validation(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    base = {"person": cast.organiser, "speaker": speaker, "circle": cast.circle, "topic": "housing"}
    with pytest.raises(DomainError) as refused:
        services_requests.send_request(**base, earliest=days(5), latest=days(2))
    assert refused.value.field == "latest"
    with pytest.raises(DomainError) as refused:
        services_requests.send_request(**base, earliest=days(-2), latest=days(2))
    assert refused.value.field == "earliest"
    with pytest.raises(DomainError) as refused:
        services_requests.send_request(**{**base, "topic": ""}, earliest=days(2), latest=days(4))
    assert refused.value.field == "topic"
    with pytest.raises(DomainError) as refused:
        services_requests.send_request(**base, earliest=days(2), latest=days(4), time_zone="Mars/Base")
    assert refused.value.field == "time_zone"
    with pytest.raises(PermissionDenied):
        services_requests.send_request(**{**base, "person": cast.member}, earliest=days(2), latest=days(4))
    assert not SpeakingRequest.objects.exists()


def test_a_new_request_mails_the_speaker(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    speaker = make_speaker(cast.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        make_request(cast.organiser, speaker, cast.circle)
    assert [m.to for m in mail.outbox] == [[cast.outsider.email]]
    assert cast.circle.name in mail.outbox[0].subject


def test_accepting_creates_the_event_hosted_by_the_circle(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services_requests.accept_request(person=cast.outsider, request=request, day=days(5), note="Glad to")
    assert accepted.status == RequestStatus.SCHEDULED
    assert accepted.scheduled_date == days(5)
    event = Event.objects.get()
    assert accepted.event == event
    assert event.kind == EventKind.TALK
    assert event.speakers_text == "Sam Speaker"
    assert event.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London")).date() == days(5)
    assert EventHost.objects.get(event=event).circle == cast.circle
    assert [t.name for t in event.topics.all()] == ["Housing"]
    assert [m.to for m in mail.outbox] == [[cast.organiser.email]]
    assert event.get_absolute_url() in mail.outbox[0].body
    with pytest.raises(Conflict):
        services_requests.accept_request(person=cast.outsider, request=request, day=days(6))


def test_accept_refuses_dates_outside_the_window_and_double_booking(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    first = make_request(cast.organiser, speaker, cast.circle)
    with pytest.raises(DomainError) as refused:
        services_requests.accept_request(person=cast.outsider, request=first, day=days(20))
    assert refused.value.field == "date"
    services_requests.accept_request(person=cast.outsider, request=first, day=days(5))
    second = make_request(cast.organiser, speaker, cast.circle, where=MANCHESTER)
    with pytest.raises(Conflict):
        services_requests.accept_request(person=cast.outsider, request=second, day=days(5))
    assert Event.objects.count() == 1
    second.refresh_from_db()
    assert second.status == RequestStatus.PENDING


def test_only_the_speaker_answers(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    for person in (cast.organiser, cast.member, cast.editor):
        with pytest.raises(PermissionDenied):
            services_requests.accept_request(person=person, request=request)
        with pytest.raises(PermissionDenied):
            services_requests.decline_request(person=person, request=request)
    assert not Event.objects.exists()


def test_the_event_is_hosted_even_when_the_asker_stepped_down(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    other = factories.PersonFactory.create()
    factories.add_member(cast.circle, other, Role.ORGANISER)
    cast.circle.memberships.filter(person=cast.organiser).update(role=Role.MEMBER)
    accepted = services_requests.accept_request(person=cast.outsider, request=request)
    assert accepted.event.created_by == other


def test_propose_then_the_circle_takes_the_date(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_requests.propose_date(person=cast.outsider, request=request, day=days(14), note="Later suits me")
    assert "proposes" in mail.outbox[0].subject
    request.refresh_from_db()
    assert request.status == RequestStatus.PROPOSED
    with pytest.raises(PermissionDenied):
        services_requests.answer_proposal(person=cast.member, request=request, accept=True)
    services_requests.answer_proposal(person=cast.organiser, request=request, accept=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.SCHEDULED
    assert request.scheduled_date == days(14)
    assert request.event is not None


def test_decline_and_withdraw(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    first = make_request(cast.organiser, speaker, cast.circle)
    assert services_requests.decline_request(person=cast.outsider, request=first).status == RequestStatus.DECLINED
    second = make_request(cast.organiser, speaker, cast.circle)
    with pytest.raises(PermissionDenied):
        services_requests.withdraw_request(person=cast.outsider, request=second)
    assert services_requests.withdraw_request(person=cast.organiser, request=second).status == RequestStatus.WITHDRAWN
    with pytest.raises(Conflict):
        services_requests.withdraw_request(person=cast.organiser, request=second)


def test_feedback_after_the_talk(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    services_requests.accept_request(person=cast.outsider, request=request, day=days(5))
    request.refresh_from_db()
    with pytest.raises(Conflict):
        services_requests.leave_feedback(person=cast.organiser, request=request, rating=5)
    SpeakingRequest.objects.filter(pk=request.pk).update(scheduled_date=days(-1))
    request.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services_requests.leave_feedback(person=cast.member, request=request, rating=5)
    with pytest.raises(DomainError):
        services_requests.leave_feedback(person=cast.organiser, request=request, rating=9)
    feedback = services_requests.leave_feedback(person=cast.organiser, request=request, rating=4, comment="Packed room")
    assert feedback.rating == 4


def test_tour_plan_and_accepting_it_creates_every_event(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    speaker = make_speaker(cast.outsider)
    york = make_request(cast.organiser, speaker, cast.circle, first=3, last=3)
    manchester = make_request(cast.organiser, speaker, cast.circle, first=3, last=6, where=MANCHESTER)
    late = make_request(cast.organiser, speaker, cast.circle, first=40, last=45)
    with pytest.raises(PermissionDenied):
        services_tours.propose_tour(person=cast.organiser, speaker=speaker)
    plan = services_tours.propose_tour(person=cast.outsider, speaker=speaker)
    stops = list(plan.stops.order_by("order"))
    assert [(s.request_id, s.date) for s in stops] == [(york.pk, days(3)), (manchester.pk, days(4))]
    assert plan.unplaced == [{"request": late.pk, "reason": "outside_availability"}]
    again = services_tours.propose_tour(person=cast.outsider, speaker=speaker)
    plan.refresh_from_db()
    assert plan.status == TourPlanStatus.SUPERSEDED
    with pytest.raises(Conflict):
        services_tours.accept_tour(person=cast.outsider, tour=plan)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_tours.accept_tour(person=cast.outsider, tour=again)
    assert Event.objects.count() == 2
    assert set(SpeakingRequest.objects.filter(status=RequestStatus.SCHEDULED).values_list("pk", flat=True)) == {
        york.pk,
        manchester.pk,
    }
    assert len(mail.outbox) == 2


def test_accepting_a_stale_plan_changes_nothing(cast: Any) -> None:
    speaker = make_speaker(cast.outsider)
    york = make_request(cast.organiser, speaker, cast.circle, first=3, last=3)
    make_request(cast.organiser, speaker, cast.circle, first=5, last=6, where=MANCHESTER)
    plan = services_tours.propose_tour(person=cast.outsider, speaker=speaker)
    services_requests.withdraw_request(person=cast.organiser, request=york)
    with pytest.raises(Conflict):
        services_tours.accept_tour(person=cast.outsider, tour=plan)
    assert not Event.objects.exists()
    assert not SpeakingRequest.objects.filter(status=RequestStatus.SCHEDULED).exists()


def test_tour_needs_home_coordinates(cast: Any) -> None:
    speaker = make_speaker(cast.outsider, latitude=None, longitude=None)
    with pytest.raises(DomainError) as refused:
        services_tours.propose_tour(person=cast.outsider, speaker=speaker)
    assert refused.value.field == "latitude"


def test_data_download_and_account_deletion(cast: Any) -> None:
    from freshground.people.portability import exporters

    speaker = make_speaker(cast.outsider)
    make_request(cast.organiser, speaker, cast.circle)
    guest = services.create_speaker(person=cast.organiser, for_self=False, name="Rosa")
    mine = exporters()["speakers"](cast.outsider)
    assert mine["speaker"]["talks"][0]["title"] == "Rent strikes that won"
    assert len(mine["speaker"]["invitations_received"]) == 1
    theirs = exporters()["speakers"](cast.organiser)
    assert theirs["speakers_entered"] == ["Rosa"]
    assert theirs["invitations_sent"][0]["speaker"] == "Sam Speaker"
    cast.organiser.delete()
    guest.refresh_from_db()
    assert guest.entered_by is None
    cast.outsider.delete()
    assert not Speaker.objects.filter(pk=speaker.pk).exists()


def test_speaker_events_for_feeds(cast: Any) -> None:
    from freshground.speakers.queries import speaker_events

    speaker = make_speaker(cast.outsider)
    request = make_request(cast.organiser, speaker, cast.circle)
    assert not speaker_events(speaker).exists()
    services_requests.accept_request(person=cast.outsider, request=request)
    assert list(speaker_events(speaker)) == [Event.objects.get()]
