"""Events on the shared calendar: who hosts them, who promotes them, when they happen and who comes.

Times are stored in UTC; `time_zone` is the zone the event happens in (for display and for expanding recurrence).
A recurring event's dates live in `Occurrence` rows, materialised from its RRULE up to a horizon, so the calendar
reads one indexed table whatever the recurrence rules.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.models import Place, Tag, coordinates_pair
from freshground.network.models import Center, Circle


class EventKind(models.TextChoices):
    PUBLIC_MEETING = "public_meeting", _("Public meeting")
    TALK = "talk", _("Talk")
    STUDY = "study", _("Study session")
    ACTION = "action", _("Protest or action")
    SOCIAL = "social", _("Social")
    TRAINING = "training", _("Training")
    CONFERENCE_SESSION = "conference_session", _("Conference session")
    OTHER = "other", _("Other")


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class RegistrationMode(models.TextChoices):
    NONE = "none", _("No registration: just come")
    OPEN = "open", _("Open RSVP")
    LIMITED = "limited", _("Limited places, with a waiting list")


# Hours before an event when registrants are reminded, unless its hosts choose otherwise.
DEFAULT_REMINDER_HOURS: tuple[int, ...] = (24, 1)


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed (it happened)")


def new_uid() -> str:
    return f"{uuid.uuid4()}@freshground"


class Event(Place):
    """An event anyone, any circle or any center can put on the shared calendar."""

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("short name in links"), max_length=90, unique=True)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices, default=EventKind.PUBLIC_MEETING)
    status = models.CharField(max_length=12, choices=EventStatus.choices, default=EventStatus.SCHEDULED)

    # When: the first occurrence, in UTC, and the zone it happens in.
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    all_day = models.BooleanField(_("all day"), default=False)
    # RFC 5545 recurrence: an RRULE value (without the "RRULE:" prefix) and excluded start times (UTC ISO strings).
    rrule = models.CharField(_("repeats"), max_length=500, blank=True)
    exdates = models.JSONField(_("skipped dates"), default=list, blank=True)

    # Where.
    attendance_mode = models.CharField(
        _("how people attend"), max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.IN_PERSON
    )
    venue_name = models.CharField(_("venue"), max_length=160, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_for_registered_only = models.BooleanField(
        _("show the exact address only to registered people"), default=False
    )
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    online_url_for_registered_only = models.BooleanField(
        _("show the online link only to registered people"), default=True
    )

    # Accessibility.
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    childcare = models.BooleanField(_("childcare"), default=False)
    quiet_room = models.BooleanField(_("quiet room"), default=False)
    accessibility_notes = models.TextField(_("more about access"), max_length=2000, blank=True)

    # What about.
    topics = models.ManyToManyField(Tag, verbose_name=_("topics"), blank=True, related_name="+")
    language = models.CharField(_("language"), max_length=12, default="en")
    speakers_text = models.CharField(_("speakers"), max_length=300, blank=True)

    # Registration.
    registration_mode = models.CharField(
        _("registration"), max_length=10, choices=RegistrationMode.choices, default=RegistrationMode.OPEN
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    questions = models.JSONField(_("questions for people who register"), default=list, blank=True)
    reminder_hours = models.JSONField(_("reminders (hours before)"), default=list, blank=True)

    # After the event.
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    attendance_count = models.PositiveIntegerField(_("how many came"), null=True, blank=True)
    outcomes = models.TextField(_("outcomes"), max_length=5000, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # iCalendar identity: UID never changes; SEQUENCE goes up with every change people should hear about.
    uid = models.CharField(max_length=120, unique=True, default=new_uid)
    sequence = models.PositiveIntegerField(default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Denormalised, kept by the services: confirmed registrations and the waiting list.
    registered_count = models.PositiveIntegerField(default=0)
    waitlist_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="events_event_ends_after_start"
            ),
            coordinates_pair("events_event"),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["latitude", "longitude"]),
            # The calendar's month and week views look up the (few) all-day events by id: a small partial index.
            # (An index on kind and starts_at was tried and left out: without ANALYZE statistics SQLite drove the
            # month view's per-day queries from it, one kind's events at a time: 1.8 s instead of 80 ms at 100 000
            # events; kind-filtered feeds gained nothing, they read a kind's events from the table either way.)
            models.Index(fields=["id"], condition=Q(all_day=True), name="events_event_all_day_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event", args=[self.slug])

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED


class HostRole(models.TextChoices):
    HOST = "host", _("Host")
    COHOST = "cohost", _("Co-host")


class HostStatus(models.TextChoices):
    PENDING = "pending", _("Invited, not yet accepted")
    ACCEPTED = "accepted", _("Accepted")


class EventHost(models.Model):
    """Who puts the event on: a circle, a center or a person. Several hosts make a co-hosted event.

    A co-host is invited first (status pending) and only hosts once an organiser or editor of that circle or center
    accepts; a pending co-host gains nothing.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="hosts")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="event_hosts")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="event_hosts")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="event_hosts"
    )
    role = models.CharField(max_length=8, choices=HostRole.choices, default=HostRole.HOST)
    status = models.CharField(max_length=10, choices=HostStatus.choices, default=HostStatus.ACCEPTED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(circle__isnull=False) & Q(center__isnull=True) & Q(person__isnull=True))
                | (Q(circle__isnull=True) & Q(center__isnull=False) & Q(person__isnull=True))
                | (Q(circle__isnull=True) & Q(center__isnull=True) & Q(person__isnull=False)),
                name="events_host_exactly_one",
            ),
            models.UniqueConstraint(
                fields=["event", "circle"], condition=Q(circle__isnull=False), name="events_host_circle_once"
            ),
            models.UniqueConstraint(
                fields=["event", "center"], condition=Q(center__isnull=False), name="events_host_center_once"
            ),
            models.UniqueConstraint(
                fields=["event", "person"], condition=Q(person__isnull=False), name="events_host_person_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.circle or self.center or self.person} hosts {self.event}"

    @property
    def is_pending(self) -> bool:
        return self.status == HostStatus.PENDING

    @property
    def name(self) -> str:
        if self.circle is not None:
            return self.circle.name
        if self.center is not None:
            return self.center.name
        return str(getattr(self.person, "display_name", "") or "")


class Promotion(models.Model):
    """A circle or center shows another's event to its followers. Needs no permission from the host."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="promotions")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="promotions")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, null=True, blank=True, related_name="promotions")
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(circle__isnull=False) & Q(center__isnull=True))
                | (Q(circle__isnull=True) & Q(center__isnull=False)),
                name="events_promotion_exactly_one",
            ),
            models.UniqueConstraint(
                fields=["event", "circle"], condition=Q(circle__isnull=False), name="events_promotion_circle_once"
            ),
            models.UniqueConstraint(
                fields=["event", "center"], condition=Q(center__isnull=False), name="events_promotion_center_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.circle or self.center} promotes {self.event}"


class Timeslot(models.Model):
    """One of several sessions of an event, each with its own places (a workshop run twice, say)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="timeslots")
    label = models.CharField(_("label"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registered_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="events_timeslot_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.label or f"{self.event} at {self.starts_at:%Y-%m-%d %H:%M}"


class Occurrence(models.Model):
    """One date of an event (the only one for a single event), materialised for fast calendar queries."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "starts_at"], name="events_occurrence_unique")]
        indexes = [models.Index(fields=["starts_at", "event"])]

    def __str__(self) -> str:
        return f"{self.event} at {self.starts_at:%Y-%m-%d %H:%M}"


class RegistrationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
    CONFIRMED = "confirmed", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


def new_registration_code() -> str:
    # Short enough to read out at the door, long enough not to be guessed: 10 characters from 31 symbols.
    return "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))


def new_confirmation_token() -> str:
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    """A place at an event (or a timeslot of it), for a person or a guest known only by an e-mail address."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    timeslot = models.ForeignKey(
        Timeslot, on_delete=models.CASCADE, null=True, blank=True, related_name="registrations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="registrations"
    )
    guest_email = models.EmailField(_("e-mail address"), blank=True)
    guest_name = models.CharField(_("name"), max_length=80, blank=True)
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED)
    answers = models.JSONField(default=dict, blank=True)
    code = models.CharField(max_length=16, unique=True, default=new_registration_code)
    confirmation_token = models.CharField(max_length=64, unique=True, default=new_confirmation_token)
    created_at = models.DateTimeField(default=timezone.now)
    # Position on the waiting list is by this time; promotion sets it to when the place was offered.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(guest_email="")) | (Q(person__isnull=True) & ~Q(guest_email="")),
                name="events_registration_person_or_guest",
            ),
            # One live registration per person (or guest address) per event, or per timeslot when it has them.
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False, timeslot__isnull=True) & ~Q(status="cancelled"),
                name="events_registration_person_once",
            ),
            models.UniqueConstraint(
                fields=["timeslot", "person"],
                condition=Q(person__isnull=False, timeslot__isnull=False) & ~Q(status="cancelled"),
                name="events_registration_person_once_per_slot",
            ),
            models.UniqueConstraint(
                fields=["event", "guest_email"],
                condition=Q(person__isnull=True, timeslot__isnull=True) & ~Q(status="cancelled"),
                name="events_registration_guest_once",
            ),
            models.UniqueConstraint(
                fields=["timeslot", "guest_email"],
                condition=Q(person__isnull=True, timeslot__isnull=False) & ~Q(status="cancelled"),
                name="events_registration_guest_once_per_slot",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.person or self.guest_email} → {self.event} ({self.status})"


class Feedback(models.Model):
    """An attendee's short word after the event."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("how was it (1–5)"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="events_feedback_rating_range")
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.registration.event}"


class ReminderSent(models.Model):
    """That a reminder went out, so a worker restart never mails it twice."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="reminders")
    occurrence_starts_at = models.DateTimeField()
    hours_before = models.PositiveIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "occurrence_starts_at", "hours_before"], name="events_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"reminder {self.hours_before}h for {self.registration_id}"
