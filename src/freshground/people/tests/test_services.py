"""people.services: profile edits, tokens, data download and account deletion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from freshground.core.exceptions import DomainError, NotFound
from freshground.network.models import Circle, Membership, Role
from freshground.people import services
from freshground.people.models import ApiToken, Person, Visibility
from freshground.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_update_profile_sets_every_field():
    person = PersonFactory.create()
    services.update_profile(
        person=person,
        display_name="  Night Shift  ",
        bio="Nurse.",
        place_name="Leeds",
        latitude=53.8,
        longitude=-1.55,
        languages=["EN", "pt-BR", "en"],
        skills=["First aid", "Translation"],
        interests=["Housing"],
        time_zone="Europe/London",
        visibility={"bio": Visibility.PRIVATE},
    )
    person = Person.objects.get(pk=person.pk)
    assert person.display_name == "Night Shift"
    assert person.languages == ["en", "pt-br"]
    assert sorted(t.name for t in person.skills.all()) == ["First aid", "Translation"]
    assert [t.name for t in person.interests.all()] == ["Housing"]
    assert (person.latitude, person.longitude) == (53.8, -1.55)
    assert person.time_zone == "Europe/London"
    assert person.visibility_of("bio") == Visibility.PRIVATE
    assert person.visibility_of("place") == Visibility.CIRCLES


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"display_name": "   "}, "display_name"),
        ({"languages": ["english!"]}, "languages"),
        ({"latitude": 10.0, "longitude": None}, "latitude"),
        ({"latitude": 95.0, "longitude": 1.0}, "latitude"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"visibility": {"bio": "friends"}}, "visibility"),
        ({"skills": ["!!!"]}, "skills"),
    ],
)
def test_update_profile_refuses_bad_values_and_names_the_field(values, field):
    person = PersonFactory.create(display_name="Before")
    with pytest.raises(DomainError) as caught:
        services.update_profile(person=person, **values)
    assert caught.value.field == field
    assert Person.objects.get(pk=person.pk).display_name == "Before"


def test_token_authenticates_until_revoked():
    person = PersonFactory.create()
    token, key = services.create_api_token(person=person, name="phone")
    assert key.startswith(services.TOKEN_PREFIX)
    assert token.prefix == key[:10]
    assert key not in token.key_hash
    assert services.authenticate_token(key) == person
    assert ApiToken.objects.get(pk=token.pk).last_used_on == timezone.now().date()
    assert services.authenticate_token(key + "x") is None
    services.revoke_api_token(person=person, token_id=token.pk)
    assert services.authenticate_token(key) is None


def test_expired_token_and_inactive_person_do_not_authenticate():
    person = PersonFactory.create()
    _token, key = services.create_api_token(person=person, name="old", expires_at=timezone.now() - timedelta(days=1))
    assert services.authenticate_token(key) is None
    _token, key = services.create_api_token(person=person, name="new")
    Person.objects.filter(pk=person.pk).update(is_active=False)
    assert services.authenticate_token(key) is None


def test_token_needs_a_name_and_only_its_owner_revokes_it():
    person, other = PersonFactory.create(), PersonFactory.create()
    with pytest.raises(DomainError) as caught:
        services.create_api_token(person=person, name="  ")
    assert caught.value.field == "name"
    token, _key = services.create_api_token(person=person, name="script")
    with pytest.raises(NotFound):
        services.revoke_api_token(person=other, token_id=token.pk)
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_export_holds_profile_tokens_and_memberships(cast):
    services.update_profile(person=cast.member, bio="Porter", skills=["Lifting"])
    services.create_api_token(person=cast.member, name="feed")
    data = services.export_person_data(person=cast.member)
    assert data["profile"]["email"] == cast.member.email
    assert data["profile"]["bio"] == "Porter"
    assert data["profile"]["skills"] == ["Lifting"]
    assert [t["name"] for t in data["api_tokens"]] == ["feed"]
    assert data["network"]["memberships"][0]["slug"] == cast.circle.slug


def test_delete_account_promotes_the_next_member(cast):
    services.delete_account(person=cast.organiser)
    assert not Person.objects.filter(pk=cast.organiser.pk).exists()
    assert Membership.objects.get(circle=cast.circle, person=cast.member).role == Role.ORGANISER
    assert Circle.objects.get(pk=cast.circle.pk).member_count == 1
