"""Workers' inquiries: questionnaires about conditions in a sector or place, answered anonymously.

What is stored about an answer is only the answer itself:
- no account, session, IP address, user agent, referrer or cookie value — `services.submit_answers` takes no actor;
- no date at all on answers (the inquiry keeps one overwritten count, `answer_count`);
- the answers of one submission share a random `response` number (so an export can put them on one row), and every
  answer's primary key is random too, so neither reveals the order in which people answered.
Results are read from `Tally` rows (counts only), kept in step with the answers by each submission. They are shown
only in aggregate, and only once at least k answers exist (settings.FRESHGROUND
["INQUIRY_MIN_ANSWERS"]); see permissions.py.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.network.models import Center, Circle

TEXT_MAX_LENGTH = 10_000
SHORT_TEXT_MAX_LENGTH = 300


def today() -> date:
    return timezone.localdate()


def random_key() -> int:
    """A random positive 63-bit integer: ids that say nothing about when a row was written."""
    return secrets.randbits(62) + 1


class InquiryStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed")


class Inquiry(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=160)
    introduction = models.TextField(_("introduction"), max_length=TEXT_MAX_LENGTH, blank=True)
    sector = models.CharField(_("sector"), max_length=2, blank=True, default="")  # reports.sectors code
    sector_detail = models.CharField(_("sector, in words"), max_length=120, blank=True, default="")
    region = models.CharField(_("place or region"), max_length=120, blank=True, default="")
    # The owner: a circle, a center, or neither (the platform's editors).
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="inquiries")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="inquiries")
    status = models.CharField(max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.DRAFT)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    # Editors are not the people at risk: the inquiry may name who set it up.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_on = models.DateField(default=today)
    # How many submissions there are; bumped by each submission, in the same transaction (the k rule reads it).
    answer_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name_plural = _("inquiries")
        indexes = [models.Index(fields=["status", "-opens_on"], name="inquiries_status_opens")]
        constraints = [
            models.CheckConstraint(
                condition=Q(circle__isnull=True) | Q(center__isnull=True), name="inquiries_inquiry_one_owner"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(opens_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="inquiries_inquiry_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inquiries:inquiry", args=[self.slug])

    @property
    def owner(self) -> Circle | Center | None:
        return self.circle or self.center

    def is_open(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return (
            self.status == InquiryStatus.PUBLISHED
            and self.opens_on is not None
            and self.opens_on <= day
            and (self.closes_on is None or day <= self.closes_on)
        )

    def is_closed(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.status == InquiryStatus.CLOSED or (
            self.status == InquiryStatus.PUBLISHED and self.closes_on is not None and self.closes_on < day
        )


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short", _("short text")
    LONG_TEXT = "long", _("long text")
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    SCALE = "scale", _("scale")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})


class Question(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("explanation"), max_length=500, blank=True, default="")
    required = models.BooleanField(_("an answer is required"), default=False)
    # For scales: the range (e.g. 1 to 5) and what its ends mean.
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)
    scale_min_label = models.CharField(_("meaning of the lowest value"), max_length=80, blank=True, default="")
    scale_max_label = models.CharField(_("meaning of the highest value"), max_length=80, blank=True, default="")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__lt=models.F("scale_max")) & Q(scale_min__gte=0) & Q(scale_max__lte=10),
                name="inquiries_question_scale_range",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def is_scale(self) -> bool:
        return self.kind == QuestionKind.SCALE

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(_("option"), max_length=200)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Answer(models.Model):
    """One answer to one question: a chosen option (one row per option for multiple choice), a scale value, or a
    text. Answers to the same submission share `response`, a random number linked to nothing else."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    response = models.BigIntegerField()
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True, default="")

    class Meta:
        # Aggregates are one GROUP BY over this index (an index-only scan).
        indexes = [models.Index(fields=["question", "option", "number"], name="inquiries_answer_tally")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(option__isnull=False, number__isnull=True, text="")
                    | Q(option__isnull=True, number__isnull=False, text="")
                    | (Q(option__isnull=True, number__isnull=True) & ~Q(text=""))
                ),
                name="inquiries_answer_one_value",
            ),
        ]

    def __str__(self) -> str:
        return f"answer to question {self.question_id}"


class Tally(models.Model):
    """A running count behind the results page, so that it reads a few small rows and never the answers.

    One row per (question, option) with how many answers chose that option, one per (question, scale value), and one
    per question with both `option` and `number` empty holding how many submissions answered the question at all.
    Only counts: no date, no person, no response number. `services.submit_answers` keeps them in step with Answer in
    the same transaction; `services.rebuild_tallies` (command `inquiries_rebuild_tallies`) recomputes them.
    Rows are created on first use, so their primary key is random like Answer's: sequential ids would tell which
    values the first person to answer chose."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="tallies")
    number = models.SmallIntegerField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "option"], condition=Q(option__isnull=False), name="inquiries_tally_option"
            ),
            models.UniqueConstraint(
                fields=["question", "number"], condition=Q(number__isnull=False), name="inquiries_tally_number"
            ),
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(option__isnull=True, number__isnull=True),
                name="inquiries_tally_answered",
            ),
            models.CheckConstraint(
                condition=Q(option__isnull=True) | Q(number__isnull=True), name="inquiries_tally_one_key"
            ),
        ]

    def __str__(self) -> str:
        return f"tally of question {self.question_id}"
