"""Points of unity: conversations where participants vote agree / disagree / pass on short statements.

A `Conversation` is opened by a person, in their own name or a circle's or center's. Its `Statement`s (≤ 280
characters) are seeded by the opener and added by participants, held for approval when the conversation asks for it.
A `Participant` is a signed-in person, an anonymous visitor (who holds a random key in a cookie; only its SHA-256 is
stored) or a participant imported from Pol.is (`external_id`). A `Vote` is one participant's current opinion of one
statement: +1 agree, −1 disagree, 0 pass (the sign of the Pol.is CSV export); a changed vote replaces the old one.
`AnalysisSnapshot` keeps each run of the maths (unity.analysis) with what the next run reuses.

Sized for 10,000 participants × 1,000 statements × 1,000,000 votes: votes carry their conversation (denormalised) so
that the worker reads a conversation's votes with one index range scan as bare tuples; the per-statement counts the
voting order needs come from the last snapshot, so a vote writes one row and touches no counter.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.network.models import Center, Circle

STATEMENT_MAX_LENGTH = 280
TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 10_000
EXTERNAL_ID_MAX_LENGTH = 64


class ConversationState(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Conversation(models.Model):
    slug = models.SlugField(max_length=90, unique=True, allow_unicode=True)
    title = models.CharField(_("topic"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Opened in a circle's or a center's name (at most one); neither means the person opened it in their own name.
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="unity_conversations"
    )
    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, null=True, blank=True, related_name="unity_conversations"
    )
    state = models.CharField(max_length=8, choices=ConversationState.choices, default=ConversationState.OPEN)
    needs_approval = models.BooleanField(
        _("new statements need approval"),
        default=False,
        help_text=_("Statements written by participants wait until a moderator approves them."),
    )
    allow_anonymous = models.BooleanField(
        _("anonymous participation"), default=False, help_text=_("People may vote without signing in.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set by the first vote after an analysis and cleared when the worker starts the next one (the debounce).
    analysis_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=Q(circle__isnull=True) | Q(center__isnull=True), name="unity_conversation_one_owner"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="unity_conversation_listing"),
            models.Index(
                fields=["analysis_requested_at"],
                condition=Q(analysis_requested_at__isnull=False),
                name="unity_conversation_requested",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        if self.state != ConversationState.OPEN:
            return False
        return self.closes_at is None or self.closes_at > timezone.now()


class Participant(models.Model):
    """Who votes: a person, an anonymous key holder, or an imported Pol.is participant (neither)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="unity_participations"
    )
    # SHA-256 (hex) of the random key kept in the anonymous participant's cookie; the key itself is never stored.
    anonymous_key_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    external_id = models.CharField(max_length=EXTERNAL_ID_MAX_LENGTH, blank=True, default="")
    # Circles and centers the participant says they belong to, so results can be broken down by circle.
    circles = models.ManyToManyField(Circle, blank=True, related_name="+")
    centers = models.ManyToManyField(Center, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "person"], condition=Q(person__isnull=False), name="unity_participant_person"
            ),
            models.UniqueConstraint(
                fields=["conversation", "external_id"], condition=~Q(external_id=""), name="unity_participant_external"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(anonymous_key_hash__isnull=True),
                name="unity_participant_person_or_key",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.pk} in {self.conversation_id}"

    @property
    def is_anonymous(self) -> bool:
        return self.anonymous_key_hash is not None


class StatementStatus(models.TextChoices):
    APPROVED = "approved", _("approved")
    PENDING = "pending", _("awaiting approval")
    REJECTED = "rejected", _("rejected")
    DELETED = "deleted", _("deleted")


class Statement(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="unity_statements"
    )
    # The participant who wrote it (an imported Pol.is author, or an anonymous participant); None for seeds.
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    is_seed = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=StatementStatus.choices, default=StatementStatus.APPROVED)
    external_id = models.CharField(max_length=EXTERNAL_ID_MAX_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "external_id"], condition=~Q(external_id=""), name="unity_statement_external"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "status", "created_at"], name="unity_statement_listing")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_votable(self) -> bool:
        return self.status == StatementStatus.APPROVED


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("agree")
    DISAGREE = -1, _("disagree")
    PASS = 0, _("pass")


class Vote(models.Model):
    # = statement.conversation = participant.conversation, stored so a conversation's votes are one index range.
    # Each foreign key is served by one of the indexes below (no separate single-column indexes to keep up).
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+", db_index=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes", db_index=False)
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes", db_index=False)
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One current vote per participant and statement (a changed vote replaces it); also the index that
            # answers "which statements has this participant voted on" for the voting order.
            models.UniqueConstraint(fields=["participant", "statement"], name="unity_vote_once"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="unity_vote_value"),
        ]
        indexes = [
            # The worker's load and the "is the last analysis fresh?" check.
            models.Index(fields=["conversation", "updated_at"], name="unity_vote_conversation"),
            # Cascades and per-statement reads without a conversation scan.
            models.Index(fields=["statement"], name="unity_vote_statement"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value}"


class AnalysisSnapshot(models.Model):
    """One run of the maths over a conversation's votes, and what the next run reuses."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="analyses")
    computed_at = models.DateTimeField(default=timezone.now)
    # The newest vote the run saw (None: no votes); a later vote makes the snapshot stale.
    votes_until = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)
    statements = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    settings = models.JSONField(default=dict)  # analysis.Settings.as_dict()
    result = models.JSONField(default=dict)  # Analysis.to_json()
    previous = models.JSONField(default=dict)  # analysis.Previous.to_json(), given to the next run
    # Compact per-statement numbers the voting order reads: {statement id: [agree, disagree, seen, extremity]}.
    statement_stats = models.JSONField(default=dict)
    # Groups, representative statements and consensus with our ids (see services.summarise); reports read it.
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = ["computed_at", "id"]
        indexes = [models.Index(fields=["conversation", "-computed_at"], name="unity_analysis_latest")]

    def __str__(self) -> str:
        return f"analysis of {self.conversation_id} at {self.computed_at:%Y-%m-%d %H:%M}"


from freshground.unity.models_documents import *  # noqa: E402, F403  (the documents' models live in their own module)
