"""Campaigns for `freshground demo`: two campaigns co-sponsored by several circles and centers, with goals, actions,
tasks, progress reports, a kit (one item adapted by a sponsor circle), a pending request to co-sponsor, and a petition
with confirmed signatures. Idempotent: a campaign whose slug exists is left as it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from freshground.campaigns import permissions as perms
from freshground.campaigns import (
    queries,
    services,
    services_actions,
    services_kits,
    services_petitions,
    services_progress,
)
from freshground.campaigns.models import ActionStatus, Campaign, GoalUnit, KitKind, Scope
from freshground.core.models import Tag
from freshground.events.models import Event
from freshground.network.models import Center, Circle, Role
from freshground.people.models import Person


@dataclass(frozen=True)
class DemoCampaign:
    slug: str
    title: str
    initiator: str  # "circle:<slug>" or "center:<slug>"
    co_sponsors: tuple[str, ...]
    pending: tuple[str, ...]
    topic: str
    fields: dict[str, Any]
    goals: tuple[dict[str, Any], ...]
    actions: tuple[tuple[str, int, str, int, str, str], ...]  # title, days ahead, place, people, status, event slug
    tasks: tuple[tuple[str, int, bool], ...]  # title, days until due, done
    reports: tuple[tuple[str, str], ...]  # sponsor key, body
    kit: tuple[tuple[str, str, str], ...]  # kind, title, body
    petition: dict[str, Any] | None
    signers: tuple[tuple[str, str, bool], ...]  # name, place, show name


CAMPAIGNS: tuple[DemoCampaign, ...] = (
    DemoCampaign(
        slug="safe-staffing-leeds-infirmary",
        title="Safe staffing at the Leeds Infirmary",
        initiator="circle:leeds-infirmary-workers",
        co_sponsors=("circle:leeds-city-circle", "center:common-ground-press"),
        pending=("circle:night-shift-online",),
        topic="Health care",
        fields={
            "description": "Wards run a nurse short on most nights, and break cover has all but gone. We want the "
            "trust to publish ward staffing every shift and to fill the gaps with permanent posts, not agency "
            "shifts.\n\nEveryone who works at the Infirmary, and everyone who gets treated there, has a stake.",
            "demands": [
                "Publish actual staffing against safe levels for every ward, every shift",
                "Fill vacancies with permanent posts",
                "Guaranteed break cover on nights",
            ],
            "scope": Scope.LOCAL,
            "place_name": "Leeds",
            "latitude": 53.802,
            "longitude": -1.551,
            "tags": ["NHS", "staffing"],
        },
        goals=(
            {"label": "People at the trust board meeting", "unit": GoalUnit.TURNOUT, "target": 150, "current": 40},
            {"label": "Councillors backing the motion", "unit": GoalUnit.COUNCIL_VOTES, "target": 50, "current": 21},
        ),
        actions=(
            ("Stall outside the main entrance", 4, "Great George St, Leeds", 6, ActionStatus.CONFIRMED, ""),
            (
                "Staffing meeting: what we do next",
                6,
                "Infirmary social club",
                0,
                ActionStatus.CONFIRMED,
                "infirmary-staffing-meeting",
            ),
            ("Deputation to the trust board", 21, "St James's University Hospital", 30, ActionStatus.PLANNED, ""),
        ),
        tasks=(
            ("Print 1,000 leaflets", 3, False),
            ("Book the room for the report-back", 10, False),
            ("Collect ward staffing figures from the rota", -2, True),
        ),
        reports=(
            (
                "circle:leeds-infirmary-workers",
                "We collected **212 signatures** at shift change on Tuesday and "
                "Wednesday, and three porters joined the circle.",
            ),
            (
                "center:common-ground-press",
                "Our pamphlet *Who staffs the ward?* is printed: 500 copies are at the "
                "Leeds City Circle's shelf for any sponsor to take.",
            ),
            (
                "circle:leeds-city-circle",
                "Twelve of us leafleted the market on Saturday; the Labour and Green "
                "councillors both said they would back the motion.",
            ),
        ),
        kit=(
            (
                KitKind.LEAFLET,
                "Short-staffed is unsafe",
                "## Short-staffed is unsafe\n\nOn most nights a ward at "
                "the Infirmary runs one nurse short.\n\n- Ask the trust to publish staffing\n- Sign the petition\n"
                "- Come to the board meeting",
            ),
            (
                KitKind.TALKING_POINTS,
                "Talking points for the stall",
                "1. Staffing is a patient safety issue.\n"
                "2. Agency shifts cost more than permanent posts.\n3. Break cover is a legal right.",
            ),
        ),
        petition={
            "title": "Publish safe staffing at the Leeds Infirmary",
            "target": "The board of Leeds Teaching Hospitals NHS Trust",
            "text": "We, patients, staff and neighbours of the Leeds General Infirmary, call on the trust board to "
            "publish actual staffing against safe levels for every ward, every shift, and to fill vacancies with "
            "permanent posts.",
            "signature_goal": 2000,
        },
        signers=(
            ("Priya Shah", "Leeds", True),
            ("Tom Walsh", "Headingley", True),
            ("Anonymous porter", "Leeds", False),
            ("Fern Okafor", "Chapeltown", True),
            ("Kit Marlowe", "Leeds", True),
            ("Grace Lee", "Armley", False),
        ),
    ),
    DemoCampaign(
        slug="rent-freeze-now",
        title="Rent freeze now: tenants across three cities",
        initiator="circle:parkdale-tenants",
        co_sponsors=("circle:fruitvale-neighbours", "circle:oakland-city-circle", "center:thistle-library"),
        pending=("circle:glasgow-students",),
        topic="Housing",
        fields={
            "description": "Tenant circles in Toronto and Oakland face the same landlords' tactics: above-guideline "
            "increases, renovictions and repairs left undone. We campaign together for a rent freeze and share "
            "what works.",
            "demands": ["A two-year rent freeze", "An end to renovictions", "Repairs within 14 days"],
            "scope": Scope.INTERNATIONAL,
            "place_name": "Toronto and Oakland",
            "tags": ["rent", "tenants"],
        },
        goals=(
            {"label": "Buildings with a tenants' committee", "unit": GoalUnit.MEMBERS, "target": 40, "current": 17},
        ),
        actions=(
            ("Door-knocking, 1501 King St W", 2, "Parkdale, Toronto", 10, ActionStatus.CONFIRMED, ""),
            ("Joint video call of tenant circles", 9, "Online", 0, ActionStatus.PLANNED, ""),
            ("Rally at Oakland City Hall", 30, "Oakland", 100, ActionStatus.PLANNED, ""),
        ),
        tasks=(("Translate the leaflet into Spanish and Portuguese", 5, False), ("Update the repairs log", 1, False)),
        reports=(
            (
                "circle:parkdale-tenants",
                "Two more buildings formed committees this week. The tribunal hearing on "
                "the above-guideline increase is set for next month.",
            ),
            (
                "circle:fruitvale-neighbours",
                "The Saturday food share doubled as a sign-up table: 34 new names for the rent freeze.",
            ),
        ),
        kit=(
            (
                KitKind.LEAFLET,
                "Know your rights as a tenant",
                "## Know your rights\n\n- Your landlord must give "
                "notice before any increase.\n- Renovation is not a reason to evict you without a permit.\n"
                "- Keep a repairs log: date, photo, who you told.",
            ),
        ),
        petition=None,
        signers=(),
    ),
)


def _party(key: str, circles: dict[str, Circle], centers: dict[str, Center]) -> tuple[Person, Circle | Center] | None:
    kind, _sep, slug = key.partition(":")
    if kind == "circle":
        circle = circles.get(slug) or Circle.objects.filter(slug=slug).first()
        if circle is None:
            return None
        membership = circle.memberships.filter(role=Role.ORGANISER).select_related("person").first()
        return (membership.person, circle) if membership is not None else None
    center = centers.get(slug) or Center.objects.filter(slug=slug).first()
    if center is None:
        return None
    editorship = center.editorships.select_related("person").first()
    return (editorship.person, center) if editorship is not None else None


def _fresh(person: Person) -> Person:
    perms.forget(person)
    return person


def _topic(name: str) -> Tag:
    return (
        Tag.objects.filter(name__iexact=name).first() or services.resolve_topic(name) or Tag.objects.create(name=name)
    )


def load_demo_campaigns(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo campaigns that are missing; returns how many were created."""
    created = 0
    for spec in CAMPAIGNS:
        if Campaign.objects.filter(slug=spec.slug).exists():
            continue
        initiator = _party(spec.initiator, circles, centers)
        if initiator is None:
            continue
        created += 1
        _build(spec, initiator, circles, centers)
    return created


def _build(
    spec: DemoCampaign,
    initiator: tuple[Person, Circle | Center],
    circles: dict[str, Circle],
    centers: dict[str, Center],
) -> None:
    organiser, party = initiator
    fields = dict(spec.fields)
    campaign = services.create_campaign(
        actor=_fresh(organiser), sponsor=party, title=spec.title, topic=_topic(spec.topic), **fields
    )
    Campaign.objects.filter(pk=campaign.pk).update(slug=spec.slug)
    campaign = Campaign.objects.get(pk=campaign.pk)
    for key in spec.co_sponsors:
        found = _party(key, circles, centers)
        if found is None:
            continue
        request = services.request_sponsorship(actor=_fresh(found[0]), campaign=campaign, party=found[1])
        services.decide_sponsorship(actor=_fresh(organiser), sponsor=request, accept=True)
    for key in spec.pending:
        found = _party(key, circles, centers)
        if found is not None:
            services.request_sponsorship(
                actor=_fresh(found[0]), campaign=campaign, party=found[1], message="We would like to join in."
            )
    campaign = Campaign.objects.get(pk=campaign.pk)
    for goal in spec.goals:
        services.add_goal(actor=_fresh(organiser), campaign=campaign, **goal)
    today = timezone.localdate()
    for title, days, place, needed, status, event_slug in spec.actions:
        event = Event.objects.filter(slug=event_slug).first() if event_slug else None
        starts = datetime.combine(today + timedelta(days=days), time(18, 0), tzinfo=timezone.get_current_timezone())
        services_actions.add_action(
            actor=organiser,
            campaign=campaign,
            title=title,
            starts_at=event.starts_at if event is not None else starts,
            place_name=place,
            people_needed=needed,
            status=status,
            event=event,
        )
    members = [m.person for m in party.memberships.select_related("person")[:3]] if isinstance(party, Circle) else []
    for i, (title, due, done) in enumerate(spec.tasks):
        assignees = [members[i % len(members)]] if members else []
        task = services_actions.add_task(
            actor=organiser, campaign=campaign, title=title, due_on=today + timedelta(days=due), assignees=assignees
        )
        if done:
            services_actions.set_task_done(actor=organiser, task=task, done=True)
    sponsors = {f"{'circle' if s.circle_id else 'center'}:{s.party.slug}": s for s in queries.active_sponsors(campaign)}
    for key, body in spec.reports:
        sponsor = sponsors.get(key)
        found = _party(key, circles, centers)
        if sponsor is not None and found is not None:
            services_progress.post_progress(actor=_fresh(found[0]), campaign=campaign, sponsor=sponsor, body=body)
    items = [
        services_kits.add_kit_item(actor=organiser, campaign=campaign, kind=kind, title=title, body=body)
        for kind, title, body in spec.kit
    ]
    circle_sponsors = [s for s in queries.active_sponsors(campaign) if s.circle_id and not s.initiator]
    if items and circle_sponsors:
        adopter = _party(f"circle:{circle_sponsors[0].party.slug}", circles, centers)
        if adopter is not None and isinstance(adopter[1], Circle):
            copy = services_kits.copy_kit_item(actor=_fresh(adopter[0]), item=items[0], circle=adopter[1])
            services_kits.update_kit_item(
                actor=adopter[0], item=copy, body=copy.body + "\n\n*Handed out by " + adopter[1].name + ".*"
            )
    if spec.petition is not None:
        petition = services_petitions.create_petition(actor=organiser, campaign=campaign, **spec.petition)
        for n, (name, place, show) in enumerate(spec.signers):
            signature = services_petitions.sign_petition(
                actor=None,
                petition=petition,
                name=name,
                email=f"signer{n}@{spec.slug}.example.org",
                place_name=place,
                show_name=show,
            )
            if n < len(spec.signers) - 1:  # the last one has not confirmed yet
                services_petitions.confirm_signature(token=services_petitions.signature_token(signature))
