"""Timed occurrences over several days: on every viewer's day they cover in the month and week views, once in the list.

The calendar's week starts on Sunday in English: July 2030's grid starts on Sunday 30 June, a week of 30 June to
6 July. Britain's clocks go forward at 01:00 UTC on Sunday 31 March 2030.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from freshground.events import calendar, calendar_pages
from freshground.events.calendar import CalendarFilters
from freshground.testing.calendar_factories import make_event

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def month_days(year: int, month: int) -> dict[date, calendar.Day]:
    view = calendar_pages.month_view(CalendarFilters(), None, year, month)
    return {day.date: day for week in view.weeks for day in week}


def shown(days: dict[date, calendar.Day] | list[calendar.Day]) -> dict[date, list[tuple[str, bool]]]:
    """Each day with something on: its titles, each with whether it is shown as continuing from an earlier day."""
    items = days.values() if isinstance(days, dict) else days
    return {
        day.date: [(o.event.title, bool(getattr(o, "continued", False))) for o in day.occurrences]
        for day in items
        if day.occurrences
    }


def conference() -> None:
    """A weekend conference across the month boundary: Saturday 29 June 18:00 to Tuesday 2 July 16:00, London."""
    make_event(
        title="Conference",
        starts_at=datetime(2030, 6, 29, 18, 0, tzinfo=LONDON),
        duration=datetime(2030, 7, 2, 16, 0, tzinfo=LONDON) - datetime(2030, 6, 29, 18, 0, tzinfo=LONDON),
        time_zone="Europe/London",
    )


def test_month_view_shows_a_multi_day_event_on_every_day_across_the_month_boundary(cast):
    conference()
    with timezone.override(LONDON):
        june = month_days(2030, 6)
        july = month_days(2030, 7)
    expected_june = {
        date(2030, 6, 29): [("Conference", False)],
        date(2030, 6, 30): [("Conference", True)],
        date(2030, 7, 1): [("Conference", True)],
        date(2030, 7, 2): [("Conference", True)],
    }
    assert shown(june) == expected_june
    # July's grid starts on 30 June, after the start: found as already running when the range begins.
    assert date(2030, 6, 29) not in july
    assert shown(july) == {day: titles for day, titles in expected_june.items() if day in july}


def test_week_view_shows_a_multi_day_event_on_every_day_across_the_month_boundary(cast):
    conference()
    with timezone.override(LONDON):
        before = calendar_pages.week_view(CalendarFilters(), None, date(2030, 6, 29))
        after = calendar_pages.week_view(CalendarFilters(), None, date(2030, 7, 1))
    assert shown(before.days) == {date(2030, 6, 29): [("Conference", False)]}
    assert after.first == date(2030, 6, 30)
    assert shown(after.days) == {
        date(2030, 6, 30): [("Conference", True)],
        date(2030, 7, 1): [("Conference", True)],
        date(2030, 7, 2): [("Conference", True)],
    }


def test_the_days_are_the_viewers(cast):
    # 16:00 on Tuesday in London is 00:00 on Wednesday in Tokyo: Tokyo sees Sunday 30 June 02:00 to Tuesday.
    conference()
    with timezone.override(TOKYO):
        july = month_days(2030, 7)
    assert shown(july) == {
        date(2030, 6, 30): [("Conference", False)],
        date(2030, 7, 1): [("Conference", True)],
        date(2030, 7, 2): [("Conference", True)],
    }


def dst_school() -> None:
    """Saturday 30 March 18:00 GMT to Monday 1 April 00:00 BST (23:00 UTC on Sunday): the clocks go forward between."""
    starts = datetime(2030, 3, 30, 18, 0, tzinfo=LONDON).astimezone(UTC)
    ends = datetime(2030, 4, 1, 0, 0, tzinfo=LONDON).astimezone(UTC)
    assert ends - starts == timedelta(hours=29)  # one hour lost to summer time
    make_event(title="Spring school", starts_at=starts, duration=ends - starts, time_zone="Europe/London")


def test_month_view_across_the_dst_change(cast):
    dst_school()
    with timezone.override(LONDON):
        march = month_days(2030, 3)
        april = month_days(2030, 4)
    # It ends at midnight on Sunday night, local time: Monday is not touched, though in UTC it ends on Sunday 23:00.
    assert shown(march) == {
        date(2030, 3, 30): [("Spring school", False)],
        date(2030, 3, 31): [("Spring school", True)],
    }
    # April's grid starts on Sunday 31 March: the school is already running there.
    assert shown(april) == {date(2030, 3, 31): [("Spring school", True)]}


def test_week_view_across_the_dst_change(cast):
    dst_school()
    with timezone.override(LONDON):
        week = calendar_pages.week_view(CalendarFilters(), None, date(2030, 3, 27))
        following = calendar_pages.week_view(CalendarFilters(), None, date(2030, 4, 2))
    assert shown(week.days) == {date(2030, 3, 30): [("Spring school", False)]}
    assert shown(following.days) == {date(2030, 3, 31): [("Spring school", True)]}
    # New York's clocks changed three weeks earlier: 14:00 Saturday to 19:00 Sunday there.
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        week = calendar_pages.week_view(CalendarFilters(), None, date(2030, 3, 27))
        following = calendar_pages.week_view(CalendarFilters(), None, date(2030, 4, 2))
    assert shown(week.days) == {date(2030, 3, 30): [("Spring school", False)]}
    assert shown(following.days) == {date(2030, 3, 31): [("Spring school", True)]}


def test_continuing_events_respect_the_cap_after_the_days_own(cast):
    make_event(title="Long", starts_at=datetime(2030, 3, 13, 9, tzinfo=UTC), duration=timedelta(days=2))
    make_event(title="Fair", starts_at=datetime(2030, 3, 14, tzinfo=UTC), duration=timedelta(days=1), all_day=True)
    for hour in range(3):
        make_event(title=f"E{hour}", starts_at=datetime(2030, 3, 14, 8 + hour, tzinfo=UTC))
    make_event(title="Early", starts_at=datetime(2030, 3, 15, 8, tzinfo=UTC))
    days = month_days(2030, 3)
    # The 14th's own events fill it first; the one carried over from the 13th is behind the "more" link.
    assert shown({date(2030, 3, 14): days[date(2030, 3, 14)]}) == {
        date(2030, 3, 14): [("Fair", False), ("E0", False), ("E1", False), ("E2", False)]
    }
    assert days[date(2030, 3, 14)].more
    # All-day first, then what continues from an earlier day, then the day's own by time.
    assert shown({date(2030, 3, 15): days[date(2030, 3, 15)]}) == {
        date(2030, 3, 15): [("Long", True), ("Early", False)]
    }
    assert not days[date(2030, 3, 15)].more
    assert shown({date(2030, 3, 13): days[date(2030, 3, 13)]}) == {date(2030, 3, 13): [("Long", False)]}


@pytest.mark.parametrize("count", [2, 9])
def test_multi_day_events_keep_the_query_count_fixed(cast, django_assert_num_queries, count):
    for i in range(count):
        make_event(starts_at=datetime(2030, 3, 1 + i, 18, tzinfo=UTC), duration=timedelta(days=2, hours=i))
        make_event(starts_at=datetime(2030, 2, 20 + i, 18, tzinfo=UTC), duration=timedelta(days=10))
    with django_assert_num_queries(4):
        view = calendar_pages.month_view(CalendarFilters(), None, 2030, 3)
    assert all(len(day.occurrences) <= calendar.DAY_LIMIT for week in view.weeks for day in week)
    with django_assert_num_queries(4):
        calendar_pages.week_view(CalendarFilters(), None, date(2030, 3, 3))


def test_list_shows_it_once_with_its_end(client, cast):
    conference()
    with timezone.override(LONDON):
        listing = calendar_pages.list_view(CalendarFilters(), None, start=date(2030, 6, 29))
    assert [(day.date, [o.event.title for o in day.occurrences]) for day in listing.days] == [
        (date(2030, 6, 29), ["Conference"])
    ]
    occurrence = listing.days[0].occurrences[0]
    assert occurrence.local_end == datetime(2030, 7, 2, 16, 0, tzinfo=LONDON)
    page = client.get(reverse("events:list"), {"from": "2030-06-29"}).content.decode()
    assert page.count(">Conference<") == 1
    assert "Tue 15:00" in page  # the page is in the viewer's zone (UTC here)


def test_month_page_marks_the_following_days_as_continuing(client, cast):
    conference()
    page = client.get(reverse("events:month"), {"year": 2030, "month": 7}).content.decode()
    assert page.count(">Conference<") == 3
    assert page.count("Continues") == 3  # in UTC: Saturday 17:00 to Tuesday 15:00, and the grid starts on Sunday
