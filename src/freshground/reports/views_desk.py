"""Desk pages: the desks, a queue, a report under review and the reviewers' actions (readers' pages are in
views_published.py). Thin: permissions decide, services write, queries read.

Every reviewer page checks, by id, that the viewer reviews the desk in the URL (with two-factor authentication) and
that the report was sent to that desk; a report sent elsewhere is a 404, the same as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.network.models import Center, Circle
from freshground.network.views._common import login_redirect, person_of, raise_refusal, signed_in
from freshground.people.models import Person
from freshground.reports import permissions as perms
from freshground.reports import queries_desk as queries
from freshground.reports import redaction
from freshground.reports import services_desk as services
from freshground.reports.files import attachment_response
from freshground.reports.forms_desk import (
    AskForm,
    DeclineForm,
    DeskForm,
    ImagesForm,
    RelatedForm,
    ReviewerForm,
    TopicsForm,
    VersionForm,
)
from freshground.reports.models import AttachmentKind, Desk, Report, ReportStatus, VersionStatus

# Desks


def _desk(pk: int) -> Desk:
    desk = queries.desk_by_pk(pk)
    if desk is None:
        raise Http404(_("There is no such desk."))
    return desk


def _mfa_page(request: HttpRequest, desk: Desk) -> HttpResponse:
    return TemplateResponse(request, "reports/desk_mfa_required.html", {"desk": desk}, status=403)


type ReviewView = Callable[Concatenate[HttpRequest, Person, Desk, Report, ...], HttpResponseBase]


def reviewing(view: ReviewView) -> Callable[..., HttpResponseBase]:
    """Resolve the desk and the report for a reviewer: the desk first (403 unless a reviewer, the two-factor page
    when they lack it), then the report among that desk's only (404 otherwise)."""

    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, pk: int, public_id: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return login_redirect(request)
        person = person_of(request)
        desk = _desk(pk)
        if perms.is_reviewer_without_two_factor(person, desk):
            return _mfa_page(request, desk)
        if not perms.can_review_desk(person, desk):
            raise DjangoPermissionDenied(_("Only this desk's reviewers can open its reports."))
        report = queries.report_in_desk(desk, public_id)
        if report is None:
            raise Http404(_("There is no such report in this desk."))
        return view(request, person, desk, report, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@signed_in
def desks(request: HttpRequest) -> HttpResponse:
    """The desks the viewer reviews or runs; a POST opens a new desk (`for` = circle:<id>, center:<id>, platform)."""
    person = person_of(request)
    if request.method == "POST":
        target = request.POST.get("for", "")
        kind, _sep, raw_id = target.partition(":")
        circle = center = None
        try:
            if kind == "circle":
                circle = Circle.objects.filter(pk=int(raw_id)).first()
                if circle is None:
                    raise Http404(_("There is no such circle."))
            elif kind == "center":
                center = Center.objects.filter(pk=int(raw_id)).first()
                if center is None:
                    raise Http404(_("There is no such center."))
            elif kind != "platform":
                raise Http404(_("Choose a circle, a center or the platform."))
        except ValueError as error:
            raise Http404(_("Choose a circle, a center or the platform.")) from error
        try:
            desk = services.create_desk(person=person, circle=circle, center=center)
        except DomainError as error:
            raise_refusal(error)
            messages.error(request, error.message)
            return redirect("reports:desks")
        messages.success(request, _("The desk is open. Add reviewers and describe what it covers."))
        return redirect("reports:desk_settings", pk=desk.pk)
    listing = queries.desks_for(person)
    return TemplateResponse(request, "reports/desk_list.html", {"listing": listing, "person": person})


@require_GET
@signed_in
@never_cache
def desk(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_of(request)
    current = _desk(pk)
    if not perms.can_see_desk(person, current):
        raise DjangoPermissionDenied(_("Only this desk's reviewers and the people who run it can see it."))
    context: dict[str, Any] = {
        "desk": current,
        "can_manage": perms.can_manage_desk(person, current),
        "needs_two_factor": perms.is_reviewer_without_two_factor(person, current),
        "can_review": perms.can_review_desk(person, current),
    }
    if context["can_review"]:
        queue = queries.desk_queue(current, status=request.GET.get("status", ""), page=request.GET.get("page", 1))
        context["queue"] = queue
        context["status_tabs"] = [(value, label, queue.counts.get(value, 0)) for value, label in ReportStatus.choices]
    return TemplateResponse(request, "reports/desk_queue.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
def desk_settings(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_of(request)
    current = _desk(pk)
    if not perms.can_manage_desk(person, current):
        raise DjangoPermissionDenied(_("Only the people who run this desk can change it."))
    candidates = services.eligible_reviewers(current)
    reviewers = queries.reviewers_of(current)
    taken = {r.person_id for r in reviewers}
    desk_form = DeskForm(
        request.POST if request.POST.get("action") == "desk" else None,
        initial={"name": current.name, "description": current.description, "is_active": current.is_active},
    )
    reviewer_form = ReviewerForm(
        request.POST if request.POST.get("action") == "add" else None,
        candidates=[c for c in candidates if c.pk not in taken],
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "desk" and desk_form.is_valid():
                services.update_desk(person=person, desk=current, **desk_form.cleaned_data)
                messages.success(request, _("The desk is saved."))
                return redirect("reports:desk_settings", pk=current.pk)
            if action == "add" and reviewer_form.is_valid():
                chosen = next(c for c in candidates if c.pk == reviewer_form.cleaned_data["reviewer"])
                services.add_reviewer(person=person, desk=current, reviewer=chosen)
                messages.success(request, _("%(name)s now reviews for this desk.") % {"name": chosen.display_name})
                return redirect("reports:desk_settings", pk=current.pk)
            if action == "remove":
                gone = next((r.person for r in reviewers if str(r.person_id) == request.POST.get("person")), None)
                if gone is None:
                    raise Http404(_("This person does not review for this desk."))
                services.remove_reviewer(person=person, desk=current, reviewer=gone)
                messages.success(request, _("%(name)s no longer reviews for this desk.") % {"name": gone.display_name})
                return redirect("reports:desk_settings", pk=current.pk)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(desk_form if action == "desk" else reviewer_form, error)
        status = 400
    context = {"desk": current, "desk_form": desk_form, "reviewer_form": reviewer_form, "reviewers": reviewers}
    return TemplateResponse(request, "reports/desk_settings.html", context, status=status)


# A report under review


def _review_context(person: Person, desk: Desk, report: Report, **forms: Any) -> dict[str, Any]:
    versions = list(report.versions.all())
    latest = versions[0] if versions else None
    images = [a for a in report.attachments.all() if a.kind == AttachmentKind.IMAGE]
    defaults: dict[str, Any] = {
        "ask_form": AskForm(),
        "version_form": VersionForm(initial=VersionForm.initial_for(report, latest)),
        "topics_form": TopicsForm(initial={"topics": ", ".join(t.name for t in report.topics.all())}),
        "images_form": ImagesForm(images=images, initial={"images": [a.pk for a in images if a.publish]}),
        "decline_form": DeclineForm(),
        "related_form": RelatedForm(),
    }
    defaults.update(forms)
    originals = services.original_texts(report)
    return {
        "desk": desk,
        "report": report,
        "versions": versions,
        "latest": latest,
        "approved": next((v for v in versions if v.status == VersionStatus.APPROVED), None),
        "images": images,
        "documents": [a for a in report.attachments.all() if a.kind == AttachmentKind.DOCUMENT],
        "suggestions": redaction.suggestions(originals.values()),
        "can_act": perms.can_act_on(person, report, desk),
        "can_publish": perms.can_publish(person, report, desk),
        "can_link": perms.can_link_related(person, report, desk),
        "related": queries.related_links(person, report),
        "related_items": list(report.related_items.all()),
        "sector_name": queries.sector_names([report.sector]).get(report.sector, ""),
        **defaults,
    }


def _render_review(
    request: HttpRequest, person: Person, desk: Desk, report: Report, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = _review_context(person, desk, report, **forms)
    return TemplateResponse(request, "reports/desk_review.html", context, status=status)


def _back(desk: Desk, report: Report, anchor: str = "") -> HttpResponse:
    url = reverse("reports:review", args=[desk.pk, report.public_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_GET
@reviewing
def review(request: HttpRequest, person: Person, desk: Desk, report: Report) -> HttpResponse:
    services.open_report(person=person, desk=desk, report=report)
    return _render_review(request, person, desk, report)


def _act(
    request: HttpRequest,
    person: Person,
    desk: Desk,
    report: Report,
    *,
    form_name: str,
    form: Any,
    run: Callable[[], object],
    success: str,
    anchor: str,
) -> HttpResponse:
    if form.is_valid():
        try:
            run()
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, success)
            return _back(desk, report, anchor)
    return _render_review(request, person, desk, report, status=400, **{form_name: form})


@require_POST
@reviewing
def ask(request: HttpRequest, person: Person, desk: Desk, report: Report) -> HttpResponse:
    form = AskForm(request.POST)
    return _act(
        request, person, desk, report, form_name="ask_form", form=form,
        run=lambda: services.ask_reporter(person=person, desk=desk, report=report, body=form.cleaned_data["body"]),
        success=_("Your question is in the reporter's inbox."), anchor="messages",
    )  # fmt: skip


@require_POST
@reviewing
def propose(request: HttpRequest, person: Person, desk: Desk, report: Report) -> HttpResponse:
    """Preview (apply the replacements and show the result) or propose the version to the reporter."""
    form = VersionForm(request.POST)
    if request.POST.get("preview") is not None:
        if form.is_valid():
            pairs = form.cleaned_data["pairs"]
            given = form.texts()
            preview = {name: redaction.highlight(value, pairs) for name, value in given.items()}
            data = request.POST.copy()
            for name, value in redaction.apply_all(given, pairs).items():
                data[name] = value
            form = VersionForm(data)
            form.is_valid()
            marked = {
                name: redaction.highlight(value, pairs) for name, value in services.original_texts(report).items()
            }
            leftovers = redaction.remaining(services.original_texts(report), pairs)
            return _render_review(
                request, person, desk, report, version_form=form, preview=preview, marked=marked,
                leftovers=leftovers, previewing=True,
            )  # fmt: skip
        return _render_review(request, person, desk, report, status=400, version_form=form)

    def run() -> object:
        return services.propose_version(
            person=person, desk=desk, report=report, replacements=form.cleaned_data["pairs"],
            note=form.cleaned_data.get("note") or "", **form.texts(),
        )  # fmt: skip

    return _act(
        request, person, desk, report, form_name="version_form", form=form, run=run,
        success=_("The version is proposed: the reporter will see it in their inbox and approve it or not."),
        anchor="versions",
    )  # fmt: skip


@require_POST
@reviewing
def topics(request: HttpRequest, person: Person, desk: Desk, report: Report) -> HttpResponse:
    form = TopicsForm(request.POST)
    return _act(
        request, person, desk, report, form_name="topics_form", form=form,
        run=lambda: services.set_topics(person=person, desk=desk, report=report, names=form.names()),
        success=_("The topics are saved."), anchor="topics",
    )  # fmt: skip


@require_POST
@reviewing
def images(request: HttpRequest, person: Person, desk: Desk, report: Report) -> HttpResponse:
    choices = [a for a in report.attachments.all() if a.kind == AttachmentKind.IMAGE]
    form = ImagesForm(request.POST, images=choices)
    return _act(
        request, person, desk, report, form_name="images_form", form=form,
        run=lambda: services.choose_images(
            person=person, desk=desk, report=report, attachment_ids=form.cleaned_data["images"]
        ),
        success=_("The choice of images is saved."), anchor="attachments",
    )  # fmt: skip


@require_POST
@reviewing
def publish(request: HttpRequest, person: Person, desk: Desk, report: Report) -> HttpResponse:
    try:
        services.publish(person=person, desk=desk, report=report)
    except DomainError as error:
        raise_refusal(error)
        messages.error(request, error.message)
        return _back(desk, report)
    messages.success(request, _("The report is published."))
    return redirect(report)


@require_POST
@reviewing
def decline(request: HttpRequest, person: Person, desk: Desk, report: Report) -> HttpResponse:
    form = DeclineForm(request.POST)
    return _act(
        request, person, desk, report, form_name="decline_form", form=form,
        run=lambda: services.decline(
            person=person, desk=desk, report=report, message=form.cleaned_data.get("message") or ""
        ),
        success=_("The report will not be published."), anchor="",
    )  # fmt: skip


@require_POST
@reviewing
def relate(request: HttpRequest, person: Person, desk: Desk, report: Report) -> HttpResponse:
    form = RelatedForm(request.POST)
    return _act(
        request, person, desk, report, form_name="related_form", form=form,
        run=lambda: services.link_related(
            person=person, desk=desk, report=report, label=form.cleaned_data["label"],
            object_id=form.cleaned_data["object_id"],
        ),
        success=_("The item is linked."), anchor="related",
    )  # fmt: skip


@require_POST
@reviewing
def unrelate(request: HttpRequest, person: Person, desk: Desk, report: Report, item_id: int) -> HttpResponse:
    try:
        services.unlink_related(person=person, desk=desk, report=report, item_id=item_id)
    except DomainError as error:
        raise_refusal(error)
        messages.error(request, error.message)
    return _back(desk, report, "related")


@require_GET
@reviewing
def attachment(
    request: HttpRequest, person: Person, desk: Desk, report: Report, attachment_id: int
) -> HttpResponseBase:
    found = next((a for a in report.attachments.all() if a.pk == attachment_id), None)
    if found is None or not perms.can_see_attachments(person, report, desk):
        raise Http404(_("There is no such attachment."))
    return attachment_response(found, inline=True)
