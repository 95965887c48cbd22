"""The inquiries part of /api/v1/: list, one inquiry with its questions and an answer token, answering, aggregate
results (nothing below k) and, for editors, the CSV export. Answering takes no authentication and links to no one."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.core.exceptions import NotFound, PermissionDenied
from freshground.inquiries import permissions as perms
from freshground.inquiries import queries, services
from freshground.inquiries.models import Inquiry, Question
from freshground.people.api import ERRORS, actor, viewer
from freshground.reports import privacy, throttle

router = Router(tags=["inquiries"])


class InquiryOut(Schema):
    slug: str
    title: str
    status: str
    is_open: bool
    sector: str
    sector_detail: str
    region: str
    owner_circle: str | None
    owner_center: str | None
    opens_on: date | None
    closes_on: date | None


class OptionOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    help_text: str
    required: bool
    options: list[OptionOut]
    scale_min: int | None
    scale_max: int | None
    scale_min_label: str
    scale_max_label: str


class InquiryDetailOut(InquiryOut):
    introduction: str
    questions: list[QuestionOut]
    token: str | None = Field(None, description="Send it back with the answers; single use. Null when not open.")
    results_available: bool


class AnswersIn(Schema):
    token: str
    answers: dict[str, str | int | list[int] | None] = Field(
        description="Question id → text (short/long), option id (single), option ids (multiple) or value (scale)."
    )


class SubmittedOut(Schema):
    stored: int


class ResultRowOut(Schema):
    label: str
    count: int


class QuestionResultOut(Schema):
    id: int
    kind: str
    text: str
    answered: int
    rows: list[ResultRowOut]


class ResultsOut(Schema):
    available: bool
    min_answers: int
    detail: str | None = None
    answer_count: int | None = None
    questions: list[QuestionResultOut] = []


def _out(inquiry: Inquiry) -> InquiryOut:
    return InquiryOut(
        slug=inquiry.slug,
        title=inquiry.title,
        status=inquiry.status,
        is_open=inquiry.is_open(),
        sector=inquiry.sector,
        sector_detail=inquiry.sector_detail,
        region=inquiry.region,
        owner_circle=inquiry.circle.slug if inquiry.circle else None,
        owner_center=inquiry.center.slug if inquiry.center else None,
        opens_on=inquiry.opens_on,
        closes_on=inquiry.closes_on,
    )


def _question_out(question: Question) -> QuestionOut:
    return QuestionOut(
        id=question.pk,
        kind=question.kind,
        text=question.text,
        help_text=question.help_text,
        required=question.required,
        options=[OptionOut(id=o.pk, text=o.text) for o in question.options.all()],
        scale_min=question.scale_min if question.is_scale else None,
        scale_max=question.scale_max if question.is_scale else None,
        scale_min_label=question.scale_min_label if question.is_scale else "",
        scale_max_label=question.scale_max_label if question.is_scale else "",
    )


def _visible(request: HttpRequest, slug: str) -> Inquiry:
    inquiry = queries.inquiry_by_slug(slug)
    if inquiry is None or not perms.can_view_inquiry(viewer(request), inquiry):
        raise NotFound(_("There is no inquiry at this address."))
    return inquiry


@router.get("/inquiries/", response={200: list[InquiryOut]}, auth=OPTIONAL_AUTH)
def list_inquiries(request: HttpRequest) -> list[InquiryOut]:
    lists = queries.public_inquiries()
    return [_out(inquiry) for inquiry in [*lists.open, *lists.upcoming, *lists.closed]]


@router.get("/inquiries/{slug}/", response={200: InquiryDetailOut, **ERRORS}, auth=OPTIONAL_AUTH)
def get_inquiry(request: HttpRequest, slug: str) -> InquiryDetailOut:
    inquiry = _visible(request, slug)
    is_open = perms.can_answer(viewer(request), inquiry)
    return InquiryDetailOut(
        **_out(inquiry).dict(),
        introduction=inquiry.introduction,
        questions=[_question_out(q) for q in queries.questions_of(inquiry)],
        token=services.issue_token(inquiry) if is_open else None,
        results_available=perms.can_see_results(viewer(request), inquiry),
    )


@router.post("/inquiries/{slug}/answers", response={201: SubmittedOut, **ERRORS}, auth=None)
def submit_answers(request: HttpRequest, slug: str, payload: AnswersIn) -> Status[SubmittedOut]:
    inquiry = queries.inquiry_by_slug(slug)
    if inquiry is None or not perms.can_view_inquiry(None, inquiry):
        raise NotFound(_("There is no inquiry at this address."))
    answers: dict[int, services.AnswerValue] = {}
    for key, value in payload.answers.items():
        if key.isdigit():
            answers[int(key)] = value
    counters = privacy.check_submission_rate(request)
    stored = services.submit_answers(inquiry=inquiry, answers=answers, token=payload.token)
    throttle.count(counters)
    return Status(201, SubmittedOut(stored=stored))


@router.get("/inquiries/{slug}/results", response={200: ResultsOut, **ERRORS}, auth=OPTIONAL_AUTH)
def get_results(request: HttpRequest, slug: str) -> ResultsOut:
    inquiry = _visible(request, slug)
    k = perms.min_answers()
    if not perms.can_see_results(viewer(request), inquiry):
        return ResultsOut(available=False, min_answers=k, detail=_("Results appear after %(k)d answers.") % {"k": k})
    results = queries.results_of(inquiry)
    assert results is not None  # can_see_results implies k is reached
    return ResultsOut(
        available=True,
        min_answers=k,
        answer_count=results.answer_count,
        questions=[
            QuestionResultOut(
                id=r.question_id,
                kind=r.kind,
                text=r.text,
                answered=r.answered,
                rows=[ResultRowOut(label=label, count=count) for label, count in r.rows],
            )
            for r in results.questions
        ],
    )


@router.get("/inquiries/{slug}/export.csv", response={200: None, **ERRORS}, auth=AUTH)
def export_csv(request: HttpRequest, slug: str) -> HttpResponseBase:
    person = actor(request)
    inquiry = queries.inquiry_by_slug(slug)
    if inquiry is None or not perms.can_view_inquiry(person, inquiry):
        raise NotFound(_("There is no inquiry at this address."))
    if not perms.can_edit_inquiry(person, inquiry):
        raise PermissionDenied(_("Only the inquiry's editors can export its answers."))
    if not perms.can_export(person, inquiry):
        raise PermissionDenied(_("Answers can be exported once enough people have answered."))
    from freshground.inquiries.views import csv_response

    return csv_response(inquiry)
