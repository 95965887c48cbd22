# factory_boy factories are typed as the factory, not the model they build:
# mypy: disable-error-code="arg-type,attr-defined,comparison-overlap,misc"
"""The circle and center directories: search, filters, pages, htmx partials and fixed query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.network.models import Circle, CircleKind
from freshground.testing import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return str(response.content.decode())


def names(response) -> list[str]:
    return [circle.name for circle in response.context["circles"]]


def test_directory_lists_circles_with_their_centers(client, cast):
    body = text(client.get(reverse("network:directory")))
    assert cast.circle.name in body
    assert cast.center.name in body
    assert "2 members" in body
    assert "1 circle found" in body


def test_directory_search_by_text_kind_and_place(client, db):
    factories.CircleFactory(name="Dock Workers", kind=CircleKind.WORKPLACE, place_name="Hull")
    factories.CircleFactory(name="Student Union Left", kind=CircleKind.SCHOOL, place_name="York")
    factories.CircleFactory(name="Hull Tenants", kind=CircleKind.NEIGHBOURHOOD, place_name="Hull", description="rent")
    url = reverse("network:directory")
    assert names(client.get(url, {"q": "hull"})) == ["Dock Workers", "Hull Tenants"]
    assert names(client.get(url, {"q": "RENT"})) == ["Hull Tenants"]
    assert names(client.get(url, {"kind": "school"})) == ["Student Union Left"]
    assert names(client.get(url, {"place": "hull", "kind": "workplace"})) == ["Dock Workers"]
    response = client.get(url, {"q": "nothing like it"})
    assert "No circle matches this search." in text(response)


def test_directory_near_a_point(client, db):
    factories.CircleFactory(name="Leeds", latitude=53.80, longitude=-1.55)
    factories.CircleFactory(name="Bradford", latitude=53.79, longitude=-1.75)
    factories.CircleFactory(name="London", latitude=51.51, longitude=-0.13)
    factories.CircleFactory(name="Nowhere in particular")
    url = reverse("network:directory")
    # Nearest first.
    assert names(client.get(url, {"lat": "53.79", "lon": "-1.74", "km": "30"})) == ["Bradford", "Leeds"]
    assert names(client.get(url, {"lat": "53.8", "lon": "-1.55", "km": "5"})) == ["Leeds"]
    assert names(client.get(url, {"lat": "53.8", "lon": "-1.55", "km": "400"})) == ["Leeds", "Bradford", "London"]


def test_directory_near_across_the_antimeridian(client, db):
    factories.CircleFactory(name="Fiji east", latitude=-17.0, longitude=179.9)
    factories.CircleFactory(name="Fiji west", latitude=-17.0, longitude=-179.9)
    response = client.get(reverse("network:directory"), {"lat": "-17", "lon": "179.95", "km": "50"})
    assert sorted(names(response)) == ["Fiji east", "Fiji west"]


def test_directory_bad_filter_values_are_shown_and_ignored(client, cast):
    response = client.get(reverse("network:directory"), {"lat": "500", "lon": "x", "kind": "castle"})
    assert response.status_code == 200
    assert names(response) == [cast.circle.name]
    assert 'aria-invalid="true"' in text(response)


def test_directory_sorts(client, db):
    big = factories.CircleFactory(name="Zeta")
    Circle.objects.filter(pk=big.pk).update(member_count=50)
    factories.CircleFactory(name="Alpha")
    url = reverse("network:directory")
    assert names(client.get(url)) == ["Alpha", "Zeta"]
    assert names(client.get(url, {"sort": "members"})) == ["Zeta", "Alpha"]
    assert names(client.get(url, {"sort": "newest"})) == ["Alpha", "Zeta"]


def test_directory_paginates_by_24(client, db):
    factories.CircleFactory.create_batch(30)
    url = reverse("network:directory")
    first = client.get(url, {"kind": "city"})
    assert len(first.context["circles"]) == 24
    body = text(first)
    assert "Page 1 of 2" in body
    assert 'href="?kind=city&amp;page=2"' in body
    assert 'hx-get="?kind=city&amp;page=2"' in body
    second = client.get(url, {"kind": "city", "page": "2"})
    assert len(second.context["circles"]) == 6
    assert len(client.get(url, {"page": "99"}).context["circles"]) == 6


def test_directory_htmx_gets_the_results_partial(client, cast):
    response = client.get(reverse("network:directory"), {"q": "riverside"}, **HTMX)
    body = text(response)
    assert response.status_code == 200
    assert "<html" not in body
    assert cast.circle.name in body
    assert '<p id="circle-count" hx-swap-oob="innerHTML">' in body


def test_directory_history_restore_gets_the_full_page(client, cast):
    response = client.get(reverse("network:directory"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in text(response)


def test_directory_full_page_has_accessible_filter_form(client, cast):
    body = text(client.get(reverse("network:directory")))
    assert 'hx-get="/circles/"' in body
    assert 'hx-target="#circle-results"' in body
    assert 'hx-push-url="true"' in body
    assert 'role="status"' in body
    assert '<label for="id_q">' in body
    assert "<legend>" in body


def _circles_tied_to_centers(count: int) -> None:
    for index in range(count):
        circle = factories.CircleFactory()
        factories.add_member(circle, factories.PersonFactory())
        for _ in range(1 + index % 3):
            factories.tie(circle, factories.CenterFactory())


@pytest.mark.parametrize("count", [3, 20])
def test_circle_directory_query_count_is_fixed(client, db, django_assert_num_queries, count):
    _circles_tied_to_centers(count)
    # count, page, ties with centers
    with django_assert_num_queries(3):
        response = client.get(reverse("network:directory"))
    assert len(response.context["circles"]) == count


@pytest.mark.parametrize("count", [3, 20])
def test_circle_directory_query_count_is_fixed_signed_in(client, db, django_assert_num_queries, count):
    _circles_tied_to_centers(count)
    client.force_login(factories.PersonFactory())
    # session, person, then count, page, ties with centers
    with django_assert_num_queries(5):
        client.get(reverse("network:directory"), {"q": "circle"})


@pytest.mark.parametrize("count", [3, 20])
def test_circle_directory_htmx_query_count_is_fixed(client, db, django_assert_num_queries, count):
    _circles_tied_to_centers(count)
    with django_assert_num_queries(3):
        client.get(reverse("network:directory"), {"page": "1"}, **HTMX)


# Centers


def test_center_directory_search_and_tendency(client, db):
    factories.CenterFactory(name="Red Thread", tendency="Marxist-Humanist")
    factories.CenterFactory(name="Black Flag Books", tendency="anarchist", description="Zines and pamphlets")
    factories.CenterFactory(name="Rose Forum", tendency="democratic socialist")
    url = reverse("network:center_directory")
    body = text(client.get(url))
    assert '<option value="anarchist">anarchist</option>' in body
    centers = lambda response: [c.name for c in response.context["centers"]]  # noqa: E731
    assert centers(client.get(url, {"q": "zines"})) == ["Black Flag Books"]
    assert centers(client.get(url, {"tendency": "anarchist"})) == ["Black Flag Books"]
    assert centers(client.get(url, {"tendency": "not a tendency"})) == ["Black Flag Books", "Red Thread", "Rose Forum"]
    assert "No center matches this search." in text(client.get(url, {"q": "zzz"}))


def test_center_directory_htmx_partial(client, cast):
    response = client.get(reverse("network:center_directory"), {"q": "red"}, **HTMX)
    assert "<html" not in text(response)
    assert cast.center.name in text(response)


@pytest.mark.parametrize("count", [3, 30])
def test_center_directory_query_count_is_fixed(client, db, django_assert_num_queries, count):
    factories.CenterFactory.create_batch(count)
    # tendencies for the filter, count, page
    with django_assert_num_queries(3):
        response = client.get(reverse("network:center_directory"))
    assert len(response.context["centers"]) == min(count, 24)
