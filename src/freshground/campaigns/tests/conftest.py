"""A campaign world on top of the shared cast: every role of the campaigns permission matrix."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from freshground.campaigns import permissions as perms
from freshground.campaigns import services
from freshground.campaigns.models import Campaign, GoalUnit, Scope
from freshground.core.models import Tag
from freshground.network.models import Center, Circle, Role
from freshground.people.models import Person
from freshground.testing import factories


@dataclass
class World:
    campaign: Campaign
    circle: Circle  # the initiating sponsor
    center: Center  # a co-sponsor
    other_circle: Circle  # not a sponsor
    organiser: Person
    member: Person
    editor: Person
    admin: Person
    outsider: Person
    supporter: Person
    other_organiser: Person
    topic: Tag

    def role(self, name: str) -> Any:
        if name == "anonymous":
            return AnonymousUser()
        return getattr(self, name)


ROLES = [
    "anonymous",
    "supporter",
    "organiser",
    "member",
    "other_organiser",
    "editor",
    "admin",
    "outsider",
]


@pytest.fixture
def world(cast: Any) -> World:
    topic, _created = Tag.objects.get_or_create(slug="housing", defaults={"name": "Housing", "is_topic": True})
    campaign = services.create_campaign(
        actor=cast.organiser,
        sponsor=cast.circle,
        title="Stop the Riverside rent hikes",
        description="Tenants of Riverside organise against rent increases and evictions.",
        topic=topic,
        demands=["Freeze rents for two years", "No evictions"],
        scope=Scope.LOCAL,
        place_name="Riverside",
        latitude=51.5,
        longitude=-0.12,
        goals=[{"label": "Tenants at the council meeting", "unit": GoalUnit.TURNOUT, "target": 200}],
    )
    sponsor = services.request_sponsorship(actor=cast.editor, campaign=campaign, party=cast.center)
    services.decide_sponsorship(actor=cast.organiser, sponsor=sponsor, accept=True)
    other_organiser = typing.cast(Any, factories.PersonFactory(display_name="Otto Other"))
    other_circle = typing.cast(Any, factories.CircleFactory(name="Hilltop Tenants"))
    factories.add_member(other_circle, other_organiser, Role.ORGANISER)
    supporter = typing.cast(Any, factories.PersonFactory(display_name="Sam Supporter"))
    services.support(actor=supporter, campaign=campaign)
    campaign = Campaign.objects.get(pk=campaign.pk)
    people = [cast.organiser, cast.member, cast.editor, cast.admin, cast.outsider, supporter, other_organiser]
    for person in people:
        perms.forget(person)
    return World(
        campaign=campaign,
        circle=cast.circle,
        center=cast.center,
        other_circle=other_circle,
        organiser=cast.organiser,
        member=cast.member,
        editor=cast.editor,
        admin=cast.admin,
        outsider=cast.outsider,
        supporter=supporter,
        other_organiser=other_organiser,
        topic=topic,
    )
