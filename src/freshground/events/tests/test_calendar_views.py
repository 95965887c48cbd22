"""The calendar pages as people see them: list, week and month, filters, navigation, htmx partials."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from freshground.events.models import EventKind, EventStatus
from freshground.testing.calendar_factories import make_event

pytestmark = pytest.mark.django_db


def soon(days: int = 3, hour: int = 18) -> datetime:
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_index_lists_upcoming_events_with_view_switcher(client, cast):
    make_event(title="Housing assembly", starts_at=soon(), kind=EventKind.PUBLIC_MEETING, circles=[cast.circle])
    make_event(title="Long gone", starts_at=soon(-40))
    html = client.get(reverse("events:index")).content.decode()
    assert "Housing assembly" in html
    assert "Public meeting" in html
    assert "Long gone" not in html
    assert cast.circle.name in html
    assert 'href="/events/month/"' in html
    assert 'aria-current="page">List' in html
    assert reverse("events:calendar_ics") in html


def test_main_navigation_shows_events(client, cast):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("events:index")}"' in html


def test_month_page_is_a_table_with_headers_and_links(client, cast):
    event = make_event(title="Reading group", starts_at=datetime(2030, 3, 14, 18, tzinfo=UTC))
    response = client.get(reverse("events:month"), {"year": 2030, "month": 3})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<table" in html
    assert '<th scope="col"' in html
    assert "March 2030" in html
    assert f"/events/{event.slug}/" in html
    assert "year=2030&amp;month=2" in html or "year=2030&month=2" in html
    assert "year=2030&amp;month=4" in html or "year=2030&month=4" in html
    assert 'class="cal-day cal-outside"' in html


def test_month_page_shows_times_in_the_viewers_zone(client, cast):
    make_event(title="Evening talk", starts_at=datetime(2030, 3, 14, 18, 0, tzinfo=UTC))
    cast.member.time_zone = "Asia/Tokyo"
    cast.member.save()
    client.force_login(cast.member)
    html = client.get(reverse("events:month"), {"year": 2030, "month": 3}).content.decode()
    assert "03:00" in html  # 18:00 UTC is 03:00 the next day in Tokyo
    assert 'datetime="2030-03-15T03:00:00+09:00"' in html


def test_week_page_and_navigation(client, cast):
    make_event(title="Picket", starts_at=datetime(2030, 3, 14, 7, tzinfo=UTC), kind=EventKind.ACTION)
    html = client.get(reverse("events:week"), {"date": "2030-03-14"}).content.decode()
    assert "Picket" in html
    assert "Protest or action" in html
    assert "date=2030-03-03" in html  # previous week (weeks start on Sunday in English)
    assert "date=2030-03-17" in html


def test_cancelled_events_are_marked(client, cast):
    make_event(title="Rally", starts_at=soon(), status=EventStatus.CANCELLED)
    html = client.get(reverse("events:list")).content.decode()
    assert "Rally" in html
    assert "Cancelled" in html
    assert "Rally" not in client.get(reverse("events:list"), {"hide_cancelled": "on"}).content.decode()


def test_filters_and_htmx_partial(client, cast):
    make_event(title="Leeds talk", starts_at=soon(), place_name="Leeds", kind=EventKind.TALK)
    make_event(title="York social", starts_at=soon(), place_name="York", kind=EventKind.SOCIAL)
    html = client.get(reverse("events:list"), {"place": "leeds"}).content.decode()
    assert "Leeds talk" in html
    assert "York social" not in html
    assert "calendar.ics?place=leeds" in html
    partial = client.get(reverse("events:list"), {"kind": "social"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "York social" in body
    assert "<html" not in body
    assert "Leeds talk" not in body


def test_bad_input_never_fails(client, cast):
    for params in (
        {"year": "x", "month": "13"},
        {"year": "99999", "month": "-1"},
        {"lat": "95", "lon": "abc", "km": "0"},
        {"kind": "nonsense", "access": ["teleporter"], "topic": "not a slug!"},
    ):
        assert client.get(reverse("events:month"), params).status_code == 200
    assert client.get(reverse("events:week"), {"date": "2030-02-30"}).status_code == 200
    assert client.get(reverse("events:list"), {"page": "-3", "from": "garbage"}).status_code == 200


def test_my_circles_needs_signing_in(client, cast):
    make_event(title="Circle meeting", starts_at=soon(), circles=[cast.circle])
    html = client.get(reverse("events:list"), {"mine": "on"}).content.decode()
    assert "Log in to see the events of your circles" in html
    client.force_login(cast.member)
    assert "Circle meeting" in client.get(reverse("events:list"), {"mine": "on"}).content.decode()


@pytest.mark.parametrize("count", [2, 10])
def test_pages_cost_fixed_queries(client, cast, django_assert_num_queries, count):
    for i in range(count):
        make_event(
            starts_at=datetime(2030, 3, 2 + i, 18, tzinfo=UTC),
            circles=[cast.circle],
            topics=["Housing"],
            rrule="FREQ=WEEKLY;COUNT=3" if i % 2 else "",
        )
    # The page: the session-less anonymous request costs only the calendar's queries.
    with django_assert_num_queries(4):
        client.get(reverse("events:month"), {"year": 2030, "month": 3, "topic": "housing"})
    with django_assert_num_queries(4):
        client.get(reverse("events:week"), {"date": "2030-03-05", "circle": cast.circle.slug})
    with django_assert_num_queries(3):
        client.get(reverse("events:list"), {"from": "2030-03-01"})
