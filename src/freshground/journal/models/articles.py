"""Original writing: articles written on the platform, their editorial review by circles and centers, revisions, and
link posts (an outside link shared with a short comment).

An article belongs to its author. Published under the author's own name it needs no review; published under a circle
or a center, it goes through that place's editors (a circle's organisers, a center's editors) as a `Submission`:
submitted → in review (editors comment) → published or returned. A person may submit one article to several places.
Every save of the text is an `ArticleRevision`, so editors and readers can see diffs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.models import Tag
from freshground.journal.models.sources import URL_MAX_LENGTH
from freshground.network.models import Center, Circle

ARTICLE_TITLE_MAX_LENGTH = 300
ARTICLE_BODY_MAX_LENGTH = 200_000


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("Creative Commons Attribution 4.0")
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons Attribution-ShareAlike 4.0")
    CC_BY_NC = "cc-by-nc-4.0", _("Creative Commons Attribution-NonCommercial 4.0")
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", _("Creative Commons Attribution-NonCommercial-ShareAlike 4.0")
    CC_BY_ND = "cc-by-nd-4.0", _("Creative Commons Attribution-NoDerivatives 4.0")
    CC_BY_NC_ND = "cc-by-nc-nd-4.0", _("Creative Commons Attribution-NonCommercial-NoDerivatives 4.0")
    CC0 = "cc0-1.0", _("CC0 1.0 (public domain dedication)")
    ALL_RIGHTS = "all-rights-reserved", _("All rights reserved")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    RETURNED = "returned", _("returned to the author")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Article(models.Model):
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)
    title = models.CharField(_("title"), max_length=ARTICLE_TITLE_MAX_LENGTH)
    standfirst = models.CharField(_("summary"), max_length=600, blank=True)
    body = models.TextField(_("text (Markdown)"), max_length=ARTICLE_BODY_MAX_LENGTH)
    body_html = models.TextField(blank=True)  # rendered from `body` with markdown-it-py, sanitised with nh3
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="journal_articles"
    )
    # The byline: the author's own name, or a circle's or a center's (at most one), once published there.
    circle = models.ForeignKey(Circle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    licence = models.CharField(_("licence"), max_length=24, choices=Licence.choices, default=Licence.CC_BY_SA)
    language = models.CharField(_("language"), max_length=16, blank=True)
    topics = models.ManyToManyField(Tag, verbose_name=_("topics"), blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    revision = models.PositiveIntegerField(default=0)  # the number of the latest ArticleRevision
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(
                condition=Q(circle__isnull=True) | Q(center__isnull=True), name="journal_article_one_byline"
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="journal_article_listing")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("journal:article", kwargs={"slug": self.slug})


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    RETURNED = "returned", _("returned to the author")
    WITHDRAWN = "withdrawn", _("withdrawn by the author")


class Submission(models.Model):
    """An article offered to one circle or center for publication under its name."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="submissions")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, null=True, blank=True, related_name="journal_submissions"
    )
    status = models.CharField(max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED)
    revision = models.PositiveIntegerField(default=0)  # the article revision submitted (or last resubmitted)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(circle__isnull=True) & Q(center__isnull=False))
                | (Q(circle__isnull=False) & Q(center__isnull=True)),
                name="journal_submission_one_place",
            ),
            models.UniqueConstraint(
                fields=["article", "center"], condition=Q(center__isnull=False), name="journal_submission_center"
            ),
            models.UniqueConstraint(
                fields=["article", "circle"], condition=Q(circle__isnull=False), name="journal_submission_circle"
            ),
        ]
        indexes = [models.Index(fields=["center", "status"], name="journal_submission_queue")]

    def __str__(self) -> str:
        return f"{self.article_id} to {self.center_id or self.circle_id}: {self.status}"


class EditorNote(models.Model):
    """A comment in the review of a submission, between its editors and the author (not public)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(max_length=10_000)
    revision = models.PositiveIntegerField(default=0)  # the revision it speaks about
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on submission {self.submission_id}"


class ArticleRevision(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=ARTICLE_TITLE_MAX_LENGTH)
    standfirst = models.CharField(max_length=600, blank=True)
    body = models.TextField(max_length=ARTICLE_BODY_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="journal_revision_number")]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


class ArticleImage(models.Model):
    """An image for an article: re-encoded from pixels (no metadata), stored under a random name."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, blank=True, related_name="images")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    image = models.ImageField(upload_to="journal/images/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt = models.CharField(_("description for people who cannot see it"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.image.name or ""


class LinkPost(models.Model):
    """An outside link someone shared with a short comment; the page's title and summary are fetched safely."""

    url = models.URLField(max_length=URL_MAX_LENGTH)  # canonical: tracking parameters stripped
    url_hash = models.CharField(max_length=64, db_index=True)
    title = models.CharField(max_length=1000, blank=True)
    summary = models.TextField(max_length=5000, blank=True)
    comment = models.CharField(_("why it is worth reading"), max_length=1000, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="journal_links"
    )
    circle = models.ForeignKey(Circle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    topics = models.ManyToManyField(Tag, blank=True, related_name="+")
    fetched_at = models.DateTimeField(null=True, blank=True)
    fetch_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(circle__isnull=True) | Q(center__isnull=True), name="journal_link_one_space"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("journal:link", kwargs={"pk": self.pk})
