"""Reporters' pages: submit a report, the passphrase inbox, a member's own reports.

No view here writes to the session or sets a cookie of its own (an anonymous reporter never gets a session row), and
none redirects after a passphrase POST: the passphrase would have to travel in a URL or a session. Instead every
inbox form re-posts it in a hidden field (POST bodies are not logged) and the answer is the inbox itself. The privacy
middleware adds `Cache-Control: no-store` to every page here.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from freshground.core.exceptions import DomainError, NotFound
from freshground.core.forms import apply_domain_error
from freshground.core.permissions import is_person
from freshground.network.views._common import signed_in
from freshground.reports import privacy, throttle
from freshground.reports import queries_intake as queries
from freshground.reports import services_intake as services
from freshground.reports.files import attachment_response
from freshground.reports.forms_intake import AnswerForm, DeclineForm, PassphraseForm, ReportForm
from freshground.reports.models import Attachment, Mode, Report
from freshground.reports.passphrase import Throttled

ACTIONS = ("open", "answer", "approve", "decline", "withdraw", "attachment")


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    signed = is_person(request.user)
    form = ReportForm(request.POST or None, request.FILES or None, signed_in=signed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = [services.Upload(file=f, name=f.name or "") for f in data["attachments"]]
        try:
            counters = privacy.check_submission_rate(request)
            done = services.submit_report(
                request.user,
                mode=data["mode"],
                desks=list(data["desks"]),
                title=data["title"],
                place_kind=data["place_kind"],
                sector=data["sector"],
                sector_detail=data["sector_detail"],
                region=data["region"],
                place_size=data["place_size"],
                what_happened=data["what_happened"],
                what_we_did=data["what_we_did"],
                outcome=data["outcome"],
                is_win=data["is_win"],
                pseudonym=data["pseudonym"],
                uploads=uploads,
                documents_confirmed=data["confirm_documents"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
            if isinstance(error, privacy.TooManySubmissions):
                return TemplateResponse(request, "reports/intake_submit.html", {"form": form}, status=429)
        else:
            throttle.count(counters)
            return TemplateResponse(
                request, "reports/intake_submitted.html", {"report": done.report, "passphrase": done.passphrase}
            )
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "reports/intake_submit.html", {"form": form}, status=status)


def _inbox_context(report: Report, **extra: Any) -> dict[str, Any]:
    return {
        "inbox": queries.inbox(report),
        "report": report,
        "answer_form": extra.pop("answer_form", None) or AnswerForm(),
        "decline_form": extra.pop("decline_form", None) or DeclineForm(),
        **extra,
    }


def _act(request: HttpRequest, report: Report, action: str) -> tuple[dict[str, Any], HttpResponse | None]:
    """Carry out one reporter action; returns extra context (forms with errors, a notice) or a file response."""
    extra: dict[str, Any] = {}
    try:
        if action == "answer":
            answer_form = AnswerForm(request.POST)
            extra["answer_form"] = answer_form
            if answer_form.is_valid():
                services.answer(report=report, body=answer_form.cleaned_data["body"])
                extra["answer_form"] = AnswerForm()
                extra["notice"] = "answered"
        elif action in ("approve", "decline"):
            number = int(request.POST.get("version", "0") or 0)
            if action == "approve":
                services.approve_version(report=report, number=number)
                extra["notice"] = "approved"
            else:
                decline_form = DeclineForm(request.POST)
                extra["decline_form"] = decline_form
                if decline_form.is_valid():
                    services.decline_version(report=report, number=number, reason=decline_form.cleaned_data["reason"])
                    extra["decline_form"] = DeclineForm()
                    extra["notice"] = "declined"
        elif action == "withdraw":
            if request.POST.get("confirm") == "yes":
                services.withdraw(report=report)
                extra["notice"] = "withdrawn"
            else:
                extra["error"] = DomainError(
                    _("Tick the box to confirm that you want to withdraw your report."), field="confirm"
                )
        elif action == "attachment":
            pk = int(request.POST.get("attachment", "0") or 0)
            attachment = report.attachments.filter(pk=pk).first()
            if attachment is None:
                raise Http404
            return extra, attachment_response(attachment)
    except ValueError as error:
        raise Http404 from error
    except DomainError as error:
        extra["error"] = error
    return extra, None


@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    """GET: the passphrase form. POST: the passphrase (and an action) → the report's inbox."""
    if request.method == "GET":
        return TemplateResponse(request, "reports/intake_inbox_form.html", {"form": PassphraseForm()})
    form = PassphraseForm(request.POST)
    action = request.POST.get("action", "open")
    if action not in ACTIONS:
        action = "open"
    if not form.is_valid():
        return TemplateResponse(request, "reports/intake_inbox_form.html", {"form": form}, status=400)
    try:
        report = services.reporter_report(None, passphrase_text=form.cleaned_data["passphrase"])
    except (NotFound, Throttled) as error:
        form.add_error("passphrase", error.message)
        # A wrong passphrase is an ordinary form error (like a failed login); only throttling has its own status.
        status = 429 if isinstance(error, Throttled) else 200
        return TemplateResponse(request, "reports/intake_inbox_form.html", {"form": form}, status=status)
    extra, response = _act(request, report, action)
    if response is not None:
        return response
    context = _inbox_context(report, **extra)
    context["passphrase"] = form.cleaned_data["passphrase"]
    context["post_url"] = request.path
    return TemplateResponse(request, "reports/intake_inbox.html", context)


@require_GET
@signed_in
def mine(request: HttpRequest) -> HttpResponse:
    reports = list(queries.my_reports(request.user))
    return TemplateResponse(request, "reports/intake_mine.html", {"reports": reports})


def _my_report(request: HttpRequest, public_id: str) -> Report:
    try:
        return services.reporter_report(request.user, public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from error


@require_http_methods(["GET", "POST"])
@signed_in
def mine_report(request: HttpRequest, public_id: str) -> HttpResponse:
    report = _my_report(request, public_id)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action", "open")
        if action in ACTIONS and action != "attachment":
            extra, _response = _act(request, report, action)
    context = _inbox_context(report, **extra)
    context["post_url"] = request.path
    return TemplateResponse(request, "reports/intake_inbox.html", context)


@require_GET
@signed_in
def mine_attachment(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    report = _my_report(request, public_id)
    attachment = get_object_or_404(Attachment, pk=pk, report=report, report__mode=Mode.MEMBER)
    return attachment_response(attachment)
