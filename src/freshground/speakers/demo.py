"""Speakers for `freshground demo`: a member and a non-member on the roster, endorsements, invitations from circles
in Britain and Chicago, one talk accepted onto the calendar and a proposed tour. Idempotent: a speaker who is on the
roster already is left as they are.

core.demo_data calls load_demo_speakers(people, circles, centers) after the events (the same dictionaries, keyed by
the demo's person keys and slugs).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from freshground.network import permissions as network_permissions
from freshground.network.models import Center, Circle
from freshground.people.models import Person
from freshground.speakers import services, services_requests, services_tours
from freshground.speakers.models import Speaker

TAMSIN: dict[str, Any] = {
    "name": "Tamsin Reed",
    "bio": "Edits pamphlets for Common Ground Press. Speaks on the history of workers' papers and on writing for "
    "your own workplace.",
    "topics": ["political economy", "unions", "poetry"],
    "talks": [
        {
            "title": "Pamphlets that travelled",
            "abstract": "How a four-page bulletin crossed from one shop floor to fifty, and why people passed it on.",
        },
        {
            "title": "Write it yourself",
            "abstract": "A workshop talk: a leaflet in an evening, with the people you work with.",
        },
    ],
    "languages": ["en", "gd"],
    "place_name": "Glasgow",
    "latitude": 55.86,
    "longitude": -4.25,
    "regions": ["Scotland", "North of England"],
    "fees": "No fee. Train fare, and a sofa is fine.",
    "accessibility_needs": "",
}
MAGGIE: dict[str, Any] = {
    "name": "Maggie Dunmore",
    "bio": "Retired theatre nurse and branch secretary for thirty years. Not online; Moth passes invitations on.",
    "topics": ["health", "history", "unions"],
    "talks": [
        {"title": "When the porters walked out", "abstract": "The 1970s hospital disputes, told from the wards."}
    ],
    "languages": ["en"],
    "place_name": "Manchester",
    "latitude": 53.48,
    "longitude": -2.24,
    "regions": ["North of England"],
    "fees": "Expenses only.",
    "accessibility_needs": "Step-free access, please; a chair at the front.",
    "contact_email": "",
}
ANDRE: dict[str, Any] = {
    "name": "André Baptiste",
    "topics": ["history", "political economy"],
    "talks": [{"title": "Reading Dunayevskaya today", "abstract": "Marxist-Humanism and the new movements."}],
    "languages": ["en", "ht"],
    "place_name": "Chicago",
    "latitude": 41.88,
    "longitude": -87.63,
    "regions": ["Midwest"],
    "fees": "Bus fare.",
}


def _fresh(person: Person) -> Person:
    network_permissions.forget_memberships(person)
    return person


def _ask(person: Person, speaker: Speaker, circle: Circle, first: int, last: int, topic: str, **extra: Any) -> Any:
    today = timezone.localdate()
    return services_requests.send_request(
        person=_fresh(person),
        speaker=speaker,
        circle=circle,
        topic=topic,
        earliest=today + timedelta(days=first),
        latest=today + timedelta(days=last),
        time_zone=extra.pop("time_zone", "Europe/London"),
        **extra,
    )


def load_demo_speakers(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo speakers that are missing and their requests; returns how many speakers were created."""
    needed_people = {"editor", "organiser", "andre", "dev", "ailsa", "rory", "lupe"}
    needed_circles = {
        "leeds-infirmary-workers",
        "leeds-city-circle",
        "glasgow-warehouse-circle",
        "glasgow-students",
        "chicago-teachers",
    }
    if not needed_people <= set(people) or not needed_circles <= set(circles):
        return 0
    created = 0
    today = timezone.localdate()
    if not Speaker.objects.filter(person=people["editor"]).exists():
        tamsin_person = people["editor"]
        tamsin = services.create_speaker(
            person=tamsin_person, **TAMSIN, availability=[(today + timedelta(days=4), today + timedelta(days=40))]
        )
        created += 1
        services.endorse(
            person=_fresh(people["organiser"]),
            speaker=tamsin,
            topic="unions",
            circle=circles["leeds-infirmary-workers"],
        )
        # Four invitations from two cities: the planner fits them into one trip from Glasgow.
        _ask(people["organiser"], tamsin, circles["leeds-infirmary-workers"], 8, 12, "unions", expected_audience=25)
        _ask(people["dev"], tamsin, circles["leeds-city-circle"], 9, 14, "political economy", expected_audience=60)
        _ask(people["ailsa"], tamsin, circles["glasgow-warehouse-circle"], 5, 20, "unions", offer="Tea and a room")
        _ask(people["rory"], tamsin, circles["glasgow-students"], 6, 7, "poetry", expected_audience=15)
        services_tours.propose_tour(person=tamsin_person, speaker=tamsin)
    if not Speaker.objects.filter(name=MAGGIE["name"], person__isnull=True).exists():
        maggie = services.create_speaker(
            person=_fresh(people["organiser"]),
            for_self=False,
            **MAGGIE,
            availability=[(today + timedelta(days=2), today + timedelta(days=60))],
        )
        created += 1
        services.endorse(
            person=_fresh(people["ailsa"]), speaker=maggie, topic="history", circle=circles["glasgow-warehouse-circle"]
        )
        request = _ask(people["dev"], maggie, circles["leeds-city-circle"], 10, 20, "health", expected_audience=40)
        services_requests.accept_request(
            person=_fresh(people["organiser"]), request=request, day=today + timedelta(days=12)
        )
    if not Speaker.objects.filter(person=people["andre"]).exists():
        andre = services.create_speaker(
            person=people["andre"], **ANDRE, availability=[(today + timedelta(days=3), today + timedelta(days=30))]
        )
        created += 1
        _ask(people["lupe"], andre, circles["chicago-teachers"], 7, 21, "history", time_zone="America/Chicago")
    return created
