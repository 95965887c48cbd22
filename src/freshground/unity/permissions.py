"""Who may do what in a unity conversation. Pure predicates: the only home of these rules.

Roles: anonymous visitor, anonymous participant (holds the key of an anonymous `Participant`), signed-in person, the
conversation's owner (the person who opened it), the organisers of the circle it was opened in (or the editors of its
center) and site admins. The owner, those organisers or editors, and site admins are the conversation's *moderators*.

- Every conversation and its approved statements and results are public (`can_view`).
- Voting needs an open conversation; signed-in people always may, anonymous participants only where the owner
  allows anonymous participation. An anonymous visitor first joins (`can_join_anonymously`), which gives a key.
- Writing statements needs a signed-in person (statements carry a name and go through moderation); anonymous
  participants vote only.
- Moderating statements and closing belong to the moderators.
- Declaring circles: a person may say they belong only to circles they are a member of, and to centers they edit or
  that a circle of theirs is tied to.
"""

from __future__ import annotations

from typing import Any

from freshground.core.permissions import is_person, is_site_admin
from freshground.network import permissions as network_perms
from freshground.network.models import Center, Circle, Tie
from freshground.unity.models import Conversation, ConversationState, Participant, Statement, StatementStatus


def can_open_conversation(person: Any) -> bool:
    return is_person(person)


def can_open_for_circle(person: Any, circle: Circle) -> bool:
    """Open a conversation in a circle's name: its organisers."""
    return network_perms.is_organiser(person, circle) or is_site_admin(person)


def can_open_for_center(person: Any, center: Center) -> bool:
    """Open a conversation in a center's name: its editors."""
    return network_perms.is_center_editor(person, center) or is_site_admin(person)


def is_moderator(person: Any, conversation: Conversation) -> bool:
    if not is_person(person):
        return False
    if is_site_admin(person) or conversation.opened_by_id == person.pk:
        return True
    if conversation.circle_id is not None:
        membership = network_perms._membership_by_circle_id(person, conversation.circle_id)
        if membership is not None and membership.is_organiser:
            return True
    return conversation.center_id is not None and network_perms._edits_center_id(person, conversation.center_id)


def can_view(person: Any, conversation: Conversation) -> bool:
    """Conversations and their results are public."""
    return True


def can_view_statement(person: Any, statement: Statement) -> bool:
    """Approved statements are public; pending or rejected ones only to their author and the moderators."""
    if statement.status == StatementStatus.APPROVED:
        return True
    if statement.status == StatementStatus.DELETED:
        return is_site_admin(person)
    if is_person(person) and statement.author_id == person.pk:
        return True
    return is_moderator(person, statement.conversation)


def can_join(person: Any, conversation: Conversation) -> bool:
    return is_person(person) and conversation.is_open


def can_join_anonymously(person: Any, conversation: Conversation) -> bool:
    """A visitor who is not signed in may take an anonymous key, where the owner allows it."""
    return not is_person(person) and conversation.allow_anonymous and conversation.is_open


def acts_as(person: Any, participant: Participant) -> bool:
    """Is `participant` the actor's own? A person's participant is theirs; an anonymous participant belongs to
    whoever holds its key (the view checked the cookie before resolving it)."""
    if is_person(person):
        return participant.person_id == person.pk
    return participant.is_anonymous


def can_vote(person: Any, conversation: Conversation, participant: Participant | None = None) -> bool:
    """Vote while the conversation is open: a signed-in person, or the holder of an anonymous participant's key
    where anonymous participation is allowed. Without a participant, an anonymous visitor must join first."""
    if not conversation.is_open:
        return False
    if is_person(person):
        return participant is None or acts_as(person, participant)
    return (
        participant is not None
        and participant.conversation_id == conversation.pk
        and participant.is_anonymous
        and conversation.allow_anonymous
    )


def can_add_statement(person: Any, conversation: Conversation) -> bool:
    return is_person(person) and conversation.is_open


def statement_needs_approval(person: Any, conversation: Conversation) -> bool:
    """A participant's statement waits for approval where the conversation asks for it; moderators' never do."""
    return conversation.needs_approval and not is_moderator(person, conversation)


def can_moderate(person: Any, conversation: Conversation) -> bool:
    """Approve or reject statements (also after closing, to tidy up the record)."""
    return is_moderator(person, conversation)


def can_delete_statement(person: Any, statement: Statement) -> bool:
    """Withdraw a statement (its votes stay stored but are no longer counted): its author or a moderator, while the
    conversation is open."""
    if not statement.conversation.is_open or statement.status == StatementStatus.DELETED:
        return False
    if is_person(person) and statement.author_id == person.pk:
        return True
    return is_moderator(person, statement.conversation)


def can_close(person: Any, conversation: Conversation) -> bool:
    return conversation.state == ConversationState.OPEN and is_moderator(person, conversation)


def can_declare_circle(person: Any, circle: Circle) -> bool:
    return network_perms.is_member(person, circle)


def can_declare_center(person: Any, center: Center) -> bool:
    if not is_person(person):
        return False
    if network_perms.is_center_editor(person, center):
        return True
    return Tie.objects.active().filter(center=center, circle__memberships__person=person).exists()


def can_run_analysis(person: Any, conversation: Conversation) -> bool:
    """Ask for a recomputation now (besides the automatic one after votes): the moderators."""
    return is_moderator(person, conversation)
