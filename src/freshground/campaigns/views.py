"""Campaign pages (thin: forms in, services and queries out). Every page works without JavaScript; htmx swaps the
support box and the board's results when it is on. Here the board, creating a campaign, its page, sponsors, supporters
and goals; the plan is in views_actions.py, progress reports in views_progress.py, petitions in views_petitions.py and
kits in views_kits.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.campaigns import permissions as perms
from freshground.campaigns import queries, services
from freshground.campaigns.forms import (
    CampaignForm,
    CreateCampaignForm,
    GoalForm,
    GoalProgressForm,
    ReportForm,
    SponsorRequestForm,
    StatusForm,
)
from freshground.campaigns.models import Campaign, CampaignStatus, Scope, Sponsor
from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.core.text import render_markdown
from freshground.network.queries import Near
from freshground.network.views._common import is_htmx, person_of, raise_refusal, report, signed_in


def get_campaign(request: HttpRequest, slug: str) -> Campaign:
    campaign = queries.campaign_by_slug(slug)
    if campaign is None or not perms.can_view_campaign(request.user, campaign):
        raise Http404(_("There is no campaign at this address."))
    return campaign


# The board


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


def page_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
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
    return TemplateResponse(request, "campaigns/campaign.html", page_context(request, found))


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
