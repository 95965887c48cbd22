"""Hostile input against profiles: people.services.update_profile, the profile form and PATCH /api/v1/me.

A clear refusal or a stored value that fits its column and is shown escaped on the profile page; never a 500.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freshground.core.exceptions import DomainError
from freshground.network.tests.test_hostile_input import (
    HOSTILE,
    assert_clear_refusal,
    assert_escaped,
    assert_fits,
    hostile_text,
    http_text,
    rolled_back,
)
from freshground.people import services
from freshground.people.models import Person, Visibility

PUBLIC = dict.fromkeys(("bio", "place", "languages", "skills", "interests"), Visibility.PUBLIC)
hostile_list = st.lists(hostile_text, max_size=4)
API_STATUSES = {200, 201, 400, 403, 409, 422}


def _assert_person_fits(person: Person) -> None:
    assert_fits(person)
    for tag in [*person.skills.all(), *person.interests.all()]:
        assert_fits(tag)
        assert tag.name
    assert isinstance(person.languages, list)
    for code in person.languages:
        assert isinstance(code, str)
        assert 0 < len(code) <= 12


@HOSTILE
@given(display_name=hostile_text, bio=hostile_text, place=hostile_text)
def test_update_profile_text_stores_or_refuses(cast, display_name, bio, place):
    person = cast.outsider
    with rolled_back():
        try:
            services.update_profile(person=person, display_name=display_name, bio=bio, place_name=place)
        except DomainError as error:
            assert_clear_refusal(error, {"display_name", "bio", "place_name"})
        else:
            _assert_person_fits(Person.objects.get(pk=person.pk))
    person.refresh_from_db()


@HOSTILE
@given(languages=hostile_list, skills=hostile_list, interests=hostile_list)
def test_update_profile_lists_store_or_refuse(cast, languages, skills, interests):
    person = cast.outsider
    with rolled_back():
        try:
            services.update_profile(person=person, languages=languages, skills=skills, interests=interests)
        except DomainError as error:
            assert_clear_refusal(error, {"languages", "skills", "interests"})
        else:
            _assert_person_fits(Person.objects.get(pk=person.pk))
    person.refresh_from_db()


@HOSTILE
@given(
    zone=st.one_of(hostile_text, st.just("Europe/London")),
    key=st.one_of(hostile_text, st.just("bio")),
    level=st.one_of(hostile_text, st.just("circles")),
    latitude=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
    longitude=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
)
def test_update_profile_settings_store_or_refuse(cast, zone, key, level, latitude, longitude):
    person = cast.outsider
    with rolled_back():
        try:
            services.update_profile(
                person=person, time_zone=zone, visibility={key: level}, latitude=latitude, longitude=longitude
            )
        except DomainError as error:
            assert_clear_refusal(error)
        else:
            stored = Person.objects.get(pk=person.pk)
            _assert_person_fits(stored)
            assert stored.visibility.get(key) == level
            if stored.latitude is not None:
                assert -90 <= stored.latitude <= 90
                assert -180 <= stored.longitude <= 180
    person.refresh_from_db()


# The profile form and the profile page


def _profile_form(display_name: str, bio: str, place: str, extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "display_name": display_name,
        "bio": bio,
        "place_name": place,
        "languages": extra,
        "skills": extra,
        "interests": extra,
        "time_zone": "UTC",
    }
    for key, level in PUBLIC.items():
        data[f"visibility_{key}"] = level
    return data


@HOSTILE
@given(display_name=http_text, bio=http_text, place=http_text, extra=http_text)
def test_profile_form_never_fails_and_escapes(cast, client, display_name, bio, place, extra):
    person = cast.outsider
    client.force_login(person)
    with rolled_back():
        response = client.post("/settings/profile/", _profile_form(display_name, bio, place, extra))
        assert response.status_code in {200, 302, 303, 400}, response.status_code
        stored = Person.objects.get(pk=person.pk)
        _assert_person_fits(stored)
        for viewer in (person, cast.organiser):
            client.force_login(viewer)
            page = client.get(f"/people/{person.pk}/")
            assert page.status_code == 200
            assert_escaped(page.content.decode(), display_name, bio, place, extra)


def test_profile_form_saves_a_payload_as_text(cast, client):
    """The form really stores what it is given (so the property test above is not only seeing refusals)."""
    person = cast.outsider
    client.force_login(person)
    payload = '<script>alert("x")</script> \u202eevil'
    response = client.post("/settings/profile/", _profile_form("Uma <b>Unrelated</b>", payload, "Leeds", "en"))
    assert response.status_code in {302, 303}, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.display_name == "Uma <b>Unrelated</b>"
    assert person.bio == payload
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "Uma &lt;b&gt;Unrelated&lt;/b&gt;" in page
    assert_escaped(page, payload, "Uma <b>Unrelated</b>")


# PATCH /api/v1/me


def _patch(client: Any, body: Any) -> Any:
    payload = body if isinstance(body, bytes) else json.dumps(body)
    return client.patch("/api/v1/me", data=payload, content_type="application/json")


@HOSTILE
@given(
    display_name=hostile_text,
    bio=hostile_text,
    place=hostile_text,
    languages=hostile_list,
    skills=hostile_list,
    zone=hostile_text,
)
def test_api_patch_me_never_fails(cast, client, display_name, bio, place, languages, skills, zone):
    person = cast.outsider
    client.force_login(person)
    with rolled_back():
        response = _patch(
            client,
            {
                "display_name": display_name,
                "bio": bio,
                "place_name": place,
                "languages": languages,
                "skills": skills,
                "time_zone": zone,
                "visibility": PUBLIC,
            },
        )
        assert response.status_code in API_STATUSES, (response.status_code, response.content[:300])
        if response.status_code >= 400:
            assert response.json().get("detail")
        stored = Person.objects.get(pk=person.pk)
        _assert_person_fits(stored)
        page = client.get(f"/people/{person.pk}/")
        assert page.status_code == 200
        assert_escaped(page.content.decode(), display_name, bio, place, *languages, *skills)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b'{"display_name": 12}',
        b'{"display_name": null}',
        b'{"display_name": "\\u0000"}',
        b'{"display_name": "\\ud800\\udfff"}',
        b'{"bio": {"$ne": 1}}',
        b'{"skills": "not a list"}',
        b'{"skills": [1, 2, null]}',
        b'{"visibility": {"bio": "\\u202epublic"}}',
        b'{"visibility": ["bio"]}',
        b'{"latitude": "NaN", "longitude": 0}',
        b'{"latitude": 1e999, "longitude": 0}',
        b'{"time_zone": "../../etc/passwd"}',
        b'{"display_name": "\xed\xa0\x80 invalid utf-8"}',
        b'{"bio": "' + b"x" * 100_000 + b'"}',
        b"[" * 5000 + b"]" * 5000,
    ],
    ids=lambda raw: raw[:24].decode("ascii", "backslashreplace") or "empty",
)
def test_api_patch_me_malformed_bodies(cast, client, raw):
    person = cast.outsider
    client.force_login(person)
    response = _patch(client, raw)
    assert response.status_code in API_STATUSES, (response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert response.json().get("detail")
    _assert_person_fits(Person.objects.get(pk=person.pk))


def test_api_patch_me_saves_a_payload_as_text(cast, client):
    person = cast.outsider
    client.force_login(person)
    payload = "<img src=x onerror=alert(1)> \u200b\U0001f600"
    response = _patch(client, {"display_name": "<script>x</script>", "bio": payload})
    assert response.status_code == 200, response.content[:300]
    person.refresh_from_db()
    assert person.display_name == "<script>x</script>"
    assert person.bio == payload
    assert_escaped(client.get(f"/people/{person.pk}/").content.decode(), payload, "<script>x</script>")


def test_api_patch_me_needs_a_caller(client, db):
    response = _patch(client, {"display_name": "Nobody"})
    assert response.status_code == 401
    assert response.json()["detail"]
