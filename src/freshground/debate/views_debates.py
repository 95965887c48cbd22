"""Debate pages: the list, opening a debate, the debate itself, positions, arguments and convincing marks, invited
statements, closing with a summary and its versions. Every form works without JavaScript; htmx only swaps the
convincing button in place."""

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
from freshground.core.models import Tag
from freshground.debate import permissions_debates as perms
from freshground.debate import queries_debates as queries
from freshground.debate import services_debates as services
from freshground.debate import services_summaries
from freshground.debate.forms_debates import (
    ArgumentForm,
    DebateFilterForm,
    DebateForm,
    InviteForm,
    PositionForm,
    StatementForm,
    SummaryForm,
)
from freshground.debate.models import Argument, Debate, Side
from freshground.events.queries import groups_person_acts_for
from freshground.network import queries as network_queries
from freshground.network.models import Center, Circle
from freshground.network.views._common import is_htmx, person_of, raise_refusal, report, signed_in
from freshground.people.models import Person


def get_debate(request: HttpRequest, slug: str) -> Debate:
    debate = queries.debate_by_slug(slug)
    if debate is None or not perms.can_view_debate(request.user, debate):
        raise Http404(_("There is no debate at this address."))
    return debate


def _group(value: str) -> tuple[Circle | None, Center | None]:
    kind, _sep, slug = (value or "").partition(":")
    if kind == "circle":
        return network_queries.circle_by_slug(slug), None
    if kind == "center":
        return None, network_queries.center_by_slug(slug)
    return None, None


# The list


@require_GET
def debate_index(request: HttpRequest) -> HttpResponse:
    circles, centers = queries.groups_for_filter()
    choices = [(f"circle:{c.slug}", c.name) for c in circles] + [(f"center:{c.slug}", c.name) for c in centers]
    form = DebateFilterForm(request.GET or None, group_choices=choices)
    filters = queries.DebateFilters()
    if form.is_valid():
        data = form.cleaned_data
        circle, center = _group(data.get("group") or "")
        topic_slug = (data.get("topic") or "").strip()
        topic = Tag.objects.filter(slug=topic_slug).first() if topic_slug else None
        filters = queries.DebateFilters(
            state=data.get("state") or "", circle=circle, center=center, topic=topic, q=(data.get("q") or "").strip()
        )
    page = queries.debate_list(request.user, filters, request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "filters": filters, "page_obj": page, "query": query.urlencode()}
    return TemplateResponse(request, "debate/debate_list.html", context)


# Opening a debate


def _owner_choices(person: Person) -> list[tuple[str, str]]:
    circles, centers = groups_person_acts_for(person)
    choices = [("", _("Me, %(name)s") % {"name": person.display_name})]
    choices += [(f"circle:{c.slug}", c.name) for c in circles]
    choices += [(f"center:{c.slug}", c.name) for c in centers]
    return choices


@require_http_methods(["GET", "POST"])
@signed_in
def debate_create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = DebateForm(request.POST or None, owner_choices=_owner_choices(person))
    if request.method == "POST" and form.is_valid():
        circle, center = _group(form.cleaned_data.get("owner") or "")
        try:
            debate = services.create_debate(person=person, circle=circle, center=center, **form.service_values())
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            if debate.status == "pending":
                messages.info(request, _("Your debate waits for a moderator's approval before others see it."))
            else:
                messages.success(request, _("The debate is open."))
            return redirect(debate)
    status = 400 if form.is_bound else 200
    return TemplateResponse(request, "debate/debate_form.html", {"form": form}, status=status)


# The debate page


def _debate_context(request: HttpRequest, debate: Debate, **forms: Any) -> dict[str, Any]:
    page = queries.debate_page(request.user, debate)
    context: dict[str, Any] = {"debate": debate, "page": page}
    if page.can_add_position:
        context["position_form"] = forms.get("position_form") or PositionForm()
    return context


@require_GET
def debate_detail(request: HttpRequest, slug: str) -> HttpResponse:
    debate = get_debate(request, slug)
    return TemplateResponse(request, "debate/debate_detail.html", _debate_context(request, debate))


@require_http_methods(["GET", "POST"])
@signed_in
def position_add(request: HttpRequest, slug: str) -> HttpResponse:
    debate = get_debate(request, slug)
    person = person_of(request)
    if not perms.can_add_position(person, debate):
        raise DjangoPermissionDenied(_("Positions can be added while the debate is open."))
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_position(person=person, debate=debate, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The position is added."))
            return redirect(debate)
    status = 400 if form.is_bound else 200
    return TemplateResponse(
        request, "debate/debate_position_form.html", {"debate": debate, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@signed_in
def argument_add(request: HttpRequest, slug: str) -> HttpResponse:
    debate = get_debate(request, slug)
    person = person_of(request)
    if not perms.can_argue(person, debate):
        raise DjangoPermissionDenied(_("Arguments can be added while the debate is open."))
    own_circles = queries.circles_of(person)
    initial = {"position": request.GET.get("position"), "side": request.GET.get("side") or Side.FOR}
    form = ArgumentForm(
        request.POST or None,
        initial=initial,
        positions=list(debate.positions.all()),
        circle_choices=[(c.pk, c.name) for c in own_circles],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        position = queries.position_by_pk(debate, data["position"])
        circles = [c for c in own_circles if c.pk in set(data.get("shown_circles") or [])]
        try:
            if position is None:
                raise DomainError(_("Choose one of this debate's positions."), field="position")
            argument = services.add_argument(
                person=person, position=position, side=data["side"], body=data["body"], shown_circles=circles
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            if argument.status == "pending":
                messages.info(request, _("Your argument waits for a moderator's approval before others see it."))
            else:
                messages.success(request, _("Your argument is in the debate."))
            return redirect(argument)
    status = 400 if form.is_bound else 200
    context = {"debate": debate, "form": form}
    return TemplateResponse(request, "debate/argument_form.html", context, status=status)


@require_GET
def position_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    debate = get_debate(request, slug)
    position = queries.position_by_pk(debate, pk)
    if position is None:
        raise Http404(_("There is no such position in this debate."))
    wanted = request.GET.get("side") or ""
    side = wanted if wanted in Side.values else str(Side.FOR)
    page = queries.position_arguments(request.user, position, side, request.GET.get("page") or 1)
    context = {
        "debate": debate,
        "position": position,
        "side": side,
        "side_label": Side(side).label,
        "page_obj": page,
        "query": f"side={side}",
        "can_argue": perms.can_argue(request.user, debate),
    }
    return TemplateResponse(request, "debate/debate_position.html", context)


# Arguments


def get_argument(request: HttpRequest, pk: int) -> Argument:
    argument = queries.argument_by_pk(request.user, pk)
    if argument is None or not perms.can_view_argument(request.user, argument):
        raise Http404(_("There is no such argument."))
    return argument


@require_GET
def argument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    argument = get_argument(request, pk)
    return TemplateResponse(request, "debate/argument_detail.html", {"argument": argument, "debate": argument.debate})


@require_POST
@signed_in
def argument_convincing(request: HttpRequest, pk: int) -> HttpResponse:
    """Toggle one's convincing mark: `convincing=1` marks, `convincing=0` unmarks."""
    argument = get_argument(request, pk)
    person = person_of(request)
    wanted = request.POST.get("convincing") != "0"
    try:
        argument = services.set_convincing(person=person, argument=argument, convincing=wanted)
    except DomainError as error:
        report(request, error)
        if is_htmx(request):
            raise DjangoPermissionDenied(error.message) from error
    fresh = queries.argument_by_pk(person, pk)
    if fresh is None:
        queries.prepare_cards(person, [argument])
    else:
        argument = fresh
    if is_htmx(request):
        return TemplateResponse(request, "debate/argument_convincing.html", {"argument": argument})
    next_url = request.POST.get("next") or ""
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(f"{next_url}#argument-{argument.pk}")
    return redirect(argument)


# Invited statements


@require_http_methods(["GET", "POST"])
@signed_in
def debate_invite(request: HttpRequest, slug: str) -> HttpResponse:
    debate = get_debate(request, slug)
    person = person_of(request)
    if not perms.can_invite(person, debate):
        raise DjangoPermissionDenied(_("Only the debate's moderators can invite statements, while it is open."))
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(person=person, debate=debate, circle=form.circle, center=form.center)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Invited. Its organisers or editors are told."))
            return redirect(debate)
    status = 400 if form.is_bound else 200
    return TemplateResponse(request, "debate/debate_invite.html", {"debate": debate, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@signed_in
def debate_statement(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    debate = get_debate(request, slug)
    invitation = queries.invitation_by_pk(debate, pk)
    if invitation is None:
        raise Http404(_("There is no such invitation."))
    person = person_of(request)
    if not perms.can_state(person, invitation):
        raise DjangoPermissionDenied(_("Only the invited circle's organisers or center's editors can answer."))
    positions = list(debate.positions.all())
    initial = {"statement": invitation.statement, "position": invitation.position_id}
    form = StatementForm(request.POST or None, initial=initial, positions=positions)
    if request.method == "POST" and request.POST.get("decline"):
        try:
            services.decline_invitation(person=person, invitation=invitation)
        except DomainError as error:
            report(request, error)
        else:
            messages.success(request, _("Declined. The debate shows that you chose not to state a position."))
        return redirect(debate)
    if request.method == "POST" and form.is_valid():
        position_id = form.cleaned_data.get("position")
        position = next((p for p in positions if p.pk == position_id), None)
        try:
            services.state_position(
                person=person, invitation=invitation, statement=form.cleaned_data["statement"], position=position
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The statement is on the debate's page."))
            return redirect(f"{debate.get_absolute_url()}#invitation-{invitation.pk}")
    status = 400 if form.is_bound else 200
    context = {"debate": debate, "invitation": invitation, "form": form}
    return TemplateResponse(request, "debate/debate_statement.html", context, status=status)


# Closing and the summary


@require_http_methods(["GET", "POST"])
@signed_in
def debate_close(request: HttpRequest, slug: str) -> HttpResponse:
    debate = get_debate(request, slug)
    person = person_of(request)
    latest = debate.summaries.first()
    if not perms.is_debate_moderator(person, debate):
        raise DjangoPermissionDenied(_("Only the debate's moderators can close it or revise its summary."))
    initial = {}
    if latest is not None:
        latest.debate = debate
        initial = {
            "positions": latest.positions,
            "agreements": latest.agreements,
            "open_questions": latest.open_questions,
        }
    form = SummaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if latest is None:
                summary = services_summaries.close_debate(person=person, debate=debate, **form.cleaned_data)
            else:
                summary = services_summaries.revise_summary(person=person, debate=debate, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The debate is closed with its summary.") if summary.version == 1 else _("The summary is revised."),
            )
            return redirect(debate)
    status = 400 if form.is_bound else 200
    context = {"debate": debate, "form": form, "latest": latest}
    return TemplateResponse(request, "debate/summary_form.html", context, status=status)


@require_GET
def summary_detail(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    debate = get_debate(request, slug)
    summary = queries.summary_version(debate, version)
    if summary is None:
        raise Http404(_("There is no such version of the summary."))
    versions = [s.version for s in debate.summaries.all()]
    context = {"debate": debate, "summary": summary, "versions": versions, "latest": max(versions)}
    return TemplateResponse(request, "debate/summary_detail.html", context)
