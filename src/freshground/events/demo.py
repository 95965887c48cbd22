"""Events for `freshground demo`: hosted by circles and centers across cities, co-hosted, promoted, recurring, a
sold-out talk with a waiting list, and one past event closed with minutes. Idempotent: an event whose slug exists is
left as it is, and an event's demo registrations are made only when it has none."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from freshground.events import permissions as event_permissions
from freshground.events import services, services_hosts, services_registrations
from freshground.events.models import Event, EventHost, HostStatus, Promotion, Registration
from freshground.network import permissions as network_permissions
from freshground.network.models import Center, Circle, Role
from freshground.people.models import Person


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    host: str  # "circle:<slug>" or "center:<slug>"
    zone: str
    days_ahead: int
    at: time
    hours: float
    fields: dict[str, Any]


EVENTS: tuple[DemoEvent, ...] = (
    DemoEvent(
        "infirmary-staffing-meeting",
        "Staffing levels: what we do next",
        "circle:leeds-infirmary-workers",
        "Europe/London",
        6,
        time(18, 30),
        1.5,
        {
            "kind": "public_meeting",
            "venue_name": "Infirmary social club",
            "address": "Great George St, Leeds LS1 3EX",
            "place_name": "Leeds",
            "latitude": 53.802,
            "longitude": -1.551,
            "step_free": True,
            "hearing_loop": True,
            "description": "Open to every grade and agency worker. **Bring your rota.**",
            "topics": ["health", "unions"],
            "capacity": 60,
            "registration_mode": "limited",
            "address_for_registered_only": True,
        },
    ),
    DemoEvent(
        "capital-reading-group",
        "Capital, volume one: weekly reading group",
        "circle:hyde-park-students",
        "America/Chicago",
        2,
        time(19, 0),
        2,
        {
            "kind": "study",
            "venue_name": "Reynolds Club, room 2",
            "place_name": "Chicago",
            "latitude": 41.79,
            "longitude": -87.60,
            "rrule": "FREQ=WEEKLY;COUNT=12",
            "topics": ["political economy", "study"],
            "description": "One chapter a week, slowly. Newcomers welcome at any week.",
            "quiet_room": True,
        },
    ),
    DemoEvent(
        "pamphlet-launch-nhs",
        "Launch: The NHS is Ours (pamphlet)",
        "center:common-ground-press",
        "Europe/London",
        14,
        time(19, 0),
        2,
        {
            "kind": "talk",
            "attendance_mode": "hybrid",
            "venue_name": "Mitchell Library",
            "place_name": "Glasgow",
            "address": "North St, Glasgow G3 7DN",
            "latitude": 55.865,
            "longitude": -4.271,
            "online_url": "https://meet.example.org/nhs-is-ours",
            "speakers_text": "Tamsin Reed",
            "topics": ["health"],
            "step_free": True,
            "childcare": True,
        },
    ),
    DemoEvent(
        "warehouse-heat-action",
        "Heat in the sheds: a walk-out rehearsal",
        "circle:glasgow-warehouse-circle",
        "Europe/London",
        20,
        time(7, 0),
        2,
        {
            "kind": "action",
            "venue_name": "Hillington Park gate 3",
            "place_name": "Glasgow",
            "latitude": 55.85,
            "longitude": -4.36,
            "topics": ["unions"],
        },
    ),
    DemoEvent(
        "night-shift-call",
        "Night shift call",
        "circle:night-shift-online",
        "UTC",
        1,
        time(3, 0),
        1,
        {
            "kind": "social",
            "attendance_mode": "online",
            "online_url": "https://meet.example.org/night-shift",
            "rrule": "FREQ=WEEKLY;BYDAY=WE",
            "language": "en",
        },
    ),
    DemoEvent(
        "tenants-tribunal-training",
        "Going to the tribunal together",
        "circle:parkdale-tenants",
        "America/Toronto",
        9,
        time(18, 0),
        2,
        {
            "kind": "training",
            "venue_name": "Parkdale library",
            "place_name": "Toronto",
            "latitude": 43.64,
            "longitude": -79.44,
            "topics": ["housing"],
            "step_free": True,
        },
    ),
    DemoEvent(
        "leeds-rent-strikes-talk",
        "The Leeds rent strikes of 1914: a talk",
        "circle:leeds-city-circle",
        "Europe/London",
        10,
        time(19, 0),
        1.5,
        {
            "kind": "talk",
            "venue_name": "Leeds Central Library, small lecture room",
            "address": "Calverley St, Leeds LS1 3AB",
            "place_name": "Leeds",
            "latitude": 53.801,
            "longitude": -1.548,
            "step_free": True,
            "hearing_loop": True,
            "speakers_text": "Dev Harrow",
            "description": "How tenants in Hunslet and Holbeck refused the rise, and won. The room seats four: "
            "**it is full**, but join the waiting list in case someone cancels.",
            "topics": ["housing", "history"],
            "registration_mode": "limited",
            "capacity": 4,
        },
    ),
    DemoEvent(
        "leeds-discussion-past",
        "Monthly discussion: automation and the NHS",
        "circle:leeds-city-circle",
        "Europe/London",
        -10,
        time(19, 0),
        2,
        {
            "kind": "public_meeting",
            "venue_name": "Chapeltown Community Centre",
            "place_name": "Leeds",
            "latitude": 53.80,
            "longitude": -1.55,
            "topics": ["health"],
        },
    ),
)
CO_HOSTS = (("pamphlet-launch-nhs", "circle:glasgow-students"),)
PROMOTIONS = (
    ("infirmary-staffing-meeting", "center:common-ground-press"),
    ("infirmary-staffing-meeting", "circle:leeds-city-circle"),
    ("capital-reading-group", "center:new-beginnings"),
    ("tenants-tribunal-training", "circle:oakland-city-circle"),
)
# Registered in this order through services_registrations.register: the first to fill the places, the rest on the
# waiting list (the talk has 4 places: two people wait, one of them the demo member).
REGISTRATIONS = (("leeds-rent-strikes-talk", ("priya", "kit", "fern", "organiser", "member", "ailsa")),)
MINUTES = (
    "Twenty-three of us, from nine wards.\n\n- Agreed to map break cover ward by ward.\n"
    "- Sol and Kit will draft a leaflet.\n- Next meeting: first Tuesday."
)


def _actor(group: str, circles: dict[str, Circle], centers: dict[str, Center]) -> tuple[Person, Any, Any]:
    kind, _sep, slug = group.partition(":")
    if kind == "circle":
        circle = circles.get(slug) or Circle.objects.get(slug=slug)
        membership = circle.memberships.filter(role=Role.ORGANISER).select_related("person").first()
        assert membership is not None
        return membership.person, circle, None
    center = centers.get(slug) or Center.objects.get(slug=slug)
    editorship = center.editorships.select_related("person").first()
    assert editorship is not None
    return editorship.person, None, center


def _fresh(person: Person) -> Person:
    network_permissions.forget_memberships(person)
    return person


def load_demo_events(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo events that are missing; returns how many were created."""
    created = 0
    today = timezone.now().date()
    for spec in EVENTS:
        if Event.objects.filter(slug=spec.slug).exists():
            continue
        try:
            person, circle, center = _actor(spec.host, circles, centers)
        except (Circle.DoesNotExist, Center.DoesNotExist):
            continue
        zone = zoneinfo.ZoneInfo(spec.zone)
        start = datetime.combine(today + timedelta(days=spec.days_ahead), spec.at, tzinfo=zone)
        fields = dict(spec.fields)
        topics = fields.pop("topics", [])
        event = services.create_event(
            person=_fresh(person),
            host_circle=circle,
            host_center=center,
            slug=spec.slug,
            title=spec.title,
            starts_at=start,
            ends_at=start + timedelta(hours=spec.hours),
            time_zone=spec.zone,
            topics=topics,
            **fields,
        )
        created += 1
        if spec.days_ahead < 0:
            services.close_event(
                person=person, event=event, minutes=MINUTES, attendance_count=23, outcomes="A leaflet."
            )
    for slug, group in CO_HOSTS:
        cohosted = Event.objects.filter(slug=slug).first()
        if cohosted is None:
            continue
        host_person, _circle, _center = _actor(_host_group(cohosted), circles, centers)
        invited_person, circle, center = _actor(group, circles, centers)
        existing = EventHost.objects.filter(event=cohosted, circle=circle, center=center).first()
        if existing is None:
            existing = services_hosts.invite_cohost(
                person=_fresh(host_person), event=cohosted, circle=circle, center=center
            )
        if existing.status == HostStatus.PENDING:
            services_hosts.answer_cohost_invite(person=_fresh(invited_person), host=existing, accept=True)
    for slug, group in PROMOTIONS:
        promoted = Event.objects.filter(slug=slug).first()
        if promoted is None:
            continue
        promoter, circle, center = _actor(group, circles, centers)
        if not Promotion.objects.filter(event=promoted, circle=circle, center=center).exists():
            services_hosts.promote(person=_fresh(promoter), event=promoted, circle=circle, center=center)
    for slug, keys in REGISTRATIONS:
        _register(slug, [people[key] for key in keys if key in people])
    return created


def _register(slug: str, registrants: list[Person]) -> None:
    """Register the people in order (places first, then the waiting list), unless the event has registrations."""
    event = Event.objects.filter(slug=slug).first()
    if event is None or Registration.objects.filter(event=event).exists():
        return
    if not event_permissions.registration_is_open(event):
        return
    for person in registrants:
        services_registrations.register(person=_fresh(person), event=event)


def _host_group(event: Event) -> str:
    host = EventHost.objects.filter(event=event, role="host").select_related("circle", "center").first()
    assert host is not None
    return f"circle:{host.circle.slug}" if host.circle else f"center:{host.center.slug if host.center else ''}"
