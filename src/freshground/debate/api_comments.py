"""Comments API: threads on any commentable object, one comment with its replies, posting, replying, editing,
deleting and the edit history. Same predicates as the pages; a thread is paged by an opaque cursor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.core.content import ContentKind, resolve
from freshground.core.exceptions import DomainError, NotFound, PermissionDenied
from freshground.debate import permissions_comments as perms
from freshground.debate import queries_comments as queries
from freshground.debate import services_comments as services
from freshground.debate.models import BODY_MAX_LENGTH, Comment
from freshground.debate.paragraphs import is_paragraph_key
from freshground.network.models import Circle
from freshground.people.api import ERRORS, actor, viewer

router = Router(tags=["comments"])


class AuthorOut(Schema):
    id: int
    display_name: str
    handle: str | None = None


class CircleOut(Schema):
    slug: str
    name: str


class CommentOut(Schema):
    id: int
    thread: str = Field(..., description='"<label>:<object id>" of the object the thread is about.')
    parent_id: int | None
    root_id: int | None
    depth: int
    paragraph: str
    status: str
    author: AuthorOut | None = Field(None, description="Null for a deleted comment or a former member.")
    shown_circles: list[CircleOut]
    body: str | None = Field(None, description="Null when the caller may not read it (deleted, hidden).")
    body_html: str | None = None
    hidden_reason: str | None = Field(None, description="Only for moderators of the thread's space.")
    created_at: datetime
    edited_at: datetime | None
    reply_count: int
    more_replies: bool = Field(False, description="Replies exist below that are not included: fetch this comment.")
    url: str
    you: dict[str, bool]
    replies: list[CommentOut]


CommentOut.model_rebuild()


class ThreadOut(Schema):
    thread: str
    title: str
    url: str
    total: int
    locked: bool
    slow_mode_seconds: int
    next_cursor: str | None
    items: list[CommentOut]


class RevisionOut(Schema):
    body: str
    body_html: str
    edited_by_id: int | None
    note: str
    replaced_at: datetime


class CommentIn(Schema):
    body: str = Field(..., max_length=BODY_MAX_LENGTH)
    shown_circles: list[str] = Field(default_factory=list, description="Slugs of your own circles to show.")
    paragraph: str = Field("", max_length=40)


class ReplyIn(Schema):
    body: str = Field(..., max_length=BODY_MAX_LENGTH)
    shown_circles: list[str] = Field(default_factory=list)


class EditIn(Schema):
    body: str = Field(..., max_length=BODY_MAX_LENGTH)


class ThreadQuery(Schema):
    after: str = ""
    paragraph: str = ""


def _out(node: queries.CommentNode, thread_key: str) -> dict[str, Any]:
    comment = node.comment
    deleted = comment.status == "deleted"
    author = comment.author if not deleted else None
    return {
        "id": comment.pk,
        "thread": thread_key,
        "parent_id": comment.parent_id,
        "root_id": comment.root_id,
        "depth": comment.depth,
        "paragraph": comment.paragraph,
        "status": comment.status,
        "author": (
            {"id": author.pk, "display_name": author.display_name, "handle": author.handle}
            if author is not None
            else None
        ),
        "shown_circles": [{"slug": c.slug, "name": c.name} for c in node.circles],
        "body": comment.body if node.readable else None,
        "body_html": comment.body_html if node.readable else None,
        "hidden_reason": comment.hidden_reason if node.show_reason else None,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "reply_count": comment.reply_count,
        "more_replies": node.more_replies,
        "url": comment.get_absolute_url(),
        "you": {"can_reply": node.can_reply, "can_edit": node.can_edit, "can_delete": node.can_delete},
        "replies": [_out(child, thread_key) for child in node.children],
    }


def _target(label: str, object_id: int, request: HttpRequest) -> tuple[ContentKind, Model]:
    found = resolve(label, object_id)
    if found is None or not perms.can_view_thread(viewer(request), found[0], found[1]):
        raise NotFound(_("There is nothing to comment on at this address."))
    return found


def _comment(pk: int) -> Comment:
    comment = queries.comment_by_pk(pk)
    if comment is None:
        raise NotFound(_("There is no such comment."))
    return comment


def _sub(request: HttpRequest, comment: Comment) -> queries.SubThread:
    found = queries.sub_thread(viewer(request), comment)
    if found is None:
        raise NotFound(_("There is no such comment."))
    return found


def _comment_out(request: HttpRequest, comment: Comment) -> dict[str, Any]:
    sub = _sub(request, comment)
    return _out(sub.node, sub.thread.key)


def _circles(person: Any, slugs: list[str]) -> list[Circle]:
    if not slugs:
        return []
    circles = list(queries.author_circles(person).filter(slug__in=slugs))
    if len(circles) != len(set(slugs)):
        raise DomainError(_("You can only show circles you belong to."), field="shown_circles")
    return circles


@router.get("/comments/thread/{label}/{int:object_id}", auth=OPTIONAL_AUTH, response={200: ThreadOut, **ERRORS})
def get_thread(request: HttpRequest, label: str, object_id: int, params: Query[ThreadQuery]) -> dict[str, Any]:
    """A page of a thread: top-level comments in order, replies nested below them (to a depth of 4; deeper ones
    have `more_replies`). Pass `next_cursor` as `after` for the next page; `paragraph` filters to one paragraph."""
    _kind, target = _target(label, object_id, request)
    paragraph = params.paragraph if is_paragraph_key(params.paragraph) else ""
    thread = queries.thread_page(viewer(request), target, cursor=params.after, paragraph=paragraph)
    if thread is None:
        raise NotFound(_("There is nothing to comment on at this address."))
    return {
        "thread": thread.key,
        "title": thread.title,
        "url": thread.target_url,
        "total": thread.total,
        "locked": thread.state.locked,
        "slow_mode_seconds": thread.state.slow_mode_seconds,
        "next_cursor": thread.next_cursor or None,
        "items": [_out(node, thread.key) for node in thread.nodes],
    }


@router.post("/comments/thread/{label}/{int:object_id}", auth=AUTH, response={201: CommentOut, **ERRORS})
def post_comment(request: HttpRequest, label: str, object_id: int, payload: CommentIn) -> Status[dict[str, Any]]:
    """Comment on an object (status "pending" when moderators must approve it first)."""
    _kind, target = _target(label, object_id, request)
    person = actor(request)
    if payload.paragraph and not is_paragraph_key(payload.paragraph):
        raise DomainError(_("There is no such paragraph."), field="paragraph")
    comment = services.post_comment(
        author=person,
        target=target,
        body=payload.body,
        paragraph=payload.paragraph,
        shown_circles=_circles(person, payload.shown_circles),
    )
    return Status(201, _comment_out(request, comment))


@router.get("/comments/{int:comment_id}", auth=OPTIONAL_AUTH, response={200: CommentOut, **ERRORS})
def get_comment(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    """One comment with its replies nested below it ("continue thread")."""
    return _comment_out(request, _comment(comment_id))


@router.post("/comments/{int:comment_id}/replies", auth=AUTH, response={201: CommentOut, **ERRORS})
def reply(request: HttpRequest, comment_id: int, payload: ReplyIn) -> Status[dict[str, Any]]:
    parent = _comment(comment_id)
    sub = _sub(request, parent)
    person = actor(request)
    if not sub.thread.can_post:
        raise PermissionDenied(_("You cannot comment here."))
    comment = services.post_comment(
        author=person,
        target=sub.thread.target,
        parent=parent,
        body=payload.body,
        shown_circles=_circles(person, payload.shown_circles),
    )
    return Status(201, _comment_out(request, comment))


@router.patch("/comments/{int:comment_id}", auth=AUTH, response={200: CommentOut, **ERRORS})
def edit(request: HttpRequest, comment_id: int, payload: EditIn) -> dict[str, Any]:
    """Change your comment; the earlier text goes into its history."""
    comment = _comment(comment_id)
    _sub(request, comment)
    services.edit_comment(actor=actor(request), comment=comment, body=payload.body)
    return _comment_out(request, _comment(comment_id))


@router.delete("/comments/{int:comment_id}", auth=AUTH, response={200: CommentOut, **ERRORS})
def delete(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    """Delete your comment: it stays as a stand-in so replies to it remain readable."""
    comment = _comment(comment_id)
    _sub(request, comment)
    services.delete_comment(actor=actor(request), comment=comment)
    return _comment_out(request, _comment(comment_id))


@router.get("/comments/{int:comment_id}/history", auth=OPTIONAL_AUTH, response={200: list[RevisionOut], **ERRORS})
def history(request: HttpRequest, comment_id: int) -> list[dict[str, Any]]:
    """Earlier texts of an edited comment, newest first (for everyone who may read the comment)."""
    comment = _comment(comment_id)
    sub = _sub(request, comment)
    if not sub.node.readable:
        raise NotFound(_("There is no such comment."))
    return [
        {
            "body": r.body,
            "body_html": r.body_html,
            "edited_by_id": r.edited_by_id,
            "note": r.note,
            "replaced_at": r.created_at,
        }
        for r in queries.revisions_of(comment)
    ]
