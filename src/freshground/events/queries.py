"""Reads for the event pages: the event page's read model and the lists on circle, center and person pages.

Every function costs a fixed number of queries whatever the number of hosts, promoters or dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString

from freshground.core.permissions import is_person, is_site_admin
from freshground.core.text import render_markdown
from freshground.events import occurrences
from freshground.events import permissions as perms
from freshground.events.models import Event, EventHost, EventStatus, HostStatus, Occurrence, Promotion
from freshground.network import permissions as network_perms
from freshground.network.models import Center, CenterEditor, Circle, Membership, Role

UPCOMING_DATES = 10
GROUP_LIST_SIZE = 8


def _hosts() -> Prefetch[Any]:
    return Prefetch("hosts", queryset=EventHost.objects.select_related("circle", "center", "person"))


def event_by_slug(slug: str) -> Event | None:
    return (
        Event.objects.filter(slug=slug)
        .prefetch_related(
            _hosts(),
            "topics",
            "timeslots",
            Prefetch("promotions", queryset=Promotion.objects.select_related("circle", "center")),
        )
        .first()
    )


def _prime_permissions(viewer: Any, event: Event) -> None:
    """Learn in two queries the viewer's roles in every circle and center the page asks about."""
    if not is_person(viewer):
        return
    circle_ids = {h.circle_id for h in event.hosts.all() if h.circle_id}
    center_ids = {h.center_id for h in event.hosts.all() if h.center_id}
    known = network_perms.known_membership_circles(viewer)
    missing = circle_ids - known
    if missing:
        found = {m.circle_id: m for m in Membership.objects.filter(person=viewer, circle_id__in=missing)}
        network_perms.remember_memberships(viewer, {cid: found.get(cid) for cid in missing})
    network_perms.remember_editorships(viewer, center_ids)


@dataclass(frozen=True)
class GroupChoice:
    """A circle or center the viewer may act for (promote in its name, answer an invitation)."""

    kind: str  # "circle" or "center"
    slug: str
    name: str


@dataclass
class EventPage:
    event: Event
    description_html: SafeString
    hosts: list[EventHost]
    pending_hosts: list[EventHost]
    promotions: list[Promotion]
    upcoming: list[Occurrence]
    recurrence_text: str
    can_manage: bool
    can_close: bool
    can_see_address: bool
    can_see_online_link: bool
    is_registered: bool
    invites_to_answer: list[EventHost] = field(default_factory=list)
    promote_as: list[GroupChoice] = field(default_factory=list)
    promoted_as: list[GroupChoice] = field(default_factory=list)
    minutes_html: SafeString | None = None
    outcomes_html: SafeString | None = None

    @property
    def access_features(self) -> list[str]:
        event = self.event
        names = ("step_free", "hearing_loop", "childcare", "quiet_room")
        return [name for name in names if getattr(event, name)]


def groups_person_acts_for(person: Any) -> tuple[list[Circle], list[Center]]:
    """Circles the person organises and centers they edit: two queries."""
    if not is_person(person):
        return [], []
    circles = list(Circle.objects.filter(memberships__person=person, memberships__role=Role.ORGANISER).order_by("name"))
    centers = list(Center.objects.filter(editorships__person=person).order_by("name"))
    return circles, centers


def event_page(viewer: Any, event: Event) -> EventPage:
    """What the viewer sees of an event: private address and online link only as permissions allow."""
    _prime_permissions(viewer, event)
    all_hosts = list(event.hosts.all())
    hosts = [h for h in all_hosts if h.status == HostStatus.ACCEPTED]
    pending = [h for h in all_hosts if h.status == HostStatus.PENDING]
    can_manage = perms.can_manage_event(viewer, event)
    registered = perms.is_registered(viewer, event) if is_person(viewer) else False
    promotions = list(event.promotions.all())
    promote_as: list[GroupChoice] = []
    promoted_as: list[GroupChoice] = []
    invites: list[EventHost] = []
    if is_person(viewer):
        circles, centers = groups_person_acts_for(viewer)
        hosting_circles = {h.circle_id for h in hosts if h.circle_id}
        hosting_centers = {h.center_id for h in hosts if h.center_id}
        promoting_circles = {p.circle_id for p in promotions if p.circle_id}
        promoting_centers = {p.center_id for p in promotions if p.center_id}
        for circle in circles:
            choice = GroupChoice("circle", circle.slug, circle.name)
            if circle.pk in promoting_circles:
                promoted_as.append(choice)
            elif circle.pk not in hosting_circles:
                promote_as.append(choice)
        for center in centers:
            choice = GroupChoice("center", center.slug, center.name)
            if center.pk in promoting_centers:
                promoted_as.append(choice)
            elif center.pk not in hosting_centers:
                promote_as.append(choice)
        circle_ids = {c.pk for c in circles}
        center_ids = {c.pk for c in centers}
        admin = is_site_admin(viewer)
        invites = [h for h in pending if admin or h.circle_id in circle_ids or h.center_id in center_ids]
    now = timezone.now()
    upcoming = list(Occurrence.objects.filter(event=event, ends_at__gte=now).order_by("starts_at")[:UPCOMING_DATES])
    closed = event.status == EventStatus.CLOSED
    return EventPage(
        event=event,
        description_html=render_markdown(event.description),
        hosts=hosts,
        pending_hosts=pending if can_manage else [],
        promotions=promotions,
        upcoming=upcoming,
        recurrence_text=occurrences.recurrence_in_words(event),
        can_manage=can_manage,
        can_close=can_manage and event.status != EventStatus.CANCELLED and event.starts_at <= now,
        can_see_address=perms.can_see_private_address(viewer, event),
        can_see_online_link=perms.can_see_online_link(viewer, event),
        is_registered=registered,
        invites_to_answer=invites,
        promote_as=promote_as,
        promoted_as=promoted_as,
        minutes_html=render_markdown(event.minutes) if closed and event.minutes else None,
        outcomes_html=render_markdown(event.outcomes) if closed and event.outcomes else None,
    )


def _with_next_start(events: QuerySet[Event], now: datetime) -> QuerySet[Event]:
    return (
        events.annotate(next_start=Min("occurrences__starts_at", filter=Q(occurrences__ends_at__gte=now)))
        .filter(next_start__isnull=False)
        .order_by("next_start", "id")
    )


def group_events(
    *, circle: Circle | None = None, center: Center | None = None, limit: int = GROUP_LIST_SIZE
) -> list[Event]:
    """Upcoming events a circle or center hosts (or co-hosts) or promotes, soonest first: one query.

    Each event carries `next_start` and `is_promoted` (True when the group promotes rather than hosts it).
    """
    now = timezone.now()
    if circle is not None:
        hosted = EventHost.objects.filter(event=OuterRef("pk"), circle=circle, status=HostStatus.ACCEPTED)
        promoted = Promotion.objects.filter(event=OuterRef("pk"), circle=circle)
    elif center is not None:
        hosted = EventHost.objects.filter(event=OuterRef("pk"), center=center, status=HostStatus.ACCEPTED)
        promoted = Promotion.objects.filter(event=OuterRef("pk"), center=center)
    else:
        return []
    events = (
        Event.objects.filter(status=EventStatus.SCHEDULED)
        .annotate(is_hosted=Exists(hosted), is_promoted_only=Exists(promoted))
        .filter(Q(is_hosted=True) | Q(is_promoted_only=True))
    )
    found = list(_with_next_start(events, now)[:limit])
    for event in found:
        event.is_promoted = not event.is_hosted  # type: ignore[attr-defined]
    return found


def person_events(person: Any, limit: int = GROUP_LIST_SIZE) -> list[Event]:
    """Upcoming events a person hosts in their own name: one query."""
    if not getattr(person, "pk", None):
        return []
    events = Event.objects.filter(status=EventStatus.SCHEDULED, hosts__person=person, hosts__status=HostStatus.ACCEPTED)
    return list(_with_next_start(events, timezone.now())[:limit])


def pending_invites_for(person: Any) -> list[EventHost]:
    """Invitations to co-host waiting for a circle the person organises or a center they edit."""
    if not is_person(person):
        return []
    organised = Membership.objects.filter(person=person, role=Role.ORGANISER).values("circle_id")
    edited = CenterEditor.objects.filter(person=person).values("center_id")
    return list(
        EventHost.objects.filter(status=HostStatus.PENDING)
        .filter(Q(circle_id__in=organised) | Q(center_id__in=edited))
        .select_related("event", "circle", "center")
    )


def host_by_pk(event: Event, pk: int) -> EventHost | None:
    return EventHost.objects.filter(event=event, pk=pk).select_related("event", "circle", "center", "person").first()
