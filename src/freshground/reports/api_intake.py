"""The reporter's part of the API, under /api/v1/reports/.

- POST /reports/ (JSON or multipart with `attachments` files) submits a report. Anonymous and pseudonymous reports need
  no authentication; the answer carries the passphrase, this once. A report under one's own name (mode "member")
  needs an API token: a session cookie is not accepted here, so no other site can make a member's browser submit.
- POST /reports/inbox and its actions take the passphrase in the JSON body, never in the URL or query string. A
  member's report is opened instead with `public_id` and an API token.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pydantic
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError

from freshground.core.exceptions import DomainError, NotFound, PermissionDenied
from freshground.people.models import Person
from freshground.people.services import authenticate_token
from freshground.reports import privacy, throttle
from freshground.reports import queries_intake as queries
from freshground.reports import services_intake as services
from freshground.reports.files import attachment_response
from freshground.reports.models import TEXT_MAX_LENGTH, Mode, Report

router = Router(tags=["reports"])


class ErrorOut(Schema):
    detail: str
    field: str | None = None


ERRORS: dict[Any, Any] = {frozenset({400, 403, 404, 409, 413, 429}): ErrorOut}


class SubmitIn(Schema):
    mode: Mode = Mode.ANONYMOUS
    desks: list[int] = Field(min_length=1, max_length=50)
    title: str = Field(max_length=160)
    place_kind: str
    what_happened: str = Field(max_length=TEXT_MAX_LENGTH)
    sector: str = ""
    sector_detail: str = Field("", max_length=120)
    region: str = Field("", max_length=120)
    place_size: str = ""
    what_we_did: str = Field("", max_length=TEXT_MAX_LENGTH)
    outcome: str = Field("", max_length=TEXT_MAX_LENGTH)
    is_win: bool = False
    pseudonym: str = Field("", max_length=60)
    confirm_documents: bool = False


class SubmittedOut(Schema):
    passphrase: str | None = Field(
        description="Shown this once (anonymous and pseudonymous reports). Only its hash is kept: write it down."
    )
    mode: str
    status: str
    pseudonym: str
    public_id: str | None = Field(description="Only for a member's report (to open it with a token).")


class ReporterKeyIn(Schema):
    passphrase: str = Field("", max_length=400)
    public_id: str = Field("", max_length=20)


class AnswerIn(ReporterKeyIn):
    body: str = Field(max_length=TEXT_MAX_LENGTH)


class VersionDecisionIn(ReporterKeyIn):
    version: int
    reason: str = Field("", max_length=TEXT_MAX_LENGTH)


class AttachmentIn(ReporterKeyIn):
    attachment: int


class MessageOut(Schema):
    id: int
    from_reporter: bool
    desk: str | None
    body: str
    created_on: date


class TextsOut(Schema):
    title: str
    region: str
    what_happened: str
    what_we_did: str
    outcome: str


class VersionOut(TextsOut):
    number: int
    note: str
    status: str
    proposed_on: date


class AttachmentOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    width: int | None
    height: int | None


class InboxOut(Schema):
    title: str
    status: str
    status_label: str
    mode: str
    pseudonym: str
    submitted_on: date
    last_activity_on: date
    desks: list[str]
    messages: list[MessageOut]
    proposed_version: VersionOut | None
    original: TextsOut
    attachments: list[AttachmentOut]


class MyReportOut(Schema):
    public_id: str
    title: str
    status: str
    submitted_on: date
    last_activity_on: date


def _token_person(request: HttpRequest) -> Person | None:
    """The person of a valid API token in the request, if any. Session cookies do not count here."""
    header = request.headers.get("Authorization", "")
    key = header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("X-API-Token", "")
    return authenticate_token(key) if key else None


def _texts(source: Any) -> dict[str, str]:
    return {
        name: getattr(source, name) or "" for name in ("title", "region", "what_happened", "what_we_did", "outcome")
    }


def _inbox_out(report: Report) -> dict[str, Any]:
    box = queries.inbox(report)
    proposed = box.proposed
    return {
        "title": report.title,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "mode": report.mode,
        "pseudonym": report.pseudonym,
        "submitted_on": report.submitted_on,
        "last_activity_on": report.last_activity_on,
        "desks": box.desk_names,
        "messages": [
            {
                "id": m.pk,
                "from_reporter": m.from_reporter,
                "desk": m.desk.name if m.desk else None,
                "body": m.body,
                "created_on": m.created_on,
            }
            for m in box.messages
        ],
        "proposed_version": None
        if proposed is None
        else {
            **_texts(proposed),
            "number": proposed.number,
            "note": proposed.note,
            "status": proposed.status,
            "proposed_on": proposed.proposed_on,
        },
        "original": _texts(report),
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "content_type": a.content_type,
                "size": a.size,
                "width": a.width,
                "height": a.height,
            }
            for a in box.attachments
        ],
    }


def _reporter(request: HttpRequest, key: ReporterKeyIn) -> Report:
    if key.passphrase:
        return services.reporter_report(None, passphrase_text=key.passphrase)
    return services.reporter_report(_token_person(request), public_id=key.public_id)


def _submission(request: HttpRequest) -> tuple[SubmitIn, list[services.Upload]]:
    if request.content_type == "multipart/form-data":
        raw: dict[str, Any] = {key: request.POST.get(key) for key in request.POST if key != "desks"}
        raw["desks"] = request.POST.getlist("desks")
        for flag in ("is_win", "confirm_documents"):
            raw[flag] = str(raw.get(flag, "")).lower() in ("1", "true", "on", "yes")
        uploads = [services.Upload(file=f, name=f.name or "") for f in request.FILES.getlist("attachments")]
    else:
        try:
            raw = json.loads(request.body or b"{}")
        except ValueError as error:
            raise DomainError("The body is neither JSON nor multipart form data.") from error
        if not isinstance(raw, dict):
            raise DomainError("The body must be a JSON object.")
        uploads = []
    try:
        return SubmitIn.model_validate(raw), uploads
    except pydantic.ValidationError as error:
        raise NinjaValidationError([dict(e) for e in error.errors(include_url=False, include_context=False)]) from error


@router.post(
    "/reports/",
    auth=None,
    response={201: SubmittedOut, **ERRORS},
    summary="Submit a report (JSON or multipart); the passphrase is in the answer, this once",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": SubmitIn.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            **SubmitIn.model_json_schema()["properties"],
                            "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        },
                    }
                },
            },
            "required": True,
        }
    },
)
def submit(request: HttpRequest) -> Status[dict[str, Any]]:
    data, uploads = _submission(request)
    actor = _token_person(request) if data.mode == Mode.MEMBER else None
    counters = privacy.check_submission_rate(request)
    done = services.submit_report(
        actor,
        mode=data.mode,
        desks=data.desks,
        title=data.title,
        place_kind=data.place_kind,
        what_happened=data.what_happened,
        sector=data.sector,
        sector_detail=data.sector_detail,
        region=data.region,
        place_size=data.place_size,
        what_we_did=data.what_we_did,
        outcome=data.outcome,
        is_win=data.is_win,
        pseudonym=data.pseudonym,
        uploads=uploads,
        documents_confirmed=data.confirm_documents,
    )
    throttle.count(counters)
    report = done.report
    return Status(
        201,
        {
            "passphrase": done.passphrase,
            "mode": report.mode,
            "status": report.status,
            "pseudonym": report.pseudonym,
            "public_id": report.public_id if report.mode == Mode.MEMBER else None,
        },
    )


@router.post("/reports/inbox", auth=None, response={200: InboxOut, **ERRORS}, summary="Open the reporter's inbox")
def inbox(request: HttpRequest, payload: ReporterKeyIn) -> dict[str, Any]:
    return _inbox_out(_reporter(request, payload))


@router.post("/reports/inbox/answer", auth=None, response={200: InboxOut, **ERRORS}, summary="Answer the reviewers")
def answer(request: HttpRequest, payload: AnswerIn) -> dict[str, Any]:
    report = _reporter(request, payload)
    services.answer(report=report, body=payload.body)
    return _inbox_out(report)


@router.post(
    "/reports/inbox/approve", auth=None, response={200: InboxOut, **ERRORS}, summary="Approve a proposed version"
)
def approve(request: HttpRequest, payload: VersionDecisionIn) -> dict[str, Any]:
    report = _reporter(request, payload)
    services.approve_version(report=report, number=payload.version)
    return _inbox_out(report)


@router.post(
    "/reports/inbox/decline", auth=None, response={200: InboxOut, **ERRORS}, summary="Decline a proposed version"
)
def decline(request: HttpRequest, payload: VersionDecisionIn) -> dict[str, Any]:
    report = _reporter(request, payload)
    services.decline_version(report=report, number=payload.version, reason=payload.reason)
    return _inbox_out(report)


@router.post("/reports/inbox/withdraw", auth=None, response={200: InboxOut, **ERRORS}, summary="Withdraw the report")
def withdraw(request: HttpRequest, payload: ReporterKeyIn) -> dict[str, Any]:
    report = _reporter(request, payload)
    services.withdraw(report=report)
    return _inbox_out(report)


@router.post("/reports/inbox/attachment", auth=None, response={**ERRORS}, summary="Download one of the report's files")
def attachment(request: HttpRequest, payload: AttachmentIn) -> HttpResponse:
    report = _reporter(request, payload)
    found = report.attachments.filter(pk=payload.attachment).first()
    if found is None:
        raise NotFound("There is no such file in your report.", field="attachment")
    return attachment_response(found)


@router.get("/reports/mine", auth=None, response={200: list[MyReportOut], **ERRORS}, summary="My reports (token)")
def mine(request: HttpRequest) -> list[Report]:
    person = _token_person(request)
    if person is None:
        raise PermissionDenied("Send your API token to list your reports.")
    return list(queries.my_reports(person))
