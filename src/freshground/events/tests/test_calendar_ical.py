"""The iCalendar feeds, parsed back with icalendar: UIDs, SEQUENCE, RRULE/EXDATE, VTIMEZONE, cancellations, privacy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from freshground.events import ical
from freshground.events.models import Event, EventStatus, Registration, RegistrationStatus
from freshground.testing import factories
from freshground.testing.calendar_factories import make_event

pytestmark = pytest.mark.django_db

PRIVATE = "17 Secret Street, Flat 3"


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(cal: Calendar) -> dict[str, object]:
    return {str(component["SUMMARY"]): component for component in cal.walk("VEVENT")}


def soon(days: int = 3) -> datetime:
    return (timezone.now() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)


def test_whole_calendar_feed(client, cast):
    event = make_event(
        title="Assembly",
        starts_at=soon(),
        time_zone="Europe/London",
        topics=["Housing", "Rent"],
        venue_name="Trades Club",
        address="1 Union Street",
        place_name="Leeds",
        circles=[cast.circle],
        description="Bring **friends**.",
        sequence=3,
    )
    cal = parse(client.get(reverse("events:calendar_ics")))
    assert cal["VERSION"] == "2.0"
    found = vevents(cal)["Assembly"]
    assert str(found["UID"]) == event.uid
    assert found["SEQUENCE"] == 3
    assert found["DTSTART"].params["TZID"] == "Europe/London"
    assert found["DTSTART"].dt == event.starts_at
    assert str(found["LOCATION"]) == "Trades Club, 1 Union Street, Leeds"
    assert str(found["STATUS"]) == "CONFIRMED"
    assert set(found["CATEGORIES"].cats) == {"Housing", "Rent"}
    assert str(found["URL"]).endswith(f"/events/{event.slug}/")
    assert str(found["URL"]).startswith("http")
    assert "Bring **friends**." in str(found["DESCRIPTION"])
    assert cast.circle.name in str(found["DESCRIPTION"])
    assert "DTSTAMP" in found
    assert "LAST-MODIFIED" in found
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]


def test_uid_is_stable_and_sequence_follows_the_event(client, cast):
    event = make_event(title="Talk", starts_at=soon())
    first = vevents(parse(client.get(reverse("events:calendar_ics"))))["Talk"]
    Event.objects.filter(pk=event.pk).update(sequence=event.sequence + 1, updated_at=timezone.now(), title="Talk")
    second = vevents(parse(client.get(reverse("events:calendar_ics"))))["Talk"]
    assert str(first["UID"]) == str(second["UID"]) == event.uid
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)


def test_recurring_event_is_one_vevent_with_rrule_and_exdate(client, cast):
    start = datetime(2030, 3, 4, 18, 0, tzinfo=UTC)
    skipped = start + timedelta(days=14)
    make_event(
        title="Reading group",
        starts_at=start,
        time_zone="America/New_York",
        rrule="FREQ=WEEKLY;COUNT=6",
        exdates=[skipped.isoformat()],
    )
    cal = parse(client.get(reverse("events:calendar_ics")))
    components = [c for c in cal.walk("VEVENT") if str(c["SUMMARY"]) == "Reading group"]
    assert len(components) == 1
    found = components[0]
    assert found["RRULE"]["FREQ"] == ["WEEKLY"]
    assert found["RRULE"]["COUNT"] == [6]
    assert found["DTSTART"].params["TZID"] == "America/New_York"
    exdate = found["EXDATE"]
    exdates = [d.dt for d in (exdate if isinstance(exdate, list) else [exdate]) for d in d.dts]
    assert exdates == [skipped]
    assert "America/New_York" in [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]


def test_all_day_event_uses_dates(client, cast):
    make_event(
        title="Festival",
        starts_at=datetime(2030, 6, 1, 0, 0, tzinfo=UTC),
        duration=timedelta(days=2),
        all_day=True,
    )
    found = vevents(parse(client.get(reverse("events:calendar_ics"))))["Festival"]
    assert str(found["DTSTART"].dt) == "2030-06-01"
    assert str(found["DTEND"].dt) == "2030-06-03"


def test_cancelled_event_is_status_cancelled(client, cast):
    make_event(title="Rally", starts_at=soon(), status=EventStatus.CANCELLED, sequence=2)
    found = vevents(parse(client.get(reverse("events:calendar_ics"))))["Rally"]
    assert str(found["STATUS"]) == "CANCELLED"
    assert found["SEQUENCE"] == 2


def test_private_address_never_appears_in_any_feed(client, cast):
    event = make_event(
        title="House meeting",
        starts_at=soon(),
        venue_name="Maria's",
        address=PRIVATE,
        place_name="Leeds",
        address_for_registered_only=True,
        latitude=53.8,
        longitude=-1.55,
        circles=[cast.circle],
        promoted_by=[cast.center],
    )
    Registration.objects.create(event=event, person=cast.member, status=RegistrationStatus.CONFIRMED)
    urls = [
        reverse("events:calendar_ics"),
        reverse("events:calendar_ics") + "?place=leeds",
        reverse("events:circle_ics", args=[cast.circle.slug]),
        reverse("events:center_ics", args=[cast.center.slug]),
        reverse("events:event_ics", args=[event.slug]),
        ical.person_feed_url(cast.member, absolute=False),
    ]
    for url in urls:
        response = client.get(url)
        cal = parse(response)
        found = vevents(cal)["House meeting"]
        assert str(found["LOCATION"]) == "Leeds", url
        assert "GEO" not in found
        assert "Secret" not in response.content.decode(), url
        assert "Maria" not in response.content.decode(), url


def test_circle_and_center_feeds(client, cast):
    other = factories.CircleFactory(name="Tenants")
    make_event(title="Ours", starts_at=soon(), circles=[cast.circle])
    make_event(title="Cohosted", starts_at=soon(), circles=[other], cohosts=[cast.circle])
    make_event(title="Promoted", starts_at=soon(), circles=[other], promoted_by=[cast.circle])
    make_event(title="Theirs", starts_at=soon(), circles=[other], centers=[cast.center])
    circle_feed = parse(client.get(reverse("events:circle_ics", args=[cast.circle.slug])))
    assert set(vevents(circle_feed)) == {"Ours", "Cohosted", "Promoted"}
    assert cast.circle.name in str(circle_feed["X-WR-CALNAME"])
    center_feed = parse(client.get(reverse("events:center_ics", args=[cast.center.slug])))
    assert set(vevents(center_feed)) == {"Theirs"}
    assert client.get(reverse("events:circle_ics", args=["no-such-circle"])).status_code == 404


def test_filtered_feed_takes_the_calendar_filters(client, cast):
    make_event(title="Online study", starts_at=soon(), attendance_mode="online", kind="study")
    make_event(title="Picket", starts_at=soon(), kind="action")
    cal = parse(client.get(reverse("events:calendar_ics"), {"kind": "study", "mode": "online"}))
    assert set(vevents(cal)) == {"Online study"}


def test_feed_window_keeps_recent_and_upcoming(client, cast):
    make_event(title="Last week", starts_at=soon(-7))
    make_event(title="Last year", starts_at=soon(-365))
    make_event(
        title="Weekly since last year",
        starts_at=soon(-365),
        rrule="FREQ=WEEKLY;COUNT=100",
    )
    found = set(vevents(parse(client.get(reverse("events:calendar_ics")))))
    assert found == {"Last week", "Weekly since last year"}


def test_person_feed_lists_confirmed_registrations_only(client, cast):
    going = make_event(title="Going", starts_at=soon())
    waiting = make_event(title="Waiting", starts_at=soon())
    make_event(title="Not registered", starts_at=soon())
    Registration.objects.create(event=going, person=cast.member, status=RegistrationStatus.CONFIRMED)
    Registration.objects.create(event=waiting, person=cast.member, status=RegistrationStatus.WAITLISTED)
    url = ical.person_feed_url(cast.member)
    assert url.startswith("http")
    response = client.get(ical.person_feed_url(cast.member, absolute=False))
    assert set(vevents(parse(response))) == {"Going"}
    assert "private" in response["Cache-Control"]


def test_person_feed_token_is_secret_and_revocable(client, cast):
    token = ical.person_feed_token(cast.member)
    assert str(cast.member.pk) in token
    forged = f"{cast.outsider.pk}.{token.split('.', 1)[1]}"
    assert client.get(reverse("events:person_ics", args=[forged])).status_code == 404
    assert client.get(reverse("events:person_ics", args=["garbage"])).status_code == 404
    with override_settings(EVENTS_PERSON_FEED_VERSION=2):
        assert client.get(reverse("events:person_ics", args=[token])).status_code == 404
        assert ical.person_feed_token(cast.member) != token


def test_event_ics_is_a_download(client, cast):
    event = make_event(title="Conference", starts_at=soon(), time_zone="Europe/Berlin")
    response = client.get(reverse("events:event_ics", args=[event.slug]))
    cal = parse(response)
    assert list(vevents(cal)) == ["Conference"]
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("events:event_ics", args=["nope"])).status_code == 404


def test_caching_headers_and_not_modified(client, cast):
    make_event(title="Talk", starts_at=soon())
    response = client.get(reverse("events:calendar_ics"))
    assert "max-age=900" in response["Cache-Control"]
    assert response["ETag"]
    assert response["Last-Modified"]
    again = client.get(reverse("events:calendar_ics"), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("count", [2, 12])
def test_feeds_cost_fixed_queries(client, cast, django_assert_num_queries, count):
    other = factories.CircleFactory()
    for i in range(count):
        make_event(
            starts_at=soon(1 + i),
            circles=[cast.circle],
            cohosts=[other],
            topics=["Housing", f"T{i}"],
            time_zone=["Europe/London", "Asia/Tokyo", "America/Chicago"][i % 3],
            rrule="FREQ=DAILY;COUNT=3" if i % 2 else "",
            latitude=53.8,
            longitude=-1.55,
        )
    with django_assert_num_queries(4):
        response = client.get(
            reverse("events:calendar_ics"), {"topic": "housing", "lat": "53", "lon": "-1", "km": "200"}
        )
    assert len(parse(response).walk("VEVENT")) == count
    with django_assert_num_queries(5):
        response = client.get(reverse("events:circle_ics", args=[cast.circle.slug]))
    assert len(parse(response).walk("VEVENT")) == count


def test_cached_feed_follows_changes_to_topics_and_hosts(client, cast):
    event = make_event(title="Talk", starts_at=soon())
    url = reverse("events:calendar_ics")
    first = client.get(url)
    assert "CATEGORIES" not in vevents(parse(first))["Talk"]
    event.topics.add(factories_tag("Rent"))
    second = client.get(url)
    assert second["ETag"] != first["ETag"]
    assert list(vevents(parse(second))["Talk"]["CATEGORIES"].cats) == ["Rent"]


def factories_tag(name: str):
    from freshground.testing.calendar_factories import topic

    return topic(name)
