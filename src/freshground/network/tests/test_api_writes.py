"""The network JSON API: who may write what, tokens, CSRF, and malformed input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from freshground.network.models import (
    Circle,
    JoinPolicy,
    JoinRequest,
)
from freshground.network.tests.api_helpers import API, as_, bearer, call, new_center, new_person, the_tie
from freshground.people import services as people_services
from freshground.testing import factories

pytestmark = pytest.mark.django_db


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
