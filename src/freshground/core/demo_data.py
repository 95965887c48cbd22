"""A small, believable network for `freshground demo`, written as code so that it goes through the services.

Loading is idempotent: people are keyed on e-mail, circles and centers on slug, and every membership, tie, follow,
request and invitation is only made when it is missing. Rows that already exist are left as they are, so whatever
someone changes while trying the demo survives a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from freshground.campaigns.demo import load_demo_campaigns
from freshground.core.demo_network import (
    CENTERS,
    CIRCLES,
    DEMO_PASSWORD,
    FOLLOWS,
    INVITES,
    LOGINS,
    PENDING_REQUESTS,
    PEOPLE,
    TIES,
    CenterSpec,
    CircleSpec,
    DemoLogin,
    PersonSpec,
)
from freshground.debate.demo import load_demo_debates
from freshground.debate.demo_comments import load_demo_comments
from freshground.decisions.demo import load_demo_decisions
from freshground.events.demo import load_demo_events
from freshground.inquiries.demo import load_demo_inquiries
from freshground.journal.demo_articles import load_demo_articles
from freshground.journal.demo_reading import load_demo_reading
from freshground.journal.demo_sources import load_demo_sources
from freshground.moderation.demo import load_demo_moderation
from freshground.network import permissions as network_permissions
from freshground.network import services as network
from freshground.network.models import (
    Center,
    Circle,
    JoinPolicy,
    JoinRequest,
    Membership,
    Role,
    Tie,
)
from freshground.people import services as people_services
from freshground.people.models import Person
from freshground.reports.demo import load_demo_reports
from freshground.speakers.demo import load_demo_speakers
from freshground.unity.demo import load_demo_unity

# Each app's demo content, loaded in this order on top of the network (each loader is idempotent and returns how
# many things it created).
type AppLoader = Callable[[dict[str, Person], dict[str, Circle], dict[str, Center]], int]
APP_LOADERS: tuple[tuple[str, AppLoader], ...] = (
    ("events", load_demo_events),
    ("speakers", load_demo_speakers),
    ("debates", load_demo_debates),
    ("comments", load_demo_comments),
    ("moderation", load_demo_moderation),
    ("reports", load_demo_reports),
    ("inquiries", load_demo_inquiries),
    ("unity", load_demo_unity),
    # The journal: sources fetched from local feed files first, then original writing, then readers' recommendations.
    ("journal sources", load_demo_sources),
    ("journal articles", load_demo_articles),
    ("journal reading", load_demo_reading),
    # Decisions take the campaigns as options.
    ("campaigns", load_demo_campaigns),
    ("decisions", load_demo_decisions),
)


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


def _fresh(person: Person) -> Person:
    """Forget the per-request membership cache the permission helpers keep on a person."""
    network_permissions.forget_memberships(person)
    return person


class _Loader:
    def __init__(self) -> None:
        self.report = DemoReport()
        self.people: dict[str, Person] = {}
        self.circles: dict[str, Circle] = {}
        self.centers: dict[str, Center] = {}
        self._password_hash: str | None = None

    @property
    def password_hash(self) -> str:
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    def run(self) -> DemoReport:
        for spec in PEOPLE:
            self.people[spec.key] = self.person(spec)
        for center_spec in CENTERS:
            self.centers[center_spec.slug] = self.center(center_spec)
        for circle_spec in CIRCLES:
            self.circles[circle_spec.slug] = self.circle(circle_spec)
        for circle_slug, center_slug, wants, acknowledged, note in TIES:
            self.tie(circle_slug, center_slug, wants, acknowledged, note)
        for key, followed_circle, followed_center in FOLLOWS:
            network.follow(
                person=self.people[key],
                circle=self.circles[followed_circle] if followed_circle else None,
                center=self.centers[followed_center] if followed_center else None,
            )
        for key, slug, message in PENDING_REQUESTS:
            self.pending_request(self.people[key], self.circles[slug], message)
        for slug, key in INVITES:
            circle = self.circles[slug]
            if not circle.invites.exists():
                network.create_invite(person=_fresh(self.people[key]), circle=circle, max_uses=10, days=90)
                self.report.count("invites")
        self.report.logins = [
            DemoLogin(role=role, email=self.people[key].email, name=self.people[key].display_name)
            for key, role in LOGINS
        ]
        for what, load in APP_LOADERS:
            if created := load(self.people, self.circles, self.centers):
                self.report.count(what, created)
        return self.report

    def person(self, spec: PersonSpec) -> Person:
        person, created = Person.objects.get_or_create(
            email=spec.email,
            defaults={
                "display_name": spec.name,
                "password": self.password_hash,
                "is_staff": spec.admin,
                "is_superuser": spec.admin,
                # The demo network has existed for a while: its people are not brand-new accounts, whom moderation
                # holds to stricter limits and checks for spam.
                "date_joined": timezone.now() - timedelta(days=400),
            },
        )
        if created:
            self.report.count("people")
            lat, lon = spec.coords if spec.coords else (None, None)
            people_services.update_profile(
                person=person,
                bio=spec.bio,
                place_name=spec.place,
                latitude=lat,
                longitude=lon,
                languages=list(spec.languages),
                skills=list(spec.skills),
                interests=list(spec.interests),
                visibility=spec.visibility,
                time_zone=_time_zone(spec.place),
            )
        EmailAddress.objects.update_or_create(
            user=person, email=person.email, defaults={"verified": True, "primary": True}
        )
        return person

    def center(self, spec: CenterSpec) -> Center:
        center = Center.objects.filter(slug=spec.slug).first()
        first_editor = self.people[spec.editors[0]]
        if center is None:
            center = network.create_center(
                person=first_editor,
                slug=spec.slug,
                name=spec.name,
                tendency=spec.tendency,
                website=spec.website,
                description=spec.description,
            )
            self.report.count("centers")
        for key in spec.editors[1:]:
            if not center.editorships.filter(person=self.people[key]).exists():
                network.add_center_editor(person=first_editor, center=center, editor=self.people[key])
        return center

    def circle(self, spec: CircleSpec) -> Circle:
        circle = Circle.objects.filter(slug=spec.slug).first()
        organiser = self.people[spec.organisers[0]]
        if circle is None:
            lat, lon = spec.coords if spec.coords else (None, None)
            circle = network.create_circle(
                person=organiser,
                slug=spec.slug,
                name=spec.name,
                kind=spec.kind,
                place_name=spec.place,
                latitude=lat,
                longitude=lon,
                join_policy=spec.join_policy,
                member_list_visibility=spec.member_list,
                description=spec.description,
            )
            self.report.count("circles")
        for key in (*spec.organisers[1:], *spec.members):
            self.member(circle, self.people[key], organiser)
        for key in spec.organisers[1:]:
            membership = Membership.objects.get(circle=circle, person=self.people[key])
            if membership.role != Role.ORGANISER:
                network.set_role(person=_fresh(organiser), circle=circle, member=self.people[key], role=Role.ORGANISER)
        circle.refresh_from_db()
        return circle

    def member(self, circle: Circle, person: Person, organiser: Person) -> None:
        if Membership.objects.filter(circle=circle, person=person).exists():
            return
        if circle.join_policy == JoinPolicy.OPEN:
            network.join_circle(person=_fresh(person), circle=circle)
        else:
            request = network.request_to_join(person=_fresh(person), circle=circle)
            network.decide_join_request(person=_fresh(organiser), join_request=request, approve=True)
        _fresh(person)
        self.report.count("memberships")

    def tie(self, circle_slug: str, center_slug: str, wants: tuple[str, ...], acknowledged: bool, note: str) -> None:
        circle, center = self.circles[circle_slug], self.centers[center_slug]
        tie = Tie.objects.active().filter(circle=circle, center=center).first()
        if tie is None:
            organiser = Membership.objects.filter(circle=circle, role=Role.ORGANISER).select_related("person").first()
            assert organiser is not None
            tie = network.declare_tie(
                person=_fresh(organiser.person), circle=circle, center=center, wants=wants, note=note
            )
            self.report.count("ties")
        if acknowledged and tie.acknowledged_at is None:
            editor = center.editorships.select_related("person").first()
            assert editor is not None
            network.acknowledge_tie(person=editor.person, tie=tie)

    def pending_request(self, person: Person, circle: Circle, message: str) -> None:
        if Membership.objects.filter(circle=circle, person=person).exists():
            return
        if JoinRequest.objects.filter(circle=circle, person=person).exists():
            return
        network.request_to_join(person=_fresh(person), circle=circle, message=message)
        self.report.count("join requests")


def _time_zone(place: str) -> str:
    zones: dict[str, Any] = {
        "Leeds": "Europe/London",
        "Glasgow": "Europe/London",
        "Chicago": "America/Chicago",
        "Oakland": "America/Los_Angeles",
        "Toronto": "America/Toronto",
        "Melbourne": "Australia/Melbourne",
        "Amman": "Asia/Amman",
        "Berlin": "Europe/Berlin",
        "Santiago": "America/Santiago",
        "Lyon": "Europe/Paris",
    }
    return str(zones.get(place, "UTC"))


def load_demo() -> DemoReport:
    """Create (or complete) the demo network. Running it again creates nothing new."""
    with transaction.atomic():
        return _Loader().run()
