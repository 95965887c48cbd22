"""Decisions any space can take: a circle, a center, a campaign or the whole network.

A decision has a question, options (fixed, or proposed by participants during a proposal phase), a method (the
values of `decisions.tally.Method`), an electorate, a voting window and a quorum.

Secret ballots keep no link between a voter and their ballot: a vote stores a `Participation` (who took part) and an
anonymous `Ballot` (what was chosen) in one transaction, with no foreign key, no shared timestamp and no shared
sequence between them. A ballot's primary key is random, it has no time at all, and lists order ballots by that
random key. The voter gets a receipt code, shown once; only its SHA-256 hash is stored and published, so the voter
can find their ballot in the published list. Open ballots carry their voter.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MethodChoice(models.TextChoices):
    """The values of `decisions.tally.Method`, with labels for forms and pages."""

    SINGLE = "single", _("Single choice")
    APPROVAL = "approval", _("Approval (tick any number)")
    SCORE = "score", _("Score (rate every option)")
    DOTS = "dots", _("Dot voting (spread your dots)")
    IRV = "irv", _("Ranked choice, instant runoff")
    STV = "stv", _("Single transferable vote (several winners)")
    SCHULZE = "schulze", _("Schulze (Condorcet, ranked)")
    CONSENT = "consent", _("Consent (passes unless an objection stands)")
    ADVICE = "advice", _("Advice (non-binding sense check)")


RANKED_METHODS = frozenset({"irv", "stv", "schulze"})
RESPONSE_METHODS = frozenset({"consent", "advice"})


class SpaceKind(models.TextChoices):
    CIRCLE = "circle", _("A circle")
    CENTER = "center", _("A center")
    CAMPAIGN = "campaign", _("A campaign")
    NETWORK = "network", _("The whole network")


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSALS = "proposals", _("Proposals")
    VOTING = "voting", _("Voting")
    CLOSED = "closed", _("Closed")


class Electorate(models.TextChoices):
    CIRCLE_MEMBERS = "circle_members", _("Members of the circle")
    CAMPAIGN_SPONSORS = "campaign_sponsors", _("Sponsors of the campaign, one vote each")
    DELEGATES = "delegates", _("A list of delegates")
    SIGNED_IN = "signed_in", _("Everyone signed in")


class ResultsVisibility(models.TextChoices):
    LIVE = "live", _("Live, while voting")
    AFTER_CLOSE = "after_close", _("After the vote closes")


class Decision(models.Model):
    question = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    space = models.CharField(_("where the decision is taken"), max_length=10, choices=SpaceKind.choices)
    circle = models.ForeignKey(
        "network.Circle", on_delete=models.CASCADE, null=True, blank=True, related_name="decisions"
    )
    center = models.ForeignKey(
        "network.Center", on_delete=models.CASCADE, null=True, blank=True, related_name="decisions"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, null=True, blank=True, related_name="decisions"
    )
    region = models.CharField(
        _("region or place"),
        max_length=120,
        blank=True,
        help_text=_("For a regional decision of the network, e.g. a city or a region."),
    )
    method = models.CharField(_("method"), max_length=10, choices=MethodChoice.choices)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, default=Phase.DRAFT, db_index=True)
    allow_proposals = models.BooleanField(
        _("participants propose options"),
        default=False,
        help_text=_("Open a proposal phase before voting, in which participants add options."),
    )
    seats = models.PositiveSmallIntegerField(_("seats (winners)"), default=1)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    dots = models.PositiveSmallIntegerField(_("dots per voter"), default=5)
    max_choices = models.PositiveSmallIntegerField(
        _("most options one may tick"), null=True, blank=True, help_text=_("Approval voting; empty means any number.")
    )
    electorate = models.CharField(_("who votes"), max_length=20, choices=Electorate.choices)
    opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    results_visibility = models.CharField(
        _("results"), max_length=12, choices=ResultsVisibility.choices, default=ResultsVisibility.AFTER_CLOSE
    )
    secret = models.BooleanField(_("secret ballot"), default=True)
    quorum = models.PositiveIntegerField(
        _("quorum"), default=0, help_text=_("How many must take part for the result to be valid (0: no quorum).")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Denormalised: how many took part (one participation per voter or sponsor); services keep it right.
    participant_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(space="circle", circle__isnull=False, center__isnull=True, campaign__isnull=True))
                | (Q(space="center", center__isnull=False, circle__isnull=True, campaign__isnull=True))
                | (Q(space="campaign", campaign__isnull=False, circle__isnull=True, center__isnull=True))
                | (Q(space="network", circle__isnull=True, center__isnull=True, campaign__isnull=True)),
                name="decisions_decision_space_matches",
            ),
        ]
        indexes = [models.Index(fields=["space", "phase"])]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("decisions:decision", args=[self.slug])

    @property
    def space_object(self) -> models.Model | None:
        if self.space == SpaceKind.CIRCLE:
            return self.circle
        if self.space == SpaceKind.CENTER:
            return self.center
        if self.space == SpaceKind.CAMPAIGN:
            return self.campaign
        return None

    @property
    def is_ranked(self) -> bool:
        return self.method in RANKED_METHODS

    @property
    def is_consent(self) -> bool:
        return self.method == MethodChoice.CONSENT

    @property
    def is_advice(self) -> bool:
        return self.method == MethodChoice.ADVICE

    def is_closed(self, now: object = None) -> bool:
        """Closed by hand, or voting whose closing time has passed."""
        moment = now or timezone.now()
        if self.phase == Phase.CLOSED:
            return True
        return self.phase == Phase.VOTING and self.closes_at is not None and self.closes_at <= moment  # type: ignore[operator]

    def is_voting_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        if self.phase != Phase.VOTING:
            return False
        if self.opens_at is not None and moment < self.opens_at:  # type: ignore[operator]
            return False
        return not (self.closes_at is not None and self.closes_at <= moment)  # type: ignore[operator]

    @property
    def vote_changes_allowed(self) -> bool:
        """The rule: a secret ballot is final once cast (nothing links it to its voter); an open ballot may be
        changed until the vote closes."""
        return not self.secret


class Option(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(_("identifier"), max_length=50, help_text=_("The option's id in ballots and ballot files."))
    label = models.CharField(_("option"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, null=True, blank=True, related_name="decision_options"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "key"], name="decisions_option_unique_key"),
            models.UniqueConstraint(
                fields=["decision", "campaign"], condition=Q(campaign__isnull=False), name="decisions_option_campaign"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Delegate(models.Model):
    """A person on a decision's list of delegates (the electorate "delegates")."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="delegates")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "person"], name="decisions_delegate_unique")]

    def __str__(self) -> str:
        return f"{self.person} delegate in {self.decision}"


class Participation(models.Model):
    """That someone took part; for sponsor electorates, for which sponsor circle or center. Never what they chose."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sponsor_circle = models.ForeignKey(
        "network.Circle", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sponsor_center = models.ForeignKey(
        "network.Center", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    voted_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "person"],
                condition=Q(sponsor_circle__isnull=True, sponsor_center__isnull=True, person__isnull=False),
                name="decisions_participation_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["decision", "sponsor_circle"],
                condition=Q(sponsor_circle__isnull=False),
                name="decisions_participation_one_per_circle",
            ),
            models.UniqueConstraint(
                fields=["decision", "sponsor_center"],
                condition=Q(sponsor_center__isnull=False),
                name="decisions_participation_one_per_center",
            ),
            models.CheckConstraint(
                condition=Q(sponsor_circle__isnull=True) | Q(sponsor_center__isnull=True),
                name="decisions_participation_one_sponsor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} took part in {self.decision}"


def random_ballot_id() -> str:
    return uuid.uuid4().hex


def new_receipt_code() -> str:
    """Sixteen characters from an unambiguous alphabet, in groups of four: about 80 bits."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_receipt(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def receipt_hash(code: str) -> str:
    """What is stored and published: SHA-256 of the code in capitals without dashes or spaces."""
    return hashlib.sha256(normalise_receipt(code).encode()).hexdigest()


class Ballot(models.Model):
    """What was chosen. For secret ballots nothing here points at a person or a participation: the id is random,
    there is no time, and `voter` stays empty. Open ballots carry their voter (and may be changed until close)."""

    id = models.CharField(primary_key=True, max_length=32, default=random_ballot_id, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ballots")
    content = models.JSONField(default=dict)
    receipt_hash = models.CharField(max_length=64, unique=True)
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Open ballots in a sponsor electorate: which sponsor this ballot speaks for ("circle:<id>"), shown by name.
    sponsor_key = models.CharField(max_length=40, blank=True)
    sponsor_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["decision", "id"])]

    def __str__(self) -> str:
        return f"Ballot {self.id[:8]} in {self.decision}"


class ObjectionStatus(models.TextChoices):
    STANDING = "standing", _("Standing")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UPHELD = "upheld", _("Upheld")
    RESOLVED = "resolved", _("Resolved")


BLOCKING_OBJECTIONS = (ObjectionStatus.STANDING, ObjectionStatus.UPHELD)


class Objection(models.Model):
    """A reasoned objection in a consent decision. Its author is shown; it blocks while standing or upheld."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="objections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=4000)
    status = models.CharField(max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.STANDING)
    response = models.TextField(_("the proposer's answer"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "author"], name="decisions_objection_one_each")]

    def __str__(self) -> str:
        return f"Objection by {self.author} ({self.status})"

    @property
    def is_blocking(self) -> bool:
        return self.status in BLOCKING_OBJECTIONS


class AdviceKind(models.TextChoices):
    SUPPORT = "support", _("Support")
    CONCERN = "concern", _("Concern")
    OPPOSE = "oppose", _("Oppose")


class AdviceResponse(models.Model):
    """Advice given on an advice (sense-check) decision, with its author: non-binding."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="advice")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    response = models.CharField(max_length=10, choices=AdviceKind.choices)
    text = models.TextField(_("advice"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "author"], name="decisions_advice_one_each")]

    def __str__(self) -> str:
        return f"Advice by {self.author} ({self.response})"
