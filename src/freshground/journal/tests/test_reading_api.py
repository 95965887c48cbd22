"""The reading API with token auth: front page, items, entries, stories, recommendations, picks, reading list."""

from __future__ import annotations

import pytest

from freshground.journal.models import Item, Recommendation, SavedItem
from freshground.journal.tests.factories_reading import make_item, make_story
from freshground.network.tests.api_helpers import API, bearer, call

pytestmark = pytest.mark.django_db


def test_front_page_collapses_stories_and_sorts(client) -> None:
    lead, other = make_item("Lead report"), make_item("Second report")
    make_story(lead, other)
    alone = make_item("Standalone")
    data = client.get(f"{API}/journal/front?sort=new").json()
    ids = [i["id"] for i in data["items"]]
    assert lead.pk in ids
    assert alone.pk in ids
    assert other.pk not in ids
    lead_out = next(i for i in data["items"] if i["id"] == lead.pk)
    assert lead_out["also_covered_by"] == [other.pk]
    assert data["has_next"] is False


def test_front_page_refuses_bad_filters(client) -> None:
    assert client.get(f"{API}/journal/front?sort=loudest").status_code == 422
    response = client.get(f"{API}/journal/front?topic=no-such-topic")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_hidden_items_are_404(client, cast) -> None:
    hidden = make_item(status="hidden")
    assert client.get(f"{API}/journal/items/{hidden.pk}").status_code == 404
    assert client.get(f"{API}/journal/items/{hidden.pk}", headers=bearer(cast.admin)).status_code == 200


def test_entry_details(client) -> None:
    item = make_item("An entry")
    data = client.get(f"{API}/journal/entries/{item.pk}").json()
    assert data["item"]["title"] == "An entry"
    assert data["guid"]
    link = make_item(kind="link")
    assert client.get(f"{API}/journal/entries/{link.pk}").status_code == 404


def test_story(client) -> None:
    a, b = make_item("A"), make_item("B")
    story = make_story(a, b)
    data = client.get(f"{API}/journal/stories/{story.pk}").json()
    assert [i["id"] for i in data["items"]] == [a.pk, b.pk]
    assert client.get(f"{API}/journal/stories/999999").status_code == 404


def test_recommend_with_a_token(client, cast) -> None:
    item = make_item()
    headers = bearer(cast.member)
    response = call(client, "POST", f"/journal/items/{item.pk}/recommend", headers=headers)
    assert response.status_code == 200
    assert response.json()["recommended"] is True
    assert response.json()["recommendation_count"] == 1
    mine = client.get(f"{API}/journal/me/recommendations", headers=headers).json()
    assert [r["item"] for r in mine] == [item.pk]
    assert call(client, "DELETE", f"/journal/items/{item.pk}/recommend", headers=headers).status_code == 204
    assert not Recommendation.objects.exists()


def test_recommend_refusals(client, cast) -> None:
    own = make_item(kind="link", author=cast.member)
    response = call(client, "POST", f"/journal/items/{own.pk}/recommend", headers=bearer(cast.member))
    assert response.status_code == 403
    assert "own" in response.json()["detail"]
    assert call(client, "POST", f"/journal/items/{own.pk}/recommend").status_code == 401
    assert call(client, "POST", "/journal/items/999999/recommend", headers=bearer(cast.member)).status_code == 404


def test_reading_list(client, cast) -> None:
    item = make_item("Later")
    headers = bearer(cast.member)
    assert call(client, "POST", f"/journal/items/{item.pk}/save", headers=headers).json()["saved"] is True
    data = client.get(f"{API}/journal/me/reading-list", headers=headers).json()
    assert [i["id"] for i in data["items"]] == [item.pk]
    assert call(client, "DELETE", f"/journal/items/{item.pk}/save", headers=headers).status_code == 204
    assert not SavedItem.objects.exists()


def test_picks(client, cast) -> None:
    item = make_item()
    body = {"center": cast.center.slug, "note": "Essential"}
    refused = call(client, "POST", f"/journal/items/{item.pk}/picks", body, headers=bearer(cast.member))
    assert refused.status_code == 403
    assert refused.json()["detail"]
    made = call(client, "POST", f"/journal/items/{item.pk}/picks", body, headers=bearer(cast.editor))
    assert made.status_code == 200
    assert made.json()["note"] == "Essential"
    listed = client.get(f"{API}/journal/centers/{cast.center.slug}/picks").json()
    assert [i["id"] for i in listed["items"]] == [item.pk]
    assert listed["items"][0]["picks"][0]["note"] == "Essential"
    gone = call(client, "DELETE", f"/journal/items/{item.pk}/picks/{cast.center.slug}", headers=bearer(cast.editor))
    assert gone.status_code == 204
    assert Item.objects.get(pk=item.pk).pick_count == 0


def test_front_page_query_count_is_fixed(client, django_assert_num_queries) -> None:
    for n in range(3):
        make_story(make_item(f"lead {n}"), make_item(f"other {n}"))
    with django_assert_num_queries(3):  # the page, the story siblings, the picks
        client.get(f"{API}/journal/front")
    for n in range(3, 20):
        make_story(make_item(f"lead {n}"), make_item(f"other {n}"))
    with django_assert_num_queries(3):
        client.get(f"{API}/journal/front")
