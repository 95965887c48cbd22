# mypy: disable-error-code="arg-type,attr-defined"
"""The demo loader: articles in every state and links, through the services; a second run adds nothing."""

from __future__ import annotations

import pytest

from freshground.journal.demo_articles import load_demo_articles
from freshground.journal.models import Article, ArticleStatus, Item, ItemKind, LinkPost

pytestmark = pytest.mark.django_db


def test_demo_is_complete_and_idempotent(cast):
    people = {"member": cast.member, "outsider": cast.outsider, "organiser": cast.organiser, "admin": cast.admin}
    created = load_demo_articles(people, {cast.circle.slug: cast.circle}, {cast.center.slug: cast.center})
    assert created == 8
    assert load_demo_articles(people, {cast.circle.slug: cast.circle}, {cast.center.slug: cast.center}) == 0
    by_title = {a.title: a for a in Article.objects.all()}
    assert by_title["What the Riverside strike taught us"].center == cast.center
    assert by_title["What the Riverside strike taught us"].revision == 1  # unchanged text: no new revision
    assert by_title["Why tenants need a city-wide network"].circle == cast.circle
    assert by_title["A just transition at the bus depot"].status == ArticleStatus.IN_REVIEW
    assert by_title["The transport plan nobody read"].status == ArticleStatus.DRAFT
    assert 'class="footnotes"' in by_title["What the Riverside strike taught us"].body_html
    assert Item.objects.filter(kind=ItemKind.ARTICLE).count() == 3
    assert Item.objects.filter(kind=ItemKind.LINK).count() == 3
    assert all(link.title for link in LinkPost.objects.all())


def test_demo_on_the_demo_network():
    from freshground.core import demo_data

    loader = demo_data._Loader()
    people, centers, circles = loader.people, loader.centers, loader.circles
    for person_spec in demo_data.PEOPLE:
        people[person_spec.key] = loader.person(person_spec)
    for center_spec in demo_data.CENTERS:
        centers[center_spec.slug] = loader.center(center_spec)
    for circle_spec in demo_data.CIRCLES:
        circles[circle_spec.slug] = loader.circle(circle_spec)
    assert load_demo_articles(people, circles, centers) == 8
    assert load_demo_articles(people, circles, centers) == 0
    assert Article.objects.filter(status=ArticleStatus.PUBLISHED).count() == 3
    assert Article.objects.filter(status=ArticleStatus.IN_REVIEW).count() == 1
