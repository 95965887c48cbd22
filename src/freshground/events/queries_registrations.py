"""Reads for registrations: the box on the event page, a person's registrations, the hosts' list and feedback.

Each read costs a fixed number of queries whatever the number of registrations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone

from freshground.core.permissions import is_person
from freshground.events import permissions as perms
from freshground.events.models import (
    Event,
    EventStatus,
    Feedback,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    Timeslot,
)
from freshground.events.services_registrations import LIVE, capacity_for, questions_of


@dataclass(frozen=True)
class SlotState:
    timeslot: Timeslot
    capacity: int | None
    places_left: int | None
    waitlist_count: int
    mine: Registration | None

    @property
    def full(self) -> bool:
        return self.places_left == 0


@dataclass
class RegistrationBox:
    """What the registration box on the event page shows (template events/registration_box.html)."""

    event: Event
    mode: str
    needs_registration: bool
    is_open: bool
    closes_at: Any
    limited: bool
    capacity: int | None
    places_left: int | None
    waitlist_count: int
    slots: list[SlotState]
    mine: list[Registration]
    signed_in: bool
    can_manage: bool
    has_questions: bool
    form: Any = None
    messages: list[str] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return self.places_left == 0

    @property
    def has_slots(self) -> bool:
        return bool(self.slots)

    @property
    def is_cancelled(self) -> bool:
        return self.event.status == EventStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.event.status == EventStatus.CLOSED

    @property
    def can_register_more(self) -> bool:
        """Whether the viewer may still register (again for another session, if there are several)."""
        if not self.is_open:
            return False
        if self.slots:
            return any(slot.mine is None for slot in self.slots)
        return not self.mine


def registration_box(viewer: Any, event: Event, *, form: Any = None) -> RegistrationBox:
    """Three queries at most: the timeslots, the waiting list per timeslot, the viewer's registrations."""
    signed_in = is_person(viewer)
    timeslots = list(event.timeslots.all()) if event.registration_mode != RegistrationMode.NONE else []
    waiting: dict[int | None, int] = {}
    if timeslots and event.waitlist_count:
        for row in (
            Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
            .values("timeslot_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            waiting[row["timeslot_id"]] = row["n"]
    mine: list[Registration] = []
    if signed_in:
        mine = list(Registration.objects.filter(event=event, person=viewer, status__in=LIVE).select_related("timeslot"))
    mine_by_slot = {registration.timeslot_id: registration for registration in mine}
    slots = []
    for timeslot in timeslots:
        limit = capacity_for(event, timeslot)
        slots.append(
            SlotState(
                timeslot=timeslot,
                capacity=limit,
                places_left=None if limit is None else max(0, limit - timeslot.registered_count),
                waitlist_count=waiting.get(timeslot.pk, 0),
                mine=mine_by_slot.get(timeslot.pk),
            )
        )
    limit = capacity_for(event, None)
    is_open = perms.registration_is_open(event)
    if form is None and is_open:
        from freshground.events.forms_registrations import RegistrationForm

        form = RegistrationForm(event=event, guest=not signed_in, timeslots=timeslots)
    return RegistrationBox(
        event=event,
        mode=event.registration_mode,
        needs_registration=event.registration_mode != RegistrationMode.NONE,
        is_open=is_open,
        closes_at=event.registration_closes_at,
        limited=event.registration_mode == RegistrationMode.LIMITED,
        capacity=limit,
        places_left=None if limit is None or timeslots else max(0, limit - event.registered_count),
        waitlist_count=event.waitlist_count,
        slots=slots,
        mine=mine,
        signed_in=signed_in,
        can_manage=perms.can_manage_event(viewer, event),
        has_questions=bool(questions_of(event)),
        form=form,
    )


def event_by_slug(slug: str) -> Event | None:
    return Event.objects.filter(slug=slug).prefetch_related("hosts__circle", "hosts__center").first()


def my_registrations(person: Any) -> QuerySet[Registration]:
    """A person's registrations, upcoming first, then past ones; cancelled ones last."""
    return (
        Registration.objects.filter(person=person)
        .select_related("event", "timeslot", "feedback")
        .order_by("status", "-event__starts_at", "-id")
    )


def upcoming_and_past(person: Any) -> tuple[list[Registration], list[Registration]]:
    now = timezone.now()
    upcoming: list[Registration] = []
    past: list[Registration] = []
    for registration in (
        Registration.objects.filter(person=person)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event", "timeslot", "feedback")
        .order_by("event__starts_at", "id")
    ):
        ends = registration.timeslot.ends_at if registration.timeslot else registration.event.ends_at
        if ends >= now or (registration.event.is_recurring and registration.event.status == EventStatus.SCHEDULED):
            upcoming.append(registration)
        else:
            past.append(registration)
    past.reverse()
    return upcoming, past


def own_registration(person: Any, pk: int) -> Registration | None:
    if not is_person(person):
        return None
    return (
        Registration.objects.filter(pk=pk, person=person)
        .select_related("event", "timeslot")
        .prefetch_related("event__hosts")
        .first()
    )


def registration_with_event(pk: int) -> Registration | None:
    return (
        Registration.objects.filter(pk=pk)
        .select_related("event", "timeslot", "person")
        .prefetch_related("event__hosts")
        .first()
    )


STATUS_ORDER = {
    RegistrationStatus.CONFIRMED: 0,
    RegistrationStatus.WAITLISTED: 1,
    RegistrationStatus.UNCONFIRMED: 2,
    RegistrationStatus.CANCELLED: 3,
}


def registrations_for_hosts(event: Event, *, include_cancelled: bool = False) -> list[Registration]:
    """Everyone registered, for the hosts (callers check permissions.can_see_registrations): confirmed first, then
    the waiting list in its order, then unconfirmed guests. Two queries whatever the size."""
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("person", "timeslot")
        .prefetch_related(Prefetch("feedback", queryset=Feedback.objects.all()))
    )
    if not include_cancelled:
        registrations = registrations.exclude(status=RegistrationStatus.CANCELLED)
    rows = list(registrations.order_by("created_at", "id"))
    rows.sort(
        key=lambda r: (
            STATUS_ORDER.get(RegistrationStatus(r.status), 9),
            r.timeslot.starts_at if r.timeslot else event.starts_at,
            r.waitlisted_at or r.created_at,
            r.pk,
        )
    )
    return rows


def attendee_name(registration: Registration) -> str:
    if registration.person is not None:
        return registration.person.display_name
    return registration.guest_name


def attendee_email(registration: Registration) -> str:
    if registration.person is not None:
        return registration.person.email
    return registration.guest_email


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: float | None
    distribution: list[tuple[int, int]]
    comments: list[Feedback]


def feedback_summary(event: Event) -> FeedbackSummary:
    """Ratings and comments for the hosts: two queries."""
    feedback = Feedback.objects.filter(registration__event=event)
    stats = feedback.aggregate(
        count=Count("pk"),
        average=Avg("rating"),
        **{f"r{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)},
    )
    comments = list(feedback.exclude(comment="").order_by("-created_at", "-id")[:200])
    average = stats["average"]
    return FeedbackSummary(
        count=stats["count"],
        average=round(float(average), 1) if average is not None else None,
        distribution=[(n, stats[f"r{n}"]) for n in range(5, 0, -1)],
        comments=comments,
    )
