"""The network JSON API: whole stories, from creating a circle to following a center."""

from __future__ import annotations

import pytest

from freshground.network.models import (
    Center,
    CenterEditor,
    Circle,
    Invite,
    JoinPolicy,
    JoinRequest,
    Membership,
    Role,
)
from freshground.network.tests.api_helpers import API, bearer, call, new_center, new_circle, new_person
from freshground.testing import factories

pytestmark = pytest.mark.django_db


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
