"""Readers' pages: published reports with their filters, one report, its published images, the overview with its
charts. Only approved, published text is ever shown here."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from freshground.core import svg_charts
from freshground.reports import permissions as perms
from freshground.reports import queries_desk as queries
from freshground.reports.files import attachment_response
from freshground.reports.forms_desk import (
    PublishedFilterForm,
)

# Desks


# Readers' pages


def _filters(form: PublishedFilterForm) -> queries.Filters:
    if not form.is_valid():
        return queries.Filters()
    data = form.cleaned_data
    return queries.Filters(
        sector=data.get("sector") or "",
        place_kind=data.get("place_kind") or "",
        region=(data.get("region") or "").strip(),
        topic=data.get("topic") or "",
        wins=bool(data.get("wins")),
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = PublishedFilterForm(request.GET or None, topics=queries.topics_in_use())
    filters = _filters(form)
    page = queries.published_page(filters, request.GET.get("page", 1))
    reports = list(page.object_list)
    names = queries.sector_names(sorted({r.sector for r in reports}))
    for report in reports:
        report.sector_label = names.get(report.sector, "") if report.sector else ""  # type: ignore[attr-defined]
    page.object_list = reports
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    context = {"form": form, "filters": filters, "page": page, "query": query, "regions": queries.regions_in_use()}
    return TemplateResponse(request, "reports/published_index.html", context)


@require_GET
def report_page(request: HttpRequest, public_id: str) -> HttpResponse:
    report = queries.published_report(public_id)
    if report is None or not perms.can_view_published(request.user, report):
        raise Http404(_("There is no published report at this address."))
    context = {
        "report": report,
        "version": report.published_version,
        "related": queries.related_links(request.user, report),
        "sector_name": queries.sector_names([report.sector]).get(report.sector, ""),
        "comments_enabled": _comments_enabled(),
    }
    return TemplateResponse(request, "reports/published_report.html", context)


def _comments_enabled() -> bool:
    try:
        from freshground.debate.templatetags import comments  # noqa: F401
    except ImportError:
        return False
    return True


@require_GET
def published_image(request: HttpRequest, public_id: str, attachment_id: int) -> HttpResponseBase:
    found = queries.published_image(public_id, attachment_id)
    if found is None or not perms.can_see_attachment(request.user, found):
        raise Http404(_("There is no such image."))
    return attachment_response(found, inline=True, cache="public, max-age=3600")


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    today = date.today()
    since = date(today.year - 2, today.month, 1)
    data = queries.overview(since=since)
    sector_title = _("Published reports by sector")
    region_title = _("Published reports by city or region")
    kind_title = _("Published reports by kind of place")
    sector_time = _("Published reports per month, biggest sectors")
    region_time = _("Published reports per month, biggest regions")
    charts = [
        {
            "id": "by-sector",
            "title": sector_title,
            "chart": svg_charts.bar_chart(
                data.by_sector,
                title=sector_title,
                description=_("One bar per sector; the table has the numbers."),
            ),
            "table": svg_charts.bar_table(data.by_sector, caption=sector_title, label_header=_("Sector")),
        },
        {
            "id": "by-region",
            "title": region_title,
            "chart": svg_charts.bar_chart(
                data.by_region, title=region_title, description=_("The cities and regions with the most reports.")
            ),
            "table": svg_charts.bar_table(data.by_region, caption=region_title, label_header=_("City or region")),
        },
        {
            "id": "by-place",
            "title": kind_title,
            "chart": svg_charts.bar_chart(
                data.by_place_kind, title=kind_title, description=_("Workplaces, schools, campuses and other places.")
            ),
            "table": svg_charts.bar_table(data.by_place_kind, caption=kind_title, label_header=_("Kind of place")),
        },
        {
            "id": "sectors-over-time",
            "title": sector_time,
            "chart": svg_charts.time_series_chart(
                data.sector_months, title=sector_time, description=_("One line per sector, by month of publication.")
            ),
            "table": svg_charts.time_series_table(data.sector_months, caption=sector_time),
        },
        {
            "id": "regions-over-time",
            "title": region_time,
            "chart": svg_charts.time_series_chart(
                data.region_months, title=region_time, description=_("One line per region, by month of publication.")
            ),
            "table": svg_charts.time_series_table(data.region_months, caption=region_time),
        },
    ]
    return TemplateResponse(request, "reports/published_overview.html", {"overview": data, "charts": charts})
