"""Who may do what with points-of-unity documents. Pure predicates: the only home of these rules.

- Documents, their versions and who endorsed them are public.
- Drafting a document from a conversation and revising it (each revision is a new version): the conversation's
  moderators (its owner, the organisers of its circle or editors of its center, site admins).
- Endorsing in a circle's name, and withdrawing that endorsement: the circle's organisers only; in a center's name:
  its editors only. Site admins cannot endorse for a circle they do not organise: an endorsement is the circle's own
  act.
"""

from __future__ import annotations

from typing import Any

from freshground.core.permissions import is_person
from freshground.network import permissions as network_perms
from freshground.network.models import Center, Circle
from freshground.unity.models import Conversation
from freshground.unity.models_documents import Endorsement, UnityDocument
from freshground.unity.permissions import is_moderator


def can_view_document(person: Any, document: UnityDocument) -> bool:
    return True


def can_draft(person: Any, conversation: Conversation) -> bool:
    return is_moderator(person, conversation)


def can_revise(person: Any, document: UnityDocument) -> bool:
    return is_moderator(person, document.conversation)


def can_endorse_for_circle(person: Any, circle: Circle) -> bool:
    return is_person(person) and network_perms.is_organiser(person, circle)


def can_endorse_for_center(person: Any, center: Center) -> bool:
    return is_person(person) and network_perms.is_center_editor(person, center)


def can_withdraw(person: Any, endorsement: Endorsement) -> bool:
    if endorsement.withdrawn_at is not None:
        return False
    if endorsement.circle_id is not None:
        return can_endorse_for_circle(person, endorsement.circle)  # type: ignore[arg-type]
    return endorsement.center is not None and can_endorse_for_center(person, endorsement.center)
