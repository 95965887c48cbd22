"""Comments in the content registry: moderated (hide, restore, approve, edit with a note), not commentable themselves
(replies are comments in the same thread)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from freshground.core.content import ContentKind, Space, register_content
from freshground.debate.models import Comment


def comment_space(comment: Comment) -> Space:
    """A comment lives where its thread's object lives."""
    from freshground.debate.queries_comments import target_of

    found = target_of(comment)
    return found[0].space_of(found[1]) if found is not None else None


def can_view_comment(viewer: Any, comment: Comment) -> bool:
    from freshground.debate import permissions_comments as perms
    from freshground.debate.queries_comments import target_of

    found = target_of(comment)
    if found is None or not perms.can_view_thread(viewer, found[0], found[1]):
        return False
    moderator = perms.is_space_moderator(viewer, found[0].space_of(found[1]))
    return perms.can_see_comment(viewer, comment, moderator=moderator)


def comment_title(comment: Comment) -> str:
    from freshground.debate.services_comments import excerpt

    return excerpt(comment.body, 60)


def moderator_edit(moderator: Any, comment: Comment, new_text: str, note: str) -> None:
    from freshground.debate.services_comments import moderator_edit_comment

    moderator_edit_comment(moderator=moderator, comment=comment, body=new_text, note=note)


def register() -> None:
    register_content(
        ContentKind(
            model=Comment,
            label="debate.comment",
            noun=_("comment"),
            space_of=comment_space,
            author_of=lambda comment: comment.author,
            can_view=can_view_comment,
            url_of=lambda comment: comment.get_absolute_url(),
            title_of=comment_title,
            commentable=False,
            moderated=True,
            moderator_edit=moderator_edit,
            text_of=lambda comment: comment.body,
        )
    )
