"""Debates API: the list, a debate with its ranked arguments, opening one, positions, arguments, convincing marks,
invited statements, closing with a summary and its versions. Same predicates as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.core.exceptions import DomainError, NotFound
from freshground.core.models import Tag
from freshground.debate import permissions_debates as perms
from freshground.debate import queries_debates as queries
from freshground.debate import services_debates as services
from freshground.debate import services_summaries
from freshground.debate.models import BODY_MAX_LENGTH, Argument, Debate, Invitation, Summary
from freshground.network import queries as network_queries
from freshground.network.models import Center, Circle
from freshground.people.api import ERRORS, actor, viewer

router = Router(tags=["debate"])


class ArgumentOut(Schema):
    id: int
    position_id: int
    side: str
    status: str
    author_id: int | None
    author_name: str
    shown_circles: list[str]
    body: str
    body_html: str
    created_at: datetime
    convinced_count: int
    group_count: int
    bridging_score: float
    you_find_it_convincing: bool
    you_can_mark: bool


class SideOut(Schema):
    side: str
    arguments: list[ArgumentOut]
    has_more: bool


class PositionOut(Schema):
    id: int
    title: str
    description: str
    sides: list[SideOut] = []


class InvitationOut(Schema):
    id: int
    circle: str | None
    center: str | None
    name: str
    position_id: int | None
    statement: str
    statement_html: str
    stated_at: datetime | None
    declined_at: datetime | None


class SummaryOut(Schema):
    version: int
    positions: str
    agreements: str
    open_questions: str
    body_html: str
    author_id: int | None
    created_at: datetime


class DebateBrief(Schema):
    slug: str
    question: str
    is_open: bool
    status: str
    circle: str | None
    center: str | None
    opened_by_id: int | None
    topics: list[str]
    closes_at: datetime | None
    closed_at: datetime | None
    last_activity_at: datetime


class DebateOut(DebateBrief):
    opening_statement: str
    opening_html: str
    positions: list[PositionOut]
    invitations: list[InvitationOut]
    summary: SummaryOut | None
    you: dict[str, bool]


class DebatePage(Schema):
    count: int
    page: int
    pages: int
    results: list[DebateBrief]


class ArgumentPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ArgumentOut]


class DebateIn(Schema):
    question: str = Field(..., max_length=200)
    opening_statement: str = Field(..., max_length=BODY_MAX_LENGTH * 3)
    closes_at: datetime | None = None
    circle: str | None = Field(None, description="Open it in a circle's name (its organisers).")
    center: str | None = Field(None, description="Open it in a center's name (its editors).")
    topics: list[str] = []
    positions: list[str] = []


class PositionIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=BODY_MAX_LENGTH)


class ArgumentIn(Schema):
    position_id: int
    side: str
    body: str = Field(..., max_length=BODY_MAX_LENGTH)
    shown_circles: list[str] = Field([], description="Slugs of your circles to show beside it.")


class GroupIn(Schema):
    circle: str | None = Field(None, max_length=90)
    center: str | None = Field(None, max_length=90)


class StatementIn(Schema):
    statement: str = Field(..., max_length=BODY_MAX_LENGTH * 2)
    position_id: int | None = None


class SummaryIn(Schema):
    positions: str = Field(..., max_length=BODY_MAX_LENGTH)
    agreements: str = Field(..., max_length=BODY_MAX_LENGTH)
    open_questions: str = Field(..., max_length=BODY_MAX_LENGTH)


def _debate(request: HttpRequest, slug: str) -> Debate:
    debate = queries.debate_by_slug(slug)
    if debate is None or not perms.can_view_debate(viewer(request), debate):
        raise NotFound(_("No debate is called “%(slug)s”.") % {"slug": slug[:90]})
    return debate


def _group(circle_slug: str | None, center_slug: str | None) -> tuple[Circle | None, Center | None]:
    circle = center = None
    if circle_slug:
        circle = network_queries.circle_by_slug(circle_slug)
        if circle is None:
            raise NotFound(_("No circle is called “%(slug)s”.") % {"slug": circle_slug[:90]}, field="circle")
    if center_slug:
        center = network_queries.center_by_slug(center_slug)
        if center is None:
            raise NotFound(_("No center is called “%(slug)s”.") % {"slug": center_slug[:90]}, field="center")
    return circle, center


def _argument(argument: Argument) -> dict[str, Any]:
    return {
        "id": argument.pk,
        "position_id": argument.position_id,
        "side": argument.side,
        "status": argument.status,
        "author_id": argument.author_id,
        "author_name": argument.author.display_name if argument.author else "",
        "shown_circles": [c.slug for c in getattr(argument, "circles", ())],
        "body": argument.body,
        "body_html": argument.body_html,
        "created_at": argument.created_at,
        "convinced_count": argument.convinced_count,
        "group_count": argument.group_count,
        "bridging_score": argument.bridging_score,
        "you_find_it_convincing": bool(getattr(argument, "viewer_convinced", False)),
        "you_can_mark": bool(getattr(argument, "viewer_can_mark", False)),
    }


def _invitation(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "circle": invitation.circle.slug if invitation.circle else None,
        "center": invitation.center.slug if invitation.center else None,
        "name": str(invitation.circle or invitation.center),
        "position_id": invitation.position_id,
        "statement": invitation.statement,
        "statement_html": invitation.statement_html,
        "stated_at": invitation.stated_at,
        "declined_at": invitation.declined_at,
    }


def _summary(summary: Summary) -> dict[str, Any]:
    return {
        "version": summary.version,
        "positions": summary.positions,
        "agreements": summary.agreements,
        "open_questions": summary.open_questions,
        "body_html": summary.body_html,
        "author_id": summary.author_id,
        "created_at": summary.created_at,
    }


def _brief(debate: Debate) -> dict[str, Any]:
    return {
        "slug": debate.slug,
        "question": debate.question,
        "is_open": debate.is_open,
        "status": debate.status,
        "circle": debate.circle.slug if debate.circle else None,
        "center": debate.center.slug if debate.center else None,
        "opened_by_id": debate.opened_by_id,
        "topics": [t.name for t in debate.topics.all()],
        "closes_at": debate.closes_at,
        "closed_at": debate.closed_at,
        "last_activity_at": debate.last_activity_at,
    }


def _detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    debate = _debate(request, slug)
    page = queries.debate_page(viewer(request), debate)
    return {
        **_brief(debate),
        "opening_statement": debate.opening_statement,
        "opening_html": debate.opening_html,
        "positions": [
            {
                "id": view.position.pk,
                "title": view.position.title,
                "description": view.position.description,
                "sides": [
                    {"side": s.side, "arguments": [_argument(a) for a in s.arguments], "has_more": s.has_more}
                    for s in view.sides
                ],
            }
            for view in page.positions
        ],
        "invitations": [_invitation(i) for i in page.invitations],
        "summary": _summary(page.summary) if page.summary else None,
        "you": {
            "is_moderator": page.is_moderator,
            "can_add_position": page.can_add_position,
            "can_argue": page.can_argue,
            "can_invite": page.can_invite,
            "can_close": page.can_close,
            "can_revise_summary": page.can_summarise,
        },
    }


@router.get("/debates", auth=OPTIONAL_AUTH, response={200: DebatePage, **ERRORS})
def list_debates(
    request: HttpRequest,
    state: str = "",
    circle: str = "",
    center: str = "",
    topic: str = "",
    q: str = "",
    page: int = 1,
) -> dict[str, Any]:
    """Debates, the most recently active first. `state` is open or closed; `q` searches the question."""
    if state not in ("", "open", "closed"):
        raise DomainError(_("state is open or closed."), field="state")
    circle_obj, center_obj = _group(circle or None, center or None)
    filters = queries.DebateFilters(
        state=state,
        circle=circle_obj,
        center=center_obj,
        topic=Tag.objects.filter(slug=topic).first() if topic else None,
        q=q[:120],
    )
    result = queries.debate_list(viewer(request), filters, page)
    return {
        "count": result.paginator.count,
        "page": result.number,
        "pages": result.paginator.num_pages,
        "results": [_brief(d) for d in result.object_list],
    }


@router.get("/debates/{slug}", auth=OPTIONAL_AUTH, response={200: DebateOut, **ERRORS})
def get_debate(request: HttpRequest, slug: str) -> dict[str, Any]:
    """A debate: positions with their best-ranked arguments for and against, statements, the summary."""
    return _detail(request, slug)


@router.post("/debates", auth=AUTH, response={201: DebateOut, **ERRORS})
def create_debate(request: HttpRequest, payload: DebateIn) -> Status[dict[str, Any]]:
    """Open a debate in your own name, or a circle's (organisers) or center's (editors)."""
    circle, center = _group(payload.circle, payload.center)
    debate = services.create_debate(
        person=actor(request),
        question=payload.question,
        opening_statement=payload.opening_statement,
        closes_at=payload.closes_at,
        circle=circle,
        center=center,
        topics=payload.topics,
        positions=payload.positions,
    )
    return Status(201, _detail(request, debate.slug))


@router.post("/debates/{slug}/positions", auth=AUTH, response={201: PositionOut, **ERRORS})
def add_position(request: HttpRequest, slug: str, payload: PositionIn) -> Status[dict[str, Any]]:
    position = services.add_position(
        person=actor(request), debate=_debate(request, slug), title=payload.title, description=payload.description
    )
    return Status(201, {"id": position.pk, "title": position.title, "description": position.description, "sides": []})


@router.get(
    "/debates/{slug}/positions/{int:position_id}/arguments", auth=OPTIONAL_AUTH, response={200: ArgumentPage, **ERRORS}
)
def list_arguments(
    request: HttpRequest, slug: str, position_id: int, side: str = "for", page: int = 1
) -> dict[str, Any]:
    """One side's arguments, best ranked (bridging score) first."""
    position = queries.position_by_pk(_debate(request, slug), position_id)
    if position is None:
        raise NotFound(_("There is no such position in this debate."))
    if side not in ("for", "against"):
        raise DomainError(_("side is for or against."), field="side")
    result = queries.position_arguments(viewer(request), position, side, page)
    return {
        "count": result.paginator.count,
        "page": result.number,
        "pages": result.paginator.num_pages,
        "results": [_argument(a) for a in result.object_list],
    }


@router.post("/debates/{slug}/arguments", auth=AUTH, response={201: ArgumentOut, **ERRORS})
def add_argument(request: HttpRequest, slug: str, payload: ArgumentIn) -> Status[dict[str, Any]]:
    person = actor(request)
    position = queries.position_by_pk(_debate(request, slug), payload.position_id)
    if position is None:
        raise NotFound(_("There is no such position in this debate."), field="position_id")
    circles = [c for c in (network_queries.circle_by_slug(s) for s in payload.shown_circles[:10]) if c is not None]
    argument = services.add_argument(
        person=person, position=position, side=payload.side, body=payload.body, shown_circles=circles
    )
    fresh = queries.argument_by_pk(person, argument.pk)
    assert fresh is not None
    return Status(201, _argument(fresh))


def _get_argument(request: HttpRequest, argument_id: int) -> Argument:
    argument = queries.argument_by_pk(viewer(request), argument_id)
    if argument is None or not perms.can_view_argument(viewer(request), argument):
        raise NotFound(_("There is no such argument."))
    return argument


@router.get("/arguments/{int:argument_id}", auth=OPTIONAL_AUTH, response={200: ArgumentOut, **ERRORS})
def get_argument(request: HttpRequest, argument_id: int) -> dict[str, Any]:
    return _argument(_get_argument(request, argument_id))


@router.put("/arguments/{int:argument_id}/convincing", auth=AUTH, response={200: ArgumentOut, **ERRORS})
def mark_convincing(request: HttpRequest, argument_id: int) -> dict[str, Any]:
    """Mark an argument convincing (not your own; once). Returns its new counts and bridging score."""
    person = actor(request)
    services.set_convincing(person=person, argument=_get_argument(request, argument_id), convincing=True)
    return _argument(_get_argument(request, argument_id))


@router.delete("/arguments/{int:argument_id}/convincing", auth=AUTH, response={200: ArgumentOut, **ERRORS})
def unmark_convincing(request: HttpRequest, argument_id: int) -> dict[str, Any]:
    person = actor(request)
    services.set_convincing(person=person, argument=_get_argument(request, argument_id), convincing=False)
    return _argument(_get_argument(request, argument_id))


@router.post("/debates/{slug}/invitations", auth=AUTH, response={201: InvitationOut, **ERRORS})
def invite(request: HttpRequest, slug: str, payload: GroupIn) -> Status[dict[str, Any]]:
    """Invite a circle or a center to state its position (the debate's moderators)."""
    if bool(payload.circle) == bool(payload.center):
        raise DomainError(_("Give a circle or a center."), field="circle")
    circle, center = _group(payload.circle, payload.center)
    invitation = services.invite(person=actor(request), debate=_debate(request, slug), circle=circle, center=center)
    return Status(201, _invitation(invitation))


def _get_invitation(request: HttpRequest, slug: str, invitation_id: int) -> Invitation:
    invitation = queries.invitation_by_pk(_debate(request, slug), invitation_id)
    if invitation is None:
        raise NotFound(_("There is no such invitation."))
    return invitation


@router.post(
    "/debates/{slug}/invitations/{int:invitation_id}/statement", auth=AUTH, response={200: InvitationOut, **ERRORS}
)
def state_position(request: HttpRequest, slug: str, invitation_id: int, payload: StatementIn) -> dict[str, Any]:
    """Write or revise the invitee's official statement (its organisers or editors)."""
    invitation = _get_invitation(request, slug, invitation_id)
    position = None
    if payload.position_id is not None:
        position = queries.position_by_pk(invitation.debate, payload.position_id)
        if position is None:
            raise NotFound(_("There is no such position in this debate."), field="position_id")
    updated = services.state_position(
        person=actor(request), invitation=invitation, statement=payload.statement, position=position
    )
    return _invitation(updated)


@router.post(
    "/debates/{slug}/invitations/{int:invitation_id}/decline", auth=AUTH, response={200: InvitationOut, **ERRORS}
)
def decline(request: HttpRequest, slug: str, invitation_id: int) -> dict[str, Any]:
    invitation = services.decline_invitation(
        person=actor(request), invitation=_get_invitation(request, slug, invitation_id)
    )
    return _invitation(invitation)


@router.post("/debates/{slug}/close", auth=AUTH, response={201: SummaryOut, **ERRORS})
def close_debate(request: HttpRequest, slug: str, payload: SummaryIn) -> Status[dict[str, Any]]:
    """Close the debate with its summary (its moderators)."""
    summary = services_summaries.close_debate(
        person=actor(request), debate=_debate(request, slug), **payload.model_dump()
    )
    return Status(201, _summary(summary))


@router.post("/debates/{slug}/summaries", auth=AUTH, response={201: SummaryOut, **ERRORS})
def revise_summary(request: HttpRequest, slug: str, payload: SummaryIn) -> Status[dict[str, Any]]:
    """A new version of the summary (its moderators)."""
    summary = services_summaries.revise_summary(
        person=actor(request), debate=_debate(request, slug), **payload.model_dump()
    )
    return Status(201, _summary(summary))


@router.get("/debates/{slug}/summaries", auth=OPTIONAL_AUTH, response={200: list[SummaryOut], **ERRORS})
def list_summaries(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Every version of the summary, the newest first."""
    return [_summary(s) for s in queries.summaries_of(_debate(request, slug))]


@router.get("/debates/{slug}/summaries/{int:version}", auth=OPTIONAL_AUTH, response={200: SummaryOut, **ERRORS})
def get_summary(request: HttpRequest, slug: str, version: int) -> dict[str, Any]:
    summary = queries.summary_version(_debate(request, slug), version)
    if summary is None:
        raise NotFound(_("There is no such version of the summary."))
    return _summary(summary)
