"""Readers' pages: only published reports, only their approved text, filters, fixed query counts, the overview's
accessible charts, and hostile text rendered inert."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from freshground.core import content
from freshground.core.models import Tag
from freshground.reports import redaction
from freshground.reports.models import Desk, PlaceKind, Report, ReportStatus, Version
from freshground.reports.tests.test_desk_support import (  # noqa: F401
    ORIGINAL_EMPLOYER,
    ORIGINAL_NAME,
    World,
    _no_reports_cache,
    approve,
    make_report,
    world,
)

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
]


def publish_now(report: Report, desk: Desk, **texts: Any) -> Version:
    on = texts.pop("on", None) or timezone.localdate()
    version = approve(report, **texts)
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.PUBLISHED, published_version=version, published_by_desk=desk, published_on=on
    )
    report.refresh_from_db()
    return version


def test_unpublished_reports_are_nowhere_public(client, world: World):  # noqa: F811
    approve(world.report_a)
    for report in (world.report_a, world.report_b, world.report_ab):
        assert client.get(report.get_absolute_url()).status_code == 404
    index = client.get(reverse("reports:index")).content.decode()
    overview = client.get(reverse("reports:overview")).content.decode()
    api = client.get("/api/v1/reports/published").content.decode()
    for page in (index, overview, api):
        assert ORIGINAL_EMPLOYER not in page
        assert "Damp flats" not in page
        assert world.report_a.public_id not in page
    assert "0 reports" in index


def test_published_page_shows_the_approved_text_only(client, world: World):  # noqa: F811
    version = publish_now(world.report_a, world.circle_desk)
    page = client.get(world.report_a.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert version.what_happened in body
    assert ORIGINAL_NAME not in body
    assert ORIGINAL_EMPLOYER not in body
    assert "Sent anonymously" in body


def test_index_filters(client, world: World):  # noqa: F811
    publish_now(world.report_a, world.circle_desk, title="Leeds depot win", region="Leeds")
    world.report_a.is_win = True
    world.report_a.save(update_fields=["is_win"])
    world.report_a.topics.set([Tag.objects.create(name="breaks")])
    tenancy = make_report(world.center_desk, place_kind=PlaceKind.TENANCY, sector="L", region="Glasgow")
    publish_now(tenancy, world.center_desk, title="Damp flats fixed", region="Glasgow")
    url = reverse("reports:index")

    def titles(**params: str) -> set[str]:
        body = client.get(url, params).content.decode()
        return {title for title in ("Leeds depot win", "Damp flats fixed") if title in body}

    assert titles() == {"Leeds depot win", "Damp flats fixed"}
    assert titles(wins="on") == {"Leeds depot win"}
    assert titles(sector="L") == {"Damp flats fixed"}
    assert titles(place_kind="tenancy") == {"Damp flats fixed"}
    assert titles(region="glasgow") == {"Damp flats fixed"}
    assert titles(topic="breaks") == {"Leeds depot win"}
    # The original region is not a filter: only the published version's.
    world.report_a.region = "Secret Village"
    world.report_a.save(update_fields=["region"])
    assert titles(region="Secret Village") == set()


def test_index_query_count_is_fixed(client, world: World, django_assert_max_num_queries):  # noqa: F811
    for index in range(5):
        report = make_report(world.circle_desk)
        publish_now(report, world.circle_desk, title=f"Report {index}")
        report.topics.set([Tag.objects.get_or_create(name=f"topic {index}", slug=f"topic-{index}")[0]])
    url = reverse("reports:index")
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for index in range(25):
        report = make_report(world.center_desk)
        publish_now(report, world.center_desk, title=f"More {index}")
        report.topics.set([Tag.objects.get_or_create(name=f"more {index}", slug=f"more-{index}")[0]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_report_page_query_count(client, world: World, django_assert_max_num_queries):  # noqa: F811
    publish_now(world.report_a, world.circle_desk)
    with django_assert_max_num_queries(12):
        client.get(world.report_a.get_absolute_url())


def test_overview_has_accessible_charts_with_tables(client, world: World, django_assert_max_num_queries):  # noqa: F811
    publish_now(world.report_a, world.circle_desk, region="Leeds", on=date(2026, 1, 10))
    publish_now(world.report_b, world.center_desk, region="Glasgow")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("reports:overview"))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('role="img"') == 5
    assert body.count('<table class="chart-table">') == 5
    assert "Transportation and storage" in body
    assert "Glasgow" in body


@pytest.mark.parametrize("payload", XSS)
def test_hostile_text_renders_inert(client, world: World, payload):  # noqa: F811
    report = make_report(world.circle_desk, title=payload, region=payload, what_happened=payload, outcome=payload)
    client.force_login(world.reviewer)
    review = client.get(reverse("reports:review", args=[world.circle_desk.pk, report.public_id])).content.decode()
    publish_now(report, world.circle_desk, title=payload, region=payload, what_happened=payload, outcome=payload)
    client.logout()
    pages = [
        review,
        client.get(report.get_absolute_url()).content.decode(),
        client.get(reverse("reports:index")).content.decode(),
        client.get(reverse("reports:overview")).content.decode(),
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "<svg/onload" not in page
        assert 'href="javascript:' not in page


def test_redaction_preview_escapes_hostile_text():
    pairs = redaction.parse_pairs("Bob → [a <b>manager</b>]")
    html = redaction.highlight("<script>Bob</script>", pairs)
    assert "<script>" not in html
    assert '<mark class="redacted">[a &lt;b&gt;manager&lt;/b&gt;]</mark>' in html


def test_content_registry_sees_only_published_reports(world: World):  # noqa: F811
    kind = content.kind_for_label("reports.report")
    assert kind is not None
    assert kind.commentable
    assert not kind.can_view(world.reviewer, world.report_a)
    assert kind.title_of(world.report_a) != world.report_a.title
    assert kind.author_of(world.report_a) is None
    publish_now(world.report_a, world.circle_desk)
    assert kind.can_view(None, world.report_a)
    assert kind.space_of(world.report_a) == world.cast.circle
    version = world.report_a.published_version
    assert version is not None
    assert kind.title_of(world.report_a) == version.title


def test_overview_cache_follows_publishing(client, world: World, settings, django_capture_on_commit_callbacks):  # noqa: F811
    from freshground.reports.queries_desk import published_changed
    from freshground.reports.tests.test_desk_support import login

    settings.FRESHGROUND_REPORTS_CACHE_SECONDS = 300
    published_changed()  # a generation of our own: the file cache outlives test databases
    publish_now(world.report_b, world.center_desk)
    published_changed()
    assert "1 published report," in client.get(reverse("reports:overview")).content.decode()
    approve(world.report_a)
    login(client, world.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:review_publish", args=[world.circle_desk.pk, world.report_a.public_id]))
    assert Report.objects.get(pk=world.report_a.pk).status == ReportStatus.PUBLISHED
    assert "2 published reports," in client.get(reverse("reports:overview")).content.decode()
