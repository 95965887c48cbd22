"""The people JSON API through the HTTP client: profiles as each viewer may see them, one's own account, tokens."""

from __future__ import annotations

import json
import typing
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from freshground.network.models import Membership
from freshground.people import services
from freshground.people.models import PROFILE_VISIBILITY_FIELDS, ApiToken, Person
from freshground.people.schemas import ProfileField
from freshground.testing import factories

pytestmark = pytest.mark.django_db

API = "/api/v1"


def new_person(**fields: Any) -> Any:
    return factories.PersonFactory(**fields)


def bearer(person) -> dict[str, str]:
    _token, key = services.create_api_token(person=person, name="tests")
    return {"Authorization": f"Bearer {key}"}


def call(client, method: str, path: str, body=None, headers=None):
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, API + path, data=data, content_type="application/json", headers=headers or {})


@pytest.fixture
def olga(cast):
    services.update_profile(
        person=cast.organiser,
        bio="Night nurse.",
        place_name="Leeds",
        latitude=53.8,
        longitude=-1.55,
        languages=["en", "pl"],
        skills=["First aid"],
        interests=["Housing"],
    )
    return cast.organiser


# Profiles


def test_schema_lists_every_profile_visibility_field():
    assert set(typing.get_args(ProfileField)) == set(PROFILE_VISIBILITY_FIELDS)


def test_openapi_lists_the_people_paths(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for path in ["/people/{person_id}", "/me", "/me/export", "/me/tokens", "/me/tokens/{token_id}"]:
        assert API + path in paths


def test_anonymous_sees_public_fields_and_learns_which_are_hidden(client, olga):
    response = client.get(f"{API}/people/{olga.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Olga Organiser"
    assert body["bio"] == "Night nurse."
    assert body["languages"] == ["en", "pl"]
    assert body["interests"] == ["Housing"]
    # place and skills default to "members of my circles"
    assert body["place_name"] is None
    assert body["latitude"] is None
    assert body["skills"] is None
    assert set(body["hidden"]) == {"place", "skills"}
    assert "Leeds" not in response.content.decode()
    assert "email" not in body


@pytest.mark.parametrize(
    ("role", "sees_place"),
    [("member", True), ("outsider", False), ("editor", False), ("admin", True), ("organiser", True)],
)
def test_circle_mates_see_circle_only_fields(client, cast, olga, role, sees_place):
    body = client.get(f"{API}/people/{olga.pk}", headers=bearer(getattr(cast, role))).json()
    assert (body["place_name"] == "Leeds") is sees_place
    assert ("place" in body["hidden"]) is not sees_place


def test_private_fields_are_hidden_even_from_circle_mates(client, cast, olga):
    services.update_profile(person=olga, visibility={"bio": "private"})
    body = client.get(f"{API}/people/{olga.pk}", headers=bearer(cast.member)).json()
    assert body["bio"] is None
    assert body["hidden"] == ["bio"]


def test_unknown_or_deactivated_person_is_404(client, cast):
    assert client.get(f"{API}/people/999999").status_code == 404
    Person.objects.filter(pk=cast.outsider.pk).update(is_active=False)
    response = client.get(f"{API}/people/{cast.outsider.pk}")
    assert response.status_code == 404
    assert response.json()["detail"]


# One's own account


def test_me_needs_a_caller(client, db):
    for method, path in [
        ("GET", "/me"),
        ("PATCH", "/me"),
        ("GET", "/me/export"),
        ("DELETE", "/me"),
        ("GET", "/me/tokens"),
        ("POST", "/me/tokens"),
        ("DELETE", "/me/tokens/1"),
    ]:
        response = call(client, method, path, {})
        assert response.status_code == 401, (method, path)
        assert response.json()["detail"]


def test_me_shows_the_whole_profile(client, olga):
    body = client.get(f"{API}/me", headers=bearer(olga)).json()
    assert body["email"] == olga.email
    assert body["place_name"] == "Leeds"
    assert body["skills"] == ["First aid"]
    assert body["visibility"] == {
        "bio": "public",
        "place": "circles",
        "languages": "public",
        "skills": "circles",
        "interests": "public",
    }
    assert body["time_zone"] == "UTC"


def test_me_with_session(client, olga):
    client.force_login(olga)
    assert client.get(f"{API}/me").json()["email"] == olga.email


def test_patch_me_changes_only_what_is_sent(client, olga):
    response = call(
        client,
        "PATCH",
        "/me",
        {
            "display_name": "Olga K",
            "skills": ["Welding", "welding ", "First aid"],
            "visibility": {"place": "public"},
            "time_zone": "Europe/London",
        },
        headers=bearer(olga),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["display_name"] == "Olga K"
    assert sorted(body["skills"]) == ["First aid", "Welding"]
    assert body["bio"] == "Night nurse."
    assert body["visibility"]["place"] == "public"
    assert body["time_zone"] == "Europe/London"
    assert client.get(f"{API}/people/{olga.pk}").json()["place_name"] == "Leeds"


def test_patch_me_can_clear_the_point(client, olga):
    response = call(client, "PATCH", "/me", {"latitude": None, "longitude": None}, headers=bearer(olga))
    assert response.status_code == 200
    olga.refresh_from_db()
    assert (olga.latitude, olga.longitude, olga.place_name) == (None, None, "Leeds")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"bio": "x" * 2001}, "bio"),
        ({"place_name": "x" * 161}, "place_name"),
        ({"latitude": 90.5, "longitude": 0}, "latitude"),
        ({"latitude": 0, "longitude": -180.5}, "longitude"),
        ({"latitude": "north"}, "latitude"),
        ({"languages": ["x" * 13]}, "languages.0"),
        ({"languages": "en"}, "languages"),
        ({"skills": ["x" * 61]}, "skills.0"),
        ({"interests": ["a"] * 31}, "interests"),
        ({"visibility": {"bio": "friends"}}, "visibility.bio"),
        ({"time_zone": "x" * 65}, "time_zone"),
    ],
)
def test_patch_me_malformed_input_is_422_naming_the_field(client, olga, body, field):
    response = call(client, "PATCH", "/me", body, headers=bearer(olga))
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    olga.refresh_from_db()
    assert olga.display_name == "Olga Organiser"


def test_patch_me_unknown_visibility_key_is_422(client, olga):
    response = call(client, "PATCH", "/me", {"visibility": {"email": "public"}}, headers=bearer(olga))
    assert response.status_code == 422
    assert any(e["field"].startswith("visibility") for e in response.json()["errors"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"latitude": 10.0, "longitude": None}, "latitude"),
        ({"languages": ["en gb"]}, "languages"),
    ],
)
def test_patch_me_values_the_service_refuses_are_400_naming_the_field(client, olga, body, field):
    response = call(client, "PATCH", "/me", body, headers=bearer(olga))
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_export_holds_the_profile_and_the_network_data(client, olga, cast):
    response = client.get(f"{API}/me/export", headers=bearer(olga))
    assert response.status_code == 200
    data = response.json()
    assert data["format"] == "freshground-export/1"
    assert data["profile"]["email"] == olga.email
    assert data["profile"]["skills"] == ["First aid"]
    assert [t["name"] for t in data["api_tokens"]] == ["tests"]
    assert set(data["api_tokens"][0]) == {"name", "prefix", "created_at"}  # never the key or its hash
    assert [m["slug"] for m in data["network"]["memberships"]] == [cast.circle.slug]


def test_delete_me_needs_the_email_as_confirmation(client, cast):
    headers = bearer(cast.member)
    missing = call(client, "DELETE", "/me", {}, headers=headers)
    assert missing.status_code == 422
    assert "confirm" in [e["field"] for e in missing.json()["errors"]]
    wrong = call(client, "DELETE", "/me", {"confirm": "someone@example.org"}, headers=headers)
    assert wrong.status_code == 400
    assert wrong.json()["field"] == "confirm"
    assert Person.objects.filter(pk=cast.member.pk).exists()

    response = call(client, "DELETE", "/me", {"confirm": f" {cast.member.email.upper()} "}, headers=headers)
    assert response.status_code == 204
    assert not Person.objects.filter(pk=cast.member.pk).exists()
    assert not Membership.objects.filter(person_id=cast.member.pk).exists()
    cast.circle.refresh_from_db()
    assert cast.circle.member_count == 1
    # the token went with the account
    assert client.get(f"{API}/me", headers=headers).status_code == 401


# Tokens


def test_first_token_is_made_with_the_session_then_works_alone(client, db):
    person = new_person()
    client.force_login(person)
    response = call(client, "POST", "/me/tokens", {"name": "Phone"})
    assert response.status_code == 201
    body = response.json()
    key = body["key"]
    assert key.startswith("fg_")
    assert body["prefix"] == key[:10]
    assert body["name"] == "Phone"
    assert body["is_expired"] is False

    client.logout()
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200
    assert me.json()["id"] == person.pk
    listing = client.get(f"{API}/me/tokens", headers={"Authorization": f"Bearer {key}"})
    assert [t["name"] for t in listing.json()] == ["Phone"]
    assert key not in listing.content.decode()
    assert listing.json()[0]["last_used_on"] == timezone.now().date().isoformat()


def test_revoked_token_stops_working(client, db):
    person = new_person()
    token, key = services.create_api_token(person=person, name="Laptop")
    headers = {"Authorization": f"Bearer {key}"}
    assert call(client, "DELETE", f"/me/tokens/{token.pk}", headers=headers).status_code == 204
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert client.get(f"{API}/me", headers=headers).status_code == 401
    assert client.get(f"{API}/people/{person.pk}", headers=headers).status_code == 401


def test_expired_token_is_refused(client, db):
    person = new_person()
    _token, key = services.create_api_token(person=person, name="Old", expires_at=timezone.now() - timedelta(seconds=1))
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get(f"{API}/me", headers=headers).status_code == 401
    assert call(client, "PATCH", "/me", {"bio": "hi"}, headers=headers).status_code == 401
    assert call(client, "POST", "/me/tokens", {"name": "New"}, headers=headers).status_code == 401


def test_deactivated_person_token_is_refused(client, db):
    person = new_person()
    headers = bearer(person)
    Person.objects.filter(pk=person.pk).update(is_active=False)
    assert client.get(f"{API}/me", headers=headers).status_code == 401


def test_cannot_revoke_someone_elses_token(client, cast):
    theirs, _key = services.create_api_token(person=cast.member, name="Theirs")
    response = call(client, "DELETE", f"/me/tokens/{theirs.pk}", headers=bearer(cast.outsider))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "CI", "expires_at": "soon"}, "expires_at"),
        ({"name": "CI", "expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
    ],
)
def test_malformed_token_requests_are_422(client, cast, body, field):
    response = call(client, "POST", "/me/tokens", body, headers=bearer(cast.outsider))
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_token_with_expiry(client, cast):
    when = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    response = call(
        client, "POST", "/me/tokens", {"name": "CI", "expires_at": when.isoformat()}, headers=bearer(cast.outsider)
    )
    assert response.status_code == 201
    assert ApiToken.objects.get(pk=response.json()["id"]).expires_at == when


def test_token_limit_is_a_clear_refusal(client, cast):
    for n in range(19):
        services.create_api_token(person=cast.outsider, name=f"t{n}")
    response = call(client, "POST", "/me/tokens", {"name": "one too many"}, headers=bearer(cast.outsider))
    assert response.status_code == 400
    assert "20" in response.json()["detail"]
