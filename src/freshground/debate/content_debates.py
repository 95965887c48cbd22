"""Content kinds this part registers with core.content: debates and arguments (moderated, commentable) and summaries
(commentable)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from freshground.core.content import ContentKind, Space, register_content
from freshground.debate import permissions_debates as perms
from freshground.debate.models import Argument, Debate, Summary


def _debate_space(debate: Debate) -> Space:
    return debate.circle or debate.center


def _argument_text(argument: Argument) -> str:
    return argument.body


def _moderator_edit_argument(moderator: Any, argument: Argument, new_text: str, note: str) -> None:
    from freshground.debate.services_debates import moderator_edit_argument

    moderator_edit_argument(moderator, argument, new_text, note)


def _argument_title(argument: Argument) -> str:
    return f"{argument.get_side_display()} “{argument.position.title}”: {argument.body[:60]}"


def register() -> None:
    register_content(
        ContentKind(
            model=Debate,
            label="debate.debate",
            noun=_("debate"),
            space_of=_debate_space,
            author_of=lambda debate: debate.opened_by,
            can_view=lambda viewer, debate: perms.can_view_debate(viewer, debate),
            url_of=lambda debate: debate.get_absolute_url(),
            title_of=lambda debate: debate.question,
            commentable=True,
            moderated=True,
        )
    )
    register_content(
        ContentKind(
            model=Argument,
            label="debate.argument",
            noun=_("argument"),
            space_of=lambda argument: _debate_space(argument.debate),
            author_of=lambda argument: argument.author,
            can_view=lambda viewer, argument: perms.can_view_argument(viewer, argument),
            url_of=lambda argument: argument.get_absolute_url(),
            title_of=_argument_title,
            commentable=True,
            moderated=True,
            moderator_edit=_moderator_edit_argument,
            text_of=_argument_text,
        )
    )
    register_content(
        ContentKind(
            model=Summary,
            label="debate.summary",
            noun=_("debate summary"),
            space_of=lambda summary: _debate_space(summary.debate),
            author_of=lambda summary: summary.author,
            can_view=lambda viewer, summary: perms.can_view_debate(viewer, summary.debate),
            url_of=lambda summary: summary.get_absolute_url(),
            title_of=lambda summary: str(_("Summary of “%(question)s”") % {"question": summary.debate.question}),
            commentable=True,
        )
    )
