"""Inquiry pages. Public: the list, one inquiry with its answer form, the thank-you page, aggregate results. Editors
(under /inquiry-editor/, outside the reporter-privacy paths, since they need their session): their inquiries, the
inquiry form, the question builder, publish/close, free-text answers and the CSV export.

The answer form is exempt from CSRF on purpose: answering needs no session and carries no one's authority (an
answer is never linked to anyone), so a forged submission could do nothing a visitor cannot do themselves, while the
reporter-privacy middleware may drop cookies on these paths. Double submission is caught by the form's token.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.core.exceptions import Conflict, DomainError
from freshground.core.forms import apply_domain_error
from freshground.core.svg_charts import bar_chart
from freshground.core.text import render_markdown
from freshground.inquiries import permissions as perms
from freshground.inquiries import queries, services
from freshground.inquiries.forms import AnswerForm, InquiryForm, QuestionForm
from freshground.inquiries.models import Inquiry, Question
from freshground.network.models import Center, Circle
from freshground.network.views._common import person_of, signed_in
from freshground.people.models import Person
from freshground.reports import privacy, throttle


def _inquiry(request: HttpRequest, slug: str) -> Inquiry:
    inquiry = queries.inquiry_by_slug(slug)
    if inquiry is None or not perms.can_view_inquiry(request.user, inquiry):
        raise Http404(_("There is no inquiry at this address."))
    return inquiry


def _editable(request: HttpRequest, slug: str) -> tuple[Person, Inquiry]:
    person = person_of(request)
    inquiry = queries.inquiry_by_slug(slug)
    if inquiry is None:
        raise Http404(_("There is no inquiry at this address."))
    if not perms.can_edit_inquiry(person, inquiry):
        raise DjangoPermissionDenied(_("Only the inquiry's editors can do this."))
    return person, inquiry


# Public pages


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    lists = queries.public_inquiries()
    return TemplateResponse(
        request,
        "inquiries/index.html",
        {"lists": lists, "can_create": perms.can_create_inquiry(request.user)},
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def inquiry_page(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _inquiry(request, slug)
    questions = queries.questions_of(inquiry)
    can_answer = perms.can_answer(request.user, inquiry)
    status = 200
    duplicate = False
    if request.method == "POST":
        if not can_answer:
            raise DjangoPermissionDenied(_("This inquiry is not open for answers."))
        form = AnswerForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                counters = privacy.check_submission_rate(request)
                services.submit_answers(inquiry=inquiry, answers=form.answers(), token=form.cleaned_data["token"])
            except services.AnswerErrors as errors:
                for error in errors.errors:
                    apply_domain_error(form, error)
            except Conflict as error:
                if error.field != "token":
                    raise DjangoPermissionDenied(error.message) from None
                duplicate = True
            except DomainError as error:
                apply_domain_error(form, error)
                if isinstance(error, privacy.TooManySubmissions):
                    status = 429
            else:
                throttle.count(counters)
                return redirect("inquiries:thanks", slug=inquiry.slug)
        if duplicate:
            return redirect("inquiries:thanks", slug=inquiry.slug)
        status = status if status == 429 else 400  # the token was not used up: the corrected form can be sent with it
    else:
        form = AnswerForm(initial={"token": services.issue_token(inquiry)}, questions=questions)
    context = {
        "inquiry": inquiry,
        "introduction": render_markdown(inquiry.introduction),
        "form": form,
        "can_answer": can_answer,
        "can_edit": perms.can_edit_inquiry(request.user, inquiry),
        "k": perms.min_answers(),
        "has_results": perms.can_see_results(request.user, inquiry),
    }
    return TemplateResponse(request, "inquiries/inquiry.html", context, status=status)


@never_cache
@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _inquiry(request, slug)
    return TemplateResponse(request, "inquiries/thanks.html", {"inquiry": inquiry, "k": perms.min_answers()})


def chart_rows(results: queries.Results) -> list[dict[str, Any]]:
    out = []
    for result in results.questions:
        item: dict[str, Any] = {"result": result, "chart": None}
        if not result.is_text:
            item["chart"] = bar_chart(
                result.rows,
                title=result.text,
                description=_("Number of answers per option; the same numbers are in the table below."),
            )
        out.append(item)
    return out


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    inquiry = _inquiry(request, slug)
    data = queries.results_of(inquiry) if perms.can_see_results(request.user, inquiry) else None
    context = {
        "inquiry": inquiry,
        "results": data,
        "items": chart_rows(data) if data else [],
        "k": perms.min_answers(),
        "can_edit": perms.can_edit_inquiry(request.user, inquiry),
        "can_see_free_text": perms.can_see_free_text(request.user, inquiry),
    }
    return TemplateResponse(request, "inquiries/results.html", context)


# Editor pages


@signed_in
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    return TemplateResponse(
        request,
        "inquiries/editor_list.html",
        {"inquiries": queries.editable_inquiries(person), "can_create": perms.can_create_inquiry(person)},
    )


def _owner(value: str) -> tuple[Circle | None, Center | None]:
    kind, _sep, slug = (value or "").partition(":")
    if kind == "circle":
        return Circle.objects.filter(slug=slug).first(), None
    if kind == "center":
        return None, Center.objects.filter(slug=slug).first()
    return None, None


@signed_in
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    owners = queries.owner_choices(person)
    if not owners:
        raise DjangoPermissionDenied(_("Organisers, center editors and report reviewers can start inquiries."))
    form = InquiryForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        circle, center = _owner(form.cleaned_data["owner"])
        try:
            inquiry = services.create_inquiry(person, fields=form.inquiry_fields(), circle=circle, center=center)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("inquiries:edit", slug=inquiry.slug)
    return TemplateResponse(request, "inquiries/inquiry_form.html", {"form": form, "inquiry": None})


@signed_in
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    person, inquiry = _editable(request, slug)
    initial = {
        "title": inquiry.title,
        "introduction": inquiry.introduction,
        "sector": inquiry.sector,
        "sector_detail": inquiry.sector_detail,
        "region": inquiry.region,
        "opens_on": inquiry.opens_on,
        "closes_on": inquiry.closes_on,
    }
    form = InquiryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_inquiry(person, inquiry, fields=form.inquiry_fields())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("inquiries:edit", slug=inquiry.slug)
    context = {
        "form": form,
        "inquiry": inquiry,
        "questions": queries.questions_of(inquiry),
        "can_edit_questions": perms.can_edit_questions(person, inquiry),
        "can_publish": perms.can_publish(person, inquiry),
        "can_close": perms.can_close(person, inquiry),
        "can_see_free_text": perms.can_see_free_text(person, inquiry),
        "k": perms.min_answers(),
    }
    return TemplateResponse(request, "inquiries/inquiry_form.html", context)


def _question(inquiry: Inquiry, pk: int) -> Question:
    question = inquiry.questions.filter(pk=pk).prefetch_related("options").first()
    if question is None:
        raise Http404(_("There is no such question in this inquiry."))
    return question


def _builder_refusal(error: DomainError) -> HttpResponse:
    raise DjangoPermissionDenied(error.message)


@signed_in
@require_http_methods(["GET", "POST"])
def question_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    person, inquiry = _editable(request, slug)
    question = _question(inquiry, pk) if pk is not None else None
    if not perms.can_edit_questions(person, inquiry):
        raise DjangoPermissionDenied(_("Answers have come in: the questions can no longer change."))
    initial = QuestionForm.initial_for(question) if question else {"scale_min": 1, "scale_max": 5}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if question is None:
                services.add_question(person, inquiry, fields=form.question_fields())
            else:
                services.update_question(person, question, fields=form.question_fields())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("inquiries:edit", slug=inquiry.slug)
    return TemplateResponse(
        request, "inquiries/question_form.html", {"form": form, "inquiry": inquiry, "question": question}
    )


@signed_in
@require_POST
def question_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    person, inquiry = _editable(request, slug)
    try:
        services.move_question(person, _question(inquiry, pk), up=request.POST.get("direction") == "up")
    except DomainError as error:
        return _builder_refusal(error)
    return redirect("inquiries:edit", slug=inquiry.slug)


@signed_in
@require_POST
def question_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    person, inquiry = _editable(request, slug)
    try:
        services.remove_question(person, _question(inquiry, pk))
    except DomainError as error:
        return _builder_refusal(error)
    return redirect("inquiries:edit", slug=inquiry.slug)


@signed_in
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    person, inquiry = _editable(request, slug)
    try:
        services.publish_inquiry(person, inquiry)
    except DomainError as error:
        return _builder_refusal(error)
    return redirect("inquiries:inquiry", slug=inquiry.slug)


@signed_in
@require_POST
def close(request: HttpRequest, slug: str) -> HttpResponse:
    person, inquiry = _editable(request, slug)
    try:
        services.close_inquiry(person, inquiry)
    except DomainError as error:
        return _builder_refusal(error)
    return redirect("inquiries:edit", slug=inquiry.slug)


@signed_in
@require_GET
def free_text(request: HttpRequest, slug: str) -> HttpResponse:
    person, inquiry = _editable(request, slug)
    if not perms.can_see_free_text(person, inquiry):
        raise DjangoPermissionDenied(_("Answers are shown once enough people have answered."))
    return TemplateResponse(
        request, "inquiries/free_text.html", {"inquiry": inquiry, "items": queries.free_texts(inquiry)}
    )


@require_GET
def export(request: HttpRequest, slug: str) -> HttpResponseBase:
    person, inquiry = _editable(request, slug)
    if not perms.can_export(person, inquiry):
        raise DjangoPermissionDenied(_("Answers can be exported once enough people have answered."))
    return csv_response(inquiry)


def csv_response(inquiry: Inquiry) -> StreamingHttpResponse:
    response = StreamingHttpResponse(queries.csv_lines(inquiry), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inquiry-{inquiry.slug}.csv"'
    response["Cache-Control"] = "no-store"
    return response
