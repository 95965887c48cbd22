"""Search pages and the journal's output feeds."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from freshground.core.models import Tag
from freshground.journal import feeds
from freshground.journal.feeds import FeedFormat, FeedInfo
from freshground.journal.forms_search import SearchForm
from freshground.journal.models import Item, Source, SourceStatus
from freshground.journal.search import SearchPage, Sort, search
from freshground.network.models import Center, Circle
from freshground.network.views._common import is_htmx
from freshground.people.models import Person


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: SearchPage | None = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        results = search(
            data["q"], form.filters(), sort=Sort(data.get("sort") or Sort.RELEVANCE), page=data.get("page") or 1
        )
    elif not form.is_bound:
        results = None
    context = {"form": form, "results": results, "pages": _page_links(request, results)}
    template = "journal/search_results.html" if is_htmx(request) else "journal/search_page.html"
    return render(request, template, context)


def _page_links(request: HttpRequest, results: SearchPage | None) -> dict[str, str]:
    if results is None:
        return {}
    params = {key: value for key, value in request.GET.items() if key != "page" and value}
    links: dict[str, str] = {}
    if results.has_previous:
        links["previous"] = "?" + urlencode({**params, "page": results.page - 1})
    if results.has_next:
        links["next"] = "?" + urlencode({**params, "page": results.page + 1})
    return links


# Feeds


def _feed(request: HttpRequest, fmt: str, info: FeedInfo, queryset: QuerySet[Item]) -> HttpResponse:
    return feeds.render(FeedFormat(fmt), request, info, feeds.feed_items(queryset))


@require_GET
def front_feed(request: HttpRequest, fmt: str) -> HttpResponse:
    # The front page's own selection: the best-ranked items now (hot), shown newest first by feed readers.
    top = Item.objects.visible().order_by("-hot_score", "-published_at").values("pk")[: feeds.FEED_LENGTH]
    info = FeedInfo(
        _("Fresh Ground journal"),
        _("The best writing from every source, ranked by what readers across circles and centers value."),
        reverse("journal:index"),
    )
    return _feed(request, fmt, info, Item.objects.filter(pk__in=list(top.values_list("pk", flat=True))))


@require_GET
def topic_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    info = FeedInfo(
        _("%(topic)s · Fresh Ground journal") % {"topic": tag.name},
        _("New in the journal on %(topic)s.") % {"topic": tag.name},
        reverse("journal:topic", args=[tag.slug]),
    )
    return _feed(request, fmt, info, Item.objects.filter(topics=tag))


@require_GET
def center_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    center = get_object_or_404(Center, slug=slug)
    info = FeedInfo(
        _("%(name)s · Fresh Ground journal") % {"name": center.name},
        _("Writing from and published by %(name)s.") % {"name": center.name},
        reverse("journal:center", args=[center.slug]),
    )
    return _feed(request, fmt, info, Item.objects.filter(centers=center))


@require_GET
def circle_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    circle = get_object_or_404(Circle, slug=slug)
    info = FeedInfo(
        _("%(name)s · Fresh Ground journal") % {"name": circle.name},
        _("Writing and links shared by %(name)s.") % {"name": circle.name},
        reverse("journal:circle", args=[circle.slug]),
    )
    return _feed(request, fmt, info, Item.objects.filter(circles=circle))


@require_GET
def source_feed(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    if source.status in (SourceStatus.PROPOSED, SourceStatus.REJECTED):
        raise Http404
    info = FeedInfo(
        _("%(name)s · Fresh Ground journal") % {"name": source.name},
        _("Entries from %(name)s, as gathered by the journal.") % {"name": source.name},
        reverse("journal:source", args=[source.slug]),
        language=source.language,
    )
    return _feed(request, fmt, info, Item.objects.filter(source=source))


@require_GET
def person_feed(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk, is_active=True)
    info = FeedInfo(
        _("%(name)s · Fresh Ground journal") % {"name": person.display_name},
        _("Articles and links by %(name)s.") % {"name": person.display_name},
        reverse("journal:person", args=[person.pk]),
    )
    return _feed(request, fmt, info, Item.objects.filter(author=person))
