"""The search page and the search API, as a reader uses them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from freshground.journal.tests.search_helpers import make_item

pytestmark = pytest.mark.django_db
API = "/api/v1/journal/search"


def test_the_page_finds_items_and_marks_the_words(client) -> None:
    make_item("Bus drivers strike in Leeds", "Depot walkout over pay.")
    make_item("Library hours cut", "Council plans.")
    url = reverse("journal:search")
    assert "Search the journal" in client.get(url).content.decode()
    body = client.get(url, {"q": "walkout"}).content.decode()
    assert "Bus drivers strike in Leeds" in body
    assert "<mark>walkout</mark>" in body
    assert "Library hours cut" not in body


def test_htmx_gets_only_the_results(client) -> None:
    make_item("Bus drivers strike")
    body = client.get(reverse("journal:search"), {"q": "strike"}, headers={"HX-Request": "true"}).content.decode()
    assert "Bus drivers strike" in body
    assert "<form" not in body


def test_bad_filters_are_explained_not_crashed(client) -> None:
    response = client.get(reverse("journal:search"), {"q": "strike", "since": "2026-02-01", "until": "2026-01-01"})
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    response = client.get(reverse("journal:search"), {"q": "strike", "since": "not a date", "page": "-3"})
    assert response.status_code == 200


def test_hostile_text_is_escaped(client) -> None:
    make_item("<script>alert(1)</script> strike", "<img src=x onerror=alert(1)> strike")
    body = client.get(reverse("journal:search"), {"q": 'strike "<script>"'}).content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body


def test_pagination_links_keep_the_query(client) -> None:
    for n in range(23):
        make_item(f"Strike {n}", published_at=timezone.now() - timedelta(minutes=n))
    body = client.get(reverse("journal:search"), {"q": "strike", "sort": "newest"}).content.decode()
    assert "page=2" in body
    assert "q=strike" in body
    second = client.get(reverse("journal:search"), {"q": "strike", "sort": "newest", "page": 2}).content.decode()
    assert "Strike 22" in second
    assert 'start="21"' in second


def test_api_search(client) -> None:
    make_item("Nurses strike", "Wards out.", language="en")
    make_item("Huelga de enfermeras", "Hospitales.", language="es")
    data = client.get(API, {"q": "strike"}).json()
    assert [hit["title"] for hit in data["results"]] == ["Nurses strike"]
    assert "<mark>" in data["results"][0]["snippet_html"] or data["results"][0]["snippet_html"]
    assert data["has_next"] is False
    assert client.get(API, {"q": "huelga", "language": "es"}).json()["results"][0]["language"] == "es"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 422),
        ({"q": "x", "page": 0}, 422),
        ({"q": "x", "page": 999}, 422),
        ({"q": "x", "item_kind": "poem"}, 422),
        ({"q": "x", "since": "2026-02-01", "until": "2026-01-01"}, 422),
        ({"q": "x" * 400}, 422),
    ],
)
def test_api_refuses_bad_input_with_a_reason(client, params, status) -> None:
    response = client.get(API, params)
    assert response.status_code == status
    assert response.json()["detail"]
