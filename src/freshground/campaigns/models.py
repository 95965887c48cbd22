"""Common campaigns: many circles and centers, one campaign.

A campaign fights one issue (a topic of the vocabulary, plus free tags) in a place at a scope. Circles (through their
organisers) and centers (through their editors) co-sponsor it as equals; the initiating sponsors accept newcomers.
People support it individually. It has goals with measurable targets, a plan (actions and tasks), progress reports,
petitions and a kit of materials any sponsor may copy into its own circle with credit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.content import ContentStatus
from freshground.core.models import Place, Tag, coordinates_pair
from freshground.network.models import Center, Circle


class Scope(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    ENDED = "ended", _("Ended")


class Campaign(Place):
    """A campaign on one issue, co-sponsored by any number of circles and centers."""

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    # The issue it fights: a topic of the controlled vocabulary (or any tag), plus free tags.
    topic = models.ForeignKey(
        Tag, on_delete=models.SET_NULL, null=True, blank=True, related_name="campaigns", verbose_name=_("issue")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="tagged_campaigns", verbose_name=_("tags"))
    demands = models.JSONField(_("demands"), default=list, blank=True)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default=Scope.LOCAL)
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE, db_index=True
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # Denormalised counts keep the board one query per page; services keep them right.
    sponsor_count = models.PositiveIntegerField(default=0)
    supporter_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            coordinates_pair("campaigns_campaign"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="campaigns_campaign_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "scope"]), models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign", args=[self.slug])

    @property
    def is_open(self) -> bool:
        """Draft or active: people can still join and plan."""
        return self.status in {CampaignStatus.DRAFT, CampaignStatus.ACTIVE}


class GoalUnit(models.TextChoices):
    SIGNATURES = "signatures", _("signatures")
    TURNOUT = "turnout", _("people turning out")
    COUNCIL_VOTES = "council_votes", _("council votes")
    MEMBERS = "members", _("people involved")
    OTHER = "other", _("other")


class Goal(models.Model):
    """A measurable target: 5,000 signatures, 300 people at the rally, a council majority of 26 votes…"""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="goals")
    label = models.CharField(_("goal"), max_length=200)
    unit = models.CharField(_("measured in"), max_length=16, choices=GoalUnit.choices, default=GoalUnit.OTHER)
    target = models.PositiveIntegerField(_("target"))
    current = models.PositiveIntegerField(_("current value"), default=0)
    # When set, `current` follows the petition's confirmed signatures.
    petition = models.ForeignKey(
        "Petition", on_delete=models.SET_NULL, null=True, blank=True, related_name="goals", verbose_name=_("petition")
    )
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.CheckConstraint(condition=Q(target__gt=0), name="campaigns_goal_target_positive")]

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.current / self.target)) if self.target else 0

    @property
    def reached(self) -> bool:
        return self.current >= self.target


class SponsorStatus(models.TextChoices):
    PENDING = "pending", _("Asked to join")
    ACTIVE = "active", _("Sponsor")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Sponsor(models.Model):
    """A circle or a center co-sponsoring a campaign. All active sponsors are equals; the initiators accept others."""

    Status = SponsorStatus

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sponsors")
    circle = models.ForeignKey(
        "network.Circle", on_delete=models.CASCADE, null=True, blank=True, related_name="campaign_sponsorships"
    )
    center = models.ForeignKey(
        "network.Center", on_delete=models.CASCADE, null=True, blank=True, related_name="campaign_sponsorships"
    )
    status = models.CharField(max_length=10, choices=SponsorStatus.choices, default=SponsorStatus.PENDING)
    initiator = models.BooleanField(_("initiated the campaign"), default=False)
    message = models.TextField(_("message to the organisers"), max_length=2000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")
        constraints = [
            models.CheckConstraint(
                condition=(Q(circle__isnull=False) & Q(center__isnull=True))
                | (Q(circle__isnull=True) & Q(center__isnull=False)),
                name="campaigns_sponsor_exactly_one",
            ),
            models.UniqueConstraint(
                fields=["campaign", "circle"],
                condition=Q(circle__isnull=False, status__in=["pending", "active"]),
                name="campaigns_sponsor_one_circle",
            ),
            models.UniqueConstraint(
                fields=["campaign", "center"],
                condition=Q(center__isnull=False, status__in=["pending", "active"]),
                name="campaigns_sponsor_one_center",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.party} → {self.campaign}"

    @property
    def party(self) -> Circle | Center:
        """The circle or the center (a constraint guarantees exactly one)."""
        party = self.circle if self.circle_id else self.center
        assert party is not None
        return party

    @property
    def name(self) -> str:
        return str(self.party)

    @property
    def is_active(self) -> bool:
        return self.status == SponsorStatus.ACTIVE


class Supporter(models.Model):
    """A person supporting a campaign on their own account."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="supporters")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_supports")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="campaigns_supporter_unique")]

    def __str__(self) -> str:
        return f"{self.person} supports {self.campaign}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Action(Place):
    """Something the campaign does on a date: a stall, a march, a deputation to the council."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_actions",
        verbose_name=_("owner"),
    )
    people_needed = models.PositiveIntegerField(_("people needed"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_actions",
        verbose_name=_("calendar event"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [coordinates_pair("campaigns_action")]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """A piece of work with assignees (supporters or members of sponsor circles) and a due date."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    notes = models.TextField(_("notes"), max_length=3000, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="campaign_tasks", verbose_name=_("assignees")
    )
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done", "due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """ "What we did this week", by a sponsor circle or center."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="progress_reports")
    circle = models.ForeignKey(
        "network.Circle", on_delete=models.CASCADE, null=True, blank=True, related_name="campaign_reports"
    )
    center = models.ForeignKey(
        "network.Center", on_delete=models.CASCADE, null=True, blank=True, related_name="campaign_reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="campaign_reports"
    )
    body = models.TextField(_("what we did"), max_length=10000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED)
    hidden_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=(Q(circle__isnull=False) & Q(center__isnull=True))
                | (Q(circle__isnull=True) & Q(center__isnull=False)),
                name="campaigns_report_exactly_one",
            )
        ]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.party}: {self.campaign} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:report", args=[self.campaign.slug, self.pk])

    @property
    def party(self) -> Circle | Center:
        party = self.circle if self.circle_id else self.center
        assert party is not None
        return party


class Petition(models.Model):
    """A petition: a text addressed to a target, with e-mail-confirmed signatures counted once per address."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="petitions")
    title = models.CharField(_("title"), max_length=200)
    target = models.CharField(_("addressed to"), max_length=200, help_text=_("Who must act: a council, a minister…"))
    text = models.TextField(_("petition text"), max_length=20000)
    signature_goal = models.PositiveIntegerField(_("signature goal"), default=0)
    show_signers = models.BooleanField(
        _("show a public list of signers"), default=True, help_text=_("Only names the signers agreed to show.")
    )
    is_open = models.BooleanField(_("open for signatures"), default=True)
    # Confirmed signatures; services keep it right.
    signature_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:petition", args=[self.campaign.slug, self.pk])

    @property
    def percent(self) -> int:
        if not self.signature_goal:
            return 0
        return min(100, round(100 * self.signature_count / self.signature_goal))


class Signature(models.Model):
    """One signature. The e-mail address is normalised, confirmed through a signed link and never shown publicly."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    name = models.CharField(_("name"), max_length=120)
    place_name = models.CharField(_("place"), max_length=160, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254)
    show_name = models.BooleanField(_("show my name on the public list"), default=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [models.UniqueConstraint(fields=["petition", "email"], name="campaigns_signature_once")]
        indexes = [models.Index(fields=["petition", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.name} on {self.petition}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class KitKind(models.TextChoices):
    LEAFLET = "leaflet", _("Leaflet")
    TALKING_POINTS = "talking_points", _("Talking points")
    MATERIAL = "material", _("Material")


def kit_upload_to(instance: KitItem, filename: str) -> str:
    return f"campaigns/kits/{timezone.now():%Y/%m}/{filename}"


class KitItem(models.Model):
    """A leaflet, talking points or other material. A circle's adapted copy credits (and links to) the original."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="kit_items")
    # The circle that owns an adapted copy; empty for the campaign's own kit.
    circle = models.ForeignKey(
        "network.Circle", on_delete=models.CASCADE, null=True, blank=True, related_name="campaign_kit_items"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=KitKind.choices, default=KitKind.LEAFLET)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=50000, blank=True)
    attachment = models.FileField(_("file"), upload_to=kit_upload_to, blank=True, max_length=300)
    adapted_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="adaptations"
    )
    # Kept as text so the credit survives the original's deletion.
    credit = models.CharField(_("credit"), max_length=400, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "title", "id"]
        verbose_name = _("kit item")
        verbose_name_plural = _("kit items")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:kit_item", args=[self.campaign.slug, self.pk])
