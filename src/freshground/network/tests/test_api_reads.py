"""The network JSON API: reading circles, centers and ties, and fixed query counts."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from freshground.network.models import (
    Circle,
    Follow,
    JoinPolicy,
    JoinRequest,
    MemberListVisibility,
    Tie,
)
from freshground.network.tests.api_helpers import API, as_, bearer, call, new_center, new_circle, new_person, the_tie
from freshground.testing import factories

pytestmark = pytest.mark.django_db


# Reading


def test_openapi_schema_loads_and_lists_the_network_paths(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/circles",
        "/circles/{slug}",
        "/circles/{slug}/members",
        "/circles/{slug}/join",
        "/circles/{slug}/requests/{request_id}/approve",
        "/circles/{slug}/members/{person_id}/role",
        "/circles/{slug}/invites",
        "/invites/{token}/accept",
        "/circles/{slug}/ties",
        "/ties/{tie_id}",
        "/ties/{tie_id}/acknowledge",
        "/centers",
        "/centers/{slug}",
        "/centers/{slug}/ties",
        "/centers/{slug}/editors",
        "/centers/{slug}/follow",
        "/me/follows",
        "/me/memberships",
    ]:
        assert API + path in paths, path


def test_anonymous_reads_the_circle_directory_and_a_circle(client, cast):
    listing = client.get(f"{API}/circles")
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 1
    assert body["items"][0]["slug"] == cast.circle.slug
    assert body["items"][0]["member_count"] == 2

    detail = client.get(f"{API}/circles/{cast.circle.slug}").json()
    assert detail["name"] == "Riverside Hospital Workers"
    assert [t["center"]["slug"] for t in detail["ties"]] == [cast.center.slug]
    assert detail["ties"][0]["wants"] == ["literature"]
    assert detail["members"] is None  # members-only list
    assert detail["you"]["is_member"] is False
    assert detail["you"]["can_edit"] is False


def test_circle_detail_shows_members_only_to_those_who_may_see_them(client, cast):
    as_member = client.get(f"{API}/circles/{cast.circle.slug}", headers=bearer(cast.member)).json()
    names = {m["person"]["display_name"] for m in as_member["members"]}
    assert names == {"Olga Organiser", "Mo Member"}
    assert as_member["you"] == {
        "is_member": True,
        "role": "member",
        "request_pending": False,
        "following": False,
        "can_edit": False,
        "can_manage_members": False,
        "can_join": False,
        "can_request_to_join": False,
        "can_declare_tie": False,
    }
    as_editor = client.get(f"{API}/circles/{cast.circle.slug}", headers=bearer(cast.editor)).json()
    assert as_editor["members"] is None
    assert "Mo Member" not in json.dumps(as_editor)


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 403), ("outsider", 403), ("editor", 403), ("member", 200), ("organiser", 200), ("admin", 200)],
)
def test_members_only_list_through_the_api(client, cast, role, status):
    response = client.get(f"{API}/circles/{cast.circle.slug}/members", headers=as_(cast, role))
    assert response.status_code == status
    if status == 403:
        assert response.json()["detail"]
        assert "Mo Member" not in response.content.decode()
    else:
        assert {m["person"]["display_name"] for m in response.json()["items"]} == {"Olga Organiser", "Mo Member"}


def test_a_public_member_list_is_open_to_anyone(client, cast):
    Circle.objects.filter(pk=cast.circle.pk).update(member_list_visibility=MemberListVisibility.PUBLIC)
    response = client.get(f"{API}/circles/{cast.circle.slug}/members")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert client.get(f"{API}/circles/{cast.circle.slug}").json()["members"] is not None


def test_center_shows_its_tied_circles_and_editors_only_to_editors(client, cast):
    detail = client.get(f"{API}/centers/{cast.center.slug}").json()
    assert [t["circle"]["slug"] for t in detail["ties"]] == [cast.circle.slug]
    assert detail["editors"] is None
    as_editor = client.get(f"{API}/centers/{cast.center.slug}", headers=bearer(cast.editor)).json()
    assert [e["display_name"] for e in as_editor["editors"]] == ["Edie Editor"]
    assert as_editor["you"]["can_edit"] is True

    ties = client.get(f"{API}/centers/{cast.center.slug}/ties").json()
    assert ties["count"] == 1
    assert ties["items"][0]["circle"]["name"] == "Riverside Hospital Workers"


def test_center_ties_hide_ended_ones_unless_asked(client, cast):
    Tie.objects.filter(pk=the_tie(cast).pk).update(ended_at=timezone.now())
    assert client.get(f"{API}/centers/{cast.center.slug}/ties").json()["count"] == 0
    ended = client.get(f"{API}/centers/{cast.center.slug}/ties?include_ended=true").json()
    assert ended["count"] == 1
    assert ended["items"][0]["ended_at"] is not None


@pytest.mark.parametrize(
    "path",
    [
        "/circles/no-such-circle",
        "/circles/no-such-circle/members",
        "/centers/no-such-center",
        "/centers/no-such-center/ties",
    ],
)
def test_unknown_slug_is_a_json_404(client, db, path):
    response = client.get(API + path)
    assert response.status_code == 404
    assert "no-such" in response.json()["detail"]


def test_unknown_tie_is_a_json_404(client, cast):
    response = call(client, "POST", "/ties/999999/end", headers=bearer(cast.organiser))
    assert response.status_code == 404
    assert response.json()["detail"]


def test_directory_filters(client, db):
    new_circle(name="Leeds Tenants", kind="neighbourhood", place_name="Leeds")
    new_circle(name="Bristol Couriers", kind="workplace", place_name="Bristol")
    new_circle(name="Leeds Students", kind="school", place_name="Leeds", description="tenants too")

    def slugs(query: str) -> list[str]:
        response = client.get(f"{API}/circles?{query}")
        assert response.status_code == 200, response.content
        return [item["slug"] for item in response.json()["items"]]

    assert slugs("q=tenants") == ["leeds-students", "leeds-tenants"]
    assert slugs("kind=workplace") == ["bristol-couriers"]
    assert slugs("place=leeds") == ["leeds-students", "leeds-tenants"]


def test_near_search_returns_nearby_circles_nearest_first_with_distance(client, db):
    new_circle(name="Leeds Centre", latitude=53.7997, longitude=-1.5492)
    new_circle(name="Bradford", latitude=53.7960, longitude=-1.7594)
    new_circle(name="London", latitude=51.5072, longitude=-0.1276)
    new_circle(name="Nowhere in particular")

    response = client.get(f"{API}/circles?near=53.80,-1.55&km=25")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["name"] for i in items] == ["Leeds Centre", "Bradford"]
    assert items[0]["distance_km"] < 1
    assert 10 < items[1]["distance_km"] < 20
    assert client.get(f"{API}/circles").json()["items"][0]["distance_km"] is None


def test_center_directory_filters(client, db):
    new_center(name="Red Thread", tendency="democratic socialist")
    new_center(name="Black Flag", tendency="anarchist", description="mutual aid")
    names = lambda q: [c["name"] for c in client.get(f"{API}/centers?{q}").json()["items"]]  # noqa: E731
    assert names("tendency=Anarchist") == ["Black Flag"]
    assert names("q=mutual") == ["Black Flag"]
    assert names("") == ["Black Flag", "Red Thread"]


# Query counts stay fixed whatever the page size


def _assert_fixed(client, django_assert_num_queries, url: str, expected: int, total: int, headers=None) -> None:
    joiner = "&" if "?" in url else "?"
    client.get(url, headers=headers or {})  # warm up: the token's last-used day is written once a day
    for size in (2, total):
        with django_assert_num_queries(expected):
            response = client.get(f"{url}{joiner}page_size={size}", headers=headers or {})
        assert response.status_code == 200, response.content
        assert response.json()["count"] == total
        assert len(response.json()["items"]) == size


def test_circle_directory_query_count(client, db, django_assert_num_queries):
    for n in range(12):
        new_circle(name=f"Circle {n:02}")
    # the count, the page
    _assert_fixed(client, django_assert_num_queries, f"{API}/circles", 2, 12)
    _assert_fixed(client, django_assert_num_queries, f"{API}/circles?q=circle", 2, 12)


def test_center_directory_query_count(client, db, django_assert_num_queries):
    for n in range(9):
        new_center(name=f"Center {n:02}")
    _assert_fixed(client, django_assert_num_queries, f"{API}/centers", 2, 9)


def test_member_list_query_count(client, db, django_assert_num_queries):
    circle = new_circle(member_list_visibility=MemberListVisibility.PUBLIC)
    for _ in range(10):
        factories.add_member(circle, new_person())
    # the circle, the count, the page with each person
    _assert_fixed(client, django_assert_num_queries, f"{API}/circles/{circle.slug}/members", 3, 10)


def test_center_ties_query_count(client, db, django_assert_num_queries):
    center = new_center()
    for _ in range(7):
        factories.tie(new_circle(), center)
    _assert_fixed(client, django_assert_num_queries, f"{API}/centers/{center.slug}/ties", 3, 7)


def test_my_follows_and_memberships_query_count(client, db, django_assert_num_queries):
    person = new_person()
    for _ in range(4):
        circle = new_circle()
        factories.add_member(circle, person)
        Follow.objects.create(person=person, circle=circle)
        Follow.objects.create(person=person, center=new_center())
    headers = bearer(person)
    # the token, the count, the page with circles and centers
    _assert_fixed(client, django_assert_num_queries, f"{API}/me/follows", 3, 8, headers)
    _assert_fixed(client, django_assert_num_queries, f"{API}/me/memberships", 3, 4, headers)


def test_join_request_list_query_count(client, cast, django_assert_num_queries):
    Circle.objects.filter(pk=cast.circle.pk).update(join_policy=JoinPolicy.APPROVAL)
    for _ in range(6):
        JoinRequest.objects.create(circle=cast.circle, person=new_person(), message="hello")
    # the token, the circle, the organiser's membership, the count, the page with each person
    _assert_fixed(
        client, django_assert_num_queries, f"{API}/circles/{cast.circle.slug}/requests", 5, 6, bearer(cast.organiser)
    )
