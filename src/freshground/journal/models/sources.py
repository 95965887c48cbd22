"""Sources: the feeds the journal gathers from, and the state of fetching each one.

Fetching keeps its state in the row (Takahē's lesson): the validators of the last answer (ETag, Last-Modified), when
the next fetch is due, the adaptive interval, a lease that one worker holds while it fetches, and the health an editor
sees (last success, last error, consecutive failures).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.models import Tag
from freshground.network.models import Center, Circle

URL_MAX_LENGTH = 2000
DEFAULT_INTERVAL_SECONDS = 3600


class SourceKind(models.TextChoices):
    CENTER = "center", _("center publication")
    MOVEMENT = "movement", _("movement press")
    MAINSTREAM = "mainstream", _("mainstream press")
    RESEARCH = "research", _("research")
    UNION = "union", _("union")
    OTHER = "other", _("other")


class SourceStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")  # waits for a journal editor
    ACTIVE = "active", _("active")  # fetched on its schedule
    PAUSED = "paused", _("paused")  # kept, not fetched
    REJECTED = "rejected", _("rejected")


class Source(models.Model):
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("short name in links"), max_length=90, unique=True, allow_unicode=True)
    feed_url = models.URLField(_("feed address"), max_length=URL_MAX_LENGTH, unique=True)
    site_url = models.URLField(_("website"), max_length=URL_MAX_LENGTH, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=SourceKind.choices, default=SourceKind.OTHER)
    language = models.CharField(_("language"), max_length=16, blank=True, help_text=_("e.g. en, es, de"))
    topics = models.ManyToManyField(Tag, verbose_name=_("topics"), blank=True, related_name="+")
    # The center whose publication this is: its entries show on the center's journal page.
    center = models.ForeignKey(Center, on_delete=models.SET_NULL, null=True, blank=True, related_name="journal_sources")
    status = models.CharField(max_length=10, choices=SourceStatus.choices, default=SourceStatus.PROPOSED)
    # Who proposed it, and in whose name (a circle or a center, or neither: the person's own).
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_for_circle = models.ForeignKey(Circle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    proposed_for_center = models.ForeignKey(Center, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # Fetching.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    interval_seconds = models.PositiveIntegerField(default=DEFAULT_INTERVAL_SECONDS)
    next_fetch_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)  # a worker is fetching it until then
    last_fetch_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)  # HTTP status of the last answer
    consecutive_failures = models.PositiveIntegerField(default=0)

    entry_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        indexes = [
            models.Index(fields=["next_fetch_at"], condition=Q(status="active"), name="journal_source_due"),
            models.Index(fields=["status", "kind"], name="journal_source_listing"),
        ]

    def __str__(self) -> str:
        return self.name


class SourceFollow(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="source_follows")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "source"], name="journal_sourcefollow_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} follows source {self.source_id}"
