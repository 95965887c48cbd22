"""Who may do what with speakers, speaking requests, endorsements and tour plans. Pure predicates: the only home of
these rules.

Roles: anonymous visitor, unrelated person, the speaker themself, whoever entered a speaker without an account, circle
member, circle organiser, center editor, site admin. The roster is public; fees and accessibility needs are for the
speaker and for the people who could invite them (circle organisers and center editors).
"""

from __future__ import annotations

from typing import Any

from freshground.core.permissions import is_person, is_site_admin
from freshground.events import permissions as event_perms
from freshground.events.models import Event
from freshground.network import permissions as network_perms
from freshground.network.models import Center, CenterEditor, Circle, Membership, Role
from freshground.speakers.models import Appearance, RequestStatus, Speaker, SpeakingRequest

_INVITER_CACHE = "_fg_speaker_inviter"


def is_inviter(person: Any) -> bool:
    """Organises some circle or edits some center: may enter speakers and see what inviting them involves."""
    if not is_person(person):
        return False
    cached = vars(person).get(_INVITER_CACHE)
    if cached is None:
        cached = (
            Membership.objects.filter(person=person, role=Role.ORGANISER).exists()
            or CenterEditor.objects.filter(person=person).exists()
        )
        vars(person)[_INVITER_CACHE] = cached
    return bool(cached)


def forget(person: Any) -> None:
    if is_person(person):
        vars(person).pop(_INVITER_CACHE, None)


# The roster


def can_view_speaker(person: Any, speaker: Speaker) -> bool:
    return True


def can_list_self(person: Any) -> bool:
    """Anyone signed in may put themselves on the roster (once: services refuse a second entry)."""
    return is_person(person)


def can_enter_speaker(person: Any) -> bool:
    """Enter someone without an account: circle organisers, center editors and site admins."""
    return is_inviter(person) or is_site_admin(person)


def can_manage_speaker(person: Any, speaker: Speaker) -> bool:
    """Edit the entry, answer requests, plan tours: the speaker themself; for someone without an account, whoever
    entered them; and site admins."""
    if not is_person(person):
        return False
    if is_site_admin(person):
        return True
    if speaker.person_id is not None:
        return bool(speaker.person_id == person.pk)
    return speaker.entered_by_id is not None and speaker.entered_by_id == person.pk


def can_see_private_details(person: Any, speaker: Speaker) -> bool:
    """Fee and expenses, accessibility needs and the contact address."""
    return can_manage_speaker(person, speaker) or is_inviter(person)


# Endorsements


def can_endorse(person: Any, speaker: Speaker, *, circle: Circle | None = None, center: Center | None = None) -> bool:
    """In a circle's name its organisers, in a center's its editors. Nobody endorses themself."""
    if not is_person(person) or (speaker.person_id is not None and speaker.person_id == person.pk):
        return False
    if circle is not None:
        return network_perms.is_organiser(person, circle) or is_site_admin(person)
    if center is not None:
        return network_perms.is_center_editor(person, center) or is_site_admin(person)
    return False


# Speaking requests


def can_act_for_circle(person: Any, circle: Circle) -> bool:
    """Send requests in a circle's name and follow them up (proposals, withdrawals, feedback): its organisers."""
    return network_perms.is_organiser(person, circle) or is_site_admin(person)


def can_send_request(person: Any, speaker: Speaker, circle: Circle) -> bool:
    return can_act_for_circle(person, circle)


def can_see_request(person: Any, request: SpeakingRequest) -> bool:
    return can_manage_speaker(person, request.speaker) or can_send_request(person, request.speaker, request.circle)


def can_answer_request(person: Any, request: SpeakingRequest) -> bool:
    """Accept, decline or propose a date: the speaker's side, while the request is waiting for them."""
    return request.status == RequestStatus.PENDING and can_manage_speaker(person, request.speaker)


def can_answer_proposal(person: Any, request: SpeakingRequest) -> bool:
    """Take or turn down the speaker's proposed date: the circle's side."""
    return request.status == RequestStatus.PROPOSED and can_send_request(person, request.speaker, request.circle)


def can_withdraw_request(person: Any, request: SpeakingRequest) -> bool:
    return request.is_open and can_send_request(person, request.speaker, request.circle)


def can_leave_feedback(person: Any, request: SpeakingRequest) -> bool:
    """The hosting circle's organisers, once the talk is scheduled."""
    return request.status == RequestStatus.SCHEDULED and can_send_request(person, request.speaker, request.circle)


# Tours


def can_plan_tour(person: Any, speaker: Speaker) -> bool:
    return can_manage_speaker(person, speaker)


# Roster speakers at events


def can_manage_event_speakers(person: Any, event: Event) -> bool:
    """Pick roster speakers for an event and take them off: whoever manages the event (its host person, the organisers
    of a hosting circle, the editors of a hosting center, site admins)."""
    return event_perms.can_manage_event(person, event)


def is_appearing_speaker(person: Any, appearance: Appearance) -> bool:
    """The person on the roster entry of this appearance (not whoever entered a speaker without an account)."""
    return is_person(person) and appearance.speaker.person_id is not None and appearance.speaker.person_id == person.pk


def can_remove_appearance(person: Any, appearance: Appearance) -> bool:
    """The event's managers, and the speaker themself (nobody is listed as speaking against their will)."""
    return is_appearing_speaker(person, appearance) or can_manage_event_speakers(person, appearance.event)
