"""Moderation pages: rules, flagging, the queue, acting, the audit log, appeals, mutes and blocks. Thin: forms parse,
services decide, permissions say who sees what."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from freshground.core.content import ContentKind, Space, resolve
from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.core.text import render_markdown
from freshground.moderation import permissions as perms
from freshground.moderation import queries, services, services_appeals, services_relations, services_rules
from freshground.moderation.forms import (
    AppealDecisionForm,
    AppealForm,
    ContentActionForm,
    FlagForm,
    HouseRulesForm,
    PersonActionForm,
    RulesForm,
    SiteModeratorForm,
    SpaceSettingsForm,
)
from freshground.moderation.spaces import find_space, parse_space_key, queue_url, space_key, space_url_args
from freshground.network.views._common import is_htmx, person_of, raise_refusal, safe_next, signed_in
from freshground.people.models import Person

LOG_PAGE_SIZE = 50


def _space(space_kind: str, slug: str) -> Space:
    space = find_space(space_kind, slug)
    if space is None:
        raise Http404(_("There is no such circle or center."))
    return space


def _content(label: str, object_id: int) -> tuple[ContentKind, Any]:
    found = resolve(label, object_id)
    if found is None:
        raise Http404(_("There is no such content."))
    return found


def _done(request: HttpRequest, message: str, back: str) -> HttpResponse:
    """After an action: a small confirmation swapped in for htmx, else a message and a redirect."""
    if is_htmx(request):
        return TemplateResponse(request, "moderation/_done.html", {"message": message})
    messages.success(request, message)
    return redirect(back)


# Rules


def code_of_conduct(request: HttpRequest) -> HttpResponse:
    current = queries.current_code_of_conduct()
    return TemplateResponse(
        request,
        "moderation/code_of_conduct.html",
        {
            "rules": current,
            "html": render_markdown(current.body) if current else "",
            "can_edit": perms.can_edit_code_of_conduct(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@signed_in
def code_of_conduct_edit(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not perms.can_edit_code_of_conduct(person):
        raise DjangoPermissionDenied(_("Only site admins change the code of conduct."))
    current = queries.current_code_of_conduct()
    form = RulesForm(request.POST or None, initial={"body": current.body if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services_rules.edit_code_of_conduct(actor=person, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The code of conduct is updated."))
            return redirect("moderation:code_of_conduct")
    return TemplateResponse(
        request, "moderation/rules_form.html", {"form": form, "title": _("Edit the code of conduct")}
    )


def house_rules(request: HttpRequest, space_kind: str, slug: str) -> HttpResponse:
    space = _space(space_kind, slug)
    current = queries.current_house_rules(space)
    return TemplateResponse(
        request,
        "moderation/house_rules.html",
        {
            "space": space,
            "space_kind": space_kind,
            "rules": current,
            "html": render_markdown(current.body) if current else "",
            "can_edit": perms.can_edit_house_rules(request.user, space),
            "is_moderator": perms.is_space_moderator(request.user, space),
        },
    )


@require_http_methods(["GET", "POST"])
@signed_in
def house_rules_edit(request: HttpRequest, space_kind: str, slug: str) -> HttpResponse:
    space = _space(space_kind, slug)
    person = person_of(request)
    if not perms.can_edit_house_rules(person, space):
        raise DjangoPermissionDenied(_("Only the organisers or editors change these house rules."))
    current = queries.current_house_rules(space)
    form = HouseRulesForm(request.POST or None, initial={"body": current.body if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services_rules.edit_house_rules(actor=person, space=space, body=form.cleaned_data["body"])
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The house rules are updated."))
            return redirect("moderation:house_rules", space_kind, slug)
    title = _("House rules of %(space)s") % {"space": space}
    return TemplateResponse(request, "moderation/rules_form.html", {"form": form, "title": title, "space": space})


# Flags


@require_http_methods(["GET", "POST"])
@signed_in
def flag(request: HttpRequest, label: str, object_id: int) -> HttpResponse:
    person = person_of(request)
    kind, obj = _content(label, object_id)
    if not kind.can_view(person, obj):
        raise Http404(_("There is no such content."))
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag(actor=person, label=label, object_id=object_id, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            message = _("Thank you. The moderators will look at it; nobody else learns that you flagged it.")
            back = safe_next(request, request.POST.get("next")) or kind.url_of(obj)
            return _done(request, message, back)
    context = {"form": form, "kind": kind, "obj": obj, "title": kind.title_of(obj), "url": kind.url_of(obj)}
    context["next"] = safe_next(request, request.GET.get("next")) or ""
    return TemplateResponse(request, "moderation/flag.html", context)


@signed_in
def my_flags(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    page = Paginator(queries.my_flags(person), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "moderation/my_flags.html", {"page_obj": page})


# One's own record and appeals


@signed_in
def mine(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    return TemplateResponse(request, "moderation/mine.html", {"actions": queries.my_record(person)})


@require_http_methods(["GET", "POST"])
@signed_in
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_of(request)
    action = queries.action_about(person, pk)
    if action is None:
        raise Http404(_("There is no such decision about you."))
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_appeals.appeal(actor=person, action=action, text=form.cleaned_data["text"])
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            return _done(request, _("Your appeal is sent. Another moderator will decide."), reverse("moderation:mine"))
    return TemplateResponse(request, "moderation/appeal.html", {"form": form, "action": action})


# The queue


def _queue(request: HttpRequest, space: Space, *, everywhere: bool) -> HttpResponse:
    person = person_of(request)
    if not perms.can_see_queue(person, space):
        raise DjangoPermissionDenied(_("Only this space's moderators see its queue."))
    context = {
        "space": space,
        "space_key": space_key(space),
        "space_args": space_url_args(space),
        "flagged": queries.flagged_items(person, space, everywhere=everywhere),
        "pending": queries.pending_items(person, space, everywhere=everywhere),
        "appeals": queries.pending_appeals(person, space, everywhere=everywhere),
        "everywhere": everywhere,
        "next": request.get_full_path(),
    }
    return TemplateResponse(request, "moderation/queue.html", context)


@signed_in
def site_queue(request: HttpRequest) -> HttpResponse:
    return _queue(request, None, everywhere=True)


@signed_in
def queue(request: HttpRequest, space_kind: str, slug: str) -> HttpResponse:
    return _queue(request, _space(space_kind, slug), everywhere=False)


# Acting


@require_http_methods(["GET", "POST"])
@signed_in
def act(request: HttpRequest, label: str, object_id: int) -> HttpResponse:
    """Act on one item: hide, restore, edit with a note, dismiss flags, approve or reject; or on its thread."""
    person = person_of(request)
    kind, obj = _content(label, object_id)
    space = kind.space_of(obj)
    author = kind.author_of(obj)
    if not perms.is_space_moderator(person, space):
        raise Http404(_("There is no such content."))  # moderators of other spaces do not learn it exists
    form = ContentActionForm(request.POST or None, initial={"text": kind.text_of(obj) if kind.text_of else ""})
    back = safe_next(request, request.POST.get("next") or request.GET.get("next")) or queue_url(space)
    if request.method == "POST" and form.is_valid():
        try:
            services.act_on_content(actor=person, label=label, object_id=object_id, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            return _done(request, _("Done: the action is in the moderation log."), back)
    context = {
        "form": form,
        "kind": kind,
        "obj": obj,
        "title": kind.title_of(obj),
        "url": kind.url_of(obj),
        "status": getattr(obj, "status", ""),
        "hidden_reason": getattr(obj, "hidden_reason", ""),
        "can_act": perms.can_act_on_content(person, space, author=author),
        "author": author,
        "space_key": space_key(space),
        "next": back,
    }
    return TemplateResponse(request, "moderation/act.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@signed_in
def thread_act(request: HttpRequest, label: str, object_id: int) -> HttpResponse:
    person = person_of(request)
    kind, obj = _content(label, object_id)
    if not perms.can_moderate_thread(person, kind.space_of(obj)):
        raise Http404(_("There is no such content."))
    back = safe_next(request, request.POST.get("next")) or reverse("moderation:act", args=[label, object_id])
    action = request.POST.get("action", "")
    try:
        seconds = int(request.POST.get("seconds") or 0)
    except ValueError:
        seconds = -1
    try:
        services.act_on_thread(
            actor=person,
            label=label,
            object_id=object_id,
            action=action,
            seconds=seconds,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        raise_refusal(error)
        messages.error(request, error.message)
        return redirect(back)
    return _done(request, _("Done: the thread setting is saved and logged."), back)


@require_http_methods(["GET", "POST"])
@signed_in
def person_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Warn, suspend, ban or lift, in the space named by ?space= (circle:<slug>, center:<slug> or site)."""
    person = person_of(request)
    target = Person.objects.filter(pk=pk).first()
    if target is None:
        raise Http404(_("There is no such person."))
    key = request.POST.get("space") if request.method == "POST" else request.GET.get("space")
    found, space = parse_space_key(key or "site")
    if not found:
        raise Http404(_("There is no such circle or center."))
    if not perms.is_space_moderator(person, space):
        raise DjangoPermissionDenied(_("Only this space's moderators can do that."))
    form = PersonActionForm(request.POST or None, initial={"space": space_key(space)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.act_on_person(
                actor=person,
                person=target,
                space=space,
                action=data["action"],
                reason=data["reason"],
                days=data["days"] or 0,
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            return _done(request, _("Done: the action is in the moderation log."), queue_url(space))
    context = {
        "form": form,
        "target": target,
        "space": space,
        "space_key": space_key(space),
        "site_moderator": perms.is_site_moderator(person),
    }
    return TemplateResponse(request, "moderation/person_act.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_of(request)
    found = queries.appeal_by_pk(pk)
    if found is None:
        raise Http404(_("There is no such appeal."))
    space = found.action.circle or found.action.center
    if not perms.is_space_moderator(person, space):
        raise Http404(_("There is no such appeal."))
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_appeals.decide_appeal(
                actor=person,
                appeal=found,
                overturn=form.cleaned_data["decision"] == "overturn",
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            return _done(request, _("The appeal is decided and the person is told."), queue_url(space))
    context = {"form": form, "appeal": found, "can_decide": perms.can_decide_appeal(person, found, space)}
    return TemplateResponse(request, "moderation/appeal_decide.html", context)


# The audit log


def _log(request: HttpRequest, space: Space, *, everywhere: bool) -> HttpResponse:
    person = person_of(request)
    if not perms.can_see_audit_log(person, space):
        raise DjangoPermissionDenied(_("Only this space's moderators see its moderation log."))
    page = Paginator(queries.audit_log(space, everywhere=everywhere), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "moderation/log.html", {"page_obj": page, "space": space, "everywhere": everywhere}
    )


@signed_in
def site_log(request: HttpRequest) -> HttpResponse:
    return _log(request, None, everywhere=True)


@signed_in
def log(request: HttpRequest, space_kind: str, slug: str) -> HttpResponse:
    return _log(request, _space(space_kind, slug), everywhere=False)


# Settings


@require_http_methods(["GET", "POST"])
@signed_in
def space_settings(request: HttpRequest, space_kind: str, slug: str) -> HttpResponse:
    space = _space(space_kind, slug)
    person = person_of(request)
    if not perms.can_edit_space_settings(person, space):
        raise DjangoPermissionDenied(_("Only this space's moderators change its moderation settings."))
    current = queries.space_settings(space)
    initial = {"first_posts_need_approval": bool(current and current.first_posts_need_approval)}
    form = SpaceSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services_rules.update_space_settings(actor=person, space=space, **form.cleaned_data)
        messages.success(request, _("Moderation settings saved."))
        return redirect("moderation:space_settings", space_kind, slug)
    context = {"form": form, "space": space, "space_kind": space_kind}
    return TemplateResponse(request, "moderation/space_settings.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
def site_moderators(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not perms.can_manage_site_moderators(person):
        raise DjangoPermissionDenied(_("Only site admins choose the site moderators."))
    form = SiteModeratorForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove and remove.isdigit():
            target = Person.objects.filter(pk=int(remove)).first()
            if target is None:
                raise Http404(_("There is no such person."))
            services_rules.remove_site_moderator(actor=person, person=target)
            messages.success(request, _("%(name)s is no longer a site moderator.") % {"name": target.display_name})
            return redirect("moderation:site_moderators")
        if form.is_valid():
            target = Person.objects.filter(pk=form.cleaned_data["person"]).first()
            if target is None:
                form.add_error("person", _("There is no such person."))
            else:
                try:
                    services_rules.add_site_moderator(actor=person, person=target)
                except DomainError as error:
                    apply_domain_error(form, error)
                else:
                    messages.success(request, _("%(name)s is now a site moderator.") % {"name": target.display_name})
                    return redirect("moderation:site_moderators")
    context = {"form": form, "moderators": queries.site_moderators()}
    return TemplateResponse(request, "moderation/site_moderators.html", context)


# Mute and block


@signed_in
def relations(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    context = {"mutes": queries.mutes_of(person), "blocks": queries.blocks_of(person)}
    return TemplateResponse(request, "moderation/relations.html", context)


RELATION_MESSAGES = {
    "mute": _("You muted %(name)s: their posts are collapsed for you and they cause you no notifications."),
    "unmute": _("You no longer mute %(name)s."),
    "block": _("You blocked %(name)s: they cannot reply to you or mention you."),
    "unblock": _("You no longer block %(name)s."),
}


@require_POST
@signed_in
def relation(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_of(request)
    other = Person.objects.filter(pk=pk, is_active=True).first()
    if other is None:
        raise Http404(_("There is no such person."))
    action = request.POST.get("action", "")
    if action not in RELATION_MESSAGES:
        messages.error(request, _("That action could not be understood."))
        return redirect("moderation:relations")
    back = safe_next(request, request.POST.get("next")) or reverse("moderation:relations")
    try:
        getattr(services_relations, action)(actor=person, other=other)
    except DomainError as error:
        raise_refusal(error)
        messages.error(request, error.message)
        return redirect(back)
    return _done(request, str(RELATION_MESSAGES[action]) % {"name": other.display_name}, back)
