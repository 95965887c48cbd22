"""Unity pages: the list, opening a conversation, the conversation with its voting card, adding statements, declaring
one's circles, the moderators' queue, closing, the live opinion map and the report with its exports.

Every form is a plain POST form; htmx only swaps the voting card and polls the map. Anonymous participants (where the
owner allows them) are told apart by a random key in an HttpOnly, SameSite=Lax cookie limited to the conversation's
path; only its SHA-256 is stored."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.core import svg_charts
from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.core.permissions import is_person
from freshground.events.queries import groups_person_acts_for
from freshground.network import queries as network_queries
from freshground.network.models import Center, Circle
from freshground.network.views._common import is_htmx, person_of, raise_refusal, signed_in
from freshground.people.models import Person
from freshground.unity import opinion_map, queries, queries_pages, services
from freshground.unity import permissions as perms
from freshground.unity.analysis_runs import latest_summary
from freshground.unity.forms import ConversationForm, DeclareForm, StatementForm
from freshground.unity.models import Conversation, Participant, Statement, StatementStatus

COOKIE_NAME = "unity_key"
COOKIE_MAX_AGE = 365 * 24 * 3600


def conversation_path(conversation: Conversation) -> str:
    return reverse("unity:conversation", args=[conversation.slug])


def get_conversation(slug: str) -> Conversation:
    conversation = queries.conversation_by_slug(slug)
    if conversation is None:
        raise Http404(_("There is no conversation at this address."))
    return conversation


def current_participant(request: HttpRequest, conversation: Conversation) -> Participant | None:
    """The viewer's participant: their own when signed in, else the one whose key their cookie holds."""
    if is_person(request.user):
        return queries.participant_for_person(request.user, conversation)
    return queries.participant_by_key(conversation, request.COOKIES.get(COOKIE_NAME))


def set_key_cookie(response: HttpResponse, conversation: Conversation, key: str, *, secure: bool) -> None:
    response.set_cookie(
        COOKIE_NAME,
        key,
        max_age=COOKIE_MAX_AGE,
        path=conversation_path(conversation),
        httponly=True,
        samesite="Lax",
        secure=secure,
    )


def _group(value: str) -> tuple[Circle | None, Center | None]:
    kind, _sep, slug = (value or "").partition(":")
    if kind == "circle":
        return network_queries.circle_by_slug(slug), None
    if kind == "center":
        return None, network_queries.center_by_slug(slug)
    return None, None


# The list


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    open_, closed = queries_pages.conversation_lists()
    context = {"open_conversations": open_, "closed_conversations": closed}
    return TemplateResponse(request, "unity/index.html", context)


# Opening a conversation


def _owner_choices(person: Person) -> list[tuple[str, str]]:
    circles, centers = groups_person_acts_for(person)
    choices = [("", _("Me, %(name)s") % {"name": person.display_name})]
    choices += [(f"circle:{c.slug}", c.name) for c in circles]
    choices += [(f"center:{c.slug}", c.name) for c in centers]
    return choices


@require_http_methods(["GET", "POST"])
@signed_in
def create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = ConversationForm(request.POST or None, owner_choices=_owner_choices(person))
    if request.method == "POST" and form.is_valid():
        circle, center = _group(form.cleaned_data.get("owner") or "")
        try:
            conversation = services.open_conversation(
                person=person, circle=circle, center=center, **form.service_values()
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The conversation is open."))
            return redirect(conversation_path(conversation))
    status = 400 if form.is_bound else 200
    return TemplateResponse(request, "unity/conversation_form.html", {"form": form}, status=status)


# The conversation


def _map_context(request: HttpRequest, conversation: Conversation, participant: Participant | None) -> dict[str, Any]:
    snapshot = latest_summary(conversation)
    data = opinion_map.build(snapshot.summary if snapshot else {}, participant.pk if participant else None)
    title = _("Opinion map of “%(title)s”") % {"title": conversation.title}
    return {
        "conversation": conversation,
        "snapshot": snapshot,
        "status": queries_pages.analysis_status(conversation, snapshot),
        "map": data,
        "map_svg": opinion_map.svg(data, title=title),
    }


def _card_context(
    request: HttpRequest, conversation: Conversation, participant: Participant | None, **extra: Any
) -> dict[str, Any]:
    statement = queries.next_statement(participant) if participant is not None else None
    if participant is None and conversation.is_open:
        # Someone who has not voted yet sees the first statement the order would give a newcomer.
        candidates = list(
            Statement.objects.filter(conversation=conversation, status=StatementStatus.APPROVED)
            .order_by("created_at", "id")
            .values_list("pk", flat=True)
        )
        chosen = queries.choose(candidates, queries.routing_data(conversation))
        statement = Statement.objects.filter(pk=chosen).first() if chosen is not None else None
    user = request.user
    can_vote = conversation.is_open and (is_person(user) or conversation.allow_anonymous)
    return {
        "conversation": conversation,
        "statement": statement if conversation.is_open else None,
        "participant": participant,
        "can_vote": can_vote,
        "signed_in": is_person(user),
        **extra,
    }


def _declare_form(request: HttpRequest, participant: Participant | None, data: Any = None) -> DeclareForm | None:
    if not is_person(request.user):
        return None
    circles, centers = queries_pages.declarable_groups(request.user)
    if not circles and not centers:
        return None
    initial = {}
    if participant is not None:
        initial = {
            "circles": [str(pk) for pk in participant.circles.values_list("pk", flat=True)],
            "centers": [str(pk) for pk in participant.centers.values_list("pk", flat=True)],
        }
    return DeclareForm(
        data,
        initial=initial,
        circle_choices=[(str(c.pk), c.name) for c in circles],
        center_choices=[(str(c.pk), c.name) for c in centers],
    )


def _page_context(request: HttpRequest, conversation: Conversation, **forms: Any) -> dict[str, Any]:
    participant = current_participant(request, conversation)
    user = request.user
    is_moderator = perms.is_moderator(user, conversation)
    context: dict[str, Any] = {
        **_card_context(request, conversation, participant),
        **_map_context(request, conversation, participant),
        "is_moderator": is_moderator,
        "can_close": perms.can_close(user, conversation),
        "can_add_statement": perms.can_add_statement(user, conversation),
        "pending": queries.pending_statements(conversation) if is_moderator else [],
        "my_votes": participant.votes.count() if participant is not None else 0,
    }
    if context["can_add_statement"]:
        context["statement_form"] = forms.get("statement_form") or StatementForm()
        context["needs_approval"] = perms.statement_needs_approval(user, conversation)
    context["declare_form"] = forms.get("declare_form") or _declare_form(request, participant)
    return context


@require_GET
def conversation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = get_conversation(slug)
    return TemplateResponse(request, "unity/conversation.html", _page_context(request, conversation))


@require_POST
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    """Agree, disagree or pass on one statement, then the next statement (the card when htmx asked)."""
    conversation = get_conversation(slug)
    statement = (
        Statement.objects.select_related("conversation")
        .filter(pk=_int(request.POST.get("statement")) or 0, conversation=conversation)
        .first()
    )
    if statement is None:
        raise Http404(_("There is no such statement in this conversation."))
    new_key: str | None = None
    participant = current_participant(request, conversation)
    user = request.user
    try:
        if not is_person(user):
            if participant is None:
                if not conversation.allow_anonymous:
                    raise DjangoPermissionDenied(
                        _("Sign in to vote: this conversation does not allow anonymous participation.")
                    )
                participant, new_key = services.join_anonymously(actor=user, conversation=conversation)
            services.vote(actor=user, statement=statement, value=request.POST.get("value"), participant=participant)
        else:
            services.vote(actor=user, statement=statement, value=request.POST.get("value"))
            participant = participant or queries.participant_for_person(user, conversation)
    except DomainError as error:
        raise_refusal(error)
        if is_htmx(request):
            context = _card_context(request, conversation, participant, error=error.message)
            return TemplateResponse(request, "unity/_card.html", context, status=400)
        messages.error(request, error.message)
        return redirect(conversation_path(conversation) + "#card")
    if is_htmx(request):
        response: HttpResponse = TemplateResponse(
            request, "unity/_card.html", _card_context(request, conversation, participant, voted=True)
        )
    else:
        messages.success(request, _("Your vote is recorded."))
        response = redirect(conversation_path(conversation) + "#card")
    if new_key is not None:
        set_key_cookie(response, conversation, new_key, secure=request.is_secure())
    return response


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
@signed_in
def statement_add(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = get_conversation(slug)
    person = person_of(request)
    if not perms.can_add_statement(person, conversation):
        raise DjangoPermissionDenied(_("This conversation is closed: no new statements are taken."))
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.add_statement(person=person, conversation=conversation, text=form.cleaned_data["text"])
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            if statement.status == StatementStatus.PENDING:
                messages.info(request, _("Thank you: your statement waits for a moderator's approval."))
            else:
                messages.success(request, _("Your statement is added; others will be asked to vote on it."))
            return redirect(conversation_path(conversation))
    status = 400 if form.is_bound else 200
    context = {"conversation": conversation, "form": form}
    return TemplateResponse(request, "unity/statement_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@signed_in
def declare(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = get_conversation(slug)
    person = person_of(request)
    participant = queries.participant_for_person(person, conversation)
    form = _declare_form(request, participant, request.POST or None)
    if form is None:
        raise DjangoPermissionDenied(_("You are not a member of any circle or center to name."))
    if request.method == "POST" and form.is_valid():
        circles = list(Circle.objects.filter(pk__in=[int(pk) for pk in form.cleaned_data["circles"]]))
        centers = list(Center.objects.filter(pk__in=[int(pk) for pk in form.cleaned_data["centers"]]))
        try:
            if participant is None:
                participant = services.join(person=person, conversation=conversation)
            services.declare_circles(person=person, participant=participant, circles=circles, centers=centers)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your circles are noted; the results by circle will count your votes."))
            return redirect(conversation_path(conversation))
    status = 400 if form.is_bound else 200
    return TemplateResponse(
        request, "unity/declare_form.html", {"conversation": conversation, "form": form}, status=status
    )


@require_POST
@signed_in
def moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    conversation = get_conversation(slug)
    statement = Statement.objects.select_related("conversation").filter(pk=pk, conversation=conversation).first()
    if statement is None:
        raise Http404(_("There is no such statement in this conversation."))
    action = request.POST.get("action")
    if action not in ("approve", "reject"):
        messages.error(request, _("Choose to approve or reject the statement."))
        return redirect(conversation_path(conversation) + "#moderation")
    try:
        services.moderate_statement(person=person_of(request), statement=statement, approve=action == "approve")
    except DomainError as error:
        raise_refusal(error)
        messages.error(request, error.message)
    else:
        if action == "approve":
            messages.success(request, _("The statement is approved and will be put to participants."))
        else:
            messages.success(request, _("The statement is rejected."))
    return redirect(conversation_path(conversation) + "#moderation")


@require_http_methods(["GET", "POST"])
@signed_in
def close(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = get_conversation(slug)
    person = person_of(request)
    if not perms.is_moderator(person, conversation):
        raise DjangoPermissionDenied(_("Only the conversation's moderators can close it."))
    if request.method == "POST":
        try:
            services.close_conversation(person=person, conversation=conversation)
        except DomainError as error:
            raise_refusal(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("The conversation is closed. Its report stays public."))
        return redirect(conversation_path(conversation))
    return TemplateResponse(request, "unity/close.html", {"conversation": conversation})


# The opinion map (polled by htmx)


@require_GET
def opinion_map_view(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = get_conversation(slug)
    participant = current_participant(request, conversation)
    context = _map_context(request, conversation, participant)
    if is_htmx(request):
        return TemplateResponse(request, "unity/_map.html", context)
    return TemplateResponse(request, "unity/map.html", context)


# The report


def _participation_chart(conversation: Conversation) -> dict[str, Any]:
    days = queries_pages.participation_by_day(conversation)
    rows = [(day.isoformat(), n) for day, n in days[-60:]]
    title = _("Votes per day")
    description = _("Votes cast per day in this conversation (the last 60 days with votes).")
    return {
        "participation_svg": svg_charts.bar_chart(rows, title=title, description=description),
        "participation_table": svg_charts.bar_table(
            rows, caption=title, label_header=_("Day"), value_header=_("Votes")
        ),
        "participation_rows": rows,
    }


@require_GET
def report(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = get_conversation(slug)
    participant = current_participant(request, conversation)
    map_context = _map_context(request, conversation, participant)
    data = queries_pages.build_report(conversation, map_context["snapshot"])
    context: dict[str, Any] = {
        **map_context,
        "report": data,
        "is_moderator": perms.is_moderator(request.user, conversation),
        **_participation_chart(conversation),
    }
    from freshground.unity import queries_documents

    context["documents"] = queries_documents.documents_of(conversation)
    context["can_draft"] = perms.is_moderator(request.user, conversation)
    return TemplateResponse(request, "unity/report.html", context)


def _safe_cell(value: Any) -> Any:
    """Spreadsheets run cells that start with = + - @ as formulas: such texts get a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = get_conversation(slug)
    data = queries_pages.build_report(conversation)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    group_numbers = [g.number for g in data.groups]
    header = ["statement_id", "text", "agree", "disagree", "passed", "consensus_score"]
    for number in group_numbers:
        header += [f"group_{number}_agree", f"group_{number}_disagree", f"group_{number}_passed"]
    writer.writerow(header)
    for line in data.all_statements:
        row: list[Any] = [line.id, _safe_cell(line.text), line.overall.agree, line.overall.disagree]
        row += [line.overall.passed, "" if line.score is None else line.score]
        by_group = dict(line.per_group)
        for number in group_numbers:
            tally = by_group.get(number, queries_pages.Tally())
            row += [tally.agree, tally.disagree, tally.passed]
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{conversation.pk}-report.csv"'
    return response


@require_GET
def report_json(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = get_conversation(slug)
    snapshot = latest_summary(conversation)
    if snapshot is None:
        body: dict[str, Any] = {
            "conversation": {"slug": conversation.slug, "title": conversation.title},
            "computed_at": None,
            "groups": [],
            "consensus": [],
            "detail": _("No analysis yet."),
        }
    else:
        body = queries.report_json(conversation, snapshot)
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "allow_nan": False})
    response["Content-Disposition"] = f'attachment; filename="{conversation.pk}-report.json"'
    return response
