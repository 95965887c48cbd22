"""The speaker roster, speaking requests from circles, endorsements, tour plans and hosts' feedback on talks.

A speaker is a person who lists themselves, or someone without an account whom a circle organiser or a center editor
entered (and who then looks after the entry). Circles ask speakers to come; an accepted request becomes an event on
the shared calendar, hosted by the circle.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.models import Place, Tag, coordinates_pair
from freshground.network.models import Center, Circle


class Speaker(Place):
    """Someone on the roster. `place_name`, `latitude` and `longitude` are their home city."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="speaker"
    )
    name = models.CharField(_("name"), max_length=120)
    bio = models.TextField(_("about"), max_length=5000, blank=True)
    topics = models.ManyToManyField(Tag, verbose_name=_("topics"), blank=True, related_name="+")
    languages = models.JSONField(_("languages"), default=list, blank=True)
    regions = models.JSONField(_("regions they travel to"), default=list, blank=True)
    fees = models.TextField(_("fee and expenses"), max_length=1000, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), max_length=1000, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # For someone without an account: who entered them (and looks after the entry).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [coordinates_pair("speakers_speaker")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("speakers:speaker", args=[self.pk])

    @property
    def is_member(self) -> bool:
        return self.person_id is not None


class Talk(models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="talks")
    title = models.CharField(_("title"), max_length=160)
    abstract = models.TextField(_("abstract"), max_length=3000, blank=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Availability(models.Model):
    """Dates the speaker can be away from home to give talks."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="availability")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name_plural = _("availability")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="speakers_availability_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"


class Endorsement(models.Model):
    """A circle or a center vouches for a speaker on a topic: an act of its organisers or editors."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="endorsements")
    topic = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(circle__isnull=False) & Q(center__isnull=True))
                | (Q(circle__isnull=True) & Q(center__isnull=False)),
                name="speakers_endorsement_exactly_one",
            ),
            models.UniqueConstraint(
                fields=["speaker", "topic", "circle"],
                condition=Q(circle__isnull=False),
                name="speakers_endorsement_circle_once",
            ),
            models.UniqueConstraint(
                fields=["speaker", "topic", "center"],
                condition=Q(center__isnull=False),
                name="speakers_endorsement_center_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.circle or self.center} endorses {self.speaker} on {self.topic}"

    @property
    def endorser(self) -> Circle | Center | None:
        return self.circle or self.center


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the speaker")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    PROPOSED = "proposed", _("The speaker proposed a date")
    SCHEDULED = "scheduled", _("Scheduled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (RequestStatus.PENDING, RequestStatus.PROPOSED)


class SpeakingRequest(Place):
    """A circle asks a speaker to come. `place_name`, `latitude` and `longitude` are the city of the talk."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="requests")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="speaking_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic = models.ForeignKey(Tag, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    talk = models.ForeignKey(Talk, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests")
    earliest = models.DateField(_("earliest date"))
    latest = models.DateField(_("latest date"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    expected_audience = models.PositiveIntegerField(_("expected audience"), null=True, blank=True)
    offer = models.TextField(_("what the circle can offer"), max_length=2000, blank=True)
    message = models.TextField(_("message"), max_length=3000, blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    proposed_date = models.DateField(_("proposed date"), null=True, blank=True)
    scheduled_date = models.DateField(_("date of the talk"), null=True, blank=True)
    response_note = models.TextField(_("note from the speaker"), max_length=2000, blank=True)
    event = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="speaking_requests"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(latest__gte=models.F("earliest")), name="speakers_request_window"),
            coordinates_pair("speakers_request"),
        ]
        indexes = [models.Index(fields=["speaker", "status"]), models.Index(fields=["circle", "status"])]

    def __str__(self) -> str:
        return f"{self.circle} asks {self.speaker} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("speakers:inbox", args=[self.speaker_id]) + f"#request-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def subject(self) -> str:
        if self.talk is not None:
            return self.talk.title
        return self.topic.name if self.topic is not None else ""


class TourPlanStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    SUPERSEDED = "superseded", _("Replaced by a newer plan")


class TourPlan(models.Model):
    """An itinerary the planner proposed for a speaker's open requests."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="tour_plans")
    status = models.CharField(max_length=10, choices=TourPlanStatus.choices, default=TourPlanStatus.PROPOSED)
    total_km = models.FloatField(default=0)
    km_home = models.JSONField(default=dict, blank=True)
    # Requests left out: [{"request": id, "reason": planner reason or "no_coordinates"}].
    unplaced = models.JSONField(default=list, blank=True)
    method = models.CharField(max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Tour for {self.speaker} ({self.status})"


class TourStop(models.Model):
    plan = models.ForeignKey(TourPlan, on_delete=models.CASCADE, related_name="stops")
    request = models.ForeignKey(SpeakingRequest, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    order = models.PositiveIntegerField()
    trip = models.PositiveIntegerField(default=0)
    km_from_previous = models.FloatField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="speakers_tourstop_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.request} on {self.date}"


class TalkFeedback(models.Model):
    """The hosting circle's word after the talk."""

    request = models.OneToOneField(SpeakingRequest, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("how was it (1–5)"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="speakers_feedback_rating")
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.request}"


class Appearance(models.Model):
    """A roster speaker speaks at an event: recorded by the event's managers, or when an accepted request (or tour)
    puts the talk on the calendar. The event's free-text speakers stay the event's own business."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="appearances")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="speaker_appearances")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["speaker", "event"], name="speakers_appearance_once")]

    def __str__(self) -> str:
        return f"{self.speaker} at {self.event_id}"
