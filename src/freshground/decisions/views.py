"""Decision pages: the list, creating, one decision with its ballot form, options, phases, objections, results, the
published ballot list and the receipt checker. Thin: each view calls one service or query."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.campaigns.models import Campaign
from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.decisions import charts, queries, services, services_voting
from freshground.decisions import permissions as perms
from freshground.decisions.forms import (
    BallotForm,
    DecisionForm,
    ObjectionAnswerForm,
    ObjectionSettleForm,
    OptionForm,
    ReceiptForm,
)
from freshground.decisions.models import Decision, Objection, SpaceKind
from freshground.decisions.tally import TallyError
from freshground.network.models import Center, Circle
from freshground.network.views._common import person_of, raise_refusal, report, signed_in


def _decision(request: HttpRequest, slug: str) -> Decision:
    decision = queries.decision_by_slug(slug)
    if decision is None or not perms.can_view_decision(request.user, decision):
        raise Http404(_("There is no decision at this address."))
    return decision


def _space(request: HttpRequest) -> Circle | Center | Campaign | None:
    """The space named in the query string (?circle=…, ?center=…, ?campaign=…); none is the whole network."""
    for name, model in (("circle", Circle), ("center", Center), ("campaign", Campaign)):
        slug = request.GET.get(name) or request.POST.get(name)
        if slug:
            found = model.objects.filter(slug=slug).first()
            if found is None:
                raise Http404(_("There is no such place."))
            return found
    return None


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    space = request.GET.get("space", "")
    space = space if space in SpaceKind.values else ""
    context = {
        "lists": queries.public_decisions(space),
        "space": space,
        "spaces": SpaceKind.choices,
        "can_create_network": perms.can_create_decision(request.user, None),
    }
    return TemplateResponse(request, "decisions/index.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    space = _space(request)
    if not perms.can_create_decision(person, space):
        raise DjangoPermissionDenied(_("You cannot open a decision here."))
    form = DecisionForm(request.POST or None, space=space)
    if request.method == "POST" and form.is_valid():
        delegates = form.delegate_people()
        if not form.errors:
            try:
                decision = services.create_decision(
                    person=person,
                    space=space,
                    fields=form.fields_value(),
                    options=form.option_labels(),
                    campaigns=list(form.cleaned_data.get("campaigns") or []),
                    delegates=delegates,
                )
            except DomainError as error:
                raise_refusal(error)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The decision is saved as a draft. Open it when it is ready."))
                return redirect(decision)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "decisions/create.html", {"form": form, "space": space}, status=status)


def _page_context(request: HttpRequest, decision: Decision, **extra: Any) -> dict[str, Any]:
    viewer = request.user
    options = queries.options_of(decision)
    can_vote = perms.can_vote(viewer, decision)
    parties = perms.voting_parties(viewer, decision)
    context: dict[str, Any] = {
        "decision": decision,
        "options": options,
        "can_vote": can_vote,
        "in_electorate": perms.in_electorate(viewer, decision),
        "can_manage": perms.can_manage_decision(viewer, decision),
        "can_change_phase": perms.can_change_phase(viewer, decision),
        "can_propose": perms.can_propose_option(viewer, decision),
        "can_see_results": perms.can_see_results(viewer, decision),
        "is_closed": decision.is_closed(),
        "objections": [
            {
                "objection": o,
                "can_answer": perms.can_answer_objection(viewer, o),
                "can_settle": perms.can_settle_objection(viewer, o),
            }
            for o in (queries.objections_of(decision) if decision.is_consent else [])
        ],
        "advice": queries.advice_of(decision) if decision.is_advice else [],
        "settle_choices": ObjectionSettleForm.base_fields["status"].choices,  # type: ignore[attr-defined]
    }
    if "form" not in extra and can_vote:
        extra["form"] = BallotForm(decision=decision, options=options, parties=parties)
    if "option_form" not in extra and context["can_propose"]:
        extra["option_form"] = OptionForm()
    context.update(extra)
    return context


@never_cache
@require_GET
def decision_page(request: HttpRequest, slug: str) -> HttpResponse:
    decision = _decision(request, slug)
    return TemplateResponse(request, "decisions/decision.html", _page_context(request, decision))


@never_cache
@signed_in
@require_POST
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    person = person_of(request)
    decision = _decision(request, slug)
    options = queries.options_of(decision)
    form = BallotForm(request.POST, decision=decision, options=options, parties=perms.voting_parties(person, decision))
    if form.is_valid():
        try:
            outcome = services_voting.cast_vote(
                person=person, decision=decision, given=form.ballot(), sponsor=form.chosen_party()
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            # The receipt is shown on this response only: it is stored nowhere but as a hash.
            return TemplateResponse(request, "decisions/voted.html", {"decision": decision, "outcome": outcome})
    context = _page_context(request, decision, form=form)
    return TemplateResponse(request, "decisions/decision.html", context, status=400)


@signed_in
@require_POST
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    person = person_of(request)
    decision = _decision(request, slug)
    form = OptionForm(request.POST)
    if form.is_valid():
        try:
            services.add_option(
                person=person,
                decision=decision,
                label=form.cleaned_data["label"],
                description=form.cleaned_data.get("description", ""),
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The option is added."))
            return redirect(decision)
    context = _page_context(request, decision, option_form=form)
    return TemplateResponse(request, "decisions/decision.html", context, status=400)


@signed_in
@require_POST
def phase(request: HttpRequest, slug: str) -> HttpResponse:
    person = person_of(request)
    decision = _decision(request, slug)
    try:
        services.set_phase(person=person, decision=decision, phase=request.POST.get("phase", ""))
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("The decision has moved on."))
    return redirect(decision)


def _objection(decision: Decision, pk: int) -> Objection:
    objection = decision.objections.select_related("decision", "author").filter(pk=pk).first()
    if objection is None:
        raise Http404(_("There is no such objection."))
    return objection


@signed_in
@require_POST
def objection_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    person = person_of(request)
    decision = _decision(request, slug)
    objection = _objection(decision, pk)
    form = ObjectionAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your answer."))
        return redirect(decision)
    try:
        services_voting.answer_objection(person=person, objection=objection, response=form.cleaned_data["response"])
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Your answer is posted."))
    return redirect(decision)


@signed_in
@require_POST
def objection_settle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    person = person_of(request)
    decision = _decision(request, slug)
    objection = _objection(decision, pk)
    form = ObjectionSettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Withdraw, uphold or resolve."))
        return redirect(decision)
    try:
        services_voting.settle_objection(person=person, objection=objection, status=form.cleaned_data["status"])
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("The objection is updated."))
    return redirect(decision)


def _results_visible(request: HttpRequest, slug: str) -> Decision:
    decision = _decision(request, slug)
    if not perms.can_see_results(request.user, decision):
        raise DjangoPermissionDenied(_("Results are shown once the vote closes."))
    return decision


@never_cache
@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    decision = _results_visible(request, slug)
    try:
        outcome = queries.results_of(decision)
    except TallyError as error:  # e.g. live results while too few options are on the ballot
        messages.error(request, _("No result can be counted yet: %(reason)s") % {"reason": error.message})
        return redirect(decision)
    context = {
        "decision": decision,
        "outcome": outcome,
        "view": charts.ResultView(decision, outcome),
        "receipt_form": ReceiptForm(),
        "show_voters": perms.can_see_who_voted_what(request.user, decision),
        "is_closed": decision.is_closed(),
    }
    return TemplateResponse(request, "decisions/results.html", context)


@never_cache
@require_GET
def ballots_json(request: HttpRequest, slug: str) -> HttpResponse:
    decision = _results_visible(request, slug)
    response = HttpResponse(queries.ballot_file(decision), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ballots.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest, slug: str) -> HttpResponse:
    """The receipt checker. The code is POSTed, never put in an address, so it stays out of browser history."""
    decision = _decision(request, slug)
    form = ReceiptForm(request.POST or None)
    found = None
    checked = False
    if request.method == "POST" and form.is_valid():
        checked = True
        found = queries.find_receipt(decision, form.cleaned_data["code"])
    context = {
        "decision": decision,
        "receipt_form": form,
        "checked": checked,
        "found": found,
        "can_see_results": perms.can_see_results(request.user, decision),
    }
    return TemplateResponse(request, "decisions/receipt.html", context, status=200 if found or not checked else 404)
