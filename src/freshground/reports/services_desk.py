"""What desks, their owners and reviewers do: every write, one transaction each, refusals as domain errors.

Every change to a report overwrites its `last_activity_on` (today) and nothing else records when it happened. A
reviewer's own actions may name the reviewer (Message.reviewer, Version.proposed_by, RelatedItem.added_by); nothing
here ever links a member account or session to an anonymous or pseudonymous report. Reports never notify anyone
about an unpublished report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core import content
from freshground.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from freshground.core.permissions import is_person, is_site_admin
from freshground.core.tags import tags_from_names
from freshground.core.text import clean_text
from freshground.network.models import Center, CenterEditor, Circle, Membership
from freshground.people.models import Person
from freshground.reports import permissions as perms
from freshground.reports import redaction
from freshground.reports.models import (
    TEXT_MAX_LENGTH,
    AttachmentKind,
    Desk,
    Message,
    RelatedItem,
    Report,
    ReportStatus,
    Reviewer,
    Version,
    VersionStatus,
)
from freshground.reports.queries_desk import published_changed

DESK_LIMITS = {"name": 120, "description": 2000}
VERSION_LIMITS = {"title": 160, "region": 120, "what_happened": TEXT_MAX_LENGTH, "what_we_did": TEXT_MAX_LENGTH}
MAX_TOPICS = 8


def _today() -> Any:
    return timezone.localdate()


def _check_length(value: str, limit: int, field: str) -> None:
    if len(value) > limit:
        raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=field)


def _touch(report: Report, *, status: str | None = None, fields: Sequence[str] = ()) -> None:
    """Save the report's changed fields with today's `last_activity_on` (and the new status)."""
    update = ["last_activity_on", *fields]
    report.last_activity_on = _today()
    if status is not None:
        report.status = status
        update.append("status")
    report.save(update_fields=update)


def _lock(report: Report) -> Report:
    """Re-read the report's row inside the transaction so two reviewers' actions do not interleave."""
    fresh = Report.objects.select_for_update().filter(pk=report.pk).first()
    if fresh is None:
        raise NotFound(_("This report no longer exists."))
    for name in ("status", "last_activity_on", "published_version_id", "published_on", "published_by_desk_id"):
        setattr(report, name, getattr(fresh, name))
    return report


def _require_review(person: Any, desk: Desk, report: Report) -> None:
    """The one check every reviewer action starts with. A report not sent to the desk does not exist for it (the
    desk is checked first, so a refusal never tells whether a report exists elsewhere)."""
    if not perms.is_reviewer(person, desk):
        raise PermissionDenied(_("Only this desk's reviewers can work on its reports."))
    if not perms.has_two_factor(person):
        raise PermissionDenied(_("Set up two-factor authentication before reviewing reports."))
    if desk.pk not in perms.report_desk_ids(report):
        raise NotFound(_("There is no such report in this desk."))


def _require_open(person: Any, desk: Desk, report: Report) -> None:
    _require_review(person, desk, report)
    if report.status not in perms.OPEN_STATUSES:
        raise Conflict(
            _("This report is %(status)s: nothing more can be done with it.") % {"status": report.get_status_display()}
        )


# Desks


@transaction.atomic
def create_desk(
    *,
    person: Person,
    circle: Circle | None = None,
    center: Center | None = None,
    name: str = "",
    description: str = "",
) -> Desk:
    """Open a report desk for a circle (its organisers), a center (its editors), or the platform (site admins).
    The person opening it becomes its first reviewer."""
    if circle is not None and center is not None:
        raise DomainError(_("A desk belongs to a circle or to a center, not both."))
    if circle is not None:
        allowed = perms.can_create_circle_desk(person, circle)
        refusal = _("Only the circle's organisers can open a report desk for it.")
        exists = Desk.objects.filter(circle=circle).exists()
        default_name = circle.name
    elif center is not None:
        allowed = perms.can_create_center_desk(person, center)
        refusal = _("Only the center's editors can open a report desk for it.")
        exists = Desk.objects.filter(center=center).exists()
        default_name = center.name
    else:
        allowed = perms.can_create_platform_desk(person)
        refusal = _("Only the site's admins can open the platform's desk.")
        exists = Desk.objects.filter(circle__isnull=True, center__isnull=True).exists()
        default_name = _("The platform's editors")
    if not allowed:
        raise PermissionDenied(refusal)
    if exists:
        raise Conflict(_("There is already a report desk here."))
    name = clean_text(name or "") or str(default_name)
    description = clean_text(description or "")
    _check_length(name, DESK_LIMITS["name"], "name")
    _check_length(description, DESK_LIMITS["description"], "description")
    try:
        with transaction.atomic():
            desk = Desk.objects.create(circle=circle, center=center, name=name, description=description)
    except IntegrityError as error:
        raise Conflict(_("There is already a report desk here.")) from error
    Reviewer.objects.create(desk=desk, person=person)
    perms.forget_reviews(person)
    return desk


@transaction.atomic
def update_desk(
    *,
    person: Person,
    desk: Desk,
    name: str | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> Desk:
    """Rename, describe, or open/close the desk to new reports (reports already sent stay in its queue)."""
    if not perms.can_manage_desk(person, desk):
        raise PermissionDenied(_("Only the people who run this desk can change it."))
    fields: list[str] = []
    if name is not None:
        name = clean_text(name)
        if not name:
            raise DomainError(_("A desk needs a name."), field="name")
        _check_length(name, DESK_LIMITS["name"], "name")
        desk.name = name
        fields.append("name")
    if description is not None:
        description = clean_text(description)
        _check_length(description, DESK_LIMITS["description"], "description")
        desk.description = description
        fields.append("description")
    if is_active is not None:
        desk.is_active = is_active
        fields.append("is_active")
    if fields:
        desk.save(update_fields=fields)
    return desk


def eligible_reviewers(desk: Desk) -> list[Person]:
    """Who may be made a reviewer: the circle's members, the center's editors, or site admins for the platform's
    desk. Never anyone by e-mail address: a desk cannot be used to find out who has an account."""
    ids: Any
    if desk.circle_id is not None:
        ids = Membership.objects.filter(circle_id=desk.circle_id).values("person_id")
    elif desk.center_id is not None:
        ids = CenterEditor.objects.filter(center_id=desk.center_id).values("person_id")
    else:
        return list(Person.objects.filter(is_active=True, is_staff=True).order_by("display_name", "id"))
    return list(Person.objects.filter(is_active=True, id__in=ids).order_by("display_name", "id"))


def _is_eligible(desk: Desk, candidate: Person) -> bool:
    if not candidate.is_active:
        return False
    if desk.circle_id is not None:
        return Membership.objects.filter(circle_id=desk.circle_id, person=candidate).exists()
    if desk.center_id is not None:
        return CenterEditor.objects.filter(center_id=desk.center_id, person=candidate).exists()
    return is_site_admin(candidate)


@transaction.atomic
def add_reviewer(*, person: Person, desk: Desk, reviewer: Person) -> Reviewer:
    if not perms.can_manage_reviewers(person, desk):
        raise PermissionDenied(_("Only the people who run this desk can choose its reviewers."))
    if not _is_eligible(desk, reviewer):
        raise DomainError(
            _("Reviewers are chosen among the circle's members, the center's editors, or the site's admins."),
            field="reviewer",
        )
    existing = Reviewer.objects.filter(desk=desk, person=reviewer).first()
    if existing is not None:
        return existing
    created = Reviewer.objects.create(desk=desk, person=reviewer)
    perms.forget_reviews(reviewer)
    return created


@transaction.atomic
def remove_reviewer(*, person: Person, desk: Desk, reviewer: Person) -> None:
    if not perms.can_manage_reviewers(person, desk):
        raise PermissionDenied(_("Only the people who run this desk can choose its reviewers."))
    deleted, _rows = Reviewer.objects.filter(desk=desk, person=reviewer).delete()
    if not deleted:
        raise NotFound(_("This person does not review for this desk."))
    perms.forget_reviews(reviewer)


# Reports


@transaction.atomic
def open_report(*, person: Person, desk: Desk, report: Report) -> Report:
    """A reviewer opens a report: a new one goes into review (nothing else is recorded about the visit)."""
    _require_review(person, desk, report)
    _lock(report)
    if report.status == ReportStatus.SUBMITTED:
        _touch(report, status=ReportStatus.IN_REVIEW)
    return report


@transaction.atomic
def ask_reporter(*, person: Person, desk: Desk, report: Report, body: str) -> Message:
    """A question to the reporter, read in their passphrase inbox (or their own report page)."""
    _require_open(person, desk, report)
    _lock(report)
    body = clean_text(body or "")
    if not body:
        raise DomainError(_("Write the question."), field="body")
    _check_length(body, TEXT_MAX_LENGTH, "body")
    if report.status == ReportStatus.APPROVED:
        raise Conflict(_("The reporter approved a version: publish it or propose a new one."))
    message = Message.objects.create(report=report, reviewer=person, desk=desk, body=body, from_reporter=False)
    _touch(report, status=ReportStatus.AWAITING_REPORTER)
    return message


def original_texts(report: Report) -> dict[str, str]:
    return {name: str(getattr(report, name) or "") for name in redaction.REDACTED_FIELDS}


@transaction.atomic
def propose_version(
    *,
    person: Person,
    desk: Desk,
    report: Report,
    title: str,
    what_happened: str,
    region: str = "",
    what_we_did: str = "",
    outcome: str = "",
    note: str = "",
    replacements: Iterable[redaction.Replacement] = (),
) -> Version:
    """Propose the redacted text for the reporter to approve. The replacements are applied to the texts given (the
    reviewer's free edits); earlier proposals still waiting are superseded."""
    _require_open(person, desk, report)
    _lock(report)
    pairs = list(replacements)
    texts = {
        "title": clean_text(title or ""),
        "region": clean_text(region or ""),
        "what_happened": clean_text(what_happened or ""),
        "what_we_did": clean_text(what_we_did or ""),
        "outcome": clean_text(outcome or ""),
    }
    texts = redaction.apply_all(texts, pairs)
    if not texts["title"]:
        raise DomainError(_("The published version needs a title."), field="title")
    if not texts["what_happened"]:
        raise DomainError(_("The published version needs to say what happened."), field="what_happened")
    for name, limit in {**VERSION_LIMITS, "outcome": TEXT_MAX_LENGTH}.items():
        _check_length(texts[name], limit, name)
    note = clean_text(note or "")
    _check_length(note, 2000, "note")
    report.versions.filter(status=VersionStatus.PROPOSED).update(status=VersionStatus.SUPERSEDED, decided_on=_today())
    number = (report.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = Version.objects.create(report=report, number=number, note=note, proposed_by=person, **texts)
    _touch(report, status=ReportStatus.AWAITING_REPORTER)
    return version


@transaction.atomic
def set_topics(*, person: Person, desk: Desk, report: Report, names: Iterable[str]) -> Report:
    """Tag the report with topics (shown and filterable once published)."""
    _require_review(person, desk, report)
    if report.status in {ReportStatus.DECLINED, ReportStatus.WITHDRAWN}:
        raise Conflict(_("This report is closed."))
    _lock(report)
    tags = tags_from_names(names, "topics", limit=MAX_TOPICS)
    report.topics.set(tags)
    _touch(report)
    if report.is_published:
        transaction.on_commit(published_changed)
    return report


@transaction.atomic
def choose_images(*, person: Person, desk: Desk, report: Report, attachment_ids: Iterable[int]) -> int:
    """Which images appear with the published report (documents never do). Returns how many are chosen."""
    _require_review(person, desk, report)
    if report.status in {ReportStatus.DECLINED, ReportStatus.WITHDRAWN}:
        raise Conflict(_("This report is closed."))
    _lock(report)
    chosen = {int(pk) for pk in attachment_ids}
    images = report.attachments.filter(kind=AttachmentKind.IMAGE)
    unknown = chosen - set(images.values_list("id", flat=True))
    if unknown:
        raise NotFound(_("There is no such image in this report."), field="images")
    images.filter(id__in=chosen).update(publish=True)
    images.exclude(id__in=chosen).update(publish=False)
    _touch(report)
    return len(chosen)


@transaction.atomic
def publish(*, person: Person, desk: Desk, report: Report) -> Report:
    """Publish the version the reporter approved, in the desk's name."""
    _require_review(person, desk, report)
    _lock(report)
    if report.status == ReportStatus.PUBLISHED:
        raise Conflict(_("This report is already published."))
    if report.status != ReportStatus.APPROVED:
        raise Conflict(_("Only a report whose reporter approved a version can be published."))
    version = report.versions.filter(status=VersionStatus.APPROVED).order_by("-number").first()
    if version is None:
        raise Conflict(_("Only a report whose reporter approved a version can be published."))
    report.published_version = version
    report.published_by_desk = desk
    report.published_on = _today()
    _touch(report, status=ReportStatus.PUBLISHED, fields=["published_version", "published_by_desk", "published_on"])
    transaction.on_commit(published_changed)
    return report


@transaction.atomic
def decline(*, person: Person, desk: Desk, report: Report, message: str = "") -> Report:
    """Do not publish the report; an optional last message tells the reporter why."""
    _require_open(person, desk, report)
    _lock(report)
    message = clean_text(message or "")
    _check_length(message, TEXT_MAX_LENGTH, "message")
    if message:
        Message.objects.create(report=report, reviewer=person, desk=desk, body=message, from_reporter=False)
    report.versions.filter(status=VersionStatus.PROPOSED).update(status=VersionStatus.SUPERSEDED, decided_on=_today())
    _touch(report, status=ReportStatus.DECLINED)
    return report


# Related items


@transaction.atomic
def link_related(*, person: Person, desk: Desk, report: Report, label: str, object_id: int) -> RelatedItem:
    """Link a published report to any registered content the reviewer can see (a debate, an event, a campaign)."""
    _require_review(person, desk, report)
    if not report.is_published:
        raise Conflict(_("Only a published report can be linked to other content."))
    found = content.resolve(label, object_id)
    if found is None:
        raise NotFound(_("There is no such item."), field="object_id")
    kind, obj = found
    if not kind.can_view(person, obj):
        raise NotFound(_("There is no such item."), field="object_id")
    if obj == report:
        raise DomainError(_("A report cannot be related to itself."), field="object_id")
    content_type = content.content_type_of(obj)
    item, _created = RelatedItem.objects.get_or_create(
        report=report, content_type=content_type, object_id=obj.pk, defaults={"added_by": person}
    )
    _touch(report)
    return item


@transaction.atomic
def unlink_related(*, person: Person, desk: Desk, report: Report, item_id: int) -> None:
    _require_review(person, desk, report)
    deleted, _rows = RelatedItem.objects.filter(report=report, pk=item_id).delete()
    if not deleted:
        raise NotFound(_("There is no such related item."))
    _touch(report)


def require_person(person: Any) -> Person:
    if not is_person(person):
        raise PermissionDenied(_("Sign in first."))
    return person
