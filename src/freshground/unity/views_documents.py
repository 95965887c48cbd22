"""Points-of-unity document pages: drafting from a conversation's consensus statements, a document with its
versions, the frozen support per group and per circle, who endorsed it; endorsing and withdrawing."""

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
from freshground.network.views._common import person_of, raise_refusal, signed_in
from freshground.unity import permissions_documents as perms
from freshground.unity import queries_documents, queries_pages, services_documents
from freshground.unity.forms import DocumentForm
from freshground.unity.models import Conversation, StatementStatus
from freshground.unity.models_documents import Endorsement, UnityDocument
from freshground.unity.views import get_conversation


def get_document(pk: int) -> UnityDocument:
    document = queries_documents.document_by_pk(pk)
    if document is None:
        raise Http404(_("There is no document at this address."))
    return document


def _statement_choices(conversation: Conversation) -> list[tuple[str, str]]:
    """Approved statements, those with the best group-informed consensus first."""
    report = queries_pages.build_report(conversation)
    ranked = [line.id for line in report.consensus]
    lines = {line.id: line for line in report.all_statements}
    approved = set(conversation.statements.filter(status=StatementStatus.APPROVED).values_list("pk", flat=True))
    order = [pk for pk in ranked if pk in approved]
    order += [pk for pk in sorted(lines) if pk in approved and pk not in ranked]
    return [
        (str(pk), _("%(text)s (%(share)d %% agree)") % {"text": lines[pk].text, "share": lines[pk].overall.agree_share})
        for pk in order
    ]


def _save(
    request: HttpRequest, form: DocumentForm, conversation: Conversation, document: UnityDocument | None
) -> HttpResponse | None:
    if request.method != "POST" or not form.is_valid():
        return None
    person = person_of(request)
    data = form.cleaned_data
    values: dict[str, Any] = {
        "title": data["title"],
        "preamble": data.get("preamble") or "",
        "statement_ids": [int(pk) for pk in data["statements"]],
    }
    try:
        if document is None:
            document = services_documents.draft_document(person=person, conversation=conversation, **values)
            messages.success(request, _("The document is drafted. Circles and centers can now endorse it."))
        else:
            version = services_documents.revise_document(person=person, document=document, **values)
            messages.success(request, _("Version %(n)d is saved.") % {"n": version.number})
    except DomainError as error:
        raise_refusal(error)
        apply_domain_error(form, error)
        return None
    return redirect(document)


@require_http_methods(["GET", "POST"])
@signed_in
def document_create(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = get_conversation(slug)
    if not perms.can_draft(request.user, conversation):
        raise DjangoPermissionDenied(_("Only the conversation's moderators can draft a points-of-unity document."))
    choices = _statement_choices(conversation)
    initial: dict[str, Any] = {"title": (_("Points of unity: %(title)s") % {"title": conversation.title})[:200]}
    report = queries_pages.build_report(conversation)
    initial["statements"] = [str(line.id) for line in report.consensus]
    form = DocumentForm(request.POST or None, initial=initial, statement_choices=choices)
    response = _save(request, form, conversation, None)
    if response is not None:
        return response
    status = 400 if form.is_bound else 200
    context = {"conversation": conversation, "form": form, "document": None}
    return TemplateResponse(request, "unity/document_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@signed_in
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document(pk)
    if not perms.can_revise(request.user, document):
        raise DjangoPermissionDenied(_("Only the conversation's moderators can revise this document."))
    conversation = document.conversation
    latest = document.versions.order_by("-number").first()
    initial: dict[str, Any] = {"title": document.title}
    if latest is not None:
        initial["preamble"] = latest.preamble
        initial["statements"] = [str(pk) for pk in latest.items.values_list("statement_id", flat=True) if pk]
    form = DocumentForm(request.POST or None, initial=initial, statement_choices=_statement_choices(conversation))
    response = _save(request, form, conversation, document)
    if response is not None:
        return response
    status = 400 if form.is_bound else 200
    context = {"conversation": conversation, "form": form, "document": document}
    return TemplateResponse(request, "unity/document_form.html", context, status=status)


@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document(pk)
    number = request.GET.get("version")
    page = queries_documents.document_page(request.user, document, int(number) if number and number.isdigit() else None)
    if page is None:
        raise Http404(_("There is no such version of this document."))
    return TemplateResponse(request, "unity/document.html", {"page": page, "document": document})


@require_POST
@signed_in
def document_endorse(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document(pk)
    person = person_of(request)
    number = request.POST.get("version") or ""
    version = document.versions.filter(number=int(number)).first() if number.isdigit() else None
    if version is None:
        raise Http404(_("There is no such version of this document."))
    circle, center = queries_documents.endorser_by_value(request.POST.get("group") or "")
    if circle is None and center is None:
        messages.error(request, _("Choose the circle or center you endorse for."))
        return redirect(document)
    try:
        services_documents.endorse(person=person, version=version, circle=circle, center=center)
    except DomainError as error:
        raise_refusal(error)
        messages.error(request, error.message)
    else:
        name = circle.name if circle is not None else center.name  # type: ignore[union-attr]
        messages.success(request, _("%(name)s endorses version %(n)d.") % {"name": name, "n": version.number})
    return redirect(document.get_absolute_url() + f"?version={version.number}")


@require_POST
@signed_in
def endorsement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = Endorsement.objects.select_related("circle", "center", "document").filter(pk=pk).first()
    if endorsement is None:
        raise Http404(_("There is no such endorsement."))
    try:
        services_documents.withdraw(person=person_of(request), endorsement=endorsement)
    except DomainError as error:
        raise_refusal(error)
        messages.error(request, error.message)
    else:
        messages.success(request, _("The endorsement is withdrawn."))
    return redirect(endorsement.document)
