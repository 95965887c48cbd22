"""Registration pages through the client: the box, guests, my registrations, hosts' list, check-in, feedback."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from freshground.events import mail_registrations
from freshground.events import services_registrations as services
from freshground.events.models import Event, EventStatus, Registration, RegistrationMode, RegistrationStatus
from freshground.testing import factories
from freshground.testing.events_factories import new_event, new_timeslot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail_at_once(monkeypatch):
    monkeypatch.setattr(mail_registrations.transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def person():
    return factories.PersonFactory()


def test_event_page_offers_guests_a_form(client, cast):
    event = new_event(circle=cast.circle, questions=[{"key": "diet", "label": "Dietary needs"}])
    page = client.get(reverse("events:event", args=[event.slug])).content.decode()
    assert 'id="registration-box"' in page
    assert "Your e-mail address" in page
    assert "Dietary needs" in page
    assert reverse("events:register", args=[event.slug]) in page


def test_guest_registers_confirms_and_sees_the_qr_code(client):
    event = new_event(registration_mode=RegistrationMode.LIMITED, capacity=5)
    url = reverse("events:register", args=[event.slug])
    answer = client.post(url, {"name": "Gil", "email": "gil@example.org"})
    assert answer.status_code == 200
    assert "Check your inbox" in answer.content.decode()
    registration = Registration.objects.get(event=event)
    assert registration.status == RegistrationStatus.UNCONFIRMED
    link = reverse("events:guest_registration", args=[registration.confirmation_token])
    assert link in mail.outbox[0].body
    # Following the link (a mail scanner would too) confirms nothing by itself.
    landing = client.get(link)
    assert "Confirm my registration" in landing.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.UNCONFIRMED
    confirmed = client.post(link, follow=True).content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.code in confirmed
    assert 'src="data:image/svg+xml' in confirmed
    assert "Your place is confirmed" in confirmed


def test_guest_cancels_through_the_link(client):
    event = new_event()
    registration = services.register_guest(event=event, email="gil@example.org", name="Gil")
    url = reverse("events:guest_registration_cancel", args=[registration.confirmation_token])
    assert "Yes, cancel it" in client.get(url).content.decode()
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_unknown_guest_link_is_a_404(client):
    assert client.get(reverse("events:guest_registration", args=["nope"])).status_code == 404


def test_bad_guest_input_rerenders_with_errors_and_saves_nothing(client):
    event = new_event(questions=[{"key": "why", "label": "Why?", "required": True}])
    answer = client.post(reverse("events:register", args=[event.slug]), {"name": "", "email": "nope"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "errorlist" in page
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_signed_in_person_registers_with_one_click(client):
    someone = person()
    event = new_event(registration_mode=RegistrationMode.LIMITED, capacity=3)
    client.force_login(someone)
    answer = client.post(reverse("events:register", args=[event.slug]), follow=True)
    registration = Registration.objects.get(event=event, person=someone)
    page = answer.content.decode()
    assert "You are registered" in page
    assert registration.code in page
    assert "2 places left" in page
    assert [m.to for m in mail.outbox] == [[someone.email]]


def test_htmx_register_swaps_the_box(client):
    someone = person()
    event = new_event()
    client.force_login(someone)
    answer = client.post(reverse("events:register", args=[event.slug]), headers={"HX-Request": "true"})
    page = answer.content.decode()
    assert page.lstrip().startswith('<div id="registration-box"')
    assert "You are registered" in page
    assert "<html" not in page


def test_double_registration_shows_a_clear_error(client):
    someone = person()
    event = new_event()
    services.register(person=someone, event=event)
    client.force_login(someone)
    answer = client.post(reverse("events:register", args=[event.slug]))
    assert answer.status_code == 400
    assert "already registered" in answer.content.decode()


def test_registration_after_close_is_refused_on_the_page(client):
    event = new_event(status=EventStatus.CANCELLED)
    client.force_login(person())
    answer = client.post(reverse("events:register", args=[event.slug]))
    assert answer.status_code == 400
    assert "cancelled" in answer.content.decode()
    assert not Registration.objects.exists()


def test_timeslots_are_offered_and_full_ones_say_so(client):
    event = new_event(registration_mode=RegistrationMode.LIMITED)
    slot = new_timeslot(event, capacity=1, label="Morning run")
    services.register(person=person(), event=event, timeslot=slot)
    client.force_login(person())
    page = client.get(reverse("events:register", args=[event.slug])).content.decode()
    assert "Morning run" in page
    assert "Full" in page
    client.post(reverse("events:register", args=[event.slug]), {"timeslot": str(slot.pk)})
    assert Registration.objects.filter(timeslot=slot, status=RegistrationStatus.WAITLISTED).count() == 1


def test_my_registrations_and_cancelling_without_js(client):
    someone = person()
    event = new_event(title="Study night")
    registration = services.register(person=someone, event=event)
    client.force_login(someone)
    mine = client.get(reverse("events:my_registrations")).content.decode()
    assert "Study night" in mine
    detail = client.get(reverse("events:registration", args=[registration.pk])).content.decode()
    assert registration.code in detail
    url = reverse("events:registration_cancel", args=[registration.pk])
    assert "Yes, cancel it" in client.get(url).content.decode()
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_someone_elses_registration_is_a_404(client):
    registration = services.register(person=person(), event=new_event())
    client.force_login(person())
    assert client.get(reverse("events:registration", args=[registration.pk])).status_code == 404
    assert client.post(reverse("events:registration_cancel", args=[registration.pk])).status_code == 404


def test_my_registrations_needs_signing_in(client):
    answer = client.get(reverse("events:my_registrations"))
    assert answer.status_code == 302
    assert reverse("account_login") in answer["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("outsider", 403), ("member", 403), ("editor", 403), ("organiser", 200), ("admin", 200)],
)
def test_who_sees_the_registrations_list(client, cast, role, status):
    event = new_event(circle=cast.circle)
    services.register_guest(event=event, email="gil@example.org", name="Gil Guest")
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    for name in ("registrations", "registrations_csv", "feedback_summary"):
        answer = client.get(reverse(f"events:{name}", args=[event.slug]))
        assert answer.status_code == status
        if status != 200:
            assert b"gil@example.org" not in answer.content


def test_registrations_list_shows_answers_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    event = new_event(circle=cast.circle, questions=[{"key": "diet", "label": "Dietary needs"}])
    services.register(person=cast.member, event=event, answers={"diet": "vegan"})
    client.force_login(cast.organiser)
    url = reverse("events:registrations", args=[event.slug])
    baseline = _count_queries(client, url)
    for n in range(10):
        services.register_guest(event=event, email=f"g{n}@example.org", name=f"Guest {n}", answers={"diet": "any"})
        services.register(person=person(), event=event, answers={"diet": "fish"})
    with django_assert_num_queries(baseline):
        client.get(url)
    page = client.get(url).content.decode()
    assert "vegan" in page
    assert cast.member.email in page
    assert "Guest 9" in page


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_csv_export_has_everyone_and_defuses_formulas(client, cast):
    event = new_event(circle=cast.circle, questions=[{"key": "why", "label": "Why"}])
    services.register_guest(event=event, email="gil@example.org", name="=HYPERLINK(1)", answers={"why": "+1"})
    client.force_login(cast.organiser)
    answer = client.get(reverse("events:registrations_csv", args=[event.slug]))
    body = answer.content.decode()
    assert answer["Content-Type"].startswith("text/csv")
    assert "gil@example.org" in body
    assert "'=HYPERLINK(1)" in body
    assert "'+1" in body


def test_hosts_mark_attendance(client, cast):
    event = new_event(circle=cast.circle)
    registration = services.register(person=cast.member, event=event)
    url = reverse("events:registration_attendance", args=[event.slug, registration.pk])
    client.force_login(cast.outsider)
    assert client.post(url, {"attended": "1"}).status_code == 403
    client.force_login(cast.organiser)
    client.post(url, {"attended": "1"})
    registration.refresh_from_db()
    assert registration.attended
    partial = client.post(url, {"attended": "0"}, headers={"HX-Request": "true"}).content.decode()
    assert "Mark as came" in partial
    registration.refresh_from_db()
    assert not registration.attended


def test_check_in_page(client, cast):
    event = new_event(circle=cast.circle)
    registration = services.register(person=cast.member, event=event)
    url = reverse("events:check_in", args=[event.slug])
    client.force_login(cast.member)
    assert client.get(url).status_code == 403
    client.force_login(cast.organiser)
    page = client.post(url, {"code": registration.code.lower()}).content.decode()
    assert "Welcome, Mo Member" in page
    assert "1 checked in so far" in page
    wrong = client.post(url, {"code": "ZZZZZZZZZZ"})
    assert wrong.status_code == 400
    assert "No registration for this event has that code" in wrong.content.decode()


def test_feedback_after_closing_and_the_summary(client, cast):
    event = new_event(circle=cast.circle)
    registration = services.register(person=cast.member, event=event)
    url = reverse("events:registration_feedback", args=[registration.pk])
    client.force_login(cast.member)
    assert client.get(url).status_code == 403
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CLOSED)
    assert "How was it?" in client.get(url).content.decode()
    assert client.post(url, {"rating": "9"}).status_code == 200  # re-rendered with the error
    client.post(url, {"rating": "4", "comment": "Great discussion"})
    client.force_login(cast.organiser)
    summary = client.get(reverse("events:feedback_summary", args=[event.slug])).content.decode()
    assert "Great discussion" in summary
    assert "4.0 out of 5" in summary


def test_guest_registration_is_rate_limited_per_address(client, settings):
    """Each guest registration mails the address given: the same address can't be flooded."""
    from django.core.cache import cache

    from freshground import settings as production_settings

    settings.ACCOUNT_RATE_LIMITS = production_settings.ACCOUNT_RATE_LIMITS
    cache.clear()
    events = [new_event() for _ in range(4)]
    for event in events[:3]:
        answer = client.post(reverse("events:register", args=[event.slug]), {"name": "Gil", "email": "gil@example.org"})
        assert "Check your inbox" in answer.content.decode()
    refused = client.post(
        reverse("events:register", args=[events[3].slug]), {"name": "Gil", "email": "gil@example.org"}
    )
    assert "Too many registrations" in refused.content.decode()
    assert not Registration.objects.filter(event=events[3]).exists()
    assert len(mail.outbox) == 3
    cache.clear()
