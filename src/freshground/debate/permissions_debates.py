"""Who may do what in a structured debate. Pure predicates: the only home of these rules.

Roles: anonymous visitor, signed-in person, member or organiser of the circle the debate was opened in, editor of its
center, organiser/editor of an invited circle or center, a debate moderator, a site admin.

*Debate moderators* are the person who opened it, the organisers of its circle or the editors of its center, the people
named in ``Debate.moderators``, and site admins. They invite circles and centers to state a position, close the debate
and write (and revise) its summary. While a debate is open anyone signed in may propose a position, argue and mark
other people's arguments as convincing: a debate across group lines is open to everyone in the network.
"""

from __future__ import annotations

from typing import Any

from freshground.core.content import ContentStatus
from freshground.core.permissions import is_person, is_site_admin
from freshground.debate.models import Argument, Debate, DebateStatus, Invitation, Summary
from freshground.network import permissions as network_perms
from freshground.network.models import Center, Circle

_MODERATOR_CACHE = "_fg_debate_moderators"


def _moderator_ids(debate: Debate) -> set[int]:
    """Ids in Debate.moderators, read once per debate object (queries prefetch them for pages)."""
    cache = vars(debate).get(_MODERATOR_CACHE)
    if cache is None:
        cache = {person.pk for person in debate.moderators.all()}
        vars(debate)[_MODERATOR_CACHE] = cache
    return cache


def _organises_circle_id(person: Any, circle_id: int) -> bool:
    membership = network_perms._membership_by_circle_id(person, circle_id)
    return membership is not None and membership.is_organiser


def forget_moderators(debate: Debate) -> None:
    vars(debate).pop(_MODERATOR_CACHE, None)


def can_open_for_circle(person: Any, circle: Circle) -> bool:
    """Open a debate in a circle's name: its organisers."""
    return network_perms.is_organiser(person, circle) or is_site_admin(person)


def can_open_for_center(person: Any, center: Center) -> bool:
    """Open a debate in a center's name: its editors."""
    return network_perms.is_center_editor(person, center) or is_site_admin(person)


def is_debate_moderator(person: Any, debate: Debate) -> bool:
    if not is_person(person):
        return False
    if is_site_admin(person) or debate.opened_by_id == person.pk:
        return True
    if debate.circle_id is not None and _organises_circle_id(person, debate.circle_id):
        return True
    if debate.center_id is not None and network_perms._edits_center_id(person, debate.center_id):
        return True
    return person.pk in _moderator_ids(debate)


def can_view_debate(person: Any, debate: Debate) -> bool:
    """Published debates are public; a pending or hidden one only to its opener and moderators."""
    if debate.status == ContentStatus.PUBLISHED:
        return True
    if debate.status == ContentStatus.DELETED:
        return is_site_admin(person)
    return is_debate_moderator(person, debate)


def can_create_debate(person: Any) -> bool:
    return is_person(person)


def _open_and_visible(person: Any, debate: Debate) -> bool:
    published = debate.status == ContentStatus.PUBLISHED
    return is_person(person) and published and debate.is_open


def can_add_position(person: Any, debate: Debate) -> bool:
    """Anyone signed in may propose a position while the debate is open."""
    return _open_and_visible(person, debate)


def can_argue(person: Any, debate: Debate) -> bool:
    return _open_and_visible(person, debate)


def can_view_argument(person: Any, argument: Argument) -> bool:
    if not can_view_debate(person, argument.debate):
        return False
    if argument.status == ContentStatus.PUBLISHED:
        return True
    if argument.status == ContentStatus.DELETED:
        return is_site_admin(person)
    return (is_person(person) and argument.author_id == person.pk) or is_debate_moderator(person, argument.debate)


def can_mark_convincing(person: Any, argument: Argument) -> bool:
    """Anyone signed in but the author, on a published argument, while the debate is open."""
    if not is_person(person) or argument.author_id == person.pk:
        return False
    return argument.status == ContentStatus.PUBLISHED and _open_and_visible(person, argument.debate)


def can_invite(person: Any, debate: Debate) -> bool:
    """Invite circles and centers to state their position: the debate's moderators, while it is open."""
    return debate.is_open and is_debate_moderator(person, debate)


def can_state(person: Any, invitation: Invitation) -> bool:
    """Write (or revise) or decline the official statement: the invitee's organisers or editors, while it is open."""
    if not invitation.debate.is_open or not is_person(person):
        return False
    if invitation.circle_id is not None and _organises_circle_id(person, invitation.circle_id):
        return True
    if invitation.center_id is not None and network_perms._edits_center_id(person, invitation.center_id):
        return True
    return is_site_admin(person)


def can_close(person: Any, debate: Debate) -> bool:
    """Close with a summary: its moderators, while it is not closed yet (an expired one may still be summarised)."""
    return debate.state == DebateStatus.OPEN and is_debate_moderator(person, debate)


def can_summarise(person: Any, debate: Debate) -> bool:
    """Write the first summary: moderators, when they close it or after it closed by date without one."""
    return is_debate_moderator(person, debate)


def can_edit_summary(person: Any, summary: Summary) -> bool:
    """Revise the summary (a new version): the debate's moderators."""
    return is_debate_moderator(person, summary.debate)
