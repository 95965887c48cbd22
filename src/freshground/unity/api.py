"""The unity part of /api/v1/: conversations, the next statement, votes (signed in with a token, or anonymous with
an `X-Participant-Key` header where the owner allows it), statements and moderation, the report, points-of-unity
documents and endorsements. Same services and predicates as the pages; every refusal is a JSON 4xx with a reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import APIKeyHeader

from freshground.api import AUTH, OPTIONAL_AUTH, TokenAuth, TokenHeaderAuth
from freshground.core.exceptions import DomainError, NotFound, PermissionDenied
from freshground.core.permissions import is_person
from freshground.network.models import Center, Circle
from freshground.people.api import ERRORS, actor, viewer
from freshground.people.models import Person
from freshground.unity import permissions as perms
from freshground.unity import queries, queries_documents, queries_pages, services, services_documents
from freshground.unity.analysis_runs import latest_summary
from freshground.unity.models import Conversation, Participant, Statement
from freshground.unity.models_documents import Endorsement, UnityDocument

router = Router(tags=["unity"])

KEY_HEADER = "X-Participant-Key"


class ParticipantKeyAuth(APIKeyHeader):
    """An anonymous participant's key (from POST …/participants) in the X-Participant-Key header."""

    param_name = KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return key or None


# Writes: a token, a signed-in session (with CSRF), or for votes an anonymous participant's key.
VOTER_AUTH = [TokenAuth(), TokenHeaderAuth(), *AUTH[2:], ParticipantKeyAuth()]


class ConversationOut(Schema):
    slug: str
    title: str
    description: str
    state: str
    is_open: bool
    needs_approval: bool
    allow_anonymous: bool
    circle: str | None
    center: str | None
    created_at: datetime
    closes_at: datetime | None
    statements: int
    participants: int
    last_analysis: datetime | None = None
    recomputing: bool = False


class ConversationIn(Schema):
    title: str
    description: str = ""
    seed_statements: list[str] = []
    circle: str | None = None
    center: str | None = None
    needs_approval: bool = False
    allow_anonymous: bool = False
    closes_at: datetime | None = None


class StatementOut(Schema):
    id: int
    text: str
    status: str
    created_at: datetime


class NextOut(Schema):
    statement: StatementOut | None
    detail: str = ""


class VoteIn(Schema):
    statement: int
    value: int | str


class VoteOut(Schema):
    statement: int
    value: int
    next: StatementOut | None


class KeyOut(Schema):
    participant_key: str
    header: str = KEY_HEADER


class StatementIn(Schema):
    text: str


class ModerateIn(Schema):
    action: str


class DocumentIn(Schema):
    title: str
    preamble: str = ""
    statements: list[int]


class EndorseIn(Schema):
    version: int
    circle: str | None = None
    center: str | None = None


class EndorsementOut(Schema):
    id: int
    version: int
    circle: str | None
    center: str | None
    endorsed_at: datetime
    withdrawn_at: datetime | None


def _conversation(slug: str) -> Conversation:
    conversation = queries.conversation_by_slug(slug)
    if conversation is None:
        raise NotFound(_("There is no such conversation."))
    return conversation


def _conversation_out(conversation: Conversation, *, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "slug": conversation.slug,
        "title": conversation.title,
        "description": conversation.description,
        "state": conversation.state,
        "is_open": conversation.is_open,
        "needs_approval": conversation.needs_approval,
        "allow_anonymous": conversation.allow_anonymous,
        "circle": conversation.circle.slug if conversation.circle else None,
        "center": conversation.center.slug if conversation.center else None,
        "created_at": conversation.created_at,
        "closes_at": conversation.closes_at,
        "statements": getattr(conversation, "statement_count", 0),
        "participants": getattr(conversation, "participant_count", 0),
        "recomputing": conversation.analysis_requested_at is not None,
    }
    if detail:
        snapshot = latest_summary(conversation)
        out["last_analysis"] = snapshot.computed_at if snapshot is not None else None
        out["statements"] = conversation.statements.filter(status="approved").count()
        out["participants"] = conversation.participants.count()
    return out


def _statement_out(statement: Statement | None) -> dict[str, Any] | None:
    if statement is None:
        return None
    return {"id": statement.pk, "text": statement.text, "status": statement.status, "created_at": statement.created_at}


def _participant(request: HttpRequest, conversation: Conversation) -> Participant | None:
    person = viewer(request)
    if is_person(person):
        return queries.participant_for_person(person, conversation)
    return queries.participant_by_key(conversation, request.headers.get(KEY_HEADER))


# Conversations


@router.get("/unity/conversations", auth=OPTIONAL_AUTH, response={200: list[ConversationOut], **ERRORS})
def list_conversations(request: HttpRequest) -> list[dict[str, Any]]:
    """Open conversations, then closed ones (newest first, at most 100 of each)."""
    open_, closed = queries_pages.conversation_lists()
    return [_conversation_out(c) for c in [*open_, *closed]]


@router.get("/unity/conversations/{slug}", auth=OPTIONAL_AUTH, response={200: ConversationOut, **ERRORS})
def get_conversation(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _conversation_out(_conversation(slug), detail=True)


@router.post("/unity/conversations", auth=AUTH, response={201: ConversationOut, **ERRORS})
def create_conversation(request: HttpRequest, payload: ConversationIn) -> Status[dict[str, Any]]:
    """Open a conversation in your own name, or a circle's (its organisers) or a center's (its editors)."""
    circle = center = None
    if payload.circle:
        circle = Circle.objects.filter(slug=payload.circle).first()
        if circle is None:
            raise NotFound(_("There is no such circle."), field="circle")
    if payload.center:
        center = Center.objects.filter(slug=payload.center).first()
        if center is None:
            raise NotFound(_("There is no such center."), field="center")
    conversation = services.open_conversation(
        person=actor(request),
        title=payload.title,
        description=payload.description,
        seed_statements=payload.seed_statements,
        circle=circle,
        center=center,
        needs_approval=payload.needs_approval,
        allow_anonymous=payload.allow_anonymous,
        closes_at=payload.closes_at,
    )
    return Status(201, _conversation_out(_conversation(conversation.slug), detail=True))


@router.post("/unity/conversations/{slug}/close", auth=AUTH, response={200: ConversationOut, **ERRORS})
def close_conversation(request: HttpRequest, slug: str) -> dict[str, Any]:
    conversation = services.close_conversation(person=actor(request), conversation=_conversation(slug))
    return _conversation_out(_conversation(conversation.slug), detail=True)


# Taking part


@router.post("/unity/conversations/{slug}/participants", auth=None, response={201: KeyOut, **ERRORS})
def join_anonymously(request: HttpRequest, slug: str) -> Status[dict[str, Any]]:
    """Take part without an account where the owner allows it: returns a key to send as X-Participant-Key."""
    _participant_obj, key = services.join_anonymously(actor=None, conversation=_conversation(slug))
    return Status(201, {"participant_key": key, "header": KEY_HEADER})


@router.get("/unity/conversations/{slug}/next", auth=OPTIONAL_AUTH, response={200: NextOut, **ERRORS})
def next_statement(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The next statement to vote on (null when you have voted on all of them)."""
    conversation = _conversation(slug)
    if not conversation.is_open:
        return {"statement": None, "detail": _("This conversation is closed.")}
    participant = _participant(request, conversation)
    if participant is None:
        if request.headers.get(KEY_HEADER):
            raise PermissionDenied(_("This participant key does not belong to this conversation."))
        if is_person(viewer(request)):
            participant = services.join(person=viewer(request), conversation=conversation)
        else:
            raise PermissionDenied(_("Send an API token, or a participant key from POST …/participants."))
    statement = queries.next_statement(participant)
    return {"statement": _statement_out(statement), "detail": "" if statement else _("Nothing left to vote on.")}


@router.post("/unity/conversations/{slug}/votes", auth=VOTER_AUTH, response={200: VoteOut, **ERRORS})
def vote(request: HttpRequest, slug: str, payload: VoteIn) -> dict[str, Any]:
    """Agree (1), disagree (-1) or pass (0); a changed vote replaces the earlier one."""
    conversation = _conversation(slug)
    statement = Statement.objects.select_related("conversation").filter(pk=payload.statement).first()
    if statement is None or statement.conversation_id != conversation.pk:
        raise NotFound(_("There is no such statement in this conversation."), field="statement")
    auth = request.auth  # type: ignore[attr-defined]
    if isinstance(auth, Person):
        recorded = services.vote(actor=auth, statement=statement, value=payload.value)
    else:
        participant = queries.participant_by_key(conversation, str(auth))
        if participant is None:
            raise PermissionDenied(_("This participant key does not belong to this conversation."))
        recorded = services.vote(actor=None, statement=statement, value=payload.value, participant=participant)
    following = queries.next_statement(recorded.participant) if conversation.is_open else None
    return {"statement": statement.pk, "value": recorded.value, "next": _statement_out(following)}


# Statements


@router.post("/unity/conversations/{slug}/statements", auth=AUTH, response={201: StatementOut, **ERRORS})
def add_statement(request: HttpRequest, slug: str, payload: StatementIn) -> Status[dict[str, Any] | None]:
    statement = services.add_statement(person=actor(request), conversation=_conversation(slug), text=payload.text)
    return Status(201, _statement_out(statement))


@router.get("/unity/conversations/{slug}/statements/pending", auth=AUTH, response={200: list[StatementOut], **ERRORS})
def pending_statements(request: HttpRequest, slug: str) -> list[dict[str, Any] | None]:
    conversation = _conversation(slug)
    if not perms.can_moderate(actor(request), conversation):
        raise PermissionDenied(_("Only the conversation's moderators can see statements awaiting approval."))
    return [_statement_out(s) for s in queries.pending_statements(conversation)]


@router.post("/unity/statements/{int:statement_id}/moderate", auth=AUTH, response={200: StatementOut, **ERRORS})
def moderate(request: HttpRequest, statement_id: int, payload: ModerateIn) -> dict[str, Any] | None:
    statement = Statement.objects.select_related("conversation").filter(pk=statement_id).first()
    if statement is None:
        raise NotFound(_("There is no such statement."))
    if payload.action not in ("approve", "reject"):
        raise DomainError(_("The action is approve or reject."), field="action")
    moderated = services.moderate_statement(
        person=actor(request), statement=statement, approve=payload.action == "approve"
    )
    return _statement_out(moderated)


# The report


@router.get("/unity/conversations/{slug}/report", auth=OPTIONAL_AUTH, response={200: dict[str, Any], **ERRORS})
def report(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The last analysis: groups, representative statements, consensus ranking, broad agreement, settings."""
    conversation = _conversation(slug)
    snapshot = latest_summary(conversation)
    if snapshot is None:
        return {"conversation": {"slug": conversation.slug, "title": conversation.title}, "computed_at": None}
    return queries.report_json(conversation, snapshot)


# Documents and endorsements


def _document(document_id: int) -> UnityDocument:
    document = queries_documents.document_by_pk(document_id)
    if document is None:
        raise NotFound(_("There is no such document."))
    return document


def _endorsement_out(e: Endorsement) -> dict[str, Any]:
    return {
        "id": e.pk,
        "version": e.version.number,
        "circle": e.circle.slug if e.circle else None,
        "center": e.center.slug if e.center else None,
        "endorsed_at": e.endorsed_at,
        "withdrawn_at": e.withdrawn_at,
    }


def _document_out(request: HttpRequest, document: UnityDocument, number: int | None = None) -> dict[str, Any]:
    page = queries_documents.document_page(viewer(request), document, number)
    if page is None:
        raise NotFound(_("There is no such version of this document."))
    return {
        "id": document.pk,
        "conversation": document.conversation.slug,
        "title": page.version.title,
        "version": page.version.number,
        "latest_version": document.latest_version,
        "preamble": page.version.preamble,
        "measured_at": page.version.measured_at.isoformat() if page.version.measured_at else None,
        "statements": [
            {"id": view.item.statement_id, "text": view.item.text, "support": view.item.support} for view in page.items
        ],
        "endorsements": [_endorsement_out(e) for e in page.endorsements],
    }


@router.get("/unity/conversations/{slug}/documents", auth=OPTIONAL_AUTH, response={200: list[dict[str, Any]]})
def list_documents(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    documents = queries_documents.documents_of(_conversation(slug))
    return [
        {"id": d.pk, "title": d.title, "latest_version": d.latest_version, "endorsements": d.endorsement_count}  # type: ignore[attr-defined]
        for d in documents
    ]


@router.post("/unity/conversations/{slug}/documents", auth=AUTH, response={201: dict[str, Any], **ERRORS})
def draft_document(request: HttpRequest, slug: str, payload: DocumentIn) -> Status[dict[str, Any]]:
    document = services_documents.draft_document(
        person=actor(request),
        conversation=_conversation(slug),
        title=payload.title,
        preamble=payload.preamble,
        statement_ids=payload.statements,
    )
    return Status(201, _document_out(request, _document(document.pk)))


@router.get("/unity/documents/{int:document_id}", auth=OPTIONAL_AUTH, response={200: dict[str, Any], **ERRORS})
def get_document(request: HttpRequest, document_id: int, version: int | None = None) -> dict[str, Any]:
    return _document_out(request, _document(document_id), version)


@router.post("/unity/documents/{int:document_id}/versions", auth=AUTH, response={201: dict[str, Any], **ERRORS})
def revise_document(request: HttpRequest, document_id: int, payload: DocumentIn) -> Status[dict[str, Any]]:
    document = _document(document_id)
    version = services_documents.revise_document(
        person=actor(request),
        document=document,
        title=payload.title,
        preamble=payload.preamble,
        statement_ids=payload.statements,
    )
    return Status(201, _document_out(request, _document(document_id), version.number))


@router.post("/unity/documents/{int:document_id}/endorsements", auth=AUTH, response={201: EndorsementOut, **ERRORS})
def endorse(request: HttpRequest, document_id: int, payload: EndorseIn) -> Status[dict[str, Any]]:
    """Endorse a version in a circle's name (its organisers) or a center's (its editors)."""
    document = _document(document_id)
    version = document.versions.filter(number=payload.version).first()
    if version is None:
        raise NotFound(_("There is no such version of this document."), field="version")
    circle = Circle.objects.filter(slug=payload.circle).first() if payload.circle else None
    center = Center.objects.filter(slug=payload.center).first() if payload.center else None
    if payload.circle and circle is None:
        raise NotFound(_("There is no such circle."), field="circle")
    if payload.center and center is None:
        raise NotFound(_("There is no such center."), field="center")
    endorsement = services_documents.endorse(person=actor(request), version=version, circle=circle, center=center)
    return Status(201, _endorsement_out(endorsement))


@router.delete("/unity/endorsements/{int:endorsement_id}", auth=AUTH, response={200: EndorsementOut, **ERRORS})
def withdraw(request: HttpRequest, endorsement_id: int) -> dict[str, Any]:
    endorsement = Endorsement.objects.select_related("circle", "center", "version").filter(pk=endorsement_id).first()
    if endorsement is None:
        raise NotFound(_("There is no such endorsement."))
    return _endorsement_out(services_documents.withdraw(person=actor(request), endorsement=endorsement))
