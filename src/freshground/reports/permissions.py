"""Who may do what with report desks and reports. Pure predicates: the only home of these rules.

Roles: anonymous visitor, unrelated person, circle member, circle organiser, center editor, site admin, and a desk's
reviewers. A reviewer acts only with two-factor authentication on (allauth.mfa), and only on reports sent to a desk
they review: a reviewer of one desk never opens a report sent only to another. Site admins run the platform's desk;
they get no power over circles' and centers' desks (reports are sensitive, and a desk's owners choose its reviewers).

A reporter's authority (the passphrase, or `author` for a member's own report) is checked by reports-intake
(reports.passphrase.open_report), not here.
"""

from __future__ import annotations

from typing import Any

from freshground.core.permissions import is_person, is_site_admin
from freshground.network.models import Center, Circle
from freshground.network.permissions import is_center_editor, is_organiser
from freshground.reports.models import Attachment, AttachmentKind, Desk, Report, ReportStatus, Reviewer

_REVIEWS_ATTRIBUTE = "_fg_reviewed_desks"
_MFA_ATTRIBUTE = "_fg_has_mfa"

# A report in one of these states can still be worked on by its desks.
OPEN_STATUSES = frozenset(
    {ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW, ReportStatus.AWAITING_REPORTER, ReportStatus.APPROVED}
)


def reviewed_desk_ids(person: Any) -> frozenset[int]:
    """The ids of the desks person reviews (cached on the person for one request)."""
    if not is_person(person):
        return frozenset()
    cached: frozenset[int] | None = vars(person).get(_REVIEWS_ATTRIBUTE)
    if cached is None:
        cached = frozenset(Reviewer.objects.filter(person=person).values_list("desk_id", flat=True))
        vars(person)[_REVIEWS_ATTRIBUTE] = cached
    return cached


def forget_reviews(person: Any) -> None:
    """Drop the cached desk ids and MFA answer after a change (services call this)."""
    if is_person(person):
        vars(person).pop(_REVIEWS_ATTRIBUTE, None)
        vars(person).pop(_MFA_ATTRIBUTE, None)


def report_desk_ids(report: Report) -> frozenset[int]:
    """The ids of the desks a report was sent to (cached on the report; queries prime it from a prefetch)."""
    cached: frozenset[int] | None = vars(report).get("_fg_desk_ids")
    if cached is None:
        prefetched = getattr(report, "_prefetched_objects_cache", {}).get("desks")
        if prefetched is not None:
            cached = frozenset(desk.pk for desk in prefetched)
        else:
            cached = frozenset(report.desks.values_list("id", flat=True))
        vars(report)["_fg_desk_ids"] = cached
    return cached


# Roles


def has_two_factor(person: Any) -> bool:
    """Signed in with two-factor authentication set up (a TOTP authenticator or a security key)."""
    if not is_person(person):
        return False
    cached: bool | None = vars(person).get(_MFA_ATTRIBUTE)
    if cached is None:
        from allauth.mfa.utils import is_mfa_enabled

        cached = bool(is_mfa_enabled(person))
        vars(person)[_MFA_ATTRIBUTE] = cached
    return cached


def is_reviewer(person: Any, desk: Desk) -> bool:
    """Named a reviewer of the desk (two-factor or not)."""
    return desk.pk in reviewed_desk_ids(person)


def is_reviewer_without_two_factor(person: Any, desk: Desk) -> bool:
    """A reviewer who must set up two-factor authentication before seeing the desk's reports."""
    return is_reviewer(person, desk) and not has_two_factor(person)


def is_desk_owner(person: Any, desk: Desk) -> bool:
    """Runs the desk: an organiser of its circle, an editor of its center, or a site admin for the platform desk."""
    if not is_person(person):
        return False
    # Only the ids are needed: the network predicates cache by id, so no circle or center row is loaded.
    if desk.circle_id is not None:
        return is_organiser(person, Circle(pk=desk.circle_id))
    if desk.center_id is not None:
        return is_center_editor(person, Center(pk=desk.center_id))
    return is_site_admin(person)


# Desks


def can_create_circle_desk(person: Any, circle: Circle) -> bool:
    return is_organiser(person, circle)


def can_create_center_desk(person: Any, center: Center) -> bool:
    return is_center_editor(person, center)


def can_create_platform_desk(person: Any) -> bool:
    return is_site_admin(person)


def can_see_desk(person: Any, desk: Desk) -> bool:
    """See the desk's page (its name, reviewers; the queue needs can_review_desk)."""
    return is_reviewer(person, desk) or is_desk_owner(person, desk)


def can_manage_desk(person: Any, desk: Desk) -> bool:
    """Rename, describe, open or close the desk to new reports."""
    return is_desk_owner(person, desk)


def can_manage_reviewers(person: Any, desk: Desk) -> bool:
    return is_desk_owner(person, desk)


def can_review_desk(person: Any, desk: Desk) -> bool:
    """See the desk's queue and act on its reports: a reviewer with two-factor authentication."""
    return is_reviewer(person, desk) and has_two_factor(person)


# Reports


def can_review(person: Any, report: Report, desk: Desk | None = None) -> bool:
    """Open the report in the desk (or in any desk, when none is given): it was sent there and person reviews it."""
    if not is_person(person):
        return False
    sent_to = report_desk_ids(report)
    if desk is not None:
        return desk.pk in sent_to and can_review_desk(person, desk)
    return bool(sent_to & reviewed_desk_ids(person)) and has_two_factor(person)


def can_see_attachments(person: Any, report: Report, desk: Desk | None = None) -> bool:
    """All of a report's attachments, as sent (published images are public: see can_see_attachment)."""
    return can_review(person, report, desk)


def can_see_attachment(person: Any, attachment: Attachment) -> bool:
    """One attachment: an image chosen for a published report is public; the rest only for its reviewers."""
    report = attachment.report
    if report.is_published and attachment.publish and attachment.kind == AttachmentKind.IMAGE:
        return True
    return can_review(person, report)


def can_act_on(person: Any, report: Report, desk: Desk | None = None) -> bool:
    """Ask the reporter, propose a version, tag, choose images, decline: while the report is still open."""
    return report.status in OPEN_STATUSES and can_review(person, report, desk)


def can_publish(person: Any, report: Report, desk: Desk | None = None) -> bool:
    """Publish: a reviewer, and the reporter approved a version."""
    return report.status == ReportStatus.APPROVED and can_review(person, report, desk)


def can_link_related(person: Any, report: Report, desk: Desk | None = None) -> bool:
    """Link a published report to other content (a campaign, a debate, an event)."""
    return report.is_published and can_review(person, report, desk)


def can_view_published(person: Any, report: Report) -> bool:
    """The public page: published reports only, for everyone. Nothing else about a report is ever public."""
    return report.is_published
