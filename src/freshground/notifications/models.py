"""Notifications: what happened (Notification), how each person wants to hear about each kind (Preference), what
they follow (ThreadFollow, TopicFollow), and the outbox of e-mails still to send (Delivery).

A notification is stored with the channel its recipient chose *at the time* (in-app, immediate mail, daily or weekly
digest). Mail goes through a Delivery row: an immediate mail is a Delivery with one notification, a digest a Delivery
with many. A notification points at the Delivery that carried it, so no digest ever includes it twice; a Delivery is
marked sent only after the mail server accepted it, and failed attempts are retried with exponential back-off.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.models import Tag
from freshground.notifications.send import Kind


class Channel(models.TextChoices):
    OFF = "off", _("Off")
    IN_APP = "inapp", _("Only on the site")
    IMMEDIATE = "immediate", _("E-mail me at once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


DIGEST_CHANNELS: tuple[str, ...] = (Channel.DAILY, Channel.WEEKLY)

# What a person gets until they choose otherwise.
DEFAULT_CHANNELS: dict[str, str] = {
    Kind.REPLY: Channel.IMMEDIATE,
    Kind.MENTION: Channel.IMMEDIATE,
    Kind.MODERATION: Channel.IMMEDIATE,
    Kind.EDITORIAL: Channel.IMMEDIATE,
    Kind.DEBATE_ACTIVITY: Channel.DAILY,
    Kind.FOLLOWED_CONTENT: Channel.DAILY,
}


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.IN_APP)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    space_circle = models.ForeignKey(
        "network.Circle", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    space_center = models.ForeignKey(
        "network.Center", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thread_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    thread_id = models.PositiveBigIntegerField(null=True, blank=True)
    thread_title = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # The e-mail that carried it (immediate or digest); null while it waits for one, or when it never gets one.
    delivery = models.ForeignKey(
        "Delivery", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recipient_recent"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"),
            # The digest jobs read what waits for each digest, person by person.
            models.Index(
                fields=["channel", "recipient", "created_at"],
                condition=Q(delivery__isnull=True, channel__in=["daily", "weekly"]),
                name="notif_digest_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def space(self) -> models.Model | None:
        return self.space_circle or self.space_center


class Preference(models.Model):
    """A person's choice for one kind. Absent rows mean DEFAULT_CHANNELS."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="notifications_preference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}: {self.channel}"


class ThreadFollow(models.Model):
    """Following any object's activity (a debate, an event's comments ...): DEBATE_ACTIVITY notifications."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_follows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "person"], name="notifications_threadfollow_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} follows {self.content_type_id}/{self.object_id}"


class TopicFollow(models.Model):
    """Following a topic: new content tagged with it (FOLLOWED_CONTENT)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_follows")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tag__name"]
        constraints = [models.UniqueConstraint(fields=["tag", "person"], name="notifications_topicfollow_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} follows topic {self.tag_id}"


class Delivery(models.Model):
    """One e-mail to send: an immediate notification or a digest. The outbox the retry job works through."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="notif_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} mail to {self.recipient_id} ({'sent' if self.sent_at else 'waiting'})"
