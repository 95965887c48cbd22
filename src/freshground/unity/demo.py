"""Demo data for unity: a conversation about what unites us, with 300 synthetic participants in three planted opinion
groups (each agrees with its own statements and disagrees with the others') and three planted consensus statements
that nearly everyone agrees with. Deterministic (a fixed seed), stored with bulk_create, analysed once; idempotent."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from freshground.network.models import Center, Circle
from freshground.people.models import Person
from freshground.unity import analysis_runs, services, services_documents
from freshground.unity.models import Conversation, Participant, Statement, Vote

TITLE = "What unites us?"
DESCRIPTION = (
    "Circles and centers disagree about a lot. Vote on short statements, one at a time, and add your own: the analysis "
    "finds the opinion groups among us and the points of agreement that cut across them."
)
SEED = 1917
PER_GROUP = 100
SEEN = 0.85  # share of statements each synthetic participant votes on
LOYALTY = 0.88  # how often a participant votes with their group on a group-defining statement

CONSENSUS = (
    "Working people should decide together what is produced and how, not a handful of owners.",
    "No one should have to choose between heating and eating.",
    "Circles should keep their own decisions even when they work with others.",
)
GROUPS = (
    (  # a union-centred current
        "Winning recognition in our workplaces comes before anything else.",
        "Strikes are the strongest tool we have.",
        "Every circle should have a workplace organiser.",
        "Union dues are the best money a worker spends.",
        "Elections mostly distract from organising at work.",
    ),
    (  # an electoral current
        "We should run our own candidates in local elections.",
        "A political party is needed to unite the circles.",
        "Winning a council majority would change people's lives quickly.",
        "A newspaper of our own should speak for all the circles.",
        "Centers should endorse candidates before elections.",
    ),
    (  # a mutual-aid, neighbourhood current
        "Mutual aid in our neighbourhoods builds more trust than any campaign.",
        "Tenants' unions matter as much as workplace unions.",
        "We should never hand our decisions to representatives.",
        "Food banks run by circles are a form of organising.",
        "Small circles that stay small are a strength, not a weakness.",
    ),
)


def _opener(people: dict[str, Person], circles: dict[str, Circle]) -> tuple[Person | None, Circle | None]:
    circle = circles.get("leeds-city-circle")
    if circle is not None:
        membership = circle.memberships.filter(role="organiser").select_related("person").first()
        if membership is not None:
            return membership.person, circle
    return next(iter(people.values()), None), None


def _value(group: int, statement_group: int | None, rng: random.Random) -> int:
    if statement_group is None:  # planted consensus
        return rng.choices((1, 0, -1), weights=(0.9, 0.07, 0.03))[0]
    loyal = rng.random() < LOYALTY
    if statement_group == group:
        return 1 if loyal else rng.choice((0, -1))
    return -1 if loyal else rng.choice((0, 1))


@transaction.atomic
def load_demo_unity(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo conversation if it is missing (with its votes and a first analysis); returns 1 or 0."""
    if Conversation.objects.filter(title=TITLE, description=DESCRIPTION).exists():
        return 0
    opener, circle = _opener(people, circles)
    if opener is None:
        return 0
    texts = [*CONSENSUS, *(text for group in GROUPS for text in group)]
    conversation = services.open_conversation(
        person=opener, title=TITLE, description=DESCRIPTION, circle=circle, seed_statements=texts, allow_anonymous=True
    )
    statements = {s.text: s for s in Statement.objects.filter(conversation=conversation)}
    planted: list[tuple[Statement, int | None]] = [(statements[text], None) for text in CONSENSUS]
    planted += [(statements[text], index) for index, group in enumerate(GROUPS) for text in group]
    now = timezone.now()
    participants = Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, external_id=f"demo-{group}-{n}", created_at=now)
            for group in range(len(GROUPS))
            for n in range(PER_GROUP)
        ]
    )
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    votes = []
    for participant in participants:
        group = int(participant.external_id.split("-")[1])
        for statement, statement_group in planted:
            if rng.random() < SEEN:
                value = _value(group, statement_group, rng)
                votes.append(
                    Vote(
                        conversation=conversation,
                        participant=participant,
                        statement=statement,
                        value=value,
                        created_at=now,
                        updated_at=now,
                    )
                )
    Vote.objects.bulk_create(votes, batch_size=5_000)
    analysis_runs.run_analysis(conversation)
    _demo_document(conversation, opener, circles)
    return 1


DOCUMENT_TITLE = "Points of unity: what unites us"
DOCUMENT_PREAMBLE = (
    "Drafted from the statements every opinion group in the conversation agreed with. Circles that endorse it say "
    "they will build on these points together."
)
ENDORSERS = 2  # demo circles whose organisers endorse the document


def _demo_document(conversation: Conversation, opener: Person, circles: dict[str, Circle]) -> None:
    """The points-of-unity document drafted from the planted consensus, endorsed by the first circles that have an
    organiser (the opener's circle first)."""
    snapshot = analysis_runs.latest_snapshot(conversation)
    ranked = [int(item["statement"]) for item in (snapshot.summary.get("consensus") if snapshot else None) or []]
    texts = dict(Statement.objects.filter(conversation=conversation, pk__in=ranked).values_list("pk", "text"))
    chosen = [pk for pk in ranked if texts.get(pk) in CONSENSUS] or ranked[: len(CONSENSUS)]
    if not chosen:
        return
    document = services_documents.draft_document(
        person=opener,
        conversation=conversation,
        title=DOCUMENT_TITLE,
        preamble=DOCUMENT_PREAMBLE,
        statement_ids=chosen,
    )
    version = document.versions.get()
    endorsed = 0
    ordered = sorted(circles.values(), key=lambda c: (c.pk != conversation.circle_id, c.slug))
    for circle in ordered:
        membership = circle.memberships.filter(role="organiser").select_related("person").first()
        if membership is None:
            continue
        services_documents.endorse(person=membership.person, version=version, circle=circle)
        endorsed += 1
        if endorsed >= ENDORSERS:
            break
