"""The journal's source pages: the list, proposing, a source's page, editing, review, following, OPML."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.journal import permissions_sources as perms
from freshground.journal import queries_sources as queries
from freshground.journal import services_sources as services
from freshground.journal.forms_sources import OpmlImportForm, SourceEditForm, SourceFilterForm, SourceProposeForm
from freshground.journal.models import Source, SourceStatus
from freshground.journal.opml import export_opml
from freshground.network.views._common import is_htmx, person_of, raise_refusal, report, signed_in

MAX_OPML_UPLOAD = 2_000_000


def _source(request: HttpRequest, slug: str) -> Source:
    found = queries.source_by_slug(slug)
    if found is None or not perms.can_view_source(request.user, found):
        raise Http404(_("There is no source at this address."))
    return found


@require_GET
def sources(request: HttpRequest) -> HttpResponse:
    editor = perms.is_journal_editor(request.user)
    form = SourceFilterForm(
        request.GET or None, languages=queries.languages_in_use(), topics=queries.topic_choices(), editor=editor
    )
    filters: dict[str, str] = {}
    if form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    page = queries.sources_page(request.user, request.GET.get("page"), **filters)
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    context = {
        "form": form,
        "page_obj": page,
        "filtered": bool(filters),
        "query": query,
        "is_editor": editor,
        "pending": queries.pending_count() if editor else 0,
    }
    if is_htmx(request):
        return TemplateResponse(request, "journal/source_results.html", context)
    return TemplateResponse(request, "journal/source_list.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
def source_new(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = SourceProposeForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source = services.propose_source(
                person,
                url=data["url"],
                name=data["name"],
                site_url=data["site_url"],
                description=data["description"],
                kind=data["kind"],
                language=data["language"],
                topics=form.topic_names(),
                center=data["center"],
                circle=data["circle"],
                for_center=data["for_center"],
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            if source.status == SourceStatus.ACTIVE:
                messages.success(request, _("The source is added; its feed will be fetched shortly."))
            else:
                messages.success(request, _("Thank you: the source waits for a journal editor's review."))
            return redirect("journal:source", slug=source.slug)
    return TemplateResponse(request, "journal/source_form.html", {"form": form, "source": None})


@require_GET
def source(request: HttpRequest, slug: str) -> HttpResponse:
    found = _source(request, slug)
    person = request.user
    context: dict[str, Any] = {
        "source": found,
        "items": queries.latest_items(found),
        "topics": list(found.topics.all()),
        "following": queries.is_following(person, found),
        "signed_in": bool(getattr(person, "is_authenticated", False)),
        "can_follow": perms.can_follow_source(person, found),
        "can_edit": perms.can_edit_source(person, found),
        "can_review": perms.can_review_sources(person),
        "show_health": perms.can_see_health(person),
    }
    return TemplateResponse(request, "journal/source_detail.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
def source_edit(request: HttpRequest, slug: str) -> HttpResponse:
    found = _source(request, slug)
    person = person_of(request)
    if not perms.can_edit_source(person, found):
        raise DjangoPermissionDenied(_("Only journal editors can change this source."))
    initial = {
        "name": found.name,
        "feed_url": found.feed_url,
        "site_url": found.site_url,
        "kind": found.kind,
        "language": found.language,
        "description": found.description,
        "center": found.center,
        "topics": [tag for tag in found.topics.all() if tag.is_topic],
        "other_topics": ", ".join(tag.name for tag in found.topics.all() if not tag.is_topic),
    }
    form = SourceEditForm(request.POST or None, initial=initial, person=person, current_center=found.center)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_source(
                person,
                source=found,
                name=data["name"],
                feed_url=data["feed_url"],
                site_url=data["site_url"],
                description=data["description"],
                kind=data["kind"],
                language=data["language"],
                topics=form.topic_names(),
                center=data["center"],
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The source is updated."))
            return redirect("journal:source", slug=found.slug)
    return TemplateResponse(request, "journal/source_form.html", {"form": form, "source": found})


@require_POST
@signed_in
def source_review(request: HttpRequest, slug: str) -> HttpResponse:
    found = _source(request, slug)
    person = person_of(request)
    if not perms.can_review_sources(person):
        raise DjangoPermissionDenied(_("Only journal editors review sources."))
    action = request.POST.get("action", "")
    done = {
        "approve": _("The source is active."),
        "reject": _("The source is rejected."),
        "pause": _("The source is paused."),
        "resume": _("The source is active again."),
    }
    try:
        services.review_source(person, source=found, action=action)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, done.get(action, ""))
    return redirect("journal:source", slug=found.slug)


@require_POST
@signed_in
def source_follow(request: HttpRequest, slug: str) -> HttpResponse:
    found = _source(request, slug)
    person = person_of(request)
    wanted = request.POST.get("follow")
    follow = wanted == "1" if wanted in ("0", "1") else not queries.is_following(person, found)
    try:
        if follow:
            services.follow_source(person, source=found)
            messages.success(request, _("You follow %(source)s now.") % {"source": found.name})
        else:
            services.unfollow_source(person, source=found)
            messages.success(request, _("You no longer follow %(source)s.") % {"source": found.name})
    except DomainError as error:
        report(request, error)
    if is_htmx(request):
        found.refresh_from_db(fields=["follower_count"])
        context = {
            "source": found,
            "following": queries.is_following(person, found),
            "signed_in": True,
            "can_follow": perms.can_follow_source(person, found),
            "is_partial": True,
        }
        return TemplateResponse(request, "journal/source_follow.html", context)
    return redirect("journal:source", slug=found.slug)


@require_GET
def opml(request: HttpRequest) -> HttpResponse:
    body = export_opml(queries.public_sources_for_export())
    response = HttpResponse(body, content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="freshground-sources.opml"'
    return response


@require_http_methods(["GET", "POST"])
@signed_in
def opml_import(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not perms.can_import_opml(person):
        raise DjangoPermissionDenied(_("Only journal editors import source lists."))
    form = OpmlImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_OPML_UPLOAD:
            form.add_error("file", _("The file is too large."))
        else:
            try:
                result = services.import_opml(
                    person, data=upload.read(), kind=form.cleaned_data["kind"], language=form.cleaned_data["language"]
                )
            except DomainError as error:
                raise_refusal(error)
                apply_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(created)d sources added, %(skipped)d already known, %(refused)d refused.")
                    % {"created": len(result.created), "skipped": len(result.skipped), "refused": len(result.refused)},
                )
    return TemplateResponse(request, "journal/source_import.html", {"form": form, "result": result})
