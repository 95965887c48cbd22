"""Similar-campaign suggestions: text similarity, the same issue and a nearby place, in that order of weight."""

from __future__ import annotations

import pytest

from freshground.campaigns import queries, services
from freshground.campaigns.similarity import Doc, distance_km, rank, text_similarities
from freshground.core.models import Tag

from .conftest import World


def test_text_similarity_prefers_shared_rare_words() -> None:
    scores = text_similarities(
        "Stop the hospital closure in Riverside",
        ["Save Riverside hospital from closure", "Riverside bike lanes now", "Library opening hours"],
    )
    assert scores[0] > scores[1] > scores[2] == 0


def test_distance() -> None:
    assert distance_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.5, abs=1)


def test_rank_orders_by_text_topic_and_place() -> None:
    new = Doc(0, "Stop rent hikes for tenants", topic_id=1, latitude=51.5, longitude=-0.1)
    candidates = [
        Doc(1, "Tenants against rent hikes", topic_id=1, latitude=51.51, longitude=-0.1),  # all three
        Doc(2, "Tenants against rent hikes", topic_id=1, latitude=40.0, longitude=-3.7),  # far away
        Doc(3, "Tenants against rent hikes", topic_id=2, latitude=40.0, longitude=-3.7),  # other topic, far
        Doc(4, "Cycle lanes on the high street", topic_id=1, latitude=51.5, longitude=-0.1),  # only topic+place
        Doc(5, "Museum opening hours", topic_id=3),  # nothing in common
    ]
    ranked = rank(new, candidates)
    assert [m.key for m in ranked] == [1, 2, 3, 4]
    assert ranked[0].same_topic
    assert ranked[0].distance_km is not None
    assert ranked[0].distance_km < 2


@pytest.mark.django_db
def test_similar_campaigns_from_the_database(world: World) -> None:
    other_topic = Tag.objects.filter(name__iexact="Transport").first() or Tag.objects.create(name="Transport")
    services.create_campaign(
        actor=world.organiser, sponsor=world.circle, title="Buses for Riverside", topic=other_topic
    )
    found = queries.similar_campaigns(
        title="Rent freeze now",
        description="Riverside tenants fight rent increases",
        topic=world.topic,
        latitude=51.5,
        longitude=-0.12,
    )
    assert [c.slug for c, _m in found][:1] == [world.campaign.slug]
