"""Moderation: the code of conduct and house rules, flags, moderator actions (an append-only log), restrictions on
people (suspensions, bans), thread settings, appeals, and each person's mutes and blocks.

A *space* is a circle, a center or the site (both foreign keys empty); see core.content. Rows that belong to a space
carry `circle` and `center` (at most one set).

Flag threshold: when FLAG_THRESHOLD distinct people have open flags on a moderated item, the item is set to HIDDEN
with a `hidden_reason` saying it waits for review (not PENDING: PENDING means a new post waiting for approval, and the
approval queue must not publish flagged content without the flags being looked at). The system's hiding is logged as
an AUTO_HIDE action with no moderator. A moderator then restores it (flags dismissed) or confirms the hiding.
"""

from __future__ import annotations

from typing import Any, ClassVar, Never

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.network.models import Center, Circle

TEXT_MAX = 10_000
REASON_MAX = 2_000


def _one_space(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(circle__isnull=True) | Q(center__isnull=True), name=f"{prefix}_one_space")


class CodeOfConduct(models.Model):
    """The site-wide code of conduct. Each edit is a new version; the newest is in force, older ones stay readable."""

    version = models.PositiveIntegerField(unique=True)
    body = models.TextField(_("code of conduct"), max_length=TEXT_MAX * 5)
    note = models.CharField(_("what changed"), max_length=300, blank=True, default="")
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"code of conduct v{self.version}"


class HouseRules(models.Model):
    """A circle's or a center's own house rules, versioned like the code of conduct."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField()
    body = models.TextField(_("house rules"), max_length=TEXT_MAX)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(circle__isnull=False) & Q(center__isnull=True))
                | (Q(circle__isnull=True) & Q(center__isnull=False)),
                name="moderation_houserules_one_space",
            ),
            models.UniqueConstraint(
                fields=["circle", "version"], condition=Q(circle__isnull=False), name="moderation_rules_circle_v"
            ),
            models.UniqueConstraint(
                fields=["center", "version"], condition=Q(center__isnull=False), name="moderation_rules_center_v"
            ),
        ]

    def __str__(self) -> str:
        return f"house rules v{self.version} of {self.circle or self.center}"


class SiteModerator(models.Model):
    """People who moderate the whole site besides the site admins."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_moderator")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"site moderator {self.person_id}"


class SpaceSettings(models.Model):
    """A circle's or center's moderation options, edited by its moderators."""

    circle = models.OneToOneField(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    center = models.OneToOneField(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    first_posts_need_approval = models.BooleanField(
        _("first posts need approval"),
        default=False,
        help_text=_("A person's posts here wait for a moderator until one of them has been approved."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [_one_space("moderation_spacesettings")]

    def __str__(self) -> str:
        return f"settings of {self.circle or self.center}"


class FlagCategory(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Harassment, insults or threats")
    HATE = "hate", _("Hateful or discriminating")
    PRIVACY = "privacy", _("Reveals someone's private information")
    OFF_TOPIC = "off_topic", _("Off topic or doesn't belong here")
    OTHER = "other", _("Something else")


class FlagResolution(models.TextChoices):
    OPEN = "open", _("open")
    ACTIONED = "actioned", _("acted on")
    DISMISSED = "dismissed", _("dismissed")


class Flag(models.Model):
    """Someone asks moderators to look at a piece of content or a person. One open flag per person and item."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_made")
    # The item's author (or the flagged person) and space when flagged, so queues and "my flags" need no registry walk.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    category = models.CharField(_("reason"), max_length=12, choices=FlagCategory.choices)
    text = models.TextField(_("what is wrong"), max_length=REASON_MAX, blank=True, default="")
    resolution = models.CharField(max_length=10, choices=FlagResolution.choices, default=FlagResolution.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            _one_space("moderation_flag"),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "flagger"],
                condition=Q(resolution="open"),
                name="moderation_flag_once_while_open",
            ),
        ]
        indexes = [
            models.Index(fields=["resolution", "content_type", "object_id"], name="moderation_flag_open"),
            models.Index(fields=["flagger", "-created_at"], name="moderation_flag_mine"),
        ]

    def __str__(self) -> str:
        return f"flag on {self.content_type_id}:{self.object_id} ({self.category})"


class ActionKind(models.TextChoices):
    HIDE = "hide", _("hid content")
    RESTORE = "restore", _("restored content")
    EDIT = "edit", _("edited content")
    DISMISS = "dismiss", _("dismissed flags")
    AUTO_HIDE = "auto_hide", _("hid content after several flags")
    APPROVE = "approve", _("approved a post")
    REJECT = "reject", _("rejected a post")
    LOCK = "lock", _("locked a thread")
    UNLOCK = "unlock", _("unlocked a thread")
    SLOW_MODE = "slow_mode", _("set slow mode")
    WARN = "warn", _("warned")
    SUSPEND = "suspend", _("suspended")
    BAN = "ban", _("banned")
    SITE_SUSPEND = "site_suspend", _("suspended from the whole site")
    LIFT = "lift", _("lifted a suspension or ban")
    APPEAL_UPHELD = "appeal_upheld", _("upheld a decision on appeal")
    APPEAL_OVERTURNED = "appeal_overturned", _("overturned a decision on appeal")


# Actions the affected person may appeal.
APPEALABLE = frozenset(
    {ActionKind.HIDE, ActionKind.EDIT, ActionKind.AUTO_HIDE, ActionKind.REJECT}
    | {ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN, ActionKind.SITE_SUSPEND}
)


class AppendOnlyError(Exception):
    """The audit log is never changed or deleted through the application."""


class AppendOnlyQuerySet(models.QuerySet["ModerationAction"]):
    def update(self, **kwargs: Any) -> Never:
        raise AppendOnlyError("the moderation log cannot be changed")

    def delete(self) -> Never:
        raise AppendOnlyError("the moderation log cannot be deleted")


class ModerationAction(models.Model):
    """One line of the audit log: who did what to which content or person, in which space, and why."""

    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # None: the system (flag threshold)
    circle = models.ForeignKey(Circle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_title = models.CharField(max_length=200, blank=True, default="")  # what it was about, kept readable
    target_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="moderation_actions"
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX, blank=True, default="")
    until = models.DateTimeField(null=True, blank=True)  # end of a suspension
    seconds = models.PositiveIntegerField(null=True, blank=True)  # slow mode interval
    appeal_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[AppendOnlyQuerySet] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["circle", "-created_at"], name="moderation_log_circle"),
            models.Index(fields=["center", "-created_at"], name="moderation_log_center"),
            models.Index(fields=["target_person", "-created_at"], name="moderation_log_person"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.moderator_id} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the moderation log cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Never:
        raise AppendOnlyError("the moderation log cannot be deleted")

    @property
    def is_appealable(self) -> bool:
        return self.kind in APPEALABLE


class RestrictionKind(models.TextChoices):
    SUSPENSION = "suspension", _("suspended")
    BAN = "ban", _("banned")


class Restriction(models.Model):
    """A suspension (until a time) or ban (no end) from a space; a site suspension has no circle and no center."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restrictions")
    kind = models.CharField(max_length=12, choices=RestrictionKind.choices)
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    until = models.DateTimeField(null=True, blank=True)
    action = models.ForeignKey(ModerationAction, on_delete=models.SET_NULL, null=True, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [_one_space("moderation_restriction")]
        indexes = [models.Index(fields=["person", "lifted_at"], name="moderation_restriction_person")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.person_id}"


class ThreadSetting(models.Model):
    """A thread (any object with comments) locked or in slow mode."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    locked = models.BooleanField(default=False)
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="moderation_threadsetting_once")
        ]

    def __str__(self) -> str:
        return f"thread {self.content_type_id}:{self.object_id}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    UPHELD = "upheld", _("decision upheld")
    OVERTURNED = "overturned", _("decision overturned")


class Appeal(models.Model):
    """The affected person asks another moderator to look again. Once per action."""

    action = models.OneToOneField(ModerationAction, on_delete=models.CASCADE, related_name="appeal")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField(_("why the decision should change"), max_length=REASON_MAX)
    status = models.CharField(max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("decision"), max_length=REASON_MAX, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"appeal of {self.action_id}"


class Mute(models.Model):
    """`person` no longer wants to see `muted`'s content expanded or be notified about them."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes")
    muted = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "muted"], name="moderation_mute_once"),
            models.CheckConstraint(condition=~Q(person=models.F("muted")), name="moderation_mute_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} mutes {self.muted_id}"


class Block(models.Model):
    """`person` blocked `blocked`: the blocked person may not reply to or mention them."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "blocked"], name="moderation_block_once"),
            models.CheckConstraint(condition=~Q(person=models.F("blocked")), name="moderation_block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} blocks {self.blocked_id}"
