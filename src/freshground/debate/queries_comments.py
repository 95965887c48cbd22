"""Reading comment threads with a fixed number of queries, whatever the thread's size.

A page of a thread is: one keyset query for a page of top-level comments (with their authors), one query for the
replies under them by `root` (with authors, nesting cut at `MAX_DEPTH`), one for the circles their authors chose to
show. Permission questions (is the viewer a moderator of the space?) are asked once per page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Q, QuerySet
from django.urls import reverse

from freshground.core.content import ContentKind, ContentStatus, Space, kind_for, label_of
from freshground.core.permissions import is_person
from freshground.debate import permissions_comments as perms
from freshground.debate.models import Comment, CommentRevision
from freshground.moderation.gate import ThreadState, muted_ids, thread_state
from freshground.network.models import Circle

PAGE_SIZE = 20
# Replies are shown nested down to this depth below a top-level comment; deeper ones behind "continue thread".
MAX_DEPTH = 4
# At most this many replies are read under one page; the rest are reached through "more replies" links.
MAX_REPLIES_PER_PAGE = 400

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass
class CommentNode:
    comment: Comment
    readable: bool
    can_edit: bool = False
    can_delete: bool = False
    can_reply: bool = False
    show_reason: bool = False
    can_flag: bool = False
    can_moderate: bool = False
    muted: bool = False
    circles: list[Circle] = field(default_factory=list)
    children: list[CommentNode] = field(default_factory=list)
    # Deeper replies exist that this page does not show: link to the comment's own page.
    more_replies: bool = False

    @property
    def pk(self) -> int:
        return self.comment.pk

    @property
    def anchor(self) -> str:
        return f"comment-{self.comment.pk}"


@dataclass
class Thread:
    kind: ContentKind
    target: Model
    label: str
    nodes: list[CommentNode]
    moderator: bool
    can_post: bool
    state: ThreadState
    total: int = 0
    cursor: str = ""
    next_cursor: str = ""
    paragraph: str = ""

    @property
    def key(self) -> str:
        return f"{self.label}:{self.target.pk}"

    @property
    def dom_id(self) -> str:
        return f"thread-{self.label.replace('.', '-')}-{self.target.pk}"

    @property
    def url(self) -> str:
        return reverse("debate:thread", args=[self.label, self.target.pk])

    @property
    def post_url(self) -> str:
        return reverse("debate:comment_post", args=[self.label, self.target.pk])

    @property
    def title(self) -> str:
        return self.kind.title_of(self.target)

    @property
    def target_url(self) -> str:
        return self.kind.url_of(self.target)


# Cursors: "<microseconds since 1970>-<id>" of the last top-level comment shown.


def make_cursor(comment: Comment) -> str:
    delta = comment.created_at - _EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}-{comment.pk}"


def parse_cursor(value: str | None) -> tuple[dt.datetime, int] | None:
    micros, sep, pk = (value or "").partition("-")
    if not sep or not micros.isdigit() or not pk.isdigit() or len(micros) > 18 or len(pk) > 18:
        return None
    try:
        return _EPOCH + dt.timedelta(microseconds=int(micros)), int(pk)
    except OverflowError:
        return None


def thread_filter(target: Model) -> Q:
    return Q(thread_type=ContentType.objects.get_for_model(target), thread_id=target.pk)


def comments_of(target: Model) -> QuerySet[Comment]:
    return Comment.objects.filter(thread_filter(target))


def space_of_thread(kind: ContentKind, target: Model) -> Space:
    return kind.space_of(target)


def _visible(viewer: Any, moderator: bool) -> Q:
    if moderator:
        return Q()
    shown = ~Q(status=ContentStatus.PENDING)
    if is_person(viewer):
        return shown | Q(author_id=viewer.pk)
    return shown


def _circles_by_comment(ids: Sequence[int]) -> dict[int, list[Circle]]:
    if not ids:
        return {}
    through = Comment.shown_circles.through
    rows = through.objects.filter(comment_id__in=ids).select_related("circle").order_by("circle__name")
    found: dict[int, list[Circle]] = {}
    for row in rows:
        found.setdefault(row.comment_id, []).append(row.circle)
    return found


def _node(viewer: Any, comment: Comment, moderator: bool, muted: frozenset[int], can_post: bool) -> CommentNode:
    return CommentNode(
        comment=comment,
        readable=perms.can_read_comment(viewer, comment, moderator=moderator),
        can_edit=perms.can_edit_comment(viewer, comment),
        can_delete=perms.can_delete_comment(viewer, comment),
        can_reply=can_post and perms.can_reply(viewer, comment),
        show_reason=perms.can_see_hidden_reason(viewer, comment, moderator=moderator),
        can_flag=perms.can_flag_comment(viewer, comment),
        can_moderate=perms.can_moderate_comment(viewer, comment, moderator=moderator),
        muted=comment.author_id is not None and comment.author_id in muted,
    )


def build_tree(
    viewer: Any, tops: Sequence[Comment], replies: Iterable[Comment], *, moderator: bool, can_post: bool
) -> list[CommentNode]:
    """Nest replies under their parents; attach shown circles (one query)."""
    muted = muted_ids(viewer) if is_person(viewer) else frozenset()
    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    for comment in tops:
        nodes[comment.pk] = _node(viewer, comment, moderator, muted, can_post)
        roots.append(nodes[comment.pk])
    for comment in replies:  # in (created_at, id) order: a parent always comes before its replies
        parent = nodes.get(comment.parent_id or 0)
        if parent is None or comment.pk in nodes:
            continue
        nodes[comment.pk] = _node(viewer, comment, moderator, muted, can_post)
        parent.children.append(nodes[comment.pk])
    circles = _circles_by_comment(list(nodes))
    for node in nodes.values():
        node.circles = circles.get(node.pk, [])
        shown = sum(1 for child in node.children if child.comment.status == ContentStatus.PUBLISHED)
        node.more_replies = node.comment.reply_count > shown
    return roots


def _replies_under(root_ids: Sequence[int], visible: Q, *, max_depth: int) -> list[Comment]:
    if not root_ids:
        return []
    return list(
        Comment.objects.filter(visible, root_id__in=root_ids, depth__lt=max_depth)
        .select_related("author")
        .order_by("created_at", "id")[:MAX_REPLIES_PER_PAGE]
    )


def thread_page(
    viewer: Any, target: Model, *, cursor: str | None = None, paragraph: str = "", page_size: int = PAGE_SIZE
) -> Thread | None:
    """One page of a thread, or None when the object is not commentable or the viewer may not see it."""
    kind = kind_for(target)
    if kind is None or not perms.can_view_thread(viewer, kind, target):
        return None
    moderator = perms.is_space_moderator(viewer, space_of_thread(kind, target))
    visible = _visible(viewer, moderator)
    tops_query = comments_of(target).filter(visible, parent__isnull=True)
    if paragraph:
        tops_query = tops_query.filter(paragraph=paragraph)
    total = comments_of(target).filter(status=ContentStatus.PUBLISHED).count()
    after = parse_cursor(cursor)
    if after is not None:
        moment, pk = after
        tops_query = tops_query.filter(Q(created_at__gt=moment) | Q(created_at=moment, id__gt=pk))
    tops = list(tops_query.select_related("author").order_by("created_at", "id")[: page_size + 1])
    next_cursor = ""
    if len(tops) > page_size:
        tops = tops[:page_size]
        next_cursor = make_cursor(tops[-1])
    replies = _replies_under([c.pk for c in tops], visible, max_depth=MAX_DEPTH)
    state = thread_state(target)
    can_post = perms.can_comment(viewer, kind, target) and not state.locked
    return Thread(
        kind=kind,
        target=target,
        label=label_of(target),
        nodes=build_tree(viewer, tops, replies, moderator=moderator, can_post=can_post),
        moderator=moderator,
        can_post=can_post,
        state=state,
        total=total,
        cursor=(cursor or "") if after is not None else "",
        next_cursor=next_cursor,
        paragraph=paragraph,
    )


def comment_by_pk(pk: int) -> Comment | None:
    return Comment.objects.select_related("author", "thread_type").filter(pk=pk).first()


def target_of(comment: Comment) -> tuple[ContentKind, Model] | None:
    """The object a comment's thread is about, with its kind (None when it is gone or no longer registered)."""
    model = comment.thread_type.model_class()
    if model is None:
        return None
    kind = kind_for(model)
    if kind is None:
        return None
    target = model._default_manager.filter(pk=comment.thread_id).first()
    return (kind, target) if target is not None else None


@dataclass
class SubThread:
    thread: Thread
    node: CommentNode
    ancestors: list[Comment]


def sub_thread(viewer: Any, comment: Comment) -> SubThread | None:
    """A comment with its replies nested `MAX_DEPTH` levels below it ("continue thread"), or None if not visible."""
    found = target_of(comment)
    if found is None:
        return None
    kind, target = found
    if not perms.can_view_thread(viewer, kind, target):
        return None
    moderator = perms.is_space_moderator(viewer, space_of_thread(kind, target))
    if not perms.can_see_comment(viewer, comment, moderator=moderator):
        return None
    visible = _visible(viewer, moderator)
    root_id = comment.root_id or comment.pk
    replies = list(
        Comment.objects.filter(visible, root_id=root_id, depth__gt=comment.depth, depth__lt=comment.depth + MAX_DEPTH)
        .select_related("author")
        .order_by("created_at", "id")[:MAX_REPLIES_PER_PAGE]
    )
    state = thread_state(target)
    can_post = perms.can_comment(viewer, kind, target) and not state.locked
    node = build_tree(viewer, [comment], replies, moderator=moderator, can_post=can_post)[0]
    ancestors: list[Comment] = []
    if comment.parent_id is not None:
        chain = {
            c.pk: c
            for c in Comment.objects.filter(Q(pk=root_id) | Q(root_id=root_id, depth__lt=comment.depth)).select_related(
                "author"
            )
        }
        current = chain.get(comment.parent_id)
        while current is not None:
            ancestors.insert(0, current)
            current = chain.get(current.parent_id or 0)
    thread = Thread(
        kind=kind,
        target=target,
        label=label_of(target),
        nodes=[node],
        moderator=moderator,
        can_post=can_post,
        state=state,
    )
    return SubThread(thread=thread, node=node, ancestors=ancestors)


def comment_count(target: Model) -> int:
    """Published comments in the thread (one query)."""
    return comments_of(target).filter(status=ContentStatus.PUBLISHED).count()


def paragraph_counts(target: Model, keys: Sequence[str]) -> dict[str, int]:
    """Published comments per paragraph key (one query)."""
    if not keys:
        return {}
    rows = (
        comments_of(target)
        .filter(status=ContentStatus.PUBLISHED, paragraph__in=list(keys))
        .values("paragraph")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["paragraph"]: row["n"] for row in rows}


def revisions_of(comment: Comment) -> list[CommentRevision]:
    return list(comment.revisions.select_related("edited_by").order_by("-created_at", "-id"))


def author_circles(person: Any) -> QuerySet[Circle]:
    """The circles a person may show beside their comments: their own memberships."""
    if not is_person(person):
        return Circle.objects.none()
    return Circle.objects.filter(memberships__person=person).order_by("name", "id")
