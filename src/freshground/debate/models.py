"""Discussion on everything, and structured debates across group lines.

`Comment` is one generic mechanism: a comment belongs to a *thread*, which is any registered commentable object
(core.content), named by (content type, object id). Replies nest under a parent; `root` and `depth` are stored so a
page of a 10,000-comment thread is read with two indexed queries (a page of top-level comments by keyset, then their
replies), never a recursive walk. `paragraph` anchors a comment to one paragraph of a long text.

A `Debate` is a question put to the network, with positions and arguments for and against each. Replies to an
argument are ordinary comments whose thread is the argument. "Convincing" marks are counted in a bridging way: the
cached `bridging_score` rewards arguments found convincing by people from several different circles and centers.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.content import ContentStatus
from freshground.core.models import Tag
from freshground.network.models import Center, Circle

BODY_MAX_LENGTH = 10_000


class Comment(models.Model):
    thread_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    thread_id = models.PositiveBigIntegerField()
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    # The top-level comment this one descends from (None for a top-level comment), and its nesting depth (0 on top).
    root = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="descendants")
    depth = models.PositiveSmallIntegerField(default=0)
    # Key of the paragraph of the thread's text this comment is about ("" for the thread as a whole).
    paragraph = models.CharField(max_length=40, blank=True, default="")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="comments")
    # Circles the author chose to show beside this comment; never filled in for them.
    shown_circles = models.ManyToManyField(Circle, blank=True, related_name="+")
    body = models.TextField(_("comment"), max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED)
    hidden_reason = models.TextField(blank=True, default="")
    reply_count = models.PositiveIntegerField(default=0)  # published direct replies, kept by services
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # Top-level comments of a thread in order (keyset pagination) ...
            models.Index(
                fields=["thread_type", "thread_id", "created_at", "id"],
                condition=Q(parent__isnull=True),
                name="debate_comment_thread_top",
            ),
            # ... then the replies under a page of them.
            models.Index(fields=["root", "created_at", "id"], name="debate_comment_root"),
            models.Index(fields=["thread_type", "thread_id", "paragraph"], name="debate_comment_paragraph"),
            models.Index(fields=["author", "created_at"], name="debate_comment_author"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(parent__isnull=True) & Q(root__isnull=True) & Q(depth=0))
                | (Q(parent__isnull=False) & Q(root__isnull=False) & Q(depth__gt=0)),
                name="debate_comment_root_depth_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.thread_type_id}:{self.thread_id}"

    def get_absolute_url(self) -> str:
        return reverse("debate:comment", args=[self.pk])


class CommentRevision(models.Model):
    """Each earlier text of an edited comment. Edit history is visible to everyone who can see the comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(max_length=300, blank=True, default="")  # a moderator's reason for an edit
    created_at = models.DateTimeField(default=timezone.now)  # when this text was replaced

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"revision of comment {self.comment_id}"


class DebateStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Debate(models.Model):
    """A question put to the network by a person, a circle or a center."""

    slug = models.SlugField(max_length=90, unique=True, allow_unicode=True)
    question = models.CharField(_("question"), max_length=200)
    opening_statement = models.TextField(_("opening statement"), max_length=BODY_MAX_LENGTH * 3)
    opening_html = models.TextField(editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="debates_opened"
    )
    # Put in a circle's or a center's name (at most one); neither means the person asks in their own name.
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="debates")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="debates")
    moderators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="debates_moderated")
    topics = models.ManyToManyField(Tag, blank=True, related_name="+")
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    state = models.CharField(max_length=8, choices=DebateStatus.choices, default=DebateStatus.OPEN)
    status = models.CharField(max_length=10, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED)
    hidden_reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(circle__isnull=True) | Q(center__isnull=True), name="debate_debate_one_owner"
            ),
        ]
        indexes = [models.Index(fields=["state", "-last_activity_at"], name="debate_debate_listing")]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("debate:debate", args=[self.slug])

    @property
    def is_open(self) -> bool:
        if self.state != DebateStatus.OPEN:
            return False
        return self.closes_at is None or self.closes_at > timezone.now()


class Position(models.Model):
    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(_("position"), max_length=200)
    description = models.TextField(_("description"), max_length=BODY_MAX_LENGTH, blank=True)
    description_html = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Side(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")


class Argument(models.Model):
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="arguments")
    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="arguments")  # = position.debate
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="arguments")
    shown_circles = models.ManyToManyField(Circle, blank=True, related_name="+")
    body = models.TextField(_("argument"), max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED)
    hidden_reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Cached by services whenever a "convincing" mark changes (see debate.bridging).
    convinced_count = models.PositiveIntegerField(default=0)
    group_count = models.PositiveIntegerField(default=0)  # distinct circles/centers among those convinced
    bridging_score = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-bridging_score", "-convinced_count", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["position", "side", "-bridging_score", "-convinced_count", "created_at", "id"],
                name="debate_argument_ranking",
            ),
            models.Index(fields=["debate", "created_at"], name="debate_argument_debate"),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.body[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("debate:argument", args=[self.pk])


class ArgumentRevision(models.Model):
    """Each earlier text of an argument a moderator edited, with the moderator's note. Visible with the argument."""

    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)  # when this text was replaced

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"revision of argument {self.argument_id}"


class Conviction(models.Model):
    """Someone found an argument convincing. One per person and argument; the author cannot mark their own."""

    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="convictions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="convictions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["argument", "person"], name="debate_conviction_once")]

    def __str__(self) -> str:
        return f"{self.person_id} convinced by {self.argument_id}"


class Invitation(models.Model):
    """A debate invites a circle or a center to state its position officially; the statement is shown apart."""

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="invitations")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    position = models.ForeignKey(Position, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    statement = models.TextField(_("statement"), max_length=BODY_MAX_LENGTH * 2, blank=True)
    statement_html = models.TextField(editable=False, blank=True)
    stated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    stated_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(circle__isnull=False) & Q(center__isnull=True))
                | (Q(circle__isnull=True) & Q(center__isnull=False)),
                name="debate_invitation_one_invitee",
            ),
            models.UniqueConstraint(
                fields=["debate", "circle"], condition=Q(circle__isnull=False), name="debate_invitation_circle_once"
            ),
            models.UniqueConstraint(
                fields=["debate", "center"], condition=Q(center__isnull=False), name="debate_invitation_center_once"
            ),
        ]

    def __str__(self) -> str:
        return f"invitation to {self.circle or self.center} in {self.debate_id}"


class Summary(models.Model):
    """The moderators' closing summary. Each edit is a new version; the newest is shown, older ones stay readable."""

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="summaries")
    version = models.PositiveIntegerField()
    positions = models.TextField(_("the main positions"), max_length=BODY_MAX_LENGTH)
    agreements = models.TextField(_("where people agreed"), max_length=BODY_MAX_LENGTH)
    open_questions = models.TextField(_("what remains open"), max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)  # the three parts rendered together, with headings
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["debate", "version"], name="debate_summary_version_once")]

    def __str__(self) -> str:
        return f"summary v{self.version} of {self.debate_id}"

    def get_absolute_url(self) -> str:
        return reverse("debate:summary", args=[self.debate.slug, self.version])
