"""The shared calendar's pages (list, week, month) and the iCalendar feeds: thin, calendar.py and ical.py work."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from freshground.events import calendar, calendar_pages, ical
from freshground.events.forms_calendar import CalendarFilterForm
from freshground.events.models import Event
from freshground.network.models import Center, Circle
from freshground.network.views._common import is_htmx

MIN_YEAR, MAX_YEAR = 1970, 2200


def _filters(request: HttpRequest) -> tuple[CalendarFilterForm, calendar.CalendarFilters]:
    form = CalendarFilterForm(request.GET)
    return form, form.filters()


def _query(filters: calendar.CalendarFilters) -> str:
    return urlencode(filters.params(), doseq=True)


def _amp(filters: calendar.CalendarFilters) -> str:
    query = _query(filters)
    return f"&{query}" if query else ""


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if low <= number <= high else default


def _date(value: str | None, default: date) -> date:
    try:
        parsed = date.fromisoformat(value or "")
    except ValueError:
        return default
    return parsed if MIN_YEAR <= parsed.year <= MAX_YEAR else default


def _render(request: HttpRequest, view: str, form: CalendarFilterForm, context: dict[str, Any]) -> HttpResponse:
    filters: calendar.CalendarFilters = context["filters"]
    query = _query(filters)
    context = {
        "form": form,
        "view": view,
        "query": query,
        "amp_query": _amp(filters),
        "feed_url": ical.calendar_feed_url(filters),
        "signed_in": request.user.is_authenticated,
        **context,
    }
    if is_htmx(request):
        return TemplateResponse(request, "events/calendar_results.html", {**context, "is_partial": True})
    return TemplateResponse(request, "events/calendar_page.html", context)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """/events/: the list of upcoming events (the most useful first view, on a phone too)."""
    return list_page(request)


@require_safe
def list_page(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    start = _date(request.GET.get("from"), timezone.localdate()) if request.GET.get("from") else None
    page = _int(request.GET.get("page"), 1, 1, 10_000)
    listing = calendar_pages.list_view(filters, request.user, start=start, page=page)
    from_query = f"from={start.isoformat()}&" if start else ""
    return _render(request, "list", form, {"filters": filters, "listing": listing, "from_query": from_query})


@require_safe
def month_page(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year, MIN_YEAR, MAX_YEAR)
    month = _int(request.GET.get("month"), today.month, 1, 12)
    view = calendar_pages.month_view(filters, request.user, year, month)
    base, extra = reverse("events:month"), _amp(filters)
    nav = {
        "previous": f"{base}?year={view.previous.year}&month={view.previous.month}{extra}",
        "next": f"{base}?year={view.next.year}&month={view.next.month}{extra}",
        "today": f"{base}?year={today.year}&month={today.month}{extra}",
    }
    return _render(request, "month", form, {"filters": filters, "month": view, "nav": nav})


@require_safe
def week_page(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    around = _date(request.GET.get("date"), timezone.localdate())
    view = calendar_pages.week_view(filters, request.user, around)
    base, extra = reverse("events:week"), _amp(filters)
    nav = {
        "previous": f"{base}?date={view.previous.isoformat()}{extra}",
        "next": f"{base}?date={view.next.isoformat()}{extra}",
        "today": f"{base}?date={view.today.isoformat()}{extra}",
    }
    return _render(request, "week", form, {"filters": filters, "week": view, "nav": nav})


# Feeds


@require_safe
def calendar_ics(request: HttpRequest) -> HttpResponse:
    """The whole calendar, with the page's filters as query parameters ("my circles" needs a person: ignored)."""
    _form, filters = _filters(request)
    events = ical.calendar_events(filters.without_person())
    return ical.feed_response(request, events, name=_("Fresh Ground events"), filename="events.ics")


@require_safe
def circle_ics(request: HttpRequest, slug: str) -> HttpResponse:
    circle = get_object_or_404(Circle, slug=slug)
    events = ical.circle_events(circle.slug)
    name = _("%(name)s: events") % {"name": circle.name}
    return ical.feed_response(request, events, name=name, filename=f"{circle.slug}.ics")


@require_safe
def center_ics(request: HttpRequest, slug: str) -> HttpResponse:
    center = get_object_or_404(Center, slug=slug)
    events = ical.center_events(center.slug)
    name = _("%(name)s: events") % {"name": center.name}
    return ical.feed_response(request, events, name=name, filename=f"{center.slug}.ics")


@require_safe
def person_ics(request: HttpRequest, token: str) -> HttpResponse:
    person = ical.person_from_feed_token(token)
    if person is None:
        raise Http404(_("This calendar address is not valid (any more)."))
    events = ical.person_events(person)
    return ical.feed_response(request, events, name=_("Events I'm going to"), filename="my-events.ics", private=True)


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """One event's "add to calendar" file."""
    event = get_object_or_404(
        Event.objects.prefetch_related("hosts__circle", "hosts__center", "hosts__person", "topics"), slug=slug
    )
    return ical.feed_response(request, [event], name=event.title, filename=f"{event.slug}.ics", download=True)
