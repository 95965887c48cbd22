"""Campaign pages (thin: forms in, services and queries out). Every page works without JavaScript; htmx swaps the
support box and the board's results when it is on."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.campaigns import permissions as perms
from freshground.campaigns import (
    queries,
    services,
    services_actions,
    services_kits,
    services_petitions,
    services_progress,
)
from freshground.campaigns.forms import (
    ActionEditForm,
    ActionForm,
    CampaignForm,
    CreateCampaignForm,
    GoalForm,
    GoalProgressForm,
    KitCopyForm,
    KitEditForm,
    KitItemForm,
    PetitionForm,
    ReportForm,
    SignForm,
    SponsorRequestForm,
    StatusForm,
    TaskForm,
)
from freshground.campaigns.models import Campaign, CampaignStatus, Scope, Sponsor
from freshground.campaigns.timeline import timeline
from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.core.text import render_markdown
from freshground.network.models import Circle
from freshground.network.queries import Near
from freshground.network.views._common import is_htmx, person_of, raise_refusal, report, signed_in

SIGN_LIMIT_PER_IP = 20
SIGN_LIMIT_PER_ADDRESS = 3
SIGN_WINDOW = 3600


def get_campaign(request: HttpRequest, slug: str) -> Campaign:
    campaign = queries.campaign_by_slug(slug)
    if campaign is None or not perms.can_view_campaign(request.user, campaign):
        raise Http404(_("There is no campaign at this address."))
    return campaign


def _refuse(error: DomainError, request: HttpRequest) -> None:
    report(request, error)


# The board and the feed


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def board_filters(params: Any) -> tuple[queries.BoardFilters, dict[str, str]]:
    lat, lon, km = _float(params.get("lat")), _float(params.get("lon")), _float(params.get("km"))
    near = None
    if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        near = Near(lat, lon, min(max(km or 50.0, 1.0), 5000.0))
    scope = params.get("scope", "")
    status = params.get("status", "")
    filters = queries.BoardFilters(
        topic=str(params.get("topic", ""))[:80],
        scope=scope if scope in Scope.values else "",
        status=status if status in CampaignStatus.values and status != CampaignStatus.DRAFT else "",
        place=str(params.get("place", ""))[:160].strip(),
        near=near,
        text=str(params.get("q", ""))[:200].strip(),
    )
    echo = {
        k: str(params.get(k)) for k in ("topic", "scope", "status", "place", "q", "lat", "lon", "km") if params.get(k)
    }
    return filters, echo


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    filters, echo = board_filters(request.GET)
    page, groups = queries.board(filters, request.GET.get("page"))
    context = {
        "page_obj": page,
        "groups": groups,
        "filters": filters,
        "query": urlencode(echo),
        "topics": queries.topics_in_use(),
        "scopes": Scope.choices,
        "statuses": [c for c in CampaignStatus.choices if c[0] != CampaignStatus.DRAFT],
        "can_create": perms.can_create_campaign(request.user),
    }
    template = "campaigns/_board_results.html" if is_htmx(request) else "campaigns/index.html"
    return TemplateResponse(request, template, context)


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


# Creating: describe, see similar campaigns, then join one or create anyway


@signed_in
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    parties = services.parties_of(person)
    if not parties and not perms.can_create_campaign(person):
        raise DjangoPermissionDenied(
            _("Campaigns are started in the name of a circle you organise or a center you edit.")
        )
    form = CreateCampaignForm(request.POST or None, parties=parties)
    suggestions: list[Any] = []
    if request.method == "POST" and form.is_valid():
        values = form.values()
        topic = values.get("topic")
        if request.POST.get("step") != "create":
            suggestions = queries.similar_campaigns(
                title=values["title"],
                description=values.get("description") or "",
                topic=topic,
                latitude=values.get("latitude"),
                longitude=values.get("longitude"),
                place_name=values.get("place_name") or "",
            )
        if not suggestions:
            party = form.chosen_party()
            if party is None:
                form.add_error("sponsor", _("Choose a circle or center."))
            else:
                goals = []
                if values.get("goal_label") and values.get("goal_target"):
                    goals.append(
                        {"label": values["goal_label"], "unit": values["goal_unit"], "target": values["goal_target"]}
                    )
                try:
                    campaign = services.create_campaign(
                        actor=person,
                        sponsor=party,
                        title=values["title"],
                        description=values.get("description") or "",
                        topic=topic,
                        tags=values["tags"],
                        demands=values["demands"],
                        scope=values["scope"],
                        place_name=values.get("place_name") or "",
                        latitude=values.get("latitude"),
                        longitude=values.get("longitude"),
                        starts_on=values.get("starts_on"),
                        ends_on=values.get("ends_on"),
                        status=CampaignStatus.DRAFT if values.get("draft") else CampaignStatus.ACTIVE,
                        goals=goals,
                    )
                except DomainError as error:
                    raise_refusal(error)
                    apply_domain_error(form, error)
                else:
                    messages.success(request, _("The campaign is started. Invite other circles to co-sponsor it."))
                    return redirect(campaign)
    status = 400 if request.method == "POST" and form.errors else 200
    return TemplateResponse(
        request,
        "campaigns/create.html",
        {"form": form, "suggestions": suggestions, "step": 2 if suggestions else 1},
        status=status,
    )


# The campaign page


def _page_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    viewer = request.user
    page = queries.campaign_page(viewer, campaign)
    can_manage = perms.can_manage_campaign(viewer, campaign)
    parties = services.parties_of(viewer)
    requestable = [p for p in parties if perms.can_request_sponsorship(viewer, campaign, p)]
    reportable = [s for s in page.sponsors if perms.can_report_for(viewer, campaign, s)]
    for item in page.reports:
        item.body_html = render_markdown(item.body)  # type: ignore[attr-defined]
    return {
        "campaign": campaign,
        "page": page,
        "description_html": render_markdown(campaign.description),
        "can_manage": can_manage,
        "is_initiator": perms.is_initiator(viewer, campaign) or (can_manage and viewer.is_staff),
        "withdrawable": [s for s in page.sponsors if perms.can_withdraw_sponsor(viewer, s)],
        "can_request": bool(requestable),
        "can_support": perms.can_support(viewer, campaign),
        "is_supporter": perms.is_supporter(viewer, campaign),
        "report_form": ReportForm(sponsors=reportable) if reportable else None,
        "status_form": StatusForm(initial={"status": campaign.status}) if can_manage else None,
        "goal_form": GoalForm() if can_manage else None,
    }


@require_GET
def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    return TemplateResponse(request, "campaigns/campaign.html", _page_context(request, found))


@signed_in
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    person = person_of(request)
    if not perms.can_edit_campaign(person, found):
        raise DjangoPermissionDenied(_("Only the campaign's sponsors can edit it."))
    initial = {
        "title": found.title,
        "description": found.description,
        "topic": found.topic.slug if found.topic else "",
        "tags": ", ".join(t.name for t in found.tags.all()),
        "demands": "\n".join(found.demands),
        "scope": found.scope,
        "place_name": found.place_name,
        "latitude": found.latitude,
        "longitude": found.longitude,
        "starts_on": found.starts_on,
        "ends_on": found.ends_on,
    }
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(actor=person, campaign=found, **form.values())
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(found)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "campaigns/edit.html", {"form": form, "campaign": found}, status=status)


@signed_in
@require_POST
def change_status(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses."))
        return redirect(found)
    try:
        services.set_status(actor=person_of(request), campaign=found, status=form.cleaned_data["status"])
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("The campaign is now: %(s)s.") % {"s": found.get_status_display()})
    return redirect(found)


# Sponsors and supporters


@signed_in
@require_http_methods(["GET", "POST"])
def sponsor_request(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    person = person_of(request)
    parties = [p for p in services.parties_of(person) if perms.can_request_sponsorship(person, found, p)]
    if not parties:
        raise DjangoPermissionDenied(
            _("You organise no circle (and edit no center) that could still ask to co-sponsor this campaign.")
        )
    form = SponsorRequestForm(request.POST or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        party = form.chosen_party()
        if party is not None:
            try:
                services.request_sponsorship(
                    actor=person, campaign=found, party=party, message=form.cleaned_data.get("message") or ""
                )
            except DomainError as error:
                raise_refusal(error)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Asked. The organisers who started the campaign will answer."))
                return redirect(found)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "campaigns/sponsor_request.html", {"form": form, "campaign": found}, status=status)


def _sponsor(found: Campaign, pk: int) -> Sponsor:
    for sponsor in queries.all_sponsors(found):
        if sponsor.pk == pk:
            sponsor.campaign = found
            return sponsor
    raise Http404(_("There is no such sponsor."))


@signed_in
@require_POST
def sponsor_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    sponsor = _sponsor(found, pk)
    accept = request.POST.get("accept") == "1"
    try:
        services.decide_sponsorship(actor=person_of(request), sponsor=sponsor, accept=accept)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(
            request,
            (_("%(name)s now co-sponsors the campaign.") if accept else _("You declined %(name)s."))
            % {"name": sponsor.name},
        )
    return redirect(found)


@signed_in
@require_POST
def sponsor_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    sponsor = _sponsor(found, pk)
    try:
        services.withdraw_sponsor(actor=person_of(request), sponsor=sponsor)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("%(name)s no longer sponsors the campaign.") % {"name": sponsor.name})
    return redirect(found)


@signed_in
@require_POST
def support(request: HttpRequest, slug: str) -> HttpResponse:
    """Toggles: support the campaign, or stop supporting it."""
    found = get_campaign(request, slug)
    person = person_of(request)
    try:
        if perms.is_supporter(person, found):
            services.stop_supporting(actor=person, campaign=found)
            messages.success(request, _("You no longer support this campaign."))
        else:
            services.support(actor=person, campaign=found)
            messages.success(request, _("Thank you: you support this campaign."))
    except DomainError as error:
        report(request, error)
    if is_htmx(request):
        return TemplateResponse(
            request,
            "campaigns/_support.html",
            {
                "campaign": found,
                "can_support": perms.can_support(person, found),
                "is_supporter": perms.is_supporter(person, found),
                "is_partial": True,
            },
        )
    return redirect(found)


@signed_in
@require_GET
def supporters(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    if not perms.can_see_supporters(request.user, found):
        raise DjangoPermissionDenied(_("The list of supporters is for the campaign's sponsors."))
    return TemplateResponse(
        request,
        "campaigns/supporters.html",
        {"campaign": found, "supporters": list(queries.supporters_of(found)[:1000])},
    )


# Goals


@signed_in
@require_POST
def goal_add(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    form = GoalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The goal needs a label and a target of at least 1."))
        return redirect(found)
    try:
        services.add_goal(
            actor=person_of(request),
            campaign=found,
            label=form.cleaned_data["label"],
            unit=form.cleaned_data["unit"],
            target=form.cleaned_data["target"],
            current=form.cleaned_data.get("current") or 0,
        )
    except DomainError as error:
        report(request, error)
    return redirect(found)


@signed_in
@require_POST
def goal_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    goal = next((g for g in found.goals.all() if g.pk == pk), None)
    if goal is None:
        raise Http404(_("There is no such goal."))
    goal.campaign = found
    form = GoalProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a whole number."))
        return redirect(found)
    try:
        services.update_goal_progress(actor=person_of(request), goal=goal, current=form.cleaned_data["current"])
    except DomainError as error:
        report(request, error)
    return redirect(found)


# The plan


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
        data = form.cleaned_data
        event = data.get("event")
        if not form.errors:
            try:
                services_actions.add_action(
                    actor=person,
                    campaign=found,
                    title=data["title"],
                    starts_at=data["starts_at"],
                    description=data.get("description") or "",
                    place_name=data.get("place_name") or "",
                    people_needed=data.get("people_needed") or 0,
                    status=data["status"],
                    event=event,
                )
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
        data = form.cleaned_data
        event = data.get("event")
        if not form.errors:
            try:
                services_actions.update_action(
                    actor=person,
                    action=action,
                    title=data["title"],
                    starts_at=data["starts_at"],
                    place_name=data.get("place_name") or "",
                    description=data.get("description") or "",
                    people_needed=data.get("people_needed") or 0,
                    status=data["status"],
                    owner=form.chosen_owner(),
                    event=event,
                )
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


# Progress reports


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
    context = _page_context(request, found)
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


# Petitions


@signed_in
@require_http_methods(["GET", "POST"])
def petition_add(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    person = person_of(request)
    if not perms.can_manage_campaign(person, found):
        raise DjangoPermissionDenied(_("Only the campaign's sponsors can start a petition."))
    form = PetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services_petitions.create_petition(actor=person, campaign=found, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            return redirect(created)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "campaigns/petition_form.html", {"form": form, "campaign": found}, status=status)


def _petition(found: Campaign, pk: int) -> Any:
    item = queries.petition_by_pk(found, pk)
    if item is None:
        raise Http404(_("There is no such petition."))
    return item


def _client_key(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def sign_allowed(request: HttpRequest, email: str) -> bool:
    """Signing mails any address: at most 20 an hour from one client and 3 an hour to one address."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]
    client = hashlib.sha256(_client_key(request).encode()).hexdigest()[:24]
    for key, limit in ((f"fg:campaigns:sign:ip:{client}", SIGN_LIMIT_PER_IP), (f"fg:campaigns:sign:to:{address}", 3)):
        cache.add(key, 0, SIGN_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, SIGN_WINDOW)
            count = 1
        if count > limit:
            return False
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def petition(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    item = _petition(found, pk)
    initial: dict[str, Any] = {}
    if request.user.is_authenticated:
        initial = {"name": getattr(request.user, "display_name", ""), "email": getattr(request.user, "email", "")}
    form = SignForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            if not sign_allowed(request, form.cleaned_data["email"]):
                form.add_error(None, _("Too many signatures from here in a short time. Try again in an hour."))
                status = 429
            else:
                try:
                    services_petitions.sign_petition(actor=request.user, petition=item, **form.cleaned_data)
                except DomainError as error:
                    raise_refusal(error)
                    apply_domain_error(form, error)
                else:
                    return TemplateResponse(
                        request, "campaigns/petition_sent.html", {"campaign": found, "petition": item}
                    )
    return TemplateResponse(
        request,
        "campaigns/petition.html",
        {
            "campaign": found,
            "petition": item,
            "text_html": render_markdown(item.text),
            "form": form,
            "can_sign": perms.can_sign(item),
            "can_export": perms.can_export_signatures(request.user, item),
            "signers": queries.public_signers(item),
        },
        status=status,
    )


@signed_in
@require_GET
def petition_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    item = _petition(found, pk)
    if not perms.can_export_signatures(request.user, item):
        raise DjangoPermissionDenied(_("Only the campaign's sponsors can download the signatures."))
    response = HttpResponse(queries.signatures_csv(item), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-petition-{item.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def signature_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the mail: a page with a button (a POST, so mail scanners following links confirm nothing)."""
    signature = services_petitions.signature_by_token(token)
    if signature is None:
        raise Http404(_("This link is not valid or has expired. Sign again to get a new one."))
    if request.method == "POST":
        try:
            signature = services_petitions.confirm_signature(token=token)
        except DomainError as error:
            report(request, error)
        else:
            messages.success(request, _("Your signature is confirmed and counted. Thank you!"))
            return redirect(signature.petition)
    return TemplateResponse(request, "campaigns/signature_confirm.html", {"signature": signature, "token": token})


# Kits


@signed_in
@require_http_methods(["GET", "POST"])
def kit_add(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_campaign(request, slug)
    person = person_of(request)
    if not perms.can_manage_kit(person, found):
        raise DjangoPermissionDenied(_("Only the campaign's sponsors can add to its kit."))
    form = KitItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services_kits.add_kit_item(actor=person, campaign=found, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            return redirect(item)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "campaigns/kit_form.html", {"form": form, "campaign": found}, status=status)


@require_GET
def kit_item(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    item = queries.kit_item_by_pk(found, pk)
    if item is None:
        raise Http404(_("There is no such material."))
    viewer = request.user
    circles = [s.circle for s in queries.active_sponsors(found) if s.circle is not None]
    copy_circles = [c for c in circles if perms.can_copy_kit_item(viewer, item, c)]
    return TemplateResponse(
        request,
        "campaigns/kit_item.html",
        {
            "campaign": found,
            "item": item,
            "body_html": render_markdown(item.body),
            "copy_form": KitCopyForm(circles=copy_circles) if copy_circles else None,
            "can_edit": perms.can_edit_kit_item(viewer, item),
        },
    )


@signed_in
@require_POST
def kit_copy(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_campaign(request, slug)
    item = queries.kit_item_by_pk(found, pk)
    if item is None:
        raise Http404(_("There is no such material."))
    person = person_of(request)
    circles: list[Circle] = [s.circle for s in queries.active_sponsors(found) if s.circle is not None]
    form = KitCopyForm(request.POST, circles=circles)
    if not form.is_valid() or form.chosen_circle() is None:
        raise DjangoPermissionDenied(_("Choose a circle that sponsors this campaign."))
    circle = form.chosen_circle()
    assert circle is not None
    try:
        copy = services_kits.copy_kit_item(actor=person, item=item, circle=circle)
    except DomainError as error:
        report(request, error)
        return redirect(item)
    messages.success(request, _("Copied into %(circle)s. Adapt it as you need.") % {"circle": circle})
    return redirect(copy)


@signed_in
@require_http_methods(["GET", "POST"])
def kit_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Adapt a circle's copy (its organisers), or change the campaign's own item (its sponsors)."""
    found = get_campaign(request, slug)
    item = queries.kit_item_by_pk(found, pk)
    if item is None:
        raise Http404(_("There is no such material."))
    person = person_of(request)
    if not perms.can_edit_kit_item(person, item):
        raise DjangoPermissionDenied(_("Only its owners can change this material."))
    form = KitEditForm(request.POST or None, initial={"title": item.title, "body": item.body})
    if request.method == "POST" and form.is_valid():
        try:
            services_kits.update_kit_item(
                actor=person, item=item, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(item)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "campaigns/kit_edit.html", {"form": form, "campaign": found, "item": item}, status=status
    )
