# mypy: disable-error-code="arg-type,attr-defined"
"""Recurrence: expansion in the event's zone, limits, the 500 cap, skipped dates and the horizon job."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest

from freshground.core.exceptions import DomainError
from freshground.events import occurrences
from freshground.events.models import Event, Occurrence
from freshground.events.tests.core_helpers import make_event

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_single_event_has_one_occurrence(cast):
    event = make_event(cast.outsider)
    rows = list(Occurrence.objects.filter(event=event))
    assert [(r.starts_at, r.ends_at) for r in rows] == [(event.starts_at, event.ends_at)]


def test_weekly_rule_keeps_wall_clock_across_dst(cast):
    start = datetime(2026, 10, 13, 19, 0, tzinfo=LONDON)  # BST; clocks go back on 25 October
    event = make_event(
        cast.outsider, starts_at=start, ends_at=start + timedelta(hours=2), rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=4"
    )
    starts = [o.starts_at for o in event.occurrences.all()]
    assert [s.astimezone(LONDON).hour for s in starts] == [19, 19, 19, 19]
    assert [s.astimezone(UTC).hour for s in starts] == [18, 18, 19, 19]
    assert event.occurrences.first().ends_at - starts[0] == timedelta(hours=2)


def test_exdates_skip_a_local_date(cast):
    start = datetime(2026, 10, 13, 19, 0, tzinfo=LONDON)
    event = make_event(
        cast.outsider,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        rrule="RRULE:FREQ=WEEKLY;COUNT=3",
        exdates=["2026-10-20"],
    )
    assert event.rrule == "FREQ=WEEKLY;COUNT=3"
    local_days = [o.starts_at.astimezone(LONDON).day for o in event.occurrences.all()]
    assert local_days == [13, 27]


def test_local_until_is_read_in_the_event_zone(cast):
    start = datetime(2026, 1, 5, 19, 0, tzinfo=LONDON)
    event = make_event(
        cast.outsider, starts_at=start, ends_at=start + timedelta(hours=1), rrule="FREQ=WEEKLY;UNTIL=20260126"
    )
    assert event.occurrences.count() == 4


@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "nonsense", "FREQ=WEEKLY;BYDAY=XX", "FREQ=MINUTELY;COUNT=3"])
def test_unreadable_rules_are_refused_on_rrule(cast, rule):
    with pytest.raises(DomainError) as caught:
        make_event(cast.outsider, rrule=rule)
    assert caught.value.field == "rrule"
    assert not Event.objects.exists()


def test_count_over_500_is_refused_with_a_clear_message(cast):
    with pytest.raises(DomainError) as caught:
        make_event(cast.outsider, rrule="FREQ=DAILY;COUNT=10000")
    assert caught.value.field == "rrule"
    assert "10000" in caught.value.message
    assert "500" in caught.value.message


def test_until_making_over_500_dates_is_refused(cast):
    with pytest.raises(DomainError, match="more than 500 dates before it ends"):
        make_event(cast.outsider, rrule="FREQ=DAILY;UNTIL=20400101T000000Z")


def test_open_ended_daily_rule_is_refused_but_weekly_is_cut_at_the_horizon(cast):
    with pytest.raises(DomainError, match="next 18 months"):
        make_event(cast.outsider, rrule="FREQ=DAILY")
    event = make_event(cast.outsider, rrule="FREQ=WEEKLY")
    count = event.occurrences.count()
    assert 75 <= count <= 80
    assert event.occurrences.last().starts_at <= event.starts_at + occurrences.HORIZON


def test_expansion_never_keeps_more_than_500(cast):
    event = make_event(cast.outsider, rrule="FREQ=WEEKLY")
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at - timedelta(days=7 * 600), ends_at=event.ends_at - timedelta(days=7 * 600)
    )
    event.refresh_from_db()
    assert occurrences.rebuild_occurrences(event) == 500
    assert event.occurrences.count() == 500


def test_horizon_job_adds_dates_as_time_passes(cast):
    event = make_event(cast.outsider, rrule="FREQ=WEEKLY")
    before = event.occurrences.count()
    occurrences.extend_horizons(now=event.starts_at + timedelta(days=70))
    assert event.occurrences.count() == before + 10


def test_recurrence_in_words(cast):
    start = datetime(2026, 10, 13, 19, 0, tzinfo=LONDON)
    event = make_event(
        cast.outsider, starts_at=start, ends_at=start + timedelta(hours=1), rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=10"
    )
    assert occurrences.recurrence_in_words(event) == "Every week on Tuesday, 10 times"
