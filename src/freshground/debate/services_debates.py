"""Every change to a structured debate: open it, positions, arguments, convincing marks, invited statements, closing
with a summary and revising it, and closing debates whose date has passed.

Each write asks moderation first (`check_may_post`) and saves PENDING when the space wants approval; pending content
notifies nobody. Notifications are described to notifications.send, which stores and delivers them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.content import ContentStatus, Space
from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.permissions import is_person
from freshground.core.tags import tags_from_names
from freshground.core.text import clean_text, render_markdown, unique_slug
from freshground.core.validation import checked_text, closing_moment
from freshground.debate import bridging
from freshground.debate import permissions_debates as perms
from freshground.debate.models import (
    BODY_MAX_LENGTH,
    Argument,
    ArgumentRevision,
    Conviction,
    Debate,
    Invitation,
    Position,
    Side,
)
from freshground.moderation import gate
from freshground.network import permissions as network_perms
from freshground.network.models import Center, CenterEditor, Circle, Membership
from freshground.notifications import send
from freshground.people.models import Person

MAX_POSITIONS = 30  # keeps the debate page's one ranked-arguments query bounded
MIN_POSITIONS = 0
QUESTION_MAX = 200
TITLE_MAX = 200
SHOWN_CIRCLES_MAX = 5


def space_of(debate: Debate) -> Space:
    return debate.circle or debate.center


def _status(decision: gate.PostDecision) -> str:
    return ContentStatus.PENDING if decision.needs_approval else ContentStatus.PUBLISHED


def touch(debate: Debate) -> None:
    Debate.objects.filter(pk=debate.pk).update(last_activity_at=timezone.now())


def locked_debate(debate: Debate) -> Debate:
    return Debate.objects.select_for_update(of=("self",)).select_related("circle", "center").get(pk=debate.pk)


# Debates


@transaction.atomic
def create_debate(
    *,
    person: Person,
    question: str,
    opening_statement: str,
    closes_at: datetime | None = None,
    circle: Circle | None = None,
    center: Center | None = None,
    topics: Iterable[str] = (),
    positions: Iterable[str] = (),
) -> Debate:
    """Put a question to the network, in one's own name or a circle's (organisers) or center's (editors)."""
    if not perms.can_create_debate(person):
        raise PermissionDenied(_("Sign in to open a debate."))
    if circle is not None and center is not None:
        raise DomainError(_("Open it in one name: a circle or a center."), field="owner")
    if circle is not None and not perms.can_open_for_circle(person, circle):
        raise PermissionDenied(_("Only the circle's organisers can open a debate in its name."))
    if center is not None and not perms.can_open_for_center(person, center):
        raise PermissionDenied(_("Only the center's editors can open a debate in its name."))
    question = checked_text(question, field="question", limit=QUESTION_MAX, message=_("What is the question?"))
    opening = checked_text(
        opening_statement, field="opening_statement", limit=BODY_MAX_LENGTH * 3, message=_("Open with a statement.")
    )
    titles = [checked_text(t, field="positions", limit=TITLE_MAX, required=False) for t in positions]
    titles = list(dict.fromkeys(t for t in titles if t))
    if len(titles) > MAX_POSITIONS:
        raise DomainError(_("At most %(n)d positions.") % {"n": MAX_POSITIONS}, field="positions")
    closes = closing_moment(closes_at)
    space: Space = circle or center
    decision = gate.check_may_post(person, action="debate", space=space, text=f"{question}\n\n{opening}")
    topic_tags = tags_from_names(topics, "topics", limit=10)
    debate = Debate.objects.create(
        slug=unique_slug(Debate, question, max_length=90),
        question=question,
        opening_statement=opening,
        opening_html=str(render_markdown(opening)),
        opened_by=person,
        circle=circle,
        center=center,
        closes_at=closes,
        status=_status(decision),
    )
    if topic_tags:
        debate.topics.set(topic_tags)
    Position.objects.bulk_create(
        [Position(debate=debate, title=title, created_by=person, order=index) for index, title in enumerate(titles)]
    )
    send.follow_thread(person, debate)
    if debate.status == ContentStatus.PUBLISHED:
        send.notify_new_content(
            target=debate,
            actor=person,
            summary=_("New debate: %(question)s") % {"question": question},
            url=debate.get_absolute_url(),
            circle=circle,
            center=center,
            topics=topic_tags,
        )
    return debate


@transaction.atomic
def set_moderators(*, person: Person, debate: Debate, moderators: Iterable[Person]) -> Debate:
    """Name the people who moderate the debate besides its opener and owners (its moderators)."""
    if not perms.is_debate_moderator(person, debate):
        raise PermissionDenied(_("Only the debate's moderators can name moderators."))
    people = [p for p in moderators if is_person(p)]
    if len(people) > 20:
        raise DomainError(_("At most %(n)d moderators.") % {"n": 20}, field="moderators")
    debate.moderators.set(people)
    perms.forget_moderators(debate)
    return debate


# Positions and arguments


@transaction.atomic
def add_position(*, person: Person, debate: Debate, title: str, description: str = "") -> Position:
    """Propose a position (anyone signed in, while the debate is open)."""
    debate = locked_debate(debate)
    if not perms.can_add_position(person, debate):
        raise PermissionDenied(_("Positions can be added while the debate is open, by people signed in."))
    title = checked_text(title, field="title", limit=TITLE_MAX, message=_("Name the position."))
    description = checked_text(description, field="description", limit=BODY_MAX_LENGTH, required=False)
    existing = list(debate.positions.values_list("title", "order"))
    if len(existing) >= MAX_POSITIONS:
        raise Conflict(_("This debate has %(n)d positions, the most it can have.") % {"n": MAX_POSITIONS})
    if any(t.casefold() == title.casefold() for t, _order in existing):
        raise Conflict(_("This position is already in the debate."), field="title")
    gate.check_may_post(person, action="argument", space=space_of(debate), thread=debate, text=title)
    position = Position.objects.create(
        debate=debate,
        title=title,
        description=description,
        description_html=str(render_markdown(description)) if description else "",
        created_by=person,
        order=max((order for _t, order in existing), default=-1) + 1,
    )
    touch(debate)
    send.follow_thread(person, debate)
    send.notify_thread_followers(
        thread=debate,
        actor=person,
        target=position,
        summary=_("New position in “%(question)s”: %(title)s") % {"question": debate.question, "title": title},
        url=debate.get_absolute_url(),
        space=space_of(debate),
    )
    return position


def _shown_circles(person: Person, circles: Iterable[Circle]) -> list[Circle]:
    chosen = list(dict.fromkeys(circles))
    if len(chosen) > SHOWN_CIRCLES_MAX:
        raise DomainError(_("Show at most %(n)d circles.") % {"n": SHOWN_CIRCLES_MAX}, field="shown_circles")
    for circle in chosen:
        if not network_perms.is_member(person, circle):
            raise DomainError(_("You can show only circles you are a member of."), field="shown_circles")
    return chosen


@transaction.atomic
def add_argument(
    *, person: Person, position: Position, side: str, body: str, shown_circles: Iterable[Circle] = ()
) -> Argument:
    """Argue for or against a position (anyone signed in, while the debate is open)."""
    debate = locked_debate(position.debate)
    if not perms.can_argue(person, debate):
        raise PermissionDenied(_("Arguments can be added while the debate is open, by people signed in."))
    if position.debate_id != debate.pk:
        raise NotFound(_("There is no such position in this debate."))
    if side not in Side.values:
        raise DomainError(_("Argue for or against."), field="side")
    body = checked_text(body, field="body", limit=BODY_MAX_LENGTH, message=_("Write your argument."))
    circles = _shown_circles(person, shown_circles)
    decision = gate.check_may_post(person, action="argument", space=space_of(debate), thread=debate, text=body)
    argument = Argument.objects.create(
        position=position,
        debate=debate,
        side=side,
        author=person,
        body=body,
        body_html=str(render_markdown(body)),
        status=_status(decision),
    )
    if circles:
        argument.shown_circles.set(circles)
    send.follow_thread(person, debate)
    if argument.status == ContentStatus.PUBLISHED:
        touch(debate)
        send.notify_thread_followers(
            thread=debate,
            actor=person,
            target=argument,
            summary=_("New argument %(side)s “%(title)s”") % {"side": argument.get_side_display(), "title": position},
            url=argument.get_absolute_url(),
            space=space_of(debate),
        )
    return argument


def moderator_edit_argument(moderator: Any, argument: Argument, new_text: str, note: str) -> None:
    """Moderation's "edit with a note": the old text and the note stay readable as an ArgumentRevision."""
    body = checked_text(new_text, field="body", limit=BODY_MAX_LENGTH, message=_("Write your argument."))
    ArgumentRevision.objects.create(
        argument=argument,
        body=argument.body,
        body_html=argument.body_html,
        edited_by=moderator,
        note=clean_text(note)[:300],
    )
    argument.body = body
    argument.body_html = str(render_markdown(body))
    argument.edited_at = timezone.now()
    argument.save(update_fields=["body", "body_html", "edited_at"])


# Convincing marks and the bridging tally


def groups_of(person_ids: Iterable[int]) -> dict[int, set[str]]:
    """Each person's groups for the bridging score: circles they are in and centers they edit (two queries)."""
    ids = list(person_ids)
    groups: dict[int, set[str]] = defaultdict(set)
    for person_id in ids:
        groups[person_id]
    for person_id, circle_id in Membership.objects.filter(person_id__in=ids).values_list("person_id", "circle_id"):
        groups[person_id].add(bridging.circle_key(circle_id))
    for person_id, center_id in CenterEditor.objects.filter(person_id__in=ids).values_list("person_id", "center_id"):
        groups[person_id].add(bridging.center_key(center_id))
    return dict(groups)


def recompute_tally(argument: Argument) -> bridging.Tally:
    """Recount an argument's convincing marks and store the cached counts (call inside the row lock)."""
    person_ids = list(Conviction.objects.filter(argument=argument).values_list("person_id", flat=True))
    groups = groups_of(person_ids)
    tally = bridging.tally(frozenset(groups[pid]) for pid in person_ids)
    Argument.objects.filter(pk=argument.pk).update(
        convinced_count=tally.convinced_count, group_count=tally.group_count, bridging_score=tally.bridging_score
    )
    argument.convinced_count = tally.convinced_count
    argument.group_count = tally.group_count
    argument.bridging_score = tally.bridging_score
    return tally


@transaction.atomic
def set_convincing(*, person: Person, argument: Argument, convincing: bool = True) -> Argument:
    """Mark (or unmark) an argument as convincing: one mark a person, never on one's own."""
    locked = Argument.objects.select_for_update(of=("self",)).select_related("debate", "position").get(pk=argument.pk)
    if is_person(person) and locked.author_id == person.pk:
        raise PermissionDenied(_("You cannot mark your own argument as convincing."))
    if not perms.can_mark_convincing(person, locked):
        raise PermissionDenied(_("Arguments can be marked while the debate is open, by people signed in."))
    if convincing:
        try:
            with transaction.atomic():
                Conviction.objects.get_or_create(argument=locked, person=person)
        except IntegrityError:  # a concurrent mark by the same person: already there
            pass
    else:
        Conviction.objects.filter(argument=locked, person=person).delete()
    recompute_tally(locked)
    return locked


# Invited statements


def _locked_invitation(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("debate", "circle", "center")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def invite(*, person: Person, debate: Debate, circle: Circle | None = None, center: Center | None = None) -> Invitation:
    """Invite a circle or a center to state its position officially (the debate's moderators)."""
    if not perms.can_invite(person, debate):
        raise PermissionDenied(_("Only the debate's moderators can invite statements, while it is open."))
    if (circle is None) == (center is None):
        raise DomainError(_("Invite a circle or a center."), field="invitee")
    existing = Invitation.objects.filter(debate=debate, circle=circle) if circle else None
    if center is not None:
        existing = Invitation.objects.filter(debate=debate, center=center)
    if existing is not None and existing.exists():
        raise Conflict(_("They are invited already."), field="invitee")
    invitation = Invitation.objects.create(debate=debate, circle=circle, center=center, invited_by=person)
    invitee = circle or center
    recipients: list[int] = []
    if circle is not None:
        recipients = list(
            Membership.objects.filter(circle=circle, role="organiser").values_list("person_id", flat=True)
        )
    elif center is not None:
        recipients = list(CenterEditor.objects.filter(center=center).values_list("person_id", flat=True))
    send.notify(
        kind=send.Kind.DEBATE_ACTIVITY,
        recipients=recipients,
        actor=person,
        target=invitation,
        summary=_("%(invitee)s is invited to state its position on “%(question)s”")
        % {"invitee": invitee, "question": debate.question},
        url=debate.get_absolute_url() + f"#invitation-{invitation.pk}",
        space=space_of(debate),
        thread=debate,
    )
    return invitation


@transaction.atomic
def state_position(
    *, person: Person, invitation: Invitation, statement: str, position: Position | None = None
) -> Invitation:
    """Write (or revise) the invitee's official statement: its organisers or editors, while the debate is open."""
    invitation = _locked_invitation(invitation)
    if not perms.can_state(person, invitation):
        raise PermissionDenied(_("Only the invited circle's organisers or center's editors can answer."))
    if position is not None and position.debate_id != invitation.debate_id:
        raise DomainError(_("Choose one of this debate's positions."), field="position")
    text = checked_text(statement, field="statement", limit=BODY_MAX_LENGTH * 2, message=_("Write the statement."))
    decision = gate.check_may_post(
        person, action="statement", space=invitation.circle or invitation.center, thread=invitation.debate, text=text
    )
    if decision.needs_approval:
        # Invitation has no status of its own: a statement that must wait is refused with the reason instead.
        raise PermissionDenied(decision.reason or _("Your statement needs a moderator's approval first."))
    first = invitation.stated_at is None
    invitation.statement = text
    invitation.statement_html = str(render_markdown(text))
    invitation.position = position
    invitation.stated_by = person
    invitation.stated_at = timezone.now()
    invitation.declined_at = None
    invitation.save()
    touch(invitation.debate)
    send.follow_thread(person, invitation.debate)
    if first:
        send.notify_thread_followers(
            thread=invitation.debate,
            actor=person,
            target=invitation,
            summary=_("%(invitee)s stated its position on “%(question)s”")
            % {"invitee": invitation.circle or invitation.center, "question": invitation.debate.question},
            url=invitation.debate.get_absolute_url() + f"#invitation-{invitation.pk}",
            space=space_of(invitation.debate),
        )
    return invitation


@transaction.atomic
def decline_invitation(*, person: Person, invitation: Invitation) -> Invitation:
    invitation = _locked_invitation(invitation)
    if not perms.can_state(person, invitation):
        raise PermissionDenied(_("Only the invited circle's organisers or center's editors can answer."))
    if invitation.stated_at is not None:
        raise Conflict(_("A statement was made already; revise it instead."))
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    return invitation
