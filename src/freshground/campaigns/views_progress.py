"""Progress reports: the network-wide feed, posting a report in a sponsor's name, and a report's own page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from freshground.campaigns import permissions as perms
from freshground.campaigns import queries, services_progress
from freshground.campaigns.forms import ReportForm
from freshground.campaigns.views import get_campaign, page_context
from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.core.text import render_markdown
from freshground.network.views._common import person_of, raise_refusal, signed_in


@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    topic = str(request.GET.get("topic", ""))[:80]
    page = queries.progress_feed(request.GET.get("page"), topic=topic)
    for item in page.object_list:
        item.body_html = render_markdown(item.body)  # type: ignore[attr-defined]
    return TemplateResponse(
        request,
        "campaigns/progress.html",
        {"page_obj": page, "topic": topic, "query": urlencode({"topic": topic}) if topic else ""},
    )


@signed_in
@require_POST
def report_add(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    person = person_of(request)
    sponsors = [s for s in queries.active_sponsors(found) if perms.can_report_for(person, found, s)]
    if not sponsors:
        raise DjangoPermissionDenied(_("Only members of a sponsoring circle can report on the campaign."))
    form = ReportForm(request.POST, sponsors=sponsors)
    if form.is_valid() and form.chosen_sponsor() is not None:
        try:
            services_progress.post_progress(
                actor=person, campaign=found, sponsor=form.chosen_sponsor(), body=form.cleaned_data["body"]
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Thank you for the report."))
            return redirect(found)
    context = page_context(request, found)
    context["report_form"] = form
    return TemplateResponse(request, "campaigns/campaign.html", context, status=400)


@require_GET
def report_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    item = queries.reports_of(found).filter(pk=pk).first()
    if item is None or not perms.can_view_report(request.user, item):
        raise Http404(_("There is no such report."))
    item.campaign = found
    return TemplateResponse(
        request,
        "campaigns/report.html",
        {"campaign": found, "report": item, "body_html": render_markdown(item.body)},
    )
