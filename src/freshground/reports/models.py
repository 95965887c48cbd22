"""Reports from below: workers, students and communities on their own conditions.

Built like a whistle-blowing tool first. What is stored is only what the flows need:
- dates are day-level (`DateField`), and a report keeps one overwritten `last_activity_on`;
- an anonymous or pseudonymous report has no link to any account or session: its only key is a passphrase, of
  which only an Argon2 hash is kept; `author` is set only when a member chose to report under their own name;
- no IP address, user agent, referrer or cookie value is ever written (see reports.privacy);
- reviewers' own actions may name the reviewer (they are the platform's editors, not the people at risk).

A report is published only in an approved `Version`: reviewers propose redacted text, the reporter approves it, and
only then can a reviewer publish that version. The original text is never shown outside the desk.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.models import Tag
from freshground.network.models import Center, Circle
from freshground.reports.storage import attachment_storage

TEXT_MAX_LENGTH = 20_000


def today() -> object:
    return timezone.localdate()


def new_public_id() -> str:
    # Unguessable: report ids are never sequential in URLs, so counting or probing them tells nothing.
    return secrets.token_urlsafe(12)


class Desk(models.Model):
    """A circle's or center's report desk, or the platform's own desk (neither circle nor center)."""

    circle = models.OneToOneField(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="report_desk")
    center = models.OneToOneField(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="report_desk")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("what this desk covers"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("accepting reports"), default=True)
    created_on = models.DateField(default=today)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(circle__isnull=True) | Q(center__isnull=True), name="reports_desk_one_owner"
            ),
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(circle__isnull=True, center__isnull=True),
                name="reports_desk_one_platform_desk",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_platform(self) -> bool:
        return self.circle_id is None and self.center_id is None


class Reviewer(models.Model):
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="reviewers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_desks")
    created_on = models.DateField(default=today)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["desk", "person"], name="reports_reviewer_once")]

    def __str__(self) -> str:
        return f"{self.person_id} reviews for {self.desk_id}"


class Mode(models.TextChoices):
    MEMBER = "member", _("under my display name")
    PSEUDONYM = "pseudonym", _("under a pseudonym for this report")
    ANONYMOUS = "anonymous", _("anonymously")


class PlaceKind(models.TextChoices):
    WORKPLACE = "workplace", _("workplace")
    SCHOOL = "school", _("school")
    CAMPUS = "campus", _("campus")
    NEIGHBOURHOOD = "neighbourhood", _("neighbourhood")
    TENANCY = "tenancy", _("tenancy")
    OTHER = "other", _("other")


class PlaceSize(models.TextChoices):
    UNKNOWN = "", _("don't know / rather not say")
    TINY = "1-9", _("1–9 people")
    SMALL = "10-49", _("10–49 people")
    MEDIUM = "50-249", _("50–249 people")
    LARGE = "250-999", _("250–999 people")
    HUGE = "1000+", _("1,000 or more")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")  # waiting in the desks' queues
    IN_REVIEW = "in_review", _("in review")
    AWAITING_REPORTER = "awaiting", _("waiting for the reporter")  # a question or a version to approve
    APPROVED = "approved", _("approved, ready to publish")
    PUBLISHED = "published", _("published")
    DECLINED = "declined", _("not published")
    WITHDRAWN = "withdrawn", _("withdrawn by the reporter")


class Report(models.Model):
    public_id = models.CharField(max_length=20, unique=True, default=new_public_id, editable=False)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    # Only for Mode.MEMBER. Anonymous and pseudonymous reports are never linked to an account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=60, blank=True, default="")
    passphrase_hash = models.CharField(max_length=200, blank=True, default="", editable=False)
    # 16 bits of an unkeyed hash of the passphrase, to find the few candidates to check with Argon2 (see passphrase.py).
    passphrase_bucket = models.CharField(max_length=4, blank=True, default="", editable=False, db_index=True)
    # Which desks may see it. Empty is not allowed by services: at least one desk, possibly the platform's.
    desks = models.ManyToManyField(Desk, related_name="reports")

    title = models.CharField(_("title"), max_length=160)
    place_kind = models.CharField(_("kind of place"), max_length=16, choices=PlaceKind.choices)
    sector = models.CharField(_("sector"), max_length=2, blank=True, default="")  # reports.sectors code
    sector_detail = models.CharField(_("sector, in your words"), max_length=120, blank=True, default="")
    region = models.CharField(_("city or region"), max_length=120, blank=True, default="")  # never finer than a city
    place_size = models.CharField(
        _("size of the place"), max_length=8, choices=PlaceSize.choices, blank=True, default=""
    )
    what_happened = models.TextField(_("what happened"), max_length=TEXT_MAX_LENGTH)
    what_we_did = models.TextField(_("what people did about it"), max_length=TEXT_MAX_LENGTH, blank=True)
    outcome = models.TextField(_("outcome"), max_length=TEXT_MAX_LENGTH, blank=True)
    is_win = models.BooleanField(_("a win others can learn from"), default=False)

    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    hidden_reason = models.TextField(blank=True, default="")  # for the content registry; reports use `status`
    topics = models.ManyToManyField(Tag, blank=True, related_name="+")  # set by reviewers
    submitted_on = models.DateField(default=today)
    last_activity_on = models.DateField(default=today)  # overwritten on every change: no history of visits

    # Set when published: the approved version shown to everyone, and the desk that published it.
    published_version = models.OneToOneField(
        "Version", on_delete=models.PROTECT, null=True, blank=True, related_name="published_as"
    )
    published_by_desk = models.ForeignKey(Desk, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_on"], name="reports_report_published"),
            models.Index(fields=["status", "sector", "-published_on"], name="reports_report_sector"),
            models.Index(fields=["status", "place_kind", "-published_on"], name="reports_report_place_kind"),
            models.Index(fields=["status", "region"], name="reports_report_region"),
            models.Index(fields=["status", "is_win", "-published_on"], name="reports_report_wins"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode=Mode.MEMBER) | Q(author__isnull=True), name="reports_report_author_only_for_member"
            ),
            models.CheckConstraint(
                condition=Q(mode=Mode.MEMBER) | ~Q(passphrase_hash=""), name="reports_report_passphrase_unless_member"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.PUBLISHED) | Q(published_version__isnull=False),
                name="reports_report_published_has_version",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.public_id])

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class VersionStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed to the reporter")
    APPROVED = "approved", _("approved by the reporter")
    DECLINED = "declined", _("declined by the reporter")
    SUPERSEDED = "superseded", _("replaced by a later proposal")


class Version(models.Model):
    """A redacted text proposed by a reviewer. Only an approved version can be published."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=160)
    region = models.CharField(max_length=120, blank=True, default="")
    what_happened = models.TextField(max_length=TEXT_MAX_LENGTH)
    what_we_did = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    outcome = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    # What was redacted and why, in the reviewer's words, shown to the reporter beside the preview.
    note = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_on = models.DateField(default=today)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reports_version_number_once")]

    def __str__(self) -> str:
        return f"version {self.number} of report {self.report_id}"


class Message(models.Model):
    """A reviewer's question to the reporter, or the reporter's answer. Read through the passphrase inbox (or, for a
    member's report, their own report page)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    from_reporter = models.BooleanField(default=False)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    desk = models.ForeignKey(Desk, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.TextField(max_length=TEXT_MAX_LENGTH)
    created_on = models.DateField(default=today)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_reporter=True, reviewer__isnull=True) | Q(from_reporter=False),
                name="reports_message_reporter_unnamed",
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} on report {self.report_id}"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("image (re-encoded, metadata removed)")
    DOCUMENT = "document", _("document (kept as sent; its metadata was not removed)")


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random: the reporter's file name (often a person's name or a date) is never kept.
    return f"reports/{secrets.token_hex(16)}{instance.extension}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path, storage=attachment_storage, max_length=200)
    extension = models.CharField(max_length=8)  # ".jpg", ".png", ".webp", ".pdf", ".docx", ...
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # A document is kept only after the reporter read the warning about its metadata and confirmed.
    metadata_warning_confirmed = models.BooleanField(default=False)
    # Reviewers decide whether an image appears with the published report (documents never do).
    publish = models.BooleanField(default=False)
    created_on = models.DateField(default=today)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AttachmentKind.IMAGE) | Q(metadata_warning_confirmed=True),
                name="reports_attachment_document_confirmed",
            ),
            models.CheckConstraint(
                condition=Q(kind=AttachmentKind.IMAGE) | Q(publish=False),
                name="reports_attachment_documents_never_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} attachment {self.pk}"


class RelatedItem(models.Model):
    """A hook for later issues: a report linked to any content (a campaign, a debate, an event ...)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="related_items")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_on = models.DateField(default=today)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "content_type", "object_id"], name="reports_related_item_once"),
        ]

    def __str__(self) -> str:
        return f"report {self.report_id} → {self.content_type_id}:{self.object_id}"
