"""The network JSON API through the HTTP client: token and anonymous callers, every role, bad input, query counts."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from freshground.network.models import (
    Center,
    CenterEditor,
    Circle,
    Follow,
    Invite,
    JoinPolicy,
    JoinRequest,
    MemberListVisibility,
    Membership,
    Role,
    Tie,
)
from freshground.people import services as people_services
from freshground.testing import factories

pytestmark = pytest.mark.django_db

API = "/api/v1"


# factory_boy's classes are untyped: these say what they return.
def new_person(**fields: Any) -> Any:
    return factories.PersonFactory(**fields)


def new_circle(**fields: Any) -> Any:
    return factories.CircleFactory(**fields)


def new_center(**fields: Any) -> Any:
    return factories.CenterFactory(**fields)


def bearer(person) -> dict[str, str]:
    _token, key = people_services.create_api_token(person=person, name="tests")
    return {"Authorization": f"Bearer {key}"}


def call(client, method: str, path: str, body=None, headers=None):
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, API + path, data=data, content_type="application/json", headers=headers or {})


def as_(cast, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else bearer(getattr(cast, role))


def the_tie(cast) -> Tie:
    return Tie.objects.get(circle=cast.circle, center=cast.center)


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


# Who may write what: anonymous → 401, roles without the right → 403, the right roles → 2xx


def _second_editor(cast):
    second = new_person(display_name="Second Editor")
    factories.add_editor(cast.center, second)
    return second


def _join_request(cast):
    Circle.objects.filter(pk=cast.circle.pk).update(join_policy=JoinPolicy.APPROVAL)
    return JoinRequest.objects.create(circle=cast.circle, person=new_person())


WRITES = {
    "edit circle": (lambda c: ("PATCH", f"/circles/{c.circle.slug}", {"description": "We meet on Thursdays."}), 200),
    "make invite": (lambda c: ("POST", f"/circles/{c.circle.slug}/invites", {"max_uses": 5}), 201),
    "list requests": (lambda c: ("GET", f"/circles/{c.circle.slug}/requests", None), 200),
    "approve request": (
        lambda c: ("POST", f"/circles/{c.circle.slug}/requests/{_join_request(c).pk}/approve", None),
        200,
    ),
    "decline request": (
        lambda c: ("POST", f"/circles/{c.circle.slug}/requests/{_join_request(c).pk}/decline", None),
        200,
    ),
    "set role": (lambda c: ("PUT", f"/circles/{c.circle.slug}/members/{c.member.pk}/role", {"role": "organiser"}), 200),
    "remove member": (lambda c: ("DELETE", f"/circles/{c.circle.slug}/members/{c.member.pk}", None), 204),
    "declare tie": (
        lambda c: ("POST", f"/circles/{c.circle.slug}/ties", {"center": new_center().slug}),
        201,
    ),
    "change tie": (lambda c: ("PATCH", f"/ties/{the_tie(c).pk}", {"wants": ["speakers"]}), 200),
    "end tie": (lambda c: ("POST", f"/ties/{the_tie(c).pk}/end", None), 200),
    "acknowledge tie": (lambda c: ("POST", f"/ties/{the_tie(c).pk}/acknowledge", None), 200),
    "edit center": (lambda c: ("PATCH", f"/centers/{c.center.slug}", {"tendency": "libertarian socialist"}), 200),
    "add editor": (lambda c: ("POST", f"/centers/{c.center.slug}/editors", {"email": "newcomer@example.org"}), 201),
    "remove editor": (lambda c: ("DELETE", f"/centers/{c.center.slug}/editors/{_second_editor(c).pk}", None), 204),
}
CIRCLE_ADMINS = {"organiser", "admin"}
CENTER_ADMINS = {"editor", "admin"}
ALLOWED = {
    "acknowledge tie": CENTER_ADMINS,
    "edit center": CENTER_ADMINS,
    "add editor": CENTER_ADMINS,
    "remove editor": CENTER_ADMINS,
}
ROLES = ["anonymous", "outsider", "member", "editor", "organiser", "admin"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(WRITES))
def test_write_matrix(client, cast, action, role):
    new_person(email="newcomer@example.org")
    make, success = WRITES[action]
    method, path, body = make(cast)
    response = call(client, method, path, body, headers=as_(cast, role))
    if role == "anonymous":
        expected = 401
    elif role in ALLOWED.get(action, CIRCLE_ADMINS):
        expected = success
    else:
        expected = 403
    assert response.status_code == expected, (action, role, response.content)
    if expected >= 400:
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "body", "success"),
    [
        ("POST", "/circles", {"name": "Night Shift Drivers"}, 201),
        ("POST", "/centers", {"name": "Commons Library"}, 201),
        ("POST", "/circles/{circle}/follow", None, 200),
        ("DELETE", "/circles/{circle}/follow", None, 204),
        ("POST", "/centers/{center}/follow", None, 200),
        ("DELETE", "/centers/{center}/follow", None, 204),
        ("POST", "/circles/{circle}/join", None, 201),
        ("GET", "/me/follows", None, 200),
        ("GET", "/me/memberships", None, 200),
    ],
)
def test_signed_in_actions_need_only_a_person(client, cast, method, path, body, success):
    path = path.format(circle=cast.circle.slug, center=cast.center.slug)
    assert call(client, method, path, body).status_code == 401
    assert call(client, method, path, body, headers=bearer(cast.outsider)).status_code == success


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/circles/{circle}/leave"),
        ("POST", "/circles/{circle}/requests"),
        ("POST", "/invites/sometoken/accept"),
        ("DELETE", "/circles/{circle}/members/1"),
    ],
)
def test_other_writes_refuse_anonymous_callers(client, cast, method, path):
    response = call(client, method, path.format(circle=cast.circle.slug), {})
    assert response.status_code == 401
    assert response.json()["detail"]


def test_expired_and_revoked_tokens_are_refused(client, cast):
    _token, expired = people_services.create_api_token(
        person=cast.organiser, name="old", expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoked_token, revoked = people_services.create_api_token(person=cast.organiser, name="gone")
    people_services.revoke_api_token(person=cast.organiser, token_id=revoked_token.pk)
    for key in (expired, revoked, "fg_not-a-real-token"):
        headers = {"Authorization": f"Bearer {key}"}
        response = call(client, "PATCH", f"/circles/{cast.circle.slug}", {"name": "Renamed"}, headers=headers)
        assert response.status_code == 401
        # A bad token on a read is refused too, rather than quietly treated as anonymous.
        assert client.get(f"{API}/circles", headers=headers).status_code == 401
    cast.circle.refresh_from_db()
    assert cast.circle.name == "Riverside Hospital Workers"


def test_token_in_x_api_token_header_works(client, cast):
    _token, key = people_services.create_api_token(person=cast.organiser, name="header")
    response = call(client, "PATCH", f"/circles/{cast.circle.slug}", {"name": "Renamed"}, headers={"X-API-Token": key})
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"


def test_session_writes_need_csrf(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.organiser)
    response = strict.patch(
        f"{API}/circles/{cast.circle.slug}", data={"name": "Renamed"}, content_type="application/json"
    )
    assert response.status_code == 403
    cast.circle.refresh_from_db()
    assert cast.circle.name == "Riverside Hospital Workers"


# Malformed input → 422 naming the field


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/circles", {"name": "x", "kind": "castle"}, "kind"),
        ("POST", "/circles", {"name": ""}, "name"),
        ("POST", "/circles", {"name": "x" * 121}, "name"),
        ("POST", "/circles", {"name": "x", "latitude": 91, "longitude": 0}, "latitude"),
        ("POST", "/circles", {"name": "x", "latitude": 0, "longitude": 181}, "longitude"),
        ("POST", "/circles", {"name": "x", "join_policy": "anyone"}, "join_policy"),
        ("POST", "/circles", {"name": "x", "member_list_visibility": "secret"}, "member_list_visibility"),
        ("POST", "/circles", {"name": "x", "slug": "no spaces/please"}, "slug"),
        ("POST", "/circles", {"kind": "city"}, "name"),
        ("PATCH", "/circles/{circle}", {"description": "x" * 10001}, "description"),
        ("PUT", "/circles/{circle}/members/{member}/role", {"role": "king"}, "role"),
        ("POST", "/circles/{circle}/invites", {"max_uses": 0}, "max_uses"),
        ("POST", "/circles/{circle}/invites", {"days": 91}, "days"),
        ("POST", "/circles/{circle}/requests", {"message": "x" * 1001}, "message"),
        ("POST", "/circles/{circle}/ties", {"center": "red-thread-center", "wants": ["money"]}, "wants.0"),
        ("POST", "/circles/{circle}/ties", {"wants": []}, "center"),
        ("POST", "/circles/{circle}/ties", {"center": "red-thread-center", "note": "x" * 2001}, "note"),
        ("PATCH", "/ties/{tie}", {"wants": "literature"}, "wants"),
        ("POST", "/centers", {"name": "x", "website": "javascript:alert(1)"}, "website"),
        ("POST", "/centers", {"name": "x", "tendency": "x" * 81}, "tendency"),
        ("PATCH", "/centers/{center}", {"website": "ftp://example.org"}, "website"),
        ("POST", "/centers/{center}/editors", {"email": "not an address"}, "email"),
    ],
)
def test_malformed_bodies_are_422_naming_the_field(client, cast, method, path, body, field):
    path = path.format(circle=cast.circle.slug, center=cast.center.slug, member=cast.member.pk, tie=the_tie(cast).pk)
    response = call(client, method, path, body, headers=bearer(cast.admin))
    assert response.status_code == 422, response.content
    payload = response.json()
    assert field in [e["field"] for e in payload["errors"]]
    assert field in payload["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("near=here", "near"),
        ("near=95,0", "near"),
        ("near=1,2,3", "near"),
        ("near=1,2&km=0", "km"),
        ("kind=castle", "kind"),
        ("page=0", "page"),
        ("q=" + "x" * 101, "q"),
    ],
)
def test_malformed_queries_are_422_naming_the_field(client, db, query, field):
    response = client.get(f"{API}/circles?{query}")
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_broken_json_is_refused_not_a_500(client, cast):
    response = client.generic(
        "POST", f"{API}/circles", data="{not json", content_type="application/json", headers=bearer(cast.outsider)
    )
    assert response.status_code in {400, 422}
    assert response.json()["detail"]


# Whole stories through the API


def test_create_and_edit_a_circle(client, cast):
    headers = bearer(cast.outsider)
    response = call(
        client,
        "POST",
        "/circles",
        {"name": "Night Shift Drivers", "kind": "workplace", "latitude": 53.8, "longitude": -1.55},
        headers=headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "night-shift-drivers"
    assert body["kind"] == "workplace"
    assert body["member_list_visibility"] == "members"
    assert body["you"]["role"] == "organiser"
    assert [m["person"]["display_name"] for m in body["members"]] == ["Uma Unrelated"]

    response = call(client, "PATCH", "/circles/night-shift-drivers", {"latitude": None}, headers=headers)
    assert response.status_code == 400  # half a point is refused by the service
    assert response.json()["field"] == "latitude"
    response = call(
        client,
        "PATCH",
        "/circles/night-shift-drivers",
        {"place_name": "Leeds", "join_policy": "approval"},
        headers=headers,
    )
    assert response.status_code == 200
    circle = Circle.objects.get(slug="night-shift-drivers")
    assert (circle.place_name, circle.join_policy, circle.latitude) == ("Leeds", "approval", 53.8)


def test_join_and_leave_an_open_circle(client, cast):
    headers = bearer(cast.outsider)
    response = call(client, "POST", f"/circles/{cast.circle.slug}/join", headers=headers)
    assert response.status_code == 201
    assert response.json()["role"] == "member"
    assert response.json()["circle"]["member_count"] == 3
    assert call(client, "POST", f"/circles/{cast.circle.slug}/join", headers=headers).status_code == 409
    assert call(client, "POST", f"/circles/{cast.circle.slug}/leave", headers=headers).status_code == 204
    assert not Membership.objects.filter(circle=cast.circle, person=cast.outsider).exists()
    assert call(client, "POST", f"/circles/{cast.circle.slug}/leave", headers=headers).status_code == 404


def test_last_organiser_cannot_leave(client, cast):
    response = call(client, "POST", f"/circles/{cast.circle.slug}/leave", headers=bearer(cast.organiser))
    assert response.status_code == 400
    assert "organiser" in response.json()["detail"]


def test_request_to_join_and_approval(client, cast):
    Circle.objects.filter(pk=cast.circle.pk).update(join_policy=JoinPolicy.APPROVAL)
    asker = bearer(cast.outsider)
    assert call(client, "POST", f"/circles/{cast.circle.slug}/join", headers=asker).status_code == 403
    response = call(
        client, "POST", f"/circles/{cast.circle.slug}/requests", {"message": "I work nights"}, headers=asker
    )
    assert response.status_code == 201
    request_id = response.json()["id"]
    assert response.json()["status"] == "pending"
    again = call(client, "POST", f"/circles/{cast.circle.slug}/requests", {}, headers=asker)
    assert again.status_code == 409
    assert client.get(f"{API}/circles/{cast.circle.slug}", headers=asker).json()["you"]["request_pending"] is True

    organiser = bearer(cast.organiser)
    waiting = client.get(f"{API}/circles/{cast.circle.slug}/requests", headers=organiser).json()
    assert [(r["person"]["display_name"], r["message"]) for r in waiting["items"]] == [
        ("Uma Unrelated", "I work nights")
    ]
    response = call(client, "POST", f"/circles/{cast.circle.slug}/requests/{request_id}/approve", headers=organiser)
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert Membership.objects.filter(circle=cast.circle, person=cast.outsider).exists()
    response = call(client, "POST", f"/circles/{cast.circle.slug}/requests/{request_id}/decline", headers=organiser)
    assert response.status_code == 409
    answered = client.get(f"{API}/circles/{cast.circle.slug}/requests?status=approved", headers=organiser).json()
    assert answered["count"] == 1


def test_a_request_belongs_to_its_circle(client, cast):
    other = new_circle(join_policy=JoinPolicy.APPROVAL)
    join_request = JoinRequest.objects.create(circle=other, person=cast.outsider)
    response = call(
        client,
        "POST",
        f"/circles/{cast.circle.slug}/requests/{join_request.pk}/approve",
        headers=bearer(cast.organiser),
    )
    assert response.status_code == 404


def test_roles_and_removal(client, cast):
    organiser = bearer(cast.organiser)
    base = f"/circles/{cast.circle.slug}/members"
    response = call(client, "PUT", f"{base}/{cast.member.pk}/role", {"role": "organiser"}, headers=organiser)
    assert response.status_code == 200
    assert response.json() == {**response.json(), "role": "organiser"}
    assert response.json()["person"]["display_name"] == "Mo Member"
    response = call(client, "PUT", f"{base}/{cast.outsider.pk}/role", {"role": "member"}, headers=organiser)
    assert response.status_code == 404
    assert call(client, "DELETE", f"{base}/{cast.member.pk}", headers=organiser).status_code == 204
    response = call(client, "DELETE", f"{base}/{cast.organiser.pk}", headers=organiser)
    assert response.status_code == 400  # the last organiser stays
    assert call(client, "DELETE", f"{base}/999999", headers=organiser).status_code == 404


def test_invite_joins_even_an_approval_circle(client, cast):
    Circle.objects.filter(pk=cast.circle.pk).update(join_policy=JoinPolicy.APPROVAL)
    response = call(client, "POST", f"/circles/{cast.circle.slug}/invites", {"days": 3}, headers=bearer(cast.organiser))
    assert response.status_code == 201
    token = response.json()["token"]
    assert response.json()["max_uses"] == 25
    response = call(client, "POST", f"/invites/{token}/accept", headers=bearer(cast.outsider))
    assert response.status_code == 200
    assert response.json()["circle"]["slug"] == cast.circle.slug
    assert Invite.objects.get(token=token).uses == 1
    Invite.objects.filter(token=token).update(revoked=True)
    newcomer = new_person()
    assert call(client, "POST", f"/invites/{token}/accept", headers=bearer(newcomer)).status_code == 404
    assert call(client, "POST", "/invites/nonsense/accept", headers=bearer(newcomer)).status_code == 404


def test_ties_declared_changed_acknowledged_and_ended(client, cast):
    other = new_center(name="Commons Library")
    organiser = bearer(cast.organiser)
    response = call(
        client,
        "POST",
        f"/circles/{cast.circle.slug}/ties",
        {"center": other.slug, "wants": ["speakers", "literature", "speakers"], "note": "Monthly reading group"},
        headers=organiser,
    )
    assert response.status_code == 201
    tie = response.json()
    assert tie["wants"] == ["literature", "speakers"]
    assert tie["center"]["tie_count"] == 1
    again = call(client, "POST", f"/circles/{cast.circle.slug}/ties", {"center": other.slug}, headers=organiser)
    assert again.status_code == 409
    missing = call(client, "POST", f"/circles/{cast.circle.slug}/ties", {"center": "nowhere"}, headers=organiser)
    assert missing.status_code == 404
    assert missing.json()["field"] == "center"

    response = call(client, "PATCH", f"/ties/{tie['id']}", {"note": "Fortnightly"}, headers=organiser)
    assert response.status_code == 200
    assert response.json()["wants"] == ["literature", "speakers"]
    assert response.json()["note"] == "Fortnightly"

    editor = new_person()
    factories.add_editor(other, editor)
    response = call(client, "POST", f"/ties/{tie['id']}/acknowledge", headers=bearer(editor))
    assert response.status_code == 200
    assert response.json()["acknowledged_at"] is not None

    response = call(client, "POST", f"/ties/{tie['id']}/end", headers=organiser)
    assert response.status_code == 200
    assert response.json()["ended_at"] is not None
    assert Center.objects.get(pk=other.pk).tie_count == 0
    assert call(client, "POST", f"/ties/{tie['id']}/end", headers=organiser).status_code == 409


def test_center_create_edit_and_editors(client, cast):
    founder = bearer(cast.outsider)
    response = call(
        client,
        "POST",
        "/centers",
        {"name": "Commons Library", "tendency": "anarchist", "website": "https://commons.example.org"},
        headers=founder,
    )
    assert response.status_code == 201
    slug = response.json()["slug"]
    assert [e["display_name"] for e in response.json()["editors"]] == ["Uma Unrelated"]
    response = call(client, "PATCH", f"/centers/{slug}", {"description": "Books for circles"}, headers=founder)
    assert response.status_code == 200
    assert response.json()["description"] == "Books for circles"

    response = call(client, "POST", f"/centers/{slug}/editors", {"email": cast.member.email.upper()}, headers=founder)
    assert response.status_code == 201
    assert response.json()["person"]["id"] == cast.member.pk
    nobody = call(client, "POST", f"/centers/{slug}/editors", {"email": "nobody@example.org"}, headers=founder)
    assert nobody.status_code == 404
    assert nobody.json()["field"] == "email"
    assert call(client, "DELETE", f"/centers/{slug}/editors/{cast.outsider.pk}", headers=founder).status_code == 204
    last = call(client, "DELETE", f"/centers/{slug}/editors/{cast.member.pk}", headers=bearer(cast.member))
    assert last.status_code == 400
    assert CenterEditor.objects.filter(center__slug=slug).count() == 1


def test_non_editors_do_not_learn_whether_an_address_has_an_account(client, cast):
    for email in (cast.member.email, "nobody@example.org"):
        response = call(
            client, "POST", f"/centers/{cast.center.slug}/editors", {"email": email}, headers=bearer(cast.outsider)
        )
        assert response.status_code == 403


def test_follow_and_unfollow(client, cast):
    headers = bearer(cast.outsider)
    for _ in range(2):  # following twice is harmless
        response = call(client, "POST", f"/circles/{cast.circle.slug}/follow", headers=headers)
        assert response.status_code == 200
        assert response.json()["circle"]["slug"] == cast.circle.slug
        assert response.json()["center"] is None
    assert Circle.objects.get(pk=cast.circle.pk).follower_count == 1
    assert call(client, "POST", f"/centers/{cast.center.slug}/follow", headers=headers).status_code == 200
    follows = client.get(f"{API}/me/follows", headers=headers).json()
    assert follows["count"] == 2
    assert client.get(f"{API}/circles/{cast.circle.slug}", headers=headers).json()["you"]["following"] is True
    assert client.get(f"{API}/centers/{cast.center.slug}", headers=headers).json()["you"]["following"] is True
    assert call(client, "DELETE", f"/circles/{cast.circle.slug}/follow", headers=headers).status_code == 204
    assert call(client, "DELETE", f"/centers/{cast.center.slug}/follow", headers=headers).status_code == 204
    assert Circle.objects.get(pk=cast.circle.pk).follower_count == 0
    assert client.get(f"{API}/me/follows", headers=headers).json()["count"] == 0


def test_my_memberships(client, cast):
    response = client.get(f"{API}/me/memberships", headers=bearer(cast.organiser))
    assert response.status_code == 200
    assert [(m["circle"]["slug"], m["role"]) for m in response.json()["items"]] == [(cast.circle.slug, Role.ORGANISER)]
