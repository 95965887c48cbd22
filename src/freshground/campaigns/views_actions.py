"""A campaign's plan: its actions on a timeline and its tasks, and the forms its sponsors plan with."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.campaigns import permissions as perms
from freshground.campaigns import queries, services_actions
from freshground.campaigns.forms import ActionEditForm, ActionForm, TaskForm
from freshground.campaigns.models import Campaign
from freshground.campaigns.timeline import timeline
from freshground.campaigns.views import get_campaign
from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.network.views._common import person_of, raise_refusal, report, signed_in


def _plan_context(request: HttpRequest, found: Campaign, **forms: Any) -> dict[str, Any]:
    viewer = request.user
    queries.prime_permissions(viewer, [found])
    can_plan = perms.can_plan(viewer, found)
    can_see_tasks = perms.can_see_tasks(viewer, found)
    plan = queries.plan(found, with_tasks=can_see_tasks)
    people = queries.assignable_people(found) if can_plan else []
    for task in plan.tasks:
        task.can_complete = perms.can_complete_task(viewer, task)  # type: ignore[attr-defined]
    return {
        "campaign": found,
        "plan": plan,
        "timeline": timeline(plan.actions, today=timezone.localdate()),
        "can_plan": can_plan,
        "can_see_tasks": can_see_tasks,
        "action_form": forms.get("action_form") or (ActionForm() if can_plan else None),
        "task_form": forms.get("task_form") or (TaskForm(people=people) if can_plan else None),
    }


@require_GET
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    return TemplateResponse(request, "campaigns/plan.html", _plan_context(request, found))


@signed_in
@require_POST
def action_add(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    person = person_of(request)
    if not perms.can_plan(person, found):
        raise DjangoPermissionDenied(_("Only the campaign's sponsors can plan its actions."))
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services_actions.add_action(actor=person, campaign=found, **form.values())
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The action is on the plan."))
            return redirect("campaigns:plan", found.slug)
    return TemplateResponse(request, "campaigns/plan.html", _plan_context(request, found, action_form=form), status=400)


@signed_in
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change an action's title, date, place, owner, needed people, status or calendar event (the planners)."""
    found = get_campaign(request, slug)
    action = found.actions.select_related("owner", "event").filter(pk=pk).first()
    if action is None:
        raise Http404(_("There is no such action."))
    action.campaign = found
    person = person_of(request)
    if not perms.can_plan(person, found):
        raise DjangoPermissionDenied(_("Only the campaign's sponsors can change its actions."))
    people = queries.assignable_people(found)
    if action.owner is not None and all(p.pk != action.owner_id for p in people):
        people.append(action.owner)
    initial = {
        "title": action.title,
        "starts_at": timezone.localtime(action.starts_at).replace(second=0, microsecond=0, tzinfo=None),
        "place_name": action.place_name,
        "description": action.description,
        "people_needed": action.people_needed,
        "status": action.status,
        "event": action.event.slug if action.event else "",
        "owner": str(action.owner_id or ""),
    }
    form = ActionEditForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services_actions.update_action(actor=person, action=action, **form.values())
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect("campaigns:plan", found.slug)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "campaigns/action_edit.html", {"form": form, "campaign": found, "action": action}, status=status
    )


@signed_in
@require_POST
def task_add(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    person = person_of(request)
    if not perms.can_plan(person, found):
        raise DjangoPermissionDenied(_("Only the campaign's sponsors can hand out tasks."))
    form = TaskForm(request.POST, people=queries.assignable_people(found))
    if form.is_valid():
        try:
            services_actions.add_task(
                actor=person,
                campaign=found,
                title=form.cleaned_data["title"],
                notes=form.cleaned_data.get("notes") or "",
                due_on=form.cleaned_data.get("due_on"),
                assignees=form.chosen_people(),
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The task is on the list."))
            return redirect("campaigns:plan", found.slug)
    return TemplateResponse(request, "campaigns/plan.html", _plan_context(request, found, task_form=form), status=400)


@signed_in
@require_POST
def task_done(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    task = found.tasks.prefetch_related("assignees").filter(pk=pk).first()
    if task is None:
        raise Http404(_("There is no such task."))
    task.campaign = found
    try:
        services_actions.set_task_done(actor=person_of(request), task=task, done=request.POST.get("done") == "1")
    except DomainError as error:
        report(request, error)
    return redirect("campaigns:plan", found.slug)
