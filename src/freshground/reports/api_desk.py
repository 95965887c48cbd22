"""Reports API for readers and reviewers (mounted at /api/v1/).

Readers: published reports (list with the same filters as the page, one report, the overview counts) — only the
approved version's text, never the original. Reviewers: their desks, a desk's queue, a report, and the actions
(ask, propose a version, publish, decline), with the same checks as the pages: a reviewer of the desk in the path,
with two-factor authentication, and a report sent to that desk (a report sent elsewhere is a 404).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.core.exceptions import NotFound, PermissionDenied
from freshground.people.api import ERRORS, actor
from freshground.people.models import Person
from freshground.reports import permissions as perms
from freshground.reports import queries_desk as queries
from freshground.reports import redaction
from freshground.reports import services_desk as services
from freshground.reports.models import Desk, Report, ReportStatus

router = Router(tags=["reports"])


class PublishedOut(Schema):
    public_id: str
    url: str
    title: str
    region: str
    place_kind: str
    sector: str
    sector_name: str
    is_win: bool
    topics: list[str]
    published_on: date | None
    what_happened: str
    what_we_did: str
    outcome: str


class PublishedPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PublishedOut]


class CountOut(Schema):
    label: str
    count: int


class MonthOut(Schema):
    month: date
    count: int


class SeriesOut(Schema):
    name: str
    points: list[MonthOut]


class OverviewOut(Schema):
    total: int
    wins: int
    by_sector: list[CountOut]
    by_region: list[CountOut]
    by_place_kind: list[CountOut]
    sectors_by_month: list[SeriesOut]
    regions_by_month: list[SeriesOut]


class DeskOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    circle: str | None
    center: str | None
    can_review: bool
    needs_two_factor: bool


class QueueItemOut(Schema):
    public_id: str
    title: str
    status: str
    place_kind: str
    sector: str
    region: str
    is_win: bool
    submitted_on: date
    last_activity_on: date


class QueueOut(Schema):
    desk: DeskOut
    status: str
    counts: dict[str, int]
    count: int
    page: int
    pages: int
    results: list[QueueItemOut]


class MessageOut(Schema):
    id: int
    from_reporter: bool
    reviewer: str | None
    body: str
    created_on: date


class VersionOut(Schema):
    number: int
    status: str
    title: str
    region: str
    what_happened: str
    what_we_did: str
    outcome: str
    note: str
    proposed_on: date


class ReviewOut(Schema):
    public_id: str
    mode: str
    author: str | None
    pseudonym: str
    status: str
    title: str
    place_kind: str
    sector: str
    sector_detail: str
    region: str
    place_size: str
    what_happened: str
    what_we_did: str
    outcome: str
    is_win: bool
    topics: list[str]
    submitted_on: date
    last_activity_on: date
    messages: list[MessageOut]
    versions: list[VersionOut]
    attachments: list[dict[str, Any]]


class AskIn(Schema):
    body: str


class ReplacementIn(Schema):
    find: str
    replace: str


class VersionIn(Schema):
    title: str
    what_happened: str
    region: str = ""
    what_we_did: str = ""
    outcome: str = ""
    note: str = ""
    replacements: list[ReplacementIn] = []


class DeclineIn(Schema):
    message: str = ""


# Readers


def _published(report: Report, names: dict[str, str]) -> dict[str, Any]:
    version = report.published_version
    assert version is not None
    return {
        "public_id": report.public_id,
        "url": report.get_absolute_url(),
        "title": version.title,
        "region": version.region,
        "place_kind": report.place_kind,
        "sector": report.sector,
        "sector_name": names.get(report.sector, "") if report.sector else "",
        "is_win": report.is_win,
        "topics": [topic.name for topic in report.topics.all()],
        "published_on": report.published_on,
        "what_happened": version.what_happened,
        "what_we_did": version.what_we_did,
        "outcome": version.outcome,
    }


@router.get(
    "/reports/published", auth=OPTIONAL_AUTH, response={200: PublishedPage, **ERRORS}, summary="Published reports"
)
def published_list(
    request: HttpRequest,
    sector: str = "",
    place_kind: str = "",
    region: str = "",
    topic: str = "",
    wins: bool = False,
    page: int = 1,
) -> dict[str, Any]:
    filters = queries.Filters(
        sector=sector[:2], place_kind=place_kind[:16], region=region.strip()[:120], topic=topic[:80], wins=wins
    )
    found = queries.published_page(filters, page)
    reports = list(found.object_list)
    names = queries.sector_names(sorted({r.sector for r in reports}))
    # The list's .only() leaves out what_we_did and outcome: load the versions' texts in one more query.
    from freshground.reports.models import Version

    versions = {v.pk: v for v in Version.objects.filter(pk__in=[r.published_version_id for r in reports])}
    for report in reports:
        report.published_version = versions[report.published_version_id]  # type: ignore[index]
    return {
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "results": [_published(report, names) for report in reports],
    }


@router.get(
    "/reports/published/{public_id}", auth=OPTIONAL_AUTH, response={200: PublishedOut, **ERRORS}, summary="A report"
)
def published_detail(request: HttpRequest, public_id: str) -> dict[str, Any]:
    report = queries.published_report(public_id)
    if report is None:
        raise NotFound(_("There is no published report with this id."))
    return _published(report, queries.sector_names([report.sector]))


@router.get("/reports/overview", auth=OPTIONAL_AUTH, response={200: OverviewOut, **ERRORS}, summary="Counts")
def overview(request: HttpRequest) -> dict[str, Any]:
    data = queries.overview()

    def series(months: dict[str, list[tuple[date, int]]]) -> list[dict[str, Any]]:
        return [
            {"name": name, "points": [{"month": m, "count": n} for m, n in points]} for name, points in months.items()
        ]

    return {
        "total": data.total,
        "wins": data.wins,
        "by_sector": [{"label": label, "count": n} for label, n in data.by_sector],
        "by_region": [{"label": label, "count": n} for label, n in data.by_region],
        "by_place_kind": [{"label": label, "count": n} for label, n in data.by_place_kind],
        "sectors_by_month": series(data.sector_months),
        "regions_by_month": series(data.region_months),
    }


# Reviewers


def _desk_out(person: Person, desk: Desk) -> dict[str, Any]:
    return {
        "id": desk.pk,
        "name": desk.name,
        "description": desk.description,
        "is_active": desk.is_active,
        "circle": desk.circle.slug if desk.circle_id and desk.circle else None,
        "center": desk.center.slug if desk.center_id and desk.center else None,
        "can_review": perms.can_review_desk(person, desk),
        "needs_two_factor": perms.is_reviewer_without_two_factor(person, desk),
    }


def _reviewer_desk(person: Person, pk: int) -> Desk:
    desk = queries.desk_by_pk(pk)
    if desk is None:
        raise NotFound(_("There is no such desk."))
    if perms.is_reviewer_without_two_factor(person, desk):
        raise PermissionDenied(_("Set up two-factor authentication before reviewing reports."))
    if not perms.can_review_desk(person, desk):
        raise PermissionDenied(_("Only this desk's reviewers can open its reports."))
    return desk


def _report(desk: Desk, public_id: str) -> Report:
    report = queries.report_in_desk(desk, public_id)
    if report is None:
        raise NotFound(_("There is no such report in this desk."))
    return report


def _review_out(report: Report) -> dict[str, Any]:
    return {
        "public_id": report.public_id,
        "mode": report.mode,
        "author": report.author.display_name if report.author_id and report.author else None,
        "pseudonym": report.pseudonym,
        "status": report.status,
        "title": report.title,
        "place_kind": report.place_kind,
        "sector": report.sector,
        "sector_detail": report.sector_detail,
        "region": report.region,
        "place_size": report.place_size,
        "what_happened": report.what_happened,
        "what_we_did": report.what_we_did,
        "outcome": report.outcome,
        "is_win": report.is_win,
        "topics": [t.name for t in report.topics.all()],
        "submitted_on": report.submitted_on,
        "last_activity_on": report.last_activity_on,
        "messages": [
            {
                "id": m.pk,
                "from_reporter": m.from_reporter,
                "reviewer": m.reviewer.display_name if m.reviewer else None,
                "body": m.body,
                "created_on": m.created_on,
            }
            for m in report.messages.all()
        ],
        "versions": [
            {
                "number": v.number,
                "status": v.status,
                "title": v.title,
                "region": v.region,
                "what_happened": v.what_happened,
                "what_we_did": v.what_we_did,
                "outcome": v.outcome,
                "note": v.note,
                "proposed_on": v.proposed_on,
            }
            for v in report.versions.all()
        ],
        "attachments": [
            {"id": a.pk, "kind": a.kind, "content_type": a.content_type, "size": a.size, "publish": a.publish}
            for a in report.attachments.all()
        ],
    }


@router.get("/reports/desks", auth=AUTH, response={200: list[DeskOut], **ERRORS}, summary="My desks")
def my_desks(request: HttpRequest) -> list[dict[str, Any]]:
    person = actor(request)
    return [_desk_out(person, desk) for desk in queries.desks_for(person).desks]


@router.get("/reports/desks/{pk}/queue", auth=AUTH, response={200: QueueOut, **ERRORS}, summary="A desk's queue")
def queue(request: HttpRequest, pk: int, status: str = "", page: int = 1) -> dict[str, Any]:
    person = actor(request)
    desk = _reviewer_desk(person, pk)
    found = queries.desk_queue(desk, status=status, page=page)
    return {
        "desk": _desk_out(person, desk),
        "status": found.status,
        "counts": found.counts,
        "count": found.page.paginator.count,
        "page": found.page.number,
        "pages": found.page.paginator.num_pages,
        "results": [
            {
                "public_id": r.public_id,
                "title": r.title,
                "status": r.status,
                "place_kind": r.place_kind,
                "sector": r.sector,
                "region": r.region,
                "is_win": r.is_win,
                "submitted_on": r.submitted_on,
                "last_activity_on": r.last_activity_on,
            }
            for r in found.page.object_list
        ],
    }


@router.get(
    "/reports/desks/{pk}/reports/{public_id}", auth=AUTH, response={200: ReviewOut, **ERRORS}, summary="A report"
)
def review(request: HttpRequest, pk: int, public_id: str) -> dict[str, Any]:
    person = actor(request)
    desk = _reviewer_desk(person, pk)
    report = _report(desk, public_id)
    services.open_report(person=person, desk=desk, report=report)
    return _review_out(report)


@router.post(
    "/reports/desks/{pk}/reports/{public_id}/ask",
    auth=AUTH,
    response={201: MessageOut, **ERRORS},
    summary="Ask the reporter a question",
)
def ask(request: HttpRequest, pk: int, public_id: str, payload: AskIn) -> Status[dict[str, Any]]:
    person = actor(request)
    desk = _reviewer_desk(person, pk)
    report = _report(desk, public_id)
    message = services.ask_reporter(person=person, desk=desk, report=report, body=payload.body)
    return Status(
        201,
        {
            "id": message.pk,
            "from_reporter": False,
            "reviewer": person.display_name,
            "body": message.body,
            "created_on": message.created_on,
        },
    )


@router.post(
    "/reports/desks/{pk}/reports/{public_id}/versions",
    auth=AUTH,
    response={201: VersionOut, **ERRORS},
    summary="Propose a redacted version to the reporter",
)
def propose(request: HttpRequest, pk: int, public_id: str, payload: VersionIn) -> Status[dict[str, Any]]:
    person = actor(request)
    desk = _reviewer_desk(person, pk)
    report = _report(desk, public_id)
    text = redaction.format_pairs(redaction.Replacement(r.find, r.replace) for r in payload.replacements)
    pairs = redaction.parse_pairs(text, field="replacements")
    version = services.propose_version(
        person=person,
        desk=desk,
        report=report,
        title=payload.title,
        region=payload.region,
        what_happened=payload.what_happened,
        what_we_did=payload.what_we_did,
        outcome=payload.outcome,
        note=payload.note,
        replacements=pairs,
    )
    return Status(
        201,
        {
            "number": version.number,
            "status": version.status,
            "title": version.title,
            "region": version.region,
            "what_happened": version.what_happened,
            "what_we_did": version.what_we_did,
            "outcome": version.outcome,
            "note": version.note,
            "proposed_on": version.proposed_on,
        },
    )


@router.post(
    "/reports/desks/{pk}/reports/{public_id}/publish",
    auth=AUTH,
    response={200: PublishedOut, **ERRORS},
    summary="Publish the approved version",
)
def publish(request: HttpRequest, pk: int, public_id: str) -> dict[str, Any]:
    person = actor(request)
    desk = _reviewer_desk(person, pk)
    report = _report(desk, public_id)
    services.publish(person=person, desk=desk, report=report)
    published = queries.published_report(public_id)
    assert published is not None
    return _published(published, queries.sector_names([published.sector]))


@router.post(
    "/reports/desks/{pk}/reports/{public_id}/decline",
    auth=AUTH,
    response={200: dict[str, str], **ERRORS},
    summary="Do not publish the report",
)
def decline(request: HttpRequest, pk: int, public_id: str, payload: DeclineIn) -> dict[str, str]:
    person = actor(request)
    desk = _reviewer_desk(person, pk)
    report = _report(desk, public_id)
    services.decline(person=person, desk=desk, report=report, message=payload.message)
    return {"status": ReportStatus.DECLINED}
