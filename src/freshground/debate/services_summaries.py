"""Closing a debate with its moderators' summary, revising the summary (each revision a new version), and closing
debates whose closing date has passed."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, PermissionDenied
from freshground.core.text import render_markdown
from freshground.core.validation import checked_text
from freshground.debate import permissions_debates as perms
from freshground.debate.models import (
    BODY_MAX_LENGTH,
    Debate,
    DebateStatus,
    Summary,
)
from freshground.debate.services_debates import locked_debate, space_of, touch
from freshground.notifications import send
from freshground.people.models import Person

# Closing and the summary


def _summary_html(positions: str, agreements: str, open_questions: str) -> SafeString:
    parts = [
        (_("The main positions"), positions),
        (_("Where people agreed"), agreements),
        (_("What remains open"), open_questions),
    ]
    html = "".join(str(format_html("<h2>{}</h2>", title)) + str(render_markdown(text)) for title, text in parts)
    return mark_safe(html)  # noqa: S308 - headings are escaped by format_html, the bodies sanitised by render_markdown


def _new_summary(person: Person, debate: Debate, positions: str, agreements: str, open_questions: str) -> Summary:
    values = {
        "positions": checked_text(
            positions, field="positions", limit=BODY_MAX_LENGTH, message=_("Sum up the main positions.")
        ),
        "agreements": checked_text(
            agreements, field="agreements", limit=BODY_MAX_LENGTH, message=_("Say where people agreed.")
        ),
        "open_questions": checked_text(
            open_questions, field="open_questions", limit=BODY_MAX_LENGTH, message=_("Say what remains open.")
        ),
    }
    latest = debate.summaries.aggregate(latest=Max("version"))["latest"] or 0
    return Summary.objects.create(
        debate=debate, version=latest + 1, body_html=str(_summary_html(**values)), author=person, **values
    )


def _announce_summary(person: Person, debate: Debate, summary: Summary) -> None:
    send.notify_thread_followers(
        thread=debate,
        actor=person,
        target=summary,
        summary=(
            _("“%(question)s” is closed with a summary")
            if summary.version == 1
            else _("The summary of “%(question)s” was revised")
        )
        % {"question": debate.question},
        url=summary.get_absolute_url(),
        space=space_of(debate),
    )


@transaction.atomic
def close_debate(*, person: Person, debate: Debate, positions: str, agreements: str, open_questions: str) -> Summary:
    """Close the debate with its summary (its moderators). A debate past its closing date is closed the same way."""
    debate = locked_debate(debate)
    if not perms.is_debate_moderator(person, debate):
        raise PermissionDenied(_("Only the debate's moderators can close it."))
    if debate.summaries.exists():
        raise Conflict(_("This debate is closed already; revise its summary instead."))
    now = timezone.now()
    if debate.state == DebateStatus.OPEN:
        debate.state = DebateStatus.CLOSED
        debate.closed_at = now if debate.closes_at is None or debate.closes_at > now else debate.closes_at
    debate.last_activity_at = now
    debate.save(update_fields=["state", "closed_at", "last_activity_at"])
    summary = _new_summary(person, debate, positions, agreements, open_questions)
    _announce_summary(person, debate, summary)
    return summary


@transaction.atomic
def revise_summary(*, person: Person, debate: Debate, positions: str, agreements: str, open_questions: str) -> Summary:
    """A new version of the summary (its moderators); earlier versions stay readable."""
    debate = locked_debate(debate)
    latest = debate.summaries.first()
    if latest is None:
        raise Conflict(_("There is no summary yet: close the debate with one first."))
    if not perms.can_edit_summary(person, latest):
        raise PermissionDenied(_("Only the debate's moderators can revise the summary."))
    summary = _new_summary(person, debate, positions, agreements, open_questions)
    touch(debate)
    _announce_summary(person, debate, summary)
    return summary


def close_expired_debates(now: datetime | None = None) -> int:
    """Mark open debates whose closing date has passed as closed (the periodic job). Returns how many."""
    now = now or timezone.now()
    return Debate.objects.filter(state=DebateStatus.OPEN, closes_at__lte=now).update(
        state=DebateStatus.CLOSED, closed_at=F("closes_at")
    )
