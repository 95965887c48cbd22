"""Notification pages: the list (mark read one by one or all), settings per kind, follows, one-click unsubscribe.

Every action is a plain POST form that redirects; with htmx the same POST swaps a part of the page and the bell.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from freshground.core.content import resolve
from freshground.core.exceptions import DomainError
from freshground.core.models import Tag
from freshground.network.views._common import is_htmx, person_of, signed_in
from freshground.notifications import links, queries, services
from freshground.notifications.forms import ChannelsForm, TopicForm

PAGE_SIZE = 30


def _safe(request: HttpRequest, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return None


@require_http_methods(["GET", "HEAD"])
@signed_in
def index(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    unread_only = request.GET.get("show") == "unread"
    rows = queries.notifications_for(person, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "notifications": page.object_list,
        "unread_only": unread_only,
        "query": "show=unread" if unread_only else "",
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "notification-list":
        return TemplateResponse(request, "notifications/_list.html", context)
    return TemplateResponse(request, "notifications/index.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(_safe(request, request.POST.get("next")) or "notifications:index")


@require_POST
@signed_in
def read(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_of(request)
    found = queries.notification_of(person, pk)
    if found is None:
        raise Http404(_("There is no such notification."))
    services.mark_read(person=person, notification=found)
    if is_htmx(request):
        return TemplateResponse(request, "notifications/_item.html", {"item": found, "bell_oob": True})
    return _back(request)


@require_http_methods(["GET", "HEAD"])
@signed_in
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    person = person_of(request)
    found = queries.notification_of(person, pk)
    if found is None:
        raise Http404(_("There is no such notification."))
    services.mark_read(person=person, notification=found)
    return redirect(_safe(request, found.url) or "notifications:index")


@require_POST
@signed_in
def read_all(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    count = services.mark_all_read(person=person)
    if is_htmx(request):
        return index_partial(request)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return _back(request)


def index_partial(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    page = Paginator(queries.notifications_for(person), PAGE_SIZE).get_page(1)
    context = {"page_obj": page, "notifications": page.object_list, "query": "", "bell_oob": True}
    return TemplateResponse(request, "notifications/_list.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
def settings_page(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    channels = queries.channels_of(person)
    form = ChannelsForm(request.POST or None, initial_channels=channels)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_channels(person=person, channels=form.channels())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    context = {"form": form, "topics": queries.followed_topics(person), "topic_form": TopicForm()}
    return TemplateResponse(request, "notifications/settings.html", context, status=400 if form.errors else 200)


@require_POST
@signed_in
def topic_follow(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = TopicForm(request.POST)
    if form.is_valid():
        try:
            tag = services.follow_topic(person=person, name=form.cleaned_data["topic"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You follow the topic “%(name)s” now.") % {"name": tag.name})
    else:
        messages.error(request, _("Which topic?"))
    return redirect("notifications:settings")


@require_POST
@signed_in
def topic_unfollow(request: HttpRequest, tag_id: int) -> HttpResponse:
    person = person_of(request)
    tag = Tag.objects.filter(pk=tag_id).first()
    if tag is None:
        raise Http404(_("There is no such topic."))
    services.unfollow_topic(person=person, tag=tag)
    messages.success(request, _("You no longer follow the topic “%(name)s”.") % {"name": tag.name})
    return redirect("notifications:settings")


@require_POST
@signed_in
def follow(request: HttpRequest, label: str, object_id: int) -> HttpResponse:
    """Follow or stop following any registered content's activity (follow=1 or 0; toggles without it)."""
    person = person_of(request)
    found = resolve(label, object_id)
    if found is None:
        raise Http404(_("There is nothing to follow here."))
    kind, obj = found
    if not kind.can_view(person, obj):
        raise DjangoPermissionDenied(_("You cannot see this."))
    wanted = request.POST.get("follow")
    following = queries.is_following_thread(person, obj)
    want = wanted == "1" if wanted in ("0", "1") else not following
    if want:
        services.follow_thread(person=person, thread=obj)
    else:
        services.unfollow_thread(person=person, thread=obj)
    if is_htmx(request):
        return TemplateResponse(request, "notifications/follow_button.html", {"obj": obj})
    messages.success(request, _("You follow this now.") if want else _("You no longer follow this."))
    return redirect(_safe(request, request.POST.get("next")) or kind.url_of(obj))


@csrf_exempt  # the signed token is the authority; mail providers POST here without a session (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = links.read_unsubscribe_token(token)
    if found is None:
        return TemplateResponse(request, "notifications/unsubscribe_invalid.html", status=404)
    person_id, topic = found
    context = {"token": token, "what": links.topic_label(topic), "done": False}
    if request.method == "POST":
        try:
            services.unsubscribe(person_id=person_id, topic=topic)
        except DomainError:
            return TemplateResponse(request, "notifications/unsubscribe_invalid.html", status=404)
        context["done"] = True
    return TemplateResponse(request, "notifications/unsubscribe.html", context)
