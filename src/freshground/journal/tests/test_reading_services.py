"""Recommend, save and pick: the permissions matrix, through the services and the buttons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.core.exceptions import NotFound, PermissionDenied
from freshground.journal import services_reading as services
from freshground.journal.models import EditorialPick, Item, Recommendation, SavedItem
from freshground.journal.tests.factories_reading import make_item

pytestmark = pytest.mark.django_db


def test_recommend_and_take_back(cast) -> None:
    item = make_item()
    assert services.recommend(person=cast.member, item=item) is True
    assert services.recommend(person=cast.member, item=item) is False
    item.refresh_from_db()
    assert item.recommendation_count == 1
    assert services.unrecommend(person=cast.member, item=item) is True
    item.refresh_from_db()
    assert item.recommendation_count == 0


@pytest.mark.parametrize("kind", ["link", "article"])
def test_one_cannot_recommend_ones_own_article_or_link(cast, kind: str) -> None:
    item = make_item(kind=kind, author=cast.member)
    with pytest.raises(PermissionDenied):
        services.recommend(person=cast.member, item=item)
    assert services.recommend(person=cast.outsider, item=item) is True


def test_hidden_items_cannot_be_recommended_or_saved(cast) -> None:
    item = make_item(status="hidden")
    with pytest.raises(NotFound):
        services.recommend(person=cast.member, item=item)
    with pytest.raises(NotFound):
        services.save_item(person=cast.member, item=item)


def test_anonymous_visitors_cannot_act(cast) -> None:
    from django.contrib.auth.models import AnonymousUser

    item = make_item()
    for call in (services.recommend, services.save_item):
        with pytest.raises(PermissionDenied):
            call(person=AnonymousUser(), item=item)


def test_only_a_centers_editors_pick_for_it(cast) -> None:
    item = make_item()
    for person in (cast.member, cast.organiser, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.pick(person=person, center=cast.center, item=item)
    found = services.pick(person=cast.editor, center=cast.center, item=item, note="Essential")
    assert found.note == "Essential"
    item.refresh_from_db()
    assert item.pick_count == 1
    assert services.unpick(person=cast.editor, center=cast.center, item=item) is True
    assert not EditorialPick.objects.exists()


def test_buttons_without_javascript(client, cast) -> None:
    item = make_item("Worth it")
    client.force_login(cast.member)
    response = client.post(reverse("journal:recommend", args=[item.pk]), {"recommend": "1"})
    assert response.status_code == 302
    assert Recommendation.objects.filter(person=cast.member, item=item).exists()
    client.post(reverse("journal:save", args=[item.pk]), {"save": "1"})
    assert SavedItem.objects.filter(person=cast.member, item=item).exists()
    body = client.get(reverse("journal:saved")).content.decode()
    assert "Worth it" in body
    assert "Recommended" in body
    client.post(reverse("journal:recommend", args=[item.pk]))  # no value: toggles
    assert not Recommendation.objects.filter(person=cast.member, item=item).exists()


def test_buttons_with_htmx_swap_the_action_area(client, cast) -> None:
    item = make_item()
    client.force_login(cast.member)
    response = client.post(
        reverse("journal:recommend", args=[item.pk]), {"recommend": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="item-actions-{item.pk}"' in body
    assert "1 recommendation" in body
    assert "<html" not in body


def test_recommending_ones_own_link_is_a_403(client, cast) -> None:
    item = make_item(kind="link", author=cast.member)
    client.force_login(cast.member)
    assert client.post(reverse("journal:recommend", args=[item.pk]), {"recommend": "1"}).status_code == 403


def test_anonymous_buttons_go_to_login(client) -> None:
    item = make_item()
    response = client.post(reverse("journal:recommend", args=[item.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not Recommendation.objects.exists()


def test_pick_button_for_editors_only(client, cast) -> None:
    item = make_item()
    client.force_login(cast.member)
    response = client.post(reverse("journal:pick", args=[item.pk]), {"center": cast.center.slug})
    assert response.status_code == 403
    client.force_login(cast.editor)
    assert "Pick for your center" in client.get(reverse("journal:item", args=[item.pk])).content.decode()
    client.post(reverse("journal:pick", args=[item.pk]), {"center": cast.center.slug, "note": "Read it"})
    assert EditorialPick.objects.get(item=item).note == "Read it"
    body = client.get(reverse("journal:index")).content.decode()
    assert "Editors&#x27; pick" in body or "Editors' pick" in body


def test_hidden_item_buttons_are_404(client, cast) -> None:
    item = make_item(status="hidden")
    client.force_login(cast.member)
    assert client.post(reverse("journal:save", args=[item.pk])).status_code == 404
    assert Item.objects.get(pk=item.pk).recommendation_count == 0
