"""A synthetic network of any size, for benchmarks and load tests.

Everything is planned in memory first (who is in which circle, which circle ties to which center, who follows what),
so the denormalised counters are known before a row is written; then rows go in with bulk_create, in batches, each
batch in its own transaction. Passwords are hashed once for everybody (or left unusable): hashing per person would
take longer than the rest of the run.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from freshground.core.models import Tag
from freshground.core.progress import progress
from freshground.network.models import (
    Center,
    CenterEditor,
    Circle,
    CircleKind,
    Follow,
    JoinPolicy,
    MemberListVisibility,
    Membership,
    Role,
    Tie,
    TieWant,
)
from freshground.people.models import Person, Visibility

BATCH_SIZE = 2000

# fmt: off
# (city, latitude, longitude): a spread of places so that "near me" and place filters have something to find.
CITIES: tuple[tuple[str, float, float], ...] = (
    ("Leeds", 53.80, -1.55), ("Glasgow", 55.86, -4.25), ("Manchester", 53.48, -2.24), ("London", 51.51, -0.13),
    ("Cardiff", 51.48, -3.18), ("Belfast", 54.60, -5.93), ("Dublin", 53.35, -6.26), ("Bristol", 51.45, -2.59),
    ("Chicago", 41.88, -87.63), ("Oakland", 37.80, -122.27), ("Detroit", 42.33, -83.05), ("New York", 40.71, -74.01),
    ("Philadelphia", 39.95, -75.17), ("Minneapolis", 44.98, -93.27), ("Seattle", 47.61, -122.33),
    ("Atlanta", 33.75, -84.39), ("Houston", 29.76, -95.37), ("Los Angeles", 34.05, -118.24),
    ("Toronto", 43.65, -79.38), ("Montréal", 45.50, -73.57), ("Vancouver", 49.28, -123.12),
    ("Melbourne", -37.81, 144.96), ("Sydney", -33.87, 151.21), ("Auckland", -36.85, 174.76),
    ("Berlin", 52.52, 13.40), ("Hamburg", 53.55, 9.99), ("Paris", 48.86, 2.35), ("Lyon", 45.76, 4.84),
    ("Madrid", 40.42, -3.70), ("Barcelona", 41.39, 2.17), ("Lisbon", 38.72, -9.14), ("Milan", 45.46, 9.19),
    ("Athens", 37.98, 23.73), ("Vienna", 48.21, 16.37), ("Warsaw", 52.23, 21.01), ("Stockholm", 59.33, 18.07),
    ("Johannesburg", -26.20, 28.05), ("Lagos", 6.52, 3.38), ("Nairobi", -1.29, 36.82), ("Cairo", 30.04, 31.24),
    ("São Paulo", -23.55, -46.63), ("Buenos Aires", -34.60, -58.38), ("Mexico City", 19.43, -99.13),
    ("Bogotá", 4.71, -74.07), ("Santiago", -33.45, -70.67), ("Mumbai", 19.08, 72.88), ("Delhi", 28.61, 77.21),
    ("Seoul", 37.57, 126.98), ("Tokyo", 35.68, 139.69), ("Manila", 14.60, 120.98),
)
KIND_NAMES: dict[str, tuple[str, ...]] = {
    CircleKind.WORKPLACE: (
        "Hospital Workers", "Warehouse Workers", "Transit Workers", "Care Workers", "Teachers", "Call Centre",
        "Couriers", "Library Staff", "Nurses", "Dock Workers", "Bakery Workers", "Print Shop",
    ),
    CircleKind.SCHOOL: ("University Students", "College Students", "Sixth Form", "Graduate Workers"),
    CircleKind.NEIGHBOURHOOD: ("Tenants", "Estate Residents", "Mutual Aid", "Allotment Neighbours"),
    CircleKind.CITY: ("City Circle", "Reading Group", "Discussion Circle"),
    CircleKind.REGION: ("Regional Link-up", "Valleys Circle"),
    CircleKind.ONLINE: ("Online Study Group", "Night Shift Online", "Translators"),
    CircleKind.OTHER: ("Film Club", "Choir", "Bike Kitchen"),
}
KIND_WEIGHTS: dict[str, int] = {
    CircleKind.WORKPLACE: 35, CircleKind.SCHOOL: 12, CircleKind.NEIGHBOURHOOD: 20, CircleKind.CITY: 18,
    CircleKind.REGION: 5, CircleKind.ONLINE: 7, CircleKind.OTHER: 3,
}
TENDENCIES: tuple[str, ...] = (
    "democratic socialist", "libertarian socialist", "anarchist", "Marxist-Humanist", "Trotskyist",
    "ecosocialist", "council communist", "syndicalist", "feminist socialist", "left communist",
)
CENTER_WORDS: tuple[str, ...] = (
    "Red Thread", "Common Ground", "New Dawn", "Open Road", "Daybreak", "Green Shoots", "Tidewater", "Millstone",
    "Long March", "Spark", "Solidarity", "Lantern", "Wildflower", "Compass", "Bread and Roses", "Cornerstone",
)
CENTER_SUFFIXES: tuple[str, ...] = ("Center", "Press", "Collective", "Institute", "Review", "Project", "Network")
FIRST: tuple[str, ...] = (
    "Ada", "Amara", "Bo", "Cass", "Dara", "Eli", "Femi", "Gus", "Hana", "Ines", "Jo", "Kai", "Lena", "Mo", "Nia",
    "Ola", "Pat", "Quin", "Rosa", "Sam", "Tam", "Uma", "Vic", "Wren", "Xan", "Yara", "Zed", "Ari", "Bea", "Cleo",
)
LAST: tuple[str, ...] = (
    "Lark", "Finch", "Moss", "Reed", "Stone", "Vale", "Brook", "Ash", "Heath", "Rowan", "Birch", "Fern", "Wade",
    "Flint", "Marsh", "Hale", "Cole", "Dale", "Frost", "Gale", "Holt", "Kerr", "Lowe", "Nash", "Pike",
)
TAG_NAMES: tuple[str, ...] = (
    "organising", "translation", "first aid", "design", "writing", "printing", "web development", "legal support",
    "childcare", "cooking", "photography", "public speaking", "accounting", "research", "video editing",
    "history", "ecology", "housing", "labour law", "philosophy", "poetry", "cycling", "music", "economics",
)
LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "pt", "it", "pl", "ar", "hi", "tl", "ko", "ja", "sw", "yo")
VISIBILITY_CHOICES: tuple[str, ...] = (Visibility.PUBLIC, Visibility.CIRCLES, Visibility.PRIVATE)
CIRCLES_PER_PERSON = (0, 1, 2, 3, 4)
CIRCLES_PER_PERSON_WEIGHTS = (25, 35, 22, 12, 6)
TIES_PER_CIRCLE = (0, 1, 2, 3, 4)
TIES_PER_CIRCLE_WEIGHTS = (30, 35, 20, 10, 5)
# fmt: on


@dataclass
class SeedReport:
    run: str
    people: int = 0
    circles: int = 0
    centers: int = 0
    memberships: int = 0
    ties: int = 0
    follows: int = 0
    editors: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def _batches[M: models.Model](items: Sequence[M], size: int) -> Iterator[Sequence[M]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert[M: models.Model](
    model: type[M], rows: Sequence[M], label: str, stream: TextIO | None, interactive: bool | None
) -> None:
    """bulk_create in batches, one transaction each; primary keys are set on the objects afterwards."""
    with progress(label, total=len(rows), stream=stream, interactive=interactive) as step:
        for batch in _batches(rows, BATCH_SIZE):
            with transaction.atomic():
                model._default_manager.bulk_create(batch, batch_size=BATCH_SIZE)
            step.advance(len(batch))


def _skewed_weights(count: int, rng: random.Random) -> list[float]:
    """Popularity that falls off like real groups: a few big circles, many small ones."""
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(count)]
    rng.shuffle(weights)
    return weights


def _distinct(rng: random.Random, population: int, cum_weights: list[float], k: int) -> list[int]:
    if k <= 0 or population == 0:
        return []
    k = min(k, population)
    chosen: set[int] = set()
    # Weighted draws with replacement, deduplicated; a handful of tries is plenty for k ≤ 4.
    for _attempt in range(4):
        chosen.update(rng.choices(range(population), cum_weights=cum_weights, k=k - len(chosen)))
        if len(chosen) >= k:
            break
    return sorted(chosen)


def _cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    cumulative = []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return cumulative


def seed_network(
    scale: int,
    *,
    seed: int | None = None,
    password: str | None = None,
    stream: TextIO | None = None,
    interactive: bool | None = None,
) -> SeedReport:
    """Create `scale` people and a proportional network around them. Safe to run again: every run has a prefix."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    run = secrets.token_hex(3)
    report = SeedReport(run=run)
    now = timezone.now()
    n_circles = max(1, scale // 20)
    n_centers = max(5, scale // 1000)

    def mark(name: str, since: float) -> float:
        now_t = time.monotonic()
        report.timings[name] = now_t - since
        return now_t

    tick = time.monotonic()
    # One hash for everyone: the point is the shape of the data, not the passwords.
    password_hash = make_password(password)
    tags = _tags()
    people = [_person(rng, run, index, password_hash, now) for index in range(scale)]
    _insert(Person, people, _("People"), stream, interactive)
    report.people = len(people)
    tick = mark("people", tick)

    interest_rows: list[Any] = []
    through = Person.interests.through
    for person in people:
        if rng.random() < 0.3:
            for tag in rng.sample(tags, rng.randint(1, 3)):
                interest_rows.append(through(person_id=person.pk, tag_id=tag.pk))
    _insert(through, interest_rows, _("Interests"), stream, interactive)
    tick = mark("interests", tick)

    # Plan memberships, ties and follows in memory so the counters are right when circles and centers are written.
    circle_cum = _cumulative(_skewed_weights(n_circles, rng))
    center_cum = _cumulative(_skewed_weights(n_centers, rng))
    members: list[list[int]] = [[] for _ in range(n_circles)]
    for person_index in range(scale):
        k = rng.choices(CIRCLES_PER_PERSON, weights=CIRCLES_PER_PERSON_WEIGHTS)[0]
        for circle_index in _distinct(rng, n_circles, circle_cum, k):
            members[circle_index].append(person_index)
    for circle_members in members:
        if not circle_members:
            # Every circle has at least its organiser.
            circle_members.append(rng.randrange(scale))
    ties_plan: list[list[int]] = [
        _distinct(rng, n_centers, center_cum, rng.choices(TIES_PER_CIRCLE, weights=TIES_PER_CIRCLE_WEIGHTS)[0])
        for _ in range(n_circles)
    ]
    circle_followers: list[set[int]] = [set() for _ in range(n_circles)]
    center_followers: list[set[int]] = [set() for _ in range(n_centers)]
    for person_index in range(scale):
        roll = rng.random()
        if roll < 0.45:
            for circle_index in _distinct(rng, n_circles, circle_cum, rng.randint(1, 3)):
                circle_followers[circle_index].add(person_index)
        if roll < 0.2 or roll > 0.9:
            for center_index in _distinct(rng, n_centers, center_cum, rng.randint(1, 2)):
                center_followers[center_index].add(person_index)
    tie_counts = [0] * n_centers
    for chosen in ties_plan:
        for center_index in chosen:
            tie_counts[center_index] += 1
    tick = mark("plan", tick)

    circles = [
        _circle(rng, run, index, len(members[index]), len(circle_followers[index]), now) for index in range(n_circles)
    ]
    for index, circle in enumerate(circles):
        circle.created_by_id = people[members[index][0]].pk
    _insert(Circle, circles, _("Circles"), stream, interactive)
    report.circles = len(circles)
    tick = mark("circles", tick)

    centers = [
        _center(rng, run, index, tie_counts[index], len(center_followers[index]), now) for index in range(n_centers)
    ]
    editor_rows: list[CenterEditor] = []
    for center in centers:
        editors = rng.sample(range(scale), min(scale, rng.randint(1, 3)))
        center.created_by_id = people[editors[0]].pk
        for person_index in editors:
            editor_rows.append(CenterEditor(center=center, person_id=people[person_index].pk, added_at=now))
    _insert(Center, centers, _("Centers"), stream, interactive)
    for row in editor_rows:
        row.center_id = row.center.pk
    _insert(CenterEditor, editor_rows, _("Center editors"), stream, interactive)
    report.centers, report.editors = len(centers), len(editor_rows)
    tick = mark("centers", tick)

    memberships: list[Membership] = []
    for circle, circle_members in zip(circles, members, strict=True):
        organisers = 1 + (len(circle_members) >= 12) + (len(circle_members) >= 60)
        for position, person_index in enumerate(circle_members):
            role = Role.ORGANISER if position < organisers else Role.MEMBER
            joined = circle.created_at + timedelta(days=rng.randint(0, 300))
            memberships.append(
                Membership(circle_id=circle.pk, person_id=people[person_index].pk, role=role, joined_at=joined)
            )
    _insert(Membership, memberships, _("Memberships"), stream, interactive)
    report.memberships = len(memberships)
    tick = mark("memberships", tick)

    ties: list[Tie] = []
    wants = list(TieWant.values)
    for circle_index, chosen in enumerate(ties_plan):
        circle = circles[circle_index]
        for center_index in chosen:
            declared = circle.created_at + timedelta(days=rng.randint(1, 200))
            ties.append(
                Tie(
                    circle_id=circle.pk,
                    center_id=centers[center_index].pk,
                    wants=[w for w in wants if rng.random() < 0.4] or [rng.choice(wants)],
                    declared_by_id=people[members[circle_index][0]].pk,
                    created_at=declared,
                    acknowledged_at=declared + timedelta(days=3) if rng.random() < 0.4 else None,
                )
            )
    _insert(Tie, ties, _("Ties"), stream, interactive)
    report.ties = len(ties)
    tick = mark("ties", tick)

    follows: list[Follow] = []
    for circle_index, followers in enumerate(circle_followers):
        circle_pk = circles[circle_index].pk
        follows.extend(Follow(person_id=people[p].pk, circle_id=circle_pk, created_at=now) for p in sorted(followers))
    for center_index, followers in enumerate(center_followers):
        center_pk = centers[center_index].pk
        follows.extend(Follow(person_id=people[p].pk, center_id=center_pk, created_at=now) for p in sorted(followers))
    _insert(Follow, follows, _("Follows"), stream, interactive)
    report.follows = len(follows)
    mark("follows", tick)

    report.seconds = time.monotonic() - started
    return report


def _tags() -> list[Tag]:
    wanted = {slugify(name): name for name in TAG_NAMES}
    existing = set(Tag.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing], ignore_conflicts=True
    )
    return list(Tag.objects.filter(slug__in=wanted))


def _jitter(rng: random.Random, value: float, spread: float = 0.08) -> float:
    return round(value + rng.uniform(-spread, spread), 5)


def _person(rng: random.Random, run: str, index: int, password_hash: str, now: datetime) -> Person:
    city, lat, lon = rng.choice(CITIES)
    located = rng.random() < 0.6
    return Person(
        email=f"seed-{run}-{index}@seed.example.org",
        password=password_hash,
        display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {index}",
        place_name=city if rng.random() < 0.8 else "",
        latitude=_jitter(rng, lat) if located else None,
        longitude=_jitter(rng, lon) if located else None,
        languages=rng.sample(LANGUAGES, rng.randint(1, 3)),
        visibility={
            "bio": rng.choice(VISIBILITY_CHOICES),
            "place": rng.choice(VISIBILITY_CHOICES),
            "languages": Visibility.PUBLIC,
            "skills": rng.choice(VISIBILITY_CHOICES),
            "interests": rng.choice(VISIBILITY_CHOICES),
        },
        bio="",
        date_joined=now - timedelta(days=rng.randint(0, 900)),
    )


def _circle(rng: random.Random, run: str, index: int, members: int, followers: int, now: datetime) -> Circle:
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    city, lat, lon = rng.choice(CITIES)
    label = rng.choice(KIND_NAMES[kind])
    name = f"{city} {label}" if kind != CircleKind.ONLINE else f"{label} {index}"
    online = kind == CircleKind.ONLINE
    return Circle(
        name=name[:120],
        slug=f"{slugify(name)[:50]}-{run}-{index}",
        description=(
            f"A {label.lower()} circle in {city}. We meet, read, and organise together.\n\n"
            "- open to anyone who shares the work\n- we take notes and share them"
        ),
        kind=kind,
        place_name="" if online else city,
        latitude=None if online else _jitter(rng, lat),
        longitude=None if online else _jitter(rng, lon),
        join_policy=JoinPolicy.OPEN if rng.random() < 0.6 else JoinPolicy.APPROVAL,
        member_list_visibility=MemberListVisibility.PUBLIC if rng.random() < 0.3 else MemberListVisibility.MEMBERS,
        created_at=now - timedelta(days=rng.randint(30, 1200)),
        member_count=members,
        follower_count=followers,
    )


def _center(rng: random.Random, run: str, index: int, ties: int, followers: int, now: datetime) -> Center:
    tendency = TENDENCIES[index % len(TENDENCIES)]
    name = f"{rng.choice(CENTER_WORDS)} {rng.choice(CENTER_SUFFIXES)} {index}"
    return Center(
        name=name,
        slug=f"{slugify(name)[:50]}-{run}",
        description=f"A {tendency} center: pamphlets, a quarterly journal, speakers and advice for circles.",
        tendency=tendency,
        website="",
        created_at=now - timedelta(days=rng.randint(100, 2000)),
        tie_count=ties,
        follower_count=followers,
    )
