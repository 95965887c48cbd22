"""Every change to a unity conversation: open it with seed statements, add and moderate statements, join (as a person
or anonymously), vote, declare circles, close; and the analysis runs that the worker does after votes.

Votes write one row (insert, or update in place when the participant changes their mind) and schedule a debounced
recomputation: the first vote after an analysis stamps `Conversation.analysis_requested_at` and enqueues one task to run
`ANALYSIS_DEBOUNCE` later; further votes see the stamp and do nothing; the task clears the stamp before it reads the
votes, so votes cast during a run ask for the next one. A periodic job re-enqueues requests whose task got lost.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.permissions import is_person
from freshground.core.text import clean_text, unique_slug
from freshground.core.validation import checked_text, closing_moment
from freshground.network import permissions as network_perms
from freshground.network.models import Center, Circle
from freshground.people.models import Person
from freshground.unity import permissions as perms
from freshground.unity.analysis.types import AGREE, DISAGREE, PASS
from freshground.unity.analysis_runs import request_analysis_on_commit
from freshground.unity.models import (
    DESCRIPTION_MAX_LENGTH,
    STATEMENT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Conversation,
    ConversationState,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)

MAX_SEED_STATEMENTS = 50
MAX_DECLARED = 20  # circles plus centers a participant may name


def _statement_text(value: Any, field: str = "text") -> str:
    return checked_text(value, field=field, limit=STATEMENT_MAX_LENGTH, message=_("Write a statement."))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# Conversations


@transaction.atomic
def open_conversation(
    *,
    person: Person,
    title: str,
    description: str = "",
    seed_statements: Iterable[str] = (),
    circle: Circle | None = None,
    center: Center | None = None,
    needs_approval: bool = False,
    allow_anonymous: bool = False,
    closes_at: datetime | None = None,
) -> Conversation:
    """Open a conversation in one's own name, or a circle's (its organisers) or a center's (its editors)."""
    if not perms.can_open_conversation(person):
        raise PermissionDenied(_("Sign in to open a conversation."))
    if circle is not None and center is not None:
        raise DomainError(_("Open it in one name: a circle or a center."), field="owner")
    if circle is not None and not perms.can_open_for_circle(person, circle):
        raise PermissionDenied(_("Only the circle's organisers can open a conversation in its name."))
    if center is not None and not perms.can_open_for_center(person, center):
        raise PermissionDenied(_("Only the center's editors can open a conversation in its name."))
    title = checked_text(title, field="title", limit=TITLE_MAX_LENGTH, message=_("What is the conversation about?"))
    description = checked_text(description, field="description", limit=DESCRIPTION_MAX_LENGTH, required=False)
    seeds = list(dict.fromkeys(_statement_text(s, "seed_statements") for s in seed_statements if clean_text(s or "")))
    if len(seeds) > MAX_SEED_STATEMENTS:
        raise DomainError(_("At most %(n)d seed statements.") % {"n": MAX_SEED_STATEMENTS}, field="seed_statements")
    conversation = Conversation.objects.create(
        slug=unique_slug(Conversation, title, max_length=90),
        title=title,
        description=description,
        opened_by=person,
        circle=circle,
        center=center,
        needs_approval=needs_approval,
        allow_anonymous=allow_anonymous,
        closes_at=closing_moment(closes_at),
    )
    now = timezone.now()
    Statement.objects.bulk_create(
        [Statement(conversation=conversation, text=text, author=person, is_seed=True, created_at=now) for text in seeds]
    )
    return conversation


@transaction.atomic
def close_conversation(*, person: Person, conversation: Conversation) -> Conversation:
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if not perms.can_close(person, locked):
        if locked.state == ConversationState.CLOSED:
            raise Conflict(_("This conversation is already closed."))
        raise PermissionDenied(_("Only the conversation's moderators can close it."))
    locked.state = ConversationState.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["state", "closed_at"])
    conversation.state, conversation.closed_at = locked.state, locked.closed_at
    return locked


# Statements


@transaction.atomic
def add_statement(*, person: Person, conversation: Conversation, text: str) -> Statement:
    """A participant's statement: approved at once, or held for approval where the conversation asks for it."""
    if not perms.can_add_statement(person, conversation):
        if not is_person(person):
            raise PermissionDenied(_("Sign in to add a statement."))
        raise PermissionDenied(_("This conversation is closed."))
    text = _statement_text(text)
    if (
        Statement.objects.filter(conversation=conversation, text__iexact=text)
        .exclude(status=StatementStatus.DELETED)
        .exists()
    ):
        raise Conflict(_("This statement is already in the conversation."), field="text")
    participant = _participant_for(person, conversation)
    status = (
        StatementStatus.PENDING if perms.statement_needs_approval(person, conversation) else StatementStatus.APPROVED
    )
    return Statement.objects.create(
        conversation=conversation, text=text, author=person, participant=participant, status=status
    )


@transaction.atomic
def moderate_statement(*, person: Person, statement: Statement, approve: bool) -> Statement:
    """Approve (it is served for voting) or reject (it is not, and its votes leave the analysis)."""
    conversation = statement.conversation
    if not perms.can_moderate(person, conversation):
        raise PermissionDenied(_("Only the conversation's moderators can approve or reject statements."))
    if statement.status == StatementStatus.DELETED:
        raise NotFound(_("This statement was deleted."))
    statement.status = StatementStatus.APPROVED if approve else StatementStatus.REJECTED
    statement.moderated_by = person
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["status", "moderated_by", "moderated_at"])
    request_analysis_on_commit(conversation.pk)
    return statement


def approve_statement(*, person: Person, statement: Statement) -> Statement:
    return moderate_statement(person=person, statement=statement, approve=True)


def reject_statement(*, person: Person, statement: Statement) -> Statement:
    return moderate_statement(person=person, statement=statement, approve=False)


@transaction.atomic
def delete_statement(*, person: Person, statement: Statement) -> Statement:
    if not perms.can_delete_statement(person, statement):
        raise PermissionDenied(_("Only its author or the conversation's moderators can delete this statement."))
    statement.status = StatementStatus.DELETED
    statement.moderated_by = person
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["status", "moderated_by", "moderated_at"])
    request_analysis_on_commit(statement.conversation_id)
    return statement


# Participants


def _participant_for(person: Person, conversation: Conversation) -> Participant:
    participant = Participant.objects.filter(conversation=conversation, person=person).first()
    if participant is not None:
        return participant
    try:
        with transaction.atomic():
            return Participant.objects.create(conversation=conversation, person=person)
    except IntegrityError:  # joined at the same moment in another request
        return Participant.objects.get(conversation=conversation, person=person)


def join(*, person: Person, conversation: Conversation) -> Participant:
    """Take part as oneself (idempotent: the same participant every time)."""
    if not perms.can_join(person, conversation):
        if not is_person(person):
            raise PermissionDenied(_("Sign in to take part."))
        raise PermissionDenied(_("This conversation is closed."))
    return _participant_for(person, conversation)


def join_anonymously(*, actor: Any, conversation: Conversation) -> tuple[Participant, str]:
    """Take part without an account: returns the participant and the key to keep in a cookie (shown only now)."""
    if not perms.can_join_anonymously(actor, conversation):
        if is_person(actor):
            raise DomainError(_("You are signed in: take part as yourself."))
        if not conversation.is_open:
            raise PermissionDenied(_("This conversation is closed."))
        raise PermissionDenied(_("Sign in to take part: this conversation does not allow anonymous participation."))
    key = secrets.token_urlsafe(32)
    participant = Participant.objects.create(conversation=conversation, anonymous_key_hash=hash_key(key))
    return participant, key


@transaction.atomic
def declare_circles(
    *, person: Person, participant: Participant, circles: Sequence[Circle] = (), centers: Sequence[Center] = ()
) -> Participant:
    """Say which circles and centers one belongs to (replacing what was said before), for results by circle."""
    if not is_person(person) or participant.person_id != person.pk:
        raise PermissionDenied(_("Only signed-in participants can say which circles they belong to."))
    if len(circles) + len(centers) > MAX_DECLARED:
        raise DomainError(_("Name at most %(n)d circles and centers.") % {"n": MAX_DECLARED}, field="circles")
    for circle in circles:
        if not perms.can_declare_circle(person, circle):
            raise PermissionDenied(_("You are not a member of %(circle)s.") % {"circle": circle.name})
    for center in centers:
        if not perms.can_declare_center(person, center):
            raise PermissionDenied(
                _("Neither you nor a circle of yours is tied to %(center)s.") % {"center": center.name}
            )
    participant.circles.set(circles)
    participant.centers.set(centers)
    network_perms.forget_memberships(person)
    return participant


# Votes


def _vote_value(value: Any) -> int:
    number = 2
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        number = int(value.strip())
    if number not in (AGREE, DISAGREE, PASS):
        raise DomainError(_("A vote is agree (1), disagree (-1) or pass (0)."), field="value")
    return number


@transaction.atomic
def vote(*, actor: Any, statement: Statement, value: Any, participant: Participant | None = None) -> Vote:
    """Record agree (+1), disagree (−1) or pass (0); a changed vote replaces the earlier one.

    `actor` is the signed-in person (their participant is found or made), or None / AnonymousUser with the
    anonymous `participant` the view resolved from the cookie's key.
    """
    conversation = statement.conversation
    number = _vote_value(value)
    if participant is None and is_person(actor):
        participant = None if not conversation.is_open else _participant_for(actor, conversation)
    if not perms.can_vote(actor, conversation, participant):
        if not conversation.is_open:
            raise PermissionDenied(_("This conversation is closed: votes are no longer taken."))
        if participant is not None and not perms.acts_as(actor, participant):
            raise PermissionDenied(_("You can only vote as yourself."))
        raise PermissionDenied(_("Sign in to vote: this conversation does not allow anonymous participation."))
    assert participant is not None  # can_vote refuses a missing participant
    if participant.conversation_id != conversation.pk:
        raise DomainError(_("This statement belongs to another conversation."), field="statement")
    if statement.status != StatementStatus.APPROVED:
        if statement.status == StatementStatus.DELETED:
            raise NotFound(_("This statement was deleted."), field="statement")
        raise DomainError(_("This statement is not open for votes."), field="statement")
    now = timezone.now()
    updated = Vote.objects.filter(participant=participant, statement=statement).update(value=number, updated_at=now)
    if not updated:
        try:
            with transaction.atomic():
                Vote.objects.create(
                    conversation=conversation,
                    participant=participant,
                    statement=statement,
                    value=number,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:  # the same participant's vote arrived twice at once: the later one wins
            Vote.objects.filter(participant=participant, statement=statement).update(value=number, updated_at=now)
    request_analysis_on_commit(conversation.pk)
    return Vote.objects.get(participant=participant, statement=statement)
