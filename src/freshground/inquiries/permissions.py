"""Who may do what with inquiries. Pure predicates: the only home of these rules.

Editors of an inquiry are the people who speak for its owner: for a circle, its organisers and the reviewers of its
report desk; for a center, its editors and the reviewers of its report desk; for the platform (no owner), the
reviewers of the platform's desk. Site admins may edit every inquiry.

Anyone may answer an open inquiry, signed in or not; the answer is never linked to them. Results are shown only in
aggregate and only once at least k answers exist — to everyone, editors included: below k, an editor could tell who
answered from a single free-text answer. Free-text answers and the CSV export are for editors only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from freshground.core.permissions import is_person, is_site_admin
from freshground.inquiries.models import Inquiry, InquiryStatus
from freshground.network import permissions as network_permissions
from freshground.network.models import Center, CenterEditor, Circle, Membership, Role
from freshground.reports.models import Reviewer


def min_answers() -> int:
    """k: the number of answers an inquiry needs before any result is shown."""
    value: Any = settings.FRESHGROUND.get("INQUIRY_MIN_ANSWERS", 5)
    return max(1, int(value))


def reaches_k(inquiry: Inquiry) -> bool:
    return inquiry.answer_count >= min_answers()


def _reviews_desk_of(person: Any, *, circle: Circle | None, center: Center | None) -> bool:
    if not is_person(person):
        return False
    cache: dict[tuple[int | None, int | None], bool] = vars(person).setdefault("_fg_inquiry_desks", {})
    key = (circle.pk if circle else None, center.pk if center else None)
    if key not in cache:
        reviews = Reviewer.objects.filter(person=person)
        if circle is not None:
            reviews = reviews.filter(desk__circle=circle)
        elif center is not None:
            reviews = reviews.filter(desk__center=center)
        else:
            reviews = reviews.filter(desk__circle__isnull=True, desk__center__isnull=True)
        cache[key] = reviews.exists()
    return cache[key]


def speaks_for(person: Any, *, circle: Circle | None = None, center: Center | None = None) -> bool:
    """May person run inquiries in the name of this owner (a circle, a center, or the platform when both are None)?"""
    if not is_person(person):
        return False
    if is_site_admin(person):
        return True
    if circle is not None and network_permissions.is_organiser(person, circle):
        return True
    if center is not None and network_permissions.is_center_editor(person, center):
        return True
    return _reviews_desk_of(person, circle=circle, center=center)


def can_create_inquiry(person: Any) -> bool:
    """Anyone who could own one somewhere: organisers, center editors, desk reviewers and site admins."""
    if not is_person(person):
        return False
    return (
        is_site_admin(person)
        or Membership.objects.filter(person=person, role=Role.ORGANISER).exists()
        or CenterEditor.objects.filter(person=person).exists()
        or Reviewer.objects.filter(person=person).exists()
    )


def can_create_for(person: Any, *, circle: Circle | None = None, center: Center | None = None) -> bool:
    return speaks_for(person, circle=circle, center=center)


def can_edit_inquiry(person: Any, inquiry: Inquiry) -> bool:
    return speaks_for(person, circle=inquiry.circle, center=inquiry.center)


def can_view_inquiry(person: Any, inquiry: Inquiry) -> bool:
    """Published and closed inquiries are public; drafts only for their editors."""
    if inquiry.status != InquiryStatus.DRAFT:
        return True
    return can_edit_inquiry(person, inquiry)


def can_answer(person: Any, inquiry: Inquiry) -> bool:
    """Everyone, signed in or not, while the inquiry is open."""
    return inquiry.is_open()


def can_edit_questions(person: Any, inquiry: Inquiry) -> bool:
    """Questions are frozen once the first answer is in (earlier answers would no longer fit them)."""
    return can_edit_inquiry(person, inquiry) and inquiry.answer_count == 0 and inquiry.status != InquiryStatus.CLOSED


def can_publish(person: Any, inquiry: Inquiry) -> bool:
    return can_edit_inquiry(person, inquiry) and inquiry.status == InquiryStatus.DRAFT


def can_close(person: Any, inquiry: Inquiry) -> bool:
    return can_edit_inquiry(person, inquiry) and inquiry.status == InquiryStatus.PUBLISHED


def can_see_results(person: Any, inquiry: Inquiry) -> bool:
    """Aggregates (counts per option and scale value), for everyone who may see the inquiry, once k is reached."""
    return can_view_inquiry(person, inquiry) and reaches_k(inquiry)


def can_see_free_text(person: Any, inquiry: Inquiry) -> bool:
    return can_edit_inquiry(person, inquiry) and reaches_k(inquiry)


def can_export(person: Any, inquiry: Inquiry) -> bool:
    return can_edit_inquiry(person, inquiry) and reaches_k(inquiry)
