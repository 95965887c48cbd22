"""The reading demo: cross-circle items lead after its ranking run; a second load creates nothing."""

from __future__ import annotations

import pytest

from freshground.journal.demo_reading import SHARED_ITEMS, load_demo_reading
from freshground.journal.models import EditorialPick, Item, RankingRun, Recommendation
from freshground.journal.tests.factories_reading import make_item
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def test_demo_reading_ranks_shared_items_first_and_is_idempotent() -> None:
    people: dict[str, object] = {}
    circles = {}
    for c in range(4):
        circle = factories.CircleFactory(name=f"Demo circle {c}")
        circles[f"c{c}"] = circle
        for p in range(3):
            person = factories.PersonFactory()
            people[f"p{c}{p}"] = person
            factories.add_member(circle, person)  # type: ignore[arg-type]
    center = factories.CenterFactory(name="Demo center")
    factories.add_editor(center, people["p00"])  # type: ignore[arg-type]
    items = [make_item(f"Item {n}") for n in range(16)]
    assert load_demo_reading(people, circles, {"center": center}) > 0  # type: ignore[arg-type, dict-item]
    count = Recommendation.objects.count()
    assert EditorialPick.objects.count() == 1
    assert RankingRun.objects.count() == 1
    assert load_demo_reading(people, circles, {"center": center}) == 0  # type: ignore[arg-type, dict-item]
    assert Recommendation.objects.count() == count
    assert RankingRun.objects.count() == 1
    shared = {i.pk for i in sorted(items, key=lambda i: (-i.published_at.timestamp(), i.pk))[:SHARED_ITEMS]}
    top = list(Item.objects.order_by("-bridging_score").values_list("pk", flat=True)[:SHARED_ITEMS])
    assert len(shared & set(top)) >= SHARED_ITEMS - 1
    assert all(i.valued_circles == 4 for i in Item.objects.filter(pk__in=shared))


def test_demo_reading_without_items_does_nothing() -> None:
    assert load_demo_reading({}, {}, {}) == 0
