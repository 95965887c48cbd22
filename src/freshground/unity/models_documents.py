"""Points-of-unity documents: what a conversation's moderators draft from its consensus statements, and what circles
and centers endorse.

A `UnityDocument` belongs to one conversation. Each edit makes a new `DocumentVersion` (numbered from 1) holding its
list of statements as `DocumentItem`s; each item keeps the statement's text and its measured support (agree /
disagree / pass, overall, per opinion group and per declared circle) frozen from the analysis current when the
version was made, so later votes never change what a circle endorsed. An `Endorsement` is an explicit act of a
circle's organisers (or a center's editors) for one version; it can be withdrawn, and endorsing a newer version
replaces the circle's endorsement of an older one (at most one standing endorsement per circle or center and
document)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.network.models import Center, Circle
from freshground.unity.models import STATEMENT_MAX_LENGTH, AnalysisSnapshot, Conversation, Statement

DOCUMENT_TITLE_MAX_LENGTH = 200
PREAMBLE_MAX_LENGTH = 5_000
MAX_DOCUMENT_ITEMS = 30

__all__ = ["DocumentItem", "DocumentVersion", "Endorsement", "UnityDocument"]


class UnityDocument(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=DOCUMENT_TITLE_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The newest version's number (the versions themselves are the record).
    latest_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("points-of-unity document")
        verbose_name_plural = _("points-of-unity documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("unity:document", args=[self.pk])


class DocumentVersion(models.Model):
    document = models.ForeignKey(UnityDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=DOCUMENT_TITLE_MAX_LENGTH)
    preamble = models.TextField(_("preamble"), max_length=PREAMBLE_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The analysis the support figures were read from (kept as a moment: snapshots are pruned).
    snapshot = models.ForeignKey(AnalysisSnapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    measured_at = models.DateTimeField(null=True, blank=True)
    participants = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unity_document_version_once")]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class DocumentItem(models.Model):
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="items")
    statement = models.ForeignKey(Statement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.PositiveIntegerField()
    text = models.CharField(max_length=STATEMENT_MAX_LENGTH)
    # Frozen support: {"overall": [a, d, p], "groups": [[number, [a, d, p]], ...],
    #                  "circles": [[circle id, circle name, [a, d, p]], ...], "consensus": score or null}
    support = models.JSONField(default=dict)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="unity_document_item_position")]

    def __str__(self) -> str:
        return self.text[:60]


class Endorsement(models.Model):
    document = models.ForeignKey(UnityDocument, on_delete=models.CASCADE, related_name="endorsements")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="endorsements")
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="unity_endorsements"
    )
    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, null=True, blank=True, related_name="unity_endorsements"
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    endorsed_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["endorsed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(circle__isnull=False) & Q(center__isnull=True))
                | (Q(circle__isnull=True) & Q(center__isnull=False)),
                name="unity_endorsement_one_endorser",
            ),
            models.UniqueConstraint(
                fields=["document", "circle"],
                condition=Q(withdrawn_at__isnull=True, circle__isnull=False),
                name="unity_endorsement_one_per_circle",
            ),
            models.UniqueConstraint(
                fields=["document", "center"],
                condition=Q(withdrawn_at__isnull=True, center__isnull=False),
                name="unity_endorsement_one_per_center",
            ),
        ]

    def __str__(self) -> str:
        return f"endorsement of {self.version_id} by {self.circle_id or self.center_id}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None

    @property
    def endorser(self) -> Circle | Center | None:
        return self.circle or self.center
