"""Debates for `freshground demo`: an open debate argued from circles in four cities, with convincing marks that show
the bridging ranking and an invited statement from a center; and a closed debate with a summary. Idempotent: a debate
whose question exists is left as it is."""

from __future__ import annotations

from freshground.debate import services_debates as services
from freshground.debate import services_summaries
from freshground.debate.models import Debate, Position
from freshground.network import permissions as network_permissions
from freshground.network.models import Center, Circle
from freshground.people.models import Person

ACTIVE_QUESTION = "Should circles in one region federate, or stay loosely tied?"
CLOSED_QUESTION = "What should a new reading group read first?"

ACTIVE_OPENING = (
    "Several circles in the same city now meet separately, print separate leaflets and sometimes call meetings on "
    "the same night.\n\n"
    "Some of us think a regional federation — a delegate meeting once a month with a shared calendar — would stop "
    "the duplication. Others fear it would become a leadership that nobody chose.\n\n"
    "What should circles in one region do? Arguments from every kind of circle are welcome."
)
CLOSED_OPENING = (
    "Every month someone asks where to start. We would like to give one honest answer, or several.\n\n"
    "Make the case for a first text, and say who it suits."
)

# (position index, side, author key, body, [keys of people who find it convincing])
ACTIVE_ARGUMENTS: tuple[tuple[int, str, str, str, tuple[str, ...]], ...] = (
    (
        0,
        "for",
        "ailsa",
        "In Glasgow three circles leafleted the same depot on the same morning. A monthly delegate meeting would "
        "have cost us one evening and saved three mornings.",
        ("june", "meera", "kit", "hana"),
    ),
    (
        0,
        "for",
        "kit",
        "A federation can be *recallable*: delegates carry a mandate and are replaced at the next meeting if they "
        "ignore it.",
        ("priya", "fern", "organiser"),
    ),
    (
        0,
        "against",
        "june",
        "Every federation we have seen in Oakland ended up with the same five people speaking for everyone. Ties "
        "between circles already let us coordinate when we choose to.",
        ("cass", "tomas", "sky", "rafa"),
    ),
    (
        1,
        "for",
        "meera",
        "Stay tied, and share one calendar. Parkdale tenants coordinate with the city circle through the calendar "
        "alone, and nobody had to give up a say.",
        ("ailsa", "andre", "liam", "june"),
    ),
    (
        1,
        "against",
        "jamal",
        "Loose ties work for announcements, but not for a strike: then you need a body that can decide quickly.",
        ("marek",),
    ),
)

CLOSED_ARGUMENTS: tuple[tuple[int, str, str, str, tuple[str, ...]], ...] = (
    (
        0,
        "for",
        "tess",
        "Short, and every sentence is argued. A group that reads it together learns how to read the rest.",
        ("liam", "aroha", "hana"),
    ),
    (
        1,
        "for",
        "andre",
        "Start where people are: a history of their own town or trade gives the theory something to hold on to.",
        ("tess", "ezra", "iona", "bo"),
    ),
)


def _fresh(person: Person) -> Person:
    network_permissions.forget_memberships(person)
    return person


def _argue(
    debate: Debate,
    positions: list[Position],
    rows: tuple[tuple[int, str, str, str, tuple[str, ...]], ...],
    people: dict[str, Person],
) -> None:
    for index, side, author_key, body, convinced in rows:
        author = people.get(author_key)
        if author is None or index >= len(positions):
            continue
        argument = services.add_argument(person=_fresh(author), position=positions[index], side=side, body=body)
        for key in convinced:
            someone = people.get(key)
            if someone is not None and someone.pk != author.pk:
                services.set_convincing(person=someone, argument=argument)


def _organiser_of(circle: Circle) -> Person | None:
    membership = circle.memberships.filter(role="organiser").select_related("person").first()
    return membership.person if membership else None


def _editor_of(center: Center) -> Person | None:
    editorship = center.editorships.select_related("person").first()
    return editorship.person if editorship else None


def load_demo_debates(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo debates that are missing; returns how many were created."""
    created = 0
    created += _active(people, circles, centers)
    created += _closed(people, centers)
    return created


def _active(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    circle = circles.get("leeds-city-circle")
    if circle is None or Debate.objects.filter(question=ACTIVE_QUESTION).exists():
        return 0
    opener = _organiser_of(circle)
    if opener is None:
        return 0
    debate = services.create_debate(
        person=_fresh(opener),
        circle=circle,
        question=ACTIVE_QUESTION,
        opening_statement=ACTIVE_OPENING,
        topics=["organising", "federation"],
        positions=["Federate with a monthly delegate meeting", "Stay loosely tied and share a calendar"],
    )
    positions = list(debate.positions.order_by("order"))
    _argue(debate, positions, ACTIVE_ARGUMENTS, people)
    thistle = centers.get("thistle-library")
    thistle_editor = _editor_of(thistle) if thistle else None
    if thistle is not None and thistle_editor is not None:
        invitation = services.invite(person=_fresh(opener), debate=debate, center=thistle)
        services.state_position(
            person=_fresh(thistle_editor),
            invitation=invitation,
            position=positions[1],
            statement=(
                "Thistle Library supports **loose ties**. Coordination is welcome; a body that speaks for circles "
                "is not. We offer our reading room to any delegate meeting that circles call themselves, for one "
                "evening at a time."
            ),
        )
    press = centers.get("common-ground-press")
    if press is not None:
        services.invite(person=_fresh(opener), debate=debate, center=press)
    return 1


def _closed(people: dict[str, Person], centers: dict[str, Center]) -> int:
    center = centers.get("new-beginnings")
    if center is None or Debate.objects.filter(question=CLOSED_QUESTION).exists():
        return 0
    opener = _editor_of(center)
    if opener is None:
        return 0
    debate = services.create_debate(
        person=_fresh(opener),
        center=center,
        question=CLOSED_QUESTION,
        opening_statement=CLOSED_OPENING,
        topics=["reading groups"],
        positions=["A short classic", "A history of our own place"],
    )
    positions = list(debate.positions.order_by("order"))
    _argue(debate, positions, CLOSED_ARGUMENTS, people)
    services_summaries.close_debate(
        person=_fresh(opener),
        debate=debate,
        positions="Two answers: a short classic read closely, or a local history that leads into theory.",
        agreements="Read together, slowly, and let newcomers choose the second text.",
        open_questions="Whether one list can suit workplace and student circles alike.",
    )
    return 1
