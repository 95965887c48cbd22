"""The two directories: circles (search, kind, place, near) and centers (search, tendency)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from freshground.network import queries
from freshground.network.forms import CenterFilterForm, CircleFilterForm
from freshground.network.models import CircleKind
from freshground.network.views._common import page_or_partial


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = CircleFilterForm(request.GET)
    filters = form.filters()
    page = queries.circle_directory(filters, request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page_obj": page,
        "circles": page.object_list,
        "query": _query_without_page(request),
        "kinds": CircleKind.choices,
    }
    return page_or_partial(request, "network/directory.html", "network/_circle_results.html", context)


@require_GET
def center_directory(request: HttpRequest) -> HttpResponse:
    form = CenterFilterForm(request.GET, tendencies=queries.tendencies())
    text, tendency = form.values()
    page = queries.center_directory(text, tendency, request.GET.get("page"))
    context = {
        "form": form,
        "filtered": bool(text or tendency),
        "page_obj": page,
        "centers": page.object_list,
        "query": _query_without_page(request),
    }
    return page_or_partial(request, "network/center_directory.html", "network/_center_results.html", context)
