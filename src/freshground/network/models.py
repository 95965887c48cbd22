"""The hang-loose network: circles, political centers, the ties between them and follows.

A person may be in any number of circles; a circle may tie itself to any number of centers. A tie is the circle's own
declaration and gives the center no power over the circle.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.models import Place, coordinates_pair


class CircleKind(models.TextChoices):
    WORKPLACE = "workplace", _("Workplace")
    SCHOOL = "school", _("School")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    CITY = "city", _("City")
    REGION = "region", _("Region")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Anyone can join")
    APPROVAL = "approval", _("Organisers approve requests")


class MemberListVisibility(models.TextChoices):
    PUBLIC = "public", _("Everyone can see who is a member")
    MEMBERS = "members", _("Only members can see who is a member")


class Role(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    MEMBER = "member", _("Member")


class TieWant(models.TextChoices):
    LITERATURE = "literature", _("Literature")
    SPEAKERS = "speakers", _("Speakers")
    ADVICE = "advice", _("Advice")
    LINKUPS = "linkups", _("Link-ups")


class Circle(Place):
    """A local, autonomous group: a workplace, a school, a neighbourhood, a city…"""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CircleKind.choices, default=CircleKind.CITY)
    join_policy = models.CharField(_("joining"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN)
    member_list_visibility = models.CharField(
        _("member list"), max_length=10, choices=MemberListVisibility.choices, default=MemberListVisibility.MEMBERS
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Denormalised counts keep the directory one query per page at any size; services keep them right.
    member_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("circle")
        verbose_name_plural = _("circles")
        constraints = [coordinates_pair("network_circle")]
        indexes = [models.Index(fields=["kind", "name"]), models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:circle", args=[self.slug])


class Membership(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [models.UniqueConstraint(fields=["circle", "person"], name="network_membership_unique")]
        indexes = [models.Index(fields=["circle", "role"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.circle} ({self.role})"

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.ORGANISER


class JoinRequest(models.Model):
    """A request to join a circle that organisers approve."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="join_requests")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message to the organisers"), max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "person"], condition=Q(status="pending"), name="network_joinrequest_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.circle} ({self.status})"


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


def default_invite_expiry() -> object:
    return timezone.now() + timedelta(days=14)


class Invite(models.Model):
    """An invitation link: whoever opens it may join the circle, even one that needs approval."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True, default=new_invite_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_invite_expiry)
    max_uses = models.PositiveIntegerField(_("how many people may use it"), default=25)
    uses = models.PositiveIntegerField(default=0)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invite to {self.circle}"

    def get_absolute_url(self) -> str:
        return reverse("network:invite", args=[self.token])

    @property
    def is_usable(self) -> bool:
        return not self.revoked and self.uses < self.max_uses and self.expires_at > timezone.now()


class Center(models.Model):
    """A political center: publishes literature, offers advice and link-ups. It never directs a circle."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    tendency = models.CharField(
        _("tendency or tradition"),
        max_length=80,
        blank=True,
        db_index=True,
        help_text=_("For example: democratic socialist, anarchist, Marxist-Humanist."),
    )
    website = models.URLField(_("website"), blank=True, max_length=300)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CenterEditor", related_name="edited_centers", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tie_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("center")
        verbose_name_plural = _("centers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:center", args=[self.slug])


class CenterEditor(models.Model):
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="editorships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editorships")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["center", "person"], name="network_centereditor_unique")]

    def __str__(self) -> str:
        return f"{self.person} edits {self.center}"


class TieQuerySet(models.QuerySet["Tie"]):
    def active(self) -> TieQuerySet:
        return self.filter(ended_at__isnull=True)


class Tie(models.Model):
    """A circle's declared relation to a center, and what it wants from it. Ended ties are kept as history."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="ties")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="ties")
    wants = models.JSONField(_("what the circle wants"), default=list)
    note = models.TextField(_("note to the center"), max_length=2000, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = TieQuerySet.as_manager()

    # Set by network.queries for the viewer at hand (permissions.can_see_tie_note); not a database field.
    note_visible: bool = False

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "center"], condition=Q(ended_at__isnull=True), name="network_tie_one_active"
            )
        ]
        indexes = [models.Index(fields=["center", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.circle} ↔ {self.center}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def get_wants_display(self) -> list[str]:
        labels = dict(TieWant.choices)
        return [str(labels[w]) for w in self.wants if w in labels]


class Follow(models.Model):
    """Following a circle or a center without joining it: its public news reaches you."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="follows")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(circle__isnull=False) & Q(center__isnull=True))
                | (Q(circle__isnull=True) & Q(center__isnull=False)),
                name="network_follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["person", "circle"], condition=Q(circle__isnull=False), name="network_follow_circle_unique"
            ),
            models.UniqueConstraint(
                fields=["person", "center"], condition=Q(center__isnull=False), name="network_follow_center_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} follows {self.circle or self.center}"
