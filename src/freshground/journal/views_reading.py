"""Reading pages: the front page, items, stories, topics, places, the personal feed and the reading list; the
recommend, save and pick buttons (normal POST forms, swapped in place by htmx when JavaScript is on)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from freshground.core.exceptions import DomainError
from freshground.journal import permissions_reading as perms
from freshground.journal import queries_reading as queries
from freshground.journal import ranking_runs
from freshground.journal import services_reading as services
from freshground.journal.models import Item, Story
from freshground.network.models import Center, Circle
from freshground.network.views._common import is_htmx, person_of, raise_refusal, safe_next, signed_in
from freshground.people.models import Person

FRONT_CACHE_SECONDS = 300


def _sort_links(base: str, sort: str, extra: dict[str, str]) -> list[dict[str, Any]]:
    labels = {
        queries.Sort.HOT: _("Hot"),
        queries.Sort.NEW: _("New"),
        queries.Sort.WEEK: _("Best this week"),
        queries.Sort.MONTH: _("Best this month"),
        queries.Sort.YEAR: _("Best this year"),
    }
    kept = {k: v for k, v in extra.items() if v}
    return [
        {"sort": key, "label": label, "url": f"{base}?{urlencode({**kept, 'sort': key})}", "current": key == sort}
        for key, label in labels.items()
    ]


def _query(page: queries.Page) -> str:
    """The query string of the page's sort and filters (without the page number), for pagination links."""
    return urlencode({k: v for k, v in {"sort": page.sort, **page.filters}.items() if v})


def front_context(request: HttpRequest, *, base: str) -> dict[str, Any]:
    """The front page's listing and filters, for journal:index and the site's home page. Anonymous viewers get a
    cached rendering of the listing (keyed by the front-page version, bumped by ranking runs and new items)."""
    sort = queries.clean_sort(request.GET.get("sort"))
    topic = queries.topic_by_slug(request.GET.get("topic", "")[:80])
    language = request.GET.get("language", "")[:16].strip()
    number = queries.clean_page(request.GET.get("page"))
    filters = {"topic": topic.slug if topic else "", "language": language}
    context: dict[str, Any] = {
        "sort": sort,
        "topic": topic,
        "language": language,
        "sort_links": _sort_links(base, sort, filters),
        "base_url": base,
    }
    anonymous = not request.user.is_authenticated
    key = ""
    if anonymous:
        key = f"journal:front:{ranking_runs.front_version()}:{sort}:{filters['topic']}:{language}:{number}"
        cached = cache.get(key)
        if cached is not None:
            context["listing_html"] = cached
            return context
    page = queries.front_page(request.user, sort=sort, topic=topic, language=language, page=number)
    listing = render_to_string(
        "journal/front_list.html",
        {"page": page, "query": _query(page), "base_url": base, "signed_in": not anonymous},
        request=request,
    )
    if anonymous:
        cache.set(key, listing, FRONT_CACHE_SECONDS)
    context["listing_html"] = listing
    return context


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = front_context(request, base=request.path)
    if is_htmx(request) and request.headers.get("HX-Target") == "front-list":
        return HttpResponse(context["listing_html"])
    context["languages"] = queries.languages()
    return TemplateResponse(request, "journal/front_index.html", context)


def _item_or_404(request: HttpRequest, pk: int) -> Item:
    item = queries.item_detail(pk)
    if item is None or not perms.can_view_item(request.user, item):
        raise Http404(_("There is no such item."))
    return item


@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk)
    recommended, saved = queries.viewer_state(request.user, item)
    item.recommended = recommended  # type: ignore[attr-defined]
    item.saved = saved  # type: ignore[attr-defined]
    picks = queries.item_picks(item)
    item.item_picks = picks  # type: ignore[attr-defined]
    context = {
        "item": item,
        "siblings": queries.item_siblings(item),
        "picks": picks,
        "can_recommend": perms.can_recommend(request.user, item),
        "own": perms.is_own_item(request.user, item),
        "pick_centers": perms.pickable_centers(request.user),
        "signed_in": request.user.is_authenticated,
    }
    return TemplateResponse(request, "journal/item_detail.html", context)


@require_GET
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(Story, pk=pk)
    items = queries.story_items(story, request.user)
    if not items:
        raise Http404(_("There is no such story."))
    context = {"story": story, "items": items, "signed_in": request.user.is_authenticated}
    return TemplateResponse(request, "journal/story_detail.html", context)


@require_GET
def topics(request: HttpRequest) -> HttpResponse:
    vocabulary, free = queries.topics_index()
    return TemplateResponse(request, "journal/topic_index.html", {"vocabulary": vocabulary, "free": free})


def _listing(request: HttpRequest, page: queries.Page, template: str, context: dict[str, Any]) -> HttpResponse:
    context = {
        **context,
        "page": page,
        "query": _query(page),
        "sort_links": _sort_links(request.path, page.sort, {}),
        "signed_in": request.user.is_authenticated,
        "base_url": request.path,
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "front-list":
        return TemplateResponse(request, "journal/front_list.html", context)
    return TemplateResponse(request, template, context)


@require_GET
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    tag = queries.topic_by_slug(slug)
    if tag is None:
        raise Http404(_("There is no such topic."))
    page = queries.topic_page(
        request.user, tag, sort=request.GET.get("sort", ""), page=queries.clean_page(request.GET.get("page"))
    )
    following = False
    if isinstance(request.user, Person):
        from freshground.notifications.models import TopicFollow

        following = TopicFollow.objects.filter(person=request.user, tag=tag).exists()
    return _listing(request, page, "journal/topic_detail.html", {"topic": tag, "following": following})


@require_POST
@signed_in
def topic_follow(request: HttpRequest, slug: str) -> HttpResponse:
    from freshground.notifications import services as notifications
    from freshground.notifications.models import TopicFollow

    tag = queries.topic_by_slug(slug)
    if tag is None:
        raise Http404(_("There is no such topic."))
    person = person_of(request)
    following = TopicFollow.objects.filter(person=person, tag=tag).exists()
    wanted = request.POST.get("follow")
    follow = wanted == "1" if wanted in ("0", "1") else not following
    try:
        if follow:
            notifications.follow_topic(person=person, name=tag.name)
            messages.success(request, _("You follow %(topic)s now.") % {"topic": tag.name})
        else:
            notifications.unfollow_topic(person=person, tag=tag)
            messages.success(request, _("You no longer follow %(topic)s.") % {"topic": tag.name})
    except DomainError as error:
        raise_refusal(error)
        messages.error(request, error.message)
    if is_htmx(request):
        following = TopicFollow.objects.filter(person=person, tag=tag).exists()
        return TemplateResponse(request, "journal/topic_follow.html", {"topic": tag, "following": following})
    return redirect("journal:topic", slug=tag.slug)


@require_GET
def center(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Center, slug=slug)
    page = queries.center_page(
        request.user, found, sort=request.GET.get("sort", ""), page=queries.clean_page(request.GET.get("page"))
    )
    picks = queries.center_picks(request.user, found) if page.number == 1 else []
    return _listing(request, page, "journal/place_center.html", {"center": found, "picks": picks})


@require_GET
def circle(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Circle, slug=slug)
    page = queries.circle_page(
        request.user, found, sort=request.GET.get("sort", ""), page=queries.clean_page(request.GET.get("page"))
    )
    return _listing(request, page, "journal/place_circle.html", {"circle": found})


@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Person, pk=pk, is_active=True)
    page = queries.person_page(
        request.user, found, sort=request.GET.get("sort", ""), page=queries.clean_page(request.GET.get("page"))
    )
    return _listing(request, page, "journal/place_person.html", {"person": found})


@require_GET
@signed_in
def mine(request: HttpRequest) -> HttpResponse:
    viewer = person_of(request)
    page = queries.personal_feed(
        viewer, sort=request.GET.get("sort", ""), page=queries.clean_page(request.GET.get("page"))
    )
    return _listing(request, page, "journal/mine_feed.html", {"follows": queries.follows_of(viewer)})


@require_GET
@signed_in
def saved(request: HttpRequest) -> HttpResponse:
    viewer = person_of(request)
    page = queries.reading_list(viewer, page=queries.clean_page(request.GET.get("page")))
    return _listing(request, page, "journal/mine_saved.html", {})


def _actions_response(request: HttpRequest, item: Item) -> HttpResponse:
    """After a button: the card's action area (htmx) or back where the reader was."""
    if is_htmx(request):
        fresh = Item.objects.get(pk=item.pk)
        recommended, saved_now = queries.viewer_state(request.user, fresh)
        fresh.recommended = recommended  # type: ignore[attr-defined]
        fresh.saved = saved_now  # type: ignore[attr-defined]
        context = {"item": fresh, "signed_in": True, "is_partial": True}
        return TemplateResponse(request, "journal/item_actions.html", context)
    return redirect(safe_next(request, request.POST.get("next")) or item.get_absolute_url())


def _post_item(request: HttpRequest, pk: int) -> Item:
    item = Item.objects.filter(pk=pk).first()
    if item is None or not perms.can_view_item(request.user, item):
        raise Http404(_("There is no such item."))
    return item


@require_POST
@signed_in
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    item = _post_item(request, pk)
    viewer = person_of(request)
    wanted = request.POST.get("recommend")
    current, _saved = queries.viewer_state(viewer, item)
    on = wanted == "1" if wanted in ("0", "1") else not current
    try:
        if on:
            services.recommend(person=viewer, item=item)
        else:
            services.unrecommend(person=viewer, item=item)
    except DomainError as error:
        raise_refusal(error)
        messages.error(request, error.message)
    return _actions_response(request, item)


@require_POST
@signed_in
def save(request: HttpRequest, pk: int) -> HttpResponse:
    item = _post_item(request, pk)
    viewer = person_of(request)
    wanted = request.POST.get("save")
    _rec, current = queries.viewer_state(viewer, item)
    on = wanted == "1" if wanted in ("0", "1") else not current
    try:
        if on:
            services.save_item(person=viewer, item=item)
        else:
            services.unsave_item(person=viewer, item=item)
    except DomainError as error:
        raise_refusal(error)
        messages.error(request, error.message)
    return _actions_response(request, item)


@require_POST
@signed_in
def pick(request: HttpRequest, pk: int) -> HttpResponse:
    item = _post_item(request, pk)
    viewer = person_of(request)
    found = Center.objects.filter(slug=request.POST.get("center", "")).first()
    if found is None:
        centers = perms.pickable_centers(viewer)
        if len(centers) != 1:
            raise DjangoPermissionDenied(_("Only a center's editors pick items, for their center."))
        found = centers[0]
    try:
        if request.POST.get("remove") == "1":
            services.unpick(person=viewer, center=found, item=item)
            messages.success(request, _("No longer picked by %(center)s.") % {"center": found.name})
        else:
            services.pick(person=viewer, center=found, item=item, note=request.POST.get("note", ""))
            messages.success(request, _("Picked for %(center)s.") % {"center": found.name})
    except DomainError as error:
        raise_refusal(error)
        messages.error(request, error.message)
    return redirect(item.get_absolute_url())
