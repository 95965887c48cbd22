"""Who may do what with comments. Pure predicates: the only home of these rules.

Roles: anonymous visitor, signed-in person who may see the thread, the comment's author, a moderator of the space the
thread lives in (circle organisers, center editors; see `is_space_moderator`), site admin (a moderator everywhere).

- A thread is readable by whoever may see the object it is about (the content kind's `can_view`).
- Published and deleted comments are listed for every reader (a deleted one as a "[deleted]" stand-in, so its
  replies stay readable); hidden ones are listed as a "hidden by moderators" stand-in, and only moderators read
  their text and the reason; pending ones (awaiting approval) are listed only for their author and moderators.
- Only the author edits or deletes their comment (moderators hide, or "edit with a note" through moderation).
- Replies go to published comments only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from freshground.core.content import ContentKind, ContentStatus, Space
from freshground.core.permissions import is_person
from freshground.moderation import permissions as moderation_perms

if TYPE_CHECKING:
    from django.db.models import Model

    from freshground.debate.models import Comment


def is_space_moderator(person: Any, space: Space) -> bool:
    """Moderators of a space: moderation's rule (circle organisers, center editors, site moderators)."""
    return moderation_perms.is_space_moderator(person, space)


def _is_author(person: Any, comment: Comment) -> bool:
    return is_person(person) and comment.author_id is not None and comment.author_id == person.pk


# Threads


def can_view_thread(person: Any, kind: ContentKind, target: Model) -> bool:
    return kind.commentable and bool(kind.can_view(person, target))


def can_comment(person: Any, kind: ContentKind, target: Model) -> bool:
    """Post a comment in a thread (moderation may still refuse: suspension, lock, rate limit)."""
    return is_person(person) and can_view_thread(person, kind, target)


# One comment (`moderator` is is_space_moderator(person, space of the thread), computed once per page)


def can_see_comment(person: Any, comment: Comment, *, moderator: bool) -> bool:
    """Is the comment listed at all (maybe as a stand-in)?"""
    if comment.status == ContentStatus.PENDING:
        return moderator or _is_author(person, comment)
    return True


def can_read_comment(person: Any, comment: Comment, *, moderator: bool) -> bool:
    """May the person read the text (and its edit history), rather than a stand-in?"""
    if comment.status == ContentStatus.PUBLISHED:
        return True
    if comment.status == ContentStatus.PENDING:
        return moderator or _is_author(person, comment)
    if comment.status == ContentStatus.HIDDEN:
        return moderator
    return False  # deleted by its author


def can_see_hidden_reason(person: Any, comment: Comment, *, moderator: bool) -> bool:
    return comment.status == ContentStatus.HIDDEN and moderator


def can_flag_comment(person: Any, comment: Comment) -> bool:
    """Anyone signed in may flag someone else's published comment for the moderators (moderation decides the rest)."""
    return is_person(person) and not _is_author(person, comment) and comment.status == ContentStatus.PUBLISHED


def can_moderate_comment(person: Any, comment: Comment, *, moderator: bool) -> bool:
    """Open moderation's action page for a comment: the space's moderators, never on their own comment."""
    return moderator and not _is_author(person, comment) and comment.status != ContentStatus.DELETED


def can_edit_comment(person: Any, comment: Comment) -> bool:
    return _is_author(person, comment) and comment.status in (ContentStatus.PUBLISHED, ContentStatus.PENDING)


def can_delete_comment(person: Any, comment: Comment) -> bool:
    return _is_author(person, comment) and comment.status != ContentStatus.DELETED


def can_reply(person: Any, comment: Comment) -> bool:
    """Reply to a comment (thread visibility and moderation are checked by the caller and the service)."""
    return is_person(person) and comment.status == ContentStatus.PUBLISHED


def can_moderator_edit(person: Any, comment: Comment, *, moderator: bool) -> bool:
    return moderator and comment.status != ContentStatus.DELETED
