"""Every write to comments: post (a new comment or a reply), edit by the author, soft delete, moderator edit.

Posting asks moderation first (`check_may_post`: suspensions, bans, locked threads, slow mode, rate limits; it may
ask for approval, then the comment waits as PENDING and notifies nobody). A published comment notifies the parent's
author (REPLY), the people and the organisers of the circles it mentions (MENTION) and the thread's followers; its
author then follows the thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from freshground.core.content import ContentKind, ContentStatus, kind_for
from freshground.core.exceptions import DomainError, NotFound, PermissionDenied
from freshground.core.permissions import is_person
from freshground.core.text import clean_text, render_markdown
from freshground.debate import permissions_comments as perms
from freshground.debate.mentions import Mentions, find_mentions, link_mentions
from freshground.debate.models import BODY_MAX_LENGTH, Comment, CommentRevision
from freshground.debate.paragraphs import is_paragraph_key
from freshground.debate.queries_comments import target_of
from freshground.moderation.gate import check_may_post, has_blocked
from freshground.network.models import Circle, Membership, Role
from freshground.notifications.send import Kind, follow_thread, notify, notify_thread_followers
from freshground.people.models import Person


def _clean_body(body: str) -> str:
    text = clean_text(body or "")
    if not text:
        raise DomainError(_("Write something first."), field="body")
    if len(text) > BODY_MAX_LENGTH:
        raise DomainError(_("A comment can be at most %(n)d characters long.") % {"n": BODY_MAX_LENGTH}, field="body")
    return text


def _render(body: str, author: Any) -> tuple[SafeString, Mentions]:
    """Sanitised HTML with mentions linked, leaving out people who have blocked the author."""
    html = render_markdown(body)
    mentions = find_mentions(html)
    mentions.people = {
        token: person
        for token, person in mentions.people.items()
        if author is None or not has_blocked(author, by=person)
    }
    return link_mentions(html, mentions), mentions


def _commentable(target: Model) -> ContentKind:
    kind = kind_for(target)
    if kind is None or not kind.commentable:
        raise DomainError(_("This cannot be commented on."))
    return kind


def _own_circles(author: Person, circles: Iterable[Circle]) -> list[Circle]:
    chosen = list({c.pk: c for c in circles}.values())
    if not chosen:
        return []
    mine = set(
        Membership.objects.filter(person=author, circle_id__in=[c.pk for c in chosen]).values_list(
            "circle_id", flat=True
        )
    )
    if any(c.pk not in mine for c in chosen):
        raise DomainError(_("You can only show circles you belong to."), field="shown_circles")
    return chosen


def excerpt(text: str, length: int = 80) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def post_comment(
    *,
    author: Person,
    target: Model,
    body: str,
    parent: Comment | None = None,
    paragraph: str = "",
    shown_circles: Iterable[Circle] = (),
) -> Comment:
    """Post a comment in the thread about `target`, or a reply to `parent` (in the same thread)."""
    kind = _commentable(target)
    if not perms.can_comment(author, kind, target):
        raise PermissionDenied(_("You cannot comment here."))
    text = _clean_body(body)
    thread_type = ContentType.objects.get_for_model(target)
    if parent is not None:
        if parent.thread_type_id != thread_type.pk or parent.thread_id != target.pk:
            raise DomainError(_("That comment is in another thread."), field="parent")
        if not perms.can_reply(author, parent):
            raise DomainError(_("You can only reply to a published comment."), field="parent")
        if parent.author is not None and has_blocked(author, by=parent.author):
            raise PermissionDenied(
                _("%(name)s does not accept replies or mentions from you.") % {"name": parent.author.display_name}
            )
        paragraph = parent.paragraph
    elif paragraph and not is_paragraph_key(paragraph):
        raise DomainError(_("There is no such paragraph."), field="paragraph")
    circles = _own_circles(author, shown_circles)
    space = kind.space_of(target)
    decision = check_may_post(author, action="comment", space=space, thread=target, text=text)
    status = ContentStatus.PENDING if decision.needs_approval else ContentStatus.PUBLISHED
    html, mentions = _render(text, author)
    with transaction.atomic():
        comment = Comment.objects.create(
            thread_type=thread_type,
            thread_id=target.pk,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent is not None else None,
            depth=parent.depth + 1 if parent is not None else 0,
            paragraph=paragraph,
            author=author,
            body=text,
            body_html=html,
            status=status,
        )
        if circles:
            comment.shown_circles.set(circles)
        if parent is not None and status == ContentStatus.PUBLISHED:
            Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
    follow_thread(author, target)
    if status == ContentStatus.PUBLISHED:
        _announce(comment, kind=kind, target=target, parent=parent, mentions=mentions)
    return comment


def _announce(
    comment: Comment, *, kind: ContentKind, target: Model, parent: Comment | None, mentions: Mentions
) -> None:
    author = comment.author
    name = author.display_name if author is not None else _("Someone")
    url = comment.get_absolute_url()
    space = kind.space_of(target)
    title = excerpt(kind.title_of(target), 60)
    told: set[int] = set()
    if parent is not None and parent.author_id is not None and parent.author_id != comment.author_id:
        notify(
            kind=Kind.REPLY,
            recipients=[parent.author_id],
            actor=author,
            target=comment,
            summary=_("%(name)s replied to your comment on “%(title)s”") % {"name": name, "title": title},
            url=url,
            space=space,
            thread=target,
        )
        told.add(parent.author_id)
    mentioned = {p.pk for p in mentions.people.values()}
    if mentions.circles:
        organisers = Membership.objects.filter(
            circle_id__in=[c.pk for c in mentions.circles.values()], role=Role.ORGANISER
        ).values_list("person_id", flat=True)
        mentioned.update(organisers)
    mentioned -= told
    mentioned.discard(comment.author_id or 0)
    if mentioned:
        notify(
            kind=Kind.MENTION,
            recipients=sorted(mentioned),
            actor=author,
            target=comment,
            summary=_("%(name)s mentioned you or your circle on “%(title)s”") % {"name": name, "title": title},
            url=url,
            space=space,
            thread=target,
        )
    notify_thread_followers(
        thread=target,
        actor=author,
        target=comment,
        summary=_("%(name)s commented on “%(title)s”") % {"name": name, "title": title},
        url=url,
        already_told=told | mentioned,
        space=space,
    )


def _locked(comment: Comment) -> Comment:
    fresh = Comment.objects.select_for_update().filter(pk=comment.pk).first()
    if fresh is None:
        raise NotFound(_("There is no such comment."))
    return fresh


def _revise(comment: Comment, *, editor: Person, body: str, note: str = "") -> Comment:
    text = _clean_body(body)
    if text == comment.body:
        return comment
    html, _mentions = _render(text, comment.author)
    now = timezone.now()
    CommentRevision.objects.create(
        comment=comment, body=comment.body, body_html=comment.body_html, edited_by=editor, note=note, created_at=now
    )
    comment.body = text
    comment.body_html = html
    comment.edited_at = now
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


def edit_comment(*, actor: Person, comment: Comment, body: str) -> Comment:
    """The author changes their comment; the old text stays in the edit history."""
    with transaction.atomic():
        fresh = _locked(comment)
        if not perms.can_edit_comment(actor, fresh):
            raise PermissionDenied(_("Only its author can edit this comment."))
        return _revise(fresh, editor=actor, body=body)


def moderator_edit_comment(*, moderator: Person, comment: Comment, body: str, note: str) -> Comment:
    """A moderator of the thread's space edits the text with a note; the old text stays in the history."""
    found = target_of(comment)
    space = found[0].space_of(found[1]) if found is not None else None
    moderator_here = perms.is_space_moderator(moderator, space)
    with transaction.atomic():
        fresh = _locked(comment)
        if not perms.can_moderator_edit(moderator, fresh, moderator=moderator_here):
            raise PermissionDenied(_("Only moderators of this space can edit this comment."))
        note = clean_text(note or "")[:300]
        if not note:
            raise DomainError(_("Say why you edit it."), field="note")
        return _revise(fresh, editor=moderator, body=body, note=note)


def delete_comment(*, actor: Person, comment: Comment) -> Comment:
    """The author deletes their comment: it becomes a "[deleted]" stand-in and its replies stay readable."""
    if not is_person(actor):
        raise PermissionDenied(_("Sign in first."))
    with transaction.atomic():
        fresh = _locked(comment)
        if not perms.can_delete_comment(actor, fresh):
            raise PermissionDenied(_("Only its author can delete this comment."))
        was_published = fresh.status == ContentStatus.PUBLISHED
        fresh.status = ContentStatus.DELETED
        fresh.deleted_at = timezone.now()
        fresh.save(update_fields=["status", "deleted_at"])
        fresh.shown_circles.clear()
        if was_published and fresh.parent_id is not None:
            Comment.objects.filter(pk=fresh.parent_id, reply_count__gt=0).update(reply_count=F("reply_count") - 1)
    return fresh


def recount_replies(comment: Comment) -> None:
    """Set the parent's `reply_count` again after a reply's status changed outside this module (moderation
    approving, hiding or restoring it), so "continue this thread" links stay right."""
    if comment.parent_id is None:
        return
    published = Comment.objects.filter(parent_id=comment.parent_id, status=ContentStatus.PUBLISHED).count()
    Comment.objects.filter(pk=comment.parent_id).update(reply_count=published)
