"""A ranking run on the database: recommendations and groups loaded, items' fields written, the run recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from freshground.journal import ranking_runs
from freshground.journal.models import EditorialPick, Item, RankingRun, Recommendation
from freshground.journal.tests.factories_reading import make_item
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def _world():
    """Three circles; a large one (A, 10 readers) and two small ones (B, C: 4 readers each); B is tied to a center."""
    circles = [factories.CircleFactory(name=f"Circle {c}") for c in "ABC"]
    sizes = [10, 4, 4]
    readers = []
    for circle, size in zip(circles, sizes, strict=True):
        group = [factories.PersonFactory() for _ in range(size)]
        for person in group:
            factories.add_member(circle, person)
        readers.append(group)
    center = factories.CenterFactory(name="Tied Center")
    factories.tie(circles[1], center)
    return circles, readers, center


def test_cross_circle_item_outranks_one_circles_favourite() -> None:
    _circles, readers, center = _world()
    now = timezone.now()
    bridge = make_item("Across circles", published_at=now - timedelta(hours=3))
    mass = make_item("Circle A's favourite", published_at=now - timedelta(hours=3))
    partisan = [make_item(f"A only {n}", published_at=now - timedelta(hours=4)) for n in range(4)]
    others = [make_item(f"B/C only {n}", published_at=now - timedelta(hours=4)) for n in range(4)]
    rows = []
    for person in readers[0]:
        rows.append(Recommendation(person=person, item=mass))
        rows += [Recommendation(person=person, item=i) for i in partisan]
    for group in readers:
        rows += [Recommendation(person=person, item=bridge) for person in group[:3]]
    for group in readers[1:]:
        for person in group:
            rows += [Recommendation(person=person, item=i) for i in others]
    Recommendation.objects.bulk_create(rows)
    EditorialPick.objects.create(center=center, item=bridge)

    run = ranking_runs.run_ranking(now=now)

    assert run.error == ""
    assert run.recommendations == len(rows)
    assert run.readers == 18
    bridge.refresh_from_db()
    mass.refresh_from_db()
    assert mass.recommendation_count == 10 > bridge.recommendation_count == 9
    assert bridge.bridging_score > mass.bridging_score
    assert bridge.hot_score > mass.hot_score
    assert bridge.valued_circles == 3
    assert bridge.valued_centers == 1  # circle B's tie
    assert mass.valued_circles == 1
    assert mass.valued_centers == 0
    assert bridge.pick_count == 1
    assert bridge.ranked_at == now
    assert RankingRun.objects.latest().pk == run.pk


def test_a_run_resets_items_that_lost_their_recommendations() -> None:
    _circles, _readers, _ = _world()
    item = make_item()
    Item.objects.filter(pk=item.pk).update(recommendation_count=5, valued_circles=2, bridging_score=0.4)
    run = ranking_runs.run_ranking()
    item.refresh_from_db()
    assert (item.recommendation_count, item.valued_circles, item.bridging_score) == (0, 0, 0.0)
    assert run.items >= 1


def test_a_run_with_no_recommendations_is_fine() -> None:
    make_item()
    run = ranking_runs.run_ranking()
    assert run.error == ""
    assert run.recommendations == 0
    assert run.finished_at is not None


def test_hot_decays_with_age_and_grows_with_score() -> None:
    now = timezone.now()
    assert ranking_runs.hot_score(0.0, 0, now) > ranking_runs.hot_score(0.0, 0, now - timedelta(hours=1))
    assert ranking_runs.hot_score(0.1, 0, now) > ranking_runs.hot_score(0.0, 0, now)
    # a half-life later, an item needs ln 2 / SCORE_SCALE more score to stay level
    half = timedelta(hours=ranking_runs.HALF_LIFE_HOURS)
    level = ranking_runs.hot_score(0.0, 0, now)
    import math

    older = ranking_runs.hot_score(math.log(2) / ranking_runs.SCORE_SCALE, 0, now - half)
    assert abs(level - older) < 1e-6
    assert ranking_runs.hot_score(0.0, 1, now) > level


def test_new_items_are_placed_by_freshness_before_any_run() -> None:
    item = make_item(published_at=timezone.now())
    assert item.hot_score == pytest.approx(ranking_runs.hot_score(0.0, 0, item.published_at))


def test_a_recommendation_asks_for_a_debounced_run(cast, django_capture_on_commit_callbacks) -> None:
    from django.core.cache import cache

    from freshground.journal import services_reading

    cache.delete(ranking_runs.REQUEST_KEY)
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        services_reading.recommend(person=cast.member, item=item)
    # The test settings run tasks at once: the run happened and cleared the request.
    assert RankingRun.objects.count() == 1
    item.refresh_from_db()
    assert item.recommendation_count == 1
    assert item.ranked_at is not None
    cache.add(ranking_runs.REQUEST_KEY, "waiting", 60)
    assert ranking_runs.request_ranking() is False  # one is already waiting
    cache.delete(ranking_runs.REQUEST_KEY)
