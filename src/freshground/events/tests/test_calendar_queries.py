"""The calendar's reads: filters, days in the viewer's zone, caps per day and a fixed number of queries."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from freshground.events import calendar, calendar_pages
from freshground.events.calendar import CalendarFilters
from freshground.events.models import AttendanceMode, EventKind, EventStatus
from freshground.network.models import Follow
from freshground.network.queries import Near
from freshground.testing import factories
from freshground.testing.calendar_factories import make_event

pytestmark = pytest.mark.django_db

MARCH = datetime(2030, 3, 14, 18, 0, tzinfo=UTC)


def titles(filters: CalendarFilters, viewer=None) -> set[str]:
    return {o.event.title for o in calendar.occurrences(filters, viewer)}


def test_filters_by_kind_language_mode_and_access(cast):
    make_event(title="Talk", kind=EventKind.TALK, language="de", step_free=True, hearing_loop=True)
    make_event(title="Study", kind=EventKind.STUDY, attendance_mode=AttendanceMode.ONLINE)
    make_event(title="Both", attendance_mode=AttendanceMode.HYBRID, childcare=True)
    assert titles(CalendarFilters(kind=EventKind.TALK)) == {"Talk"}
    assert titles(CalendarFilters(language="DE")) == {"Talk"}
    assert titles(CalendarFilters(mode="online")) == {"Study", "Both"}
    assert titles(CalendarFilters(mode="in_person")) == {"Talk", "Both"}
    assert titles(CalendarFilters(mode="hybrid")) == {"Both"}
    assert titles(CalendarFilters(access=("step_free", "hearing_loop"))) == {"Talk"}
    assert titles(CalendarFilters(access=("childcare",))) == {"Both"}


def test_filters_by_topic_and_place_text(cast):
    make_event(title="Housing", topics=["Housing"], place_name="Leeds")
    make_event(title="Climate", topics=["Climate"], place_name="Bradford", venue_name="Leeds Road Hall")
    make_event(title="Elsewhere", place_name="York")
    assert titles(CalendarFilters(topic="housing")) == {"Housing"}
    assert titles(CalendarFilters(place="leeds")) == {"Housing", "Climate"}


def test_distance_is_exact_not_just_the_box(cast):
    # Leeds (53.80, -1.55); Bradford is 14 km away, York 35 km, London 270 km.
    make_event(title="Bradford", latitude=53.795, longitude=-1.759)
    make_event(title="York", latitude=53.959, longitude=-1.082)
    make_event(title="London", latitude=51.507, longitude=-0.128)
    make_event(title="Nowhere")
    assert titles(CalendarFilters(near=Near(53.80, -1.55, 20))) == {"Bradford"}
    assert titles(CalendarFilters(near=Near(53.80, -1.55, 50))) == {"Bradford", "York"}
    # A box corner is farther than its radius: 33 km east and 33 km north is 47 km away, outside 40 km.
    make_event(title="Corner", latitude=53.80 + 33 / 111.32, longitude=-1.55 + 33 / (111.32 * 0.59))
    assert "Corner" not in titles(CalendarFilters(near=Near(53.80, -1.55, 40)))


def test_circle_and_center_filters_include_cohosted_and_promoted(cast):
    other = factories.CircleFactory(name="Tenants Union")
    make_event(title="Hosted", circles=[cast.circle])
    make_event(title="Cohosted", circles=[other], cohosts=[cast.circle])
    make_event(title="Promoted", circles=[other], promoted_by=[cast.circle, cast.center])
    make_event(title="By center", centers=[cast.center])
    make_event(title="Unrelated", circles=[other])
    assert titles(CalendarFilters(circle=cast.circle.slug)) == {"Hosted", "Cohosted", "Promoted"}
    assert titles(CalendarFilters(center=cast.center.slug)) == {"Promoted", "By center"}


def test_my_circles_and_follows(cast):
    followed = factories.CircleFactory(name="Followed")
    followed_center = factories.CenterFactory(name="Followed Center")
    Follow.objects.create(person=cast.member, circle=followed)
    Follow.objects.create(person=cast.member, center=followed_center)
    make_event(title="Mine", circles=[cast.circle])
    make_event(title="Followed circle", circles=[followed])
    make_event(title="Promoted by followed center", promoted_by=[followed_center])
    make_event(title="Center I edit", centers=[cast.center])
    make_event(title="Stranger's")
    assert titles(CalendarFilters(mine=True), cast.member) == {
        "Mine",
        "Followed circle",
        "Promoted by followed center",
    }
    assert titles(CalendarFilters(mine=True), cast.editor) == {"Center I edit"}
    assert titles(CalendarFilters(mine=True), None) == set()


def test_cancelled_events_are_shown_unless_hidden(cast):
    make_event(title="Off", status=EventStatus.CANCELLED)
    make_event(title="On")
    assert titles(CalendarFilters()) == {"Off", "On"}
    assert titles(CalendarFilters(hide_cancelled=True)) == {"On"}


def test_month_grid_in_the_viewers_zone(cast):
    # 23:30 UTC on 31 March is 1 April in Tokyo: in a Tokyo viewer's March it is outside the month.
    make_event(title="Late", starts_at=datetime(2030, 3, 31, 23, 30, tzinfo=UTC))
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        view = calendar_pages.month_view(CalendarFilters(), None, 2030, 3)
    days = {day.date: day for week in view.weeks for day in week}
    assert [o.event.title for o in days[date(2030, 4, 1)].occurrences] == ["Late"]
    assert not days[date(2030, 4, 1)].in_range
    assert days[date(2030, 3, 31)].occurrences == []
    assert all(len(week) == 7 for week in view.weeks)
    assert (view.previous, view.next) == (date(2030, 2, 1), date(2030, 4, 1))


def test_recurring_event_appears_on_each_date_and_skips_exdates(cast):
    start = datetime(2030, 3, 4, 18, 0, tzinfo=UTC)
    make_event(
        title="Reading group",
        starts_at=start,
        rrule="FREQ=WEEKLY;COUNT=4",
        exdates=[(start + timedelta(days=14)).isoformat()],
    )
    view = calendar_pages.month_view(CalendarFilters(), None, 2030, 3)
    found = sorted(day.date.day for week in view.weeks for day in week if day.in_range and day.occurrences)
    assert found == [4, 11, 25]


def test_month_cell_caps_and_counts_the_rest(cast):
    for hour in range(7):
        make_event(title=f"E{hour}", starts_at=datetime(2030, 3, 14, 8 + hour, tzinfo=UTC))
    view = calendar_pages.month_view(CalendarFilters(), None, 2030, 3)
    day = next(day for week in view.weeks for day in week if day.date == date(2030, 3, 14))
    assert [o.event.title for o in day.occurrences] == ["E0", "E1", "E2", "E3"]
    assert day.more
    assert not next(d for w in view.weeks for d in w if d.date == date(2030, 3, 15)).more


def test_all_day_events_span_their_own_dates_timed_ones_the_viewers_days(cast):
    make_event(
        title="Weekend school",
        starts_at=datetime(2030, 3, 15, 0, tzinfo=zoneinfo.ZoneInfo("America/Chicago")),
        duration=timedelta(days=3),
        all_day=True,
        time_zone="America/Chicago",
    )
    make_event(title="Occupation", starts_at=datetime(2030, 3, 20, 9, tzinfo=UTC), duration=timedelta(days=2))
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        view = calendar_pages.month_view(CalendarFilters(), None, 2030, 3)
    shown = {d.date.day: [o.event.title for o in d.occurrences] for week in view.weeks for d in week if d.occurrences}
    # The occupation runs from 18:00 on the 20th to 18:00 on the 22nd in Tokyo.
    assert shown == {
        15: ["Weekend school"],
        16: ["Weekend school"],
        17: ["Weekend school"],
        20: ["Occupation"],
        21: ["Occupation"],
        22: ["Occupation"],
    }


def test_list_view_groups_by_day_and_pages(cast):
    for i in range(5):
        make_event(title=f"L{i}", starts_at=datetime(2030, 3, 10 + i // 2, 10 + i, tzinfo=UTC))
    first = calendar_pages.list_view(CalendarFilters(), None, start=date(2030, 3, 1), size=3)
    assert [[o.event.title for o in d.occurrences] for d in first.days] == [["L0", "L1"], ["L2"]]
    assert first.has_next
    assert not first.has_previous
    second = calendar_pages.list_view(CalendarFilters(), None, start=date(2030, 3, 1), page=2, size=3)
    assert [o.event.title for d in second.days for o in d.occurrences] == ["L3", "L4"]
    assert not second.has_next


@pytest.mark.parametrize("count", [3, 12])
def test_month_and_list_cost_fixed_queries(cast, django_assert_num_queries, count):
    other = factories.CircleFactory()
    for i in range(count):
        make_event(
            starts_at=MARCH + timedelta(hours=i * 7),
            circles=[cast.circle],
            cohosts=[other],
            topics=["Housing", f"T{i}"],
            rrule="FREQ=WEEKLY;COUNT=3" if i % 3 == 0 else "",
        )
    filters = CalendarFilters(circle=cast.circle.slug, topic="housing", near=None, access=())
    with django_assert_num_queries(4):
        calendar_pages.month_view(filters, cast.member, 2030, 3)
    with django_assert_num_queries(4):
        calendar_pages.week_view(CalendarFilters(mine=True), cast.member, date(2030, 3, 14))
    with django_assert_num_queries(3):
        calendar_pages.list_view(filters, cast.member, start=date(2030, 3, 1))
