"""People pages: profiles with each person's visibility choices, settings, tokens, data download, deletion."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.template import Context, Template
from django.urls import reverse

from freshground.network.models import Circle, MemberListVisibility, Membership, Role
from freshground.people import services
from freshground.people.models import PROFILE_VISIBILITY_FIELDS, ApiToken, Person, Visibility
from freshground.testing import factories
from freshground.testing.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db

# What the member (the profile's subject) has filled in, and a word on the page that shows each field.
SHOWN_BY = {
    "bio": "Night porter on ward seven",
    "place": "Kirkstall",
    "languages": "Spanish",
    "skills": "Stretcher repair",
    "interests": "Pension fights",
}


def fill_profile(person: Person, level: str) -> None:
    services.update_profile(
        person=person,
        bio=SHOWN_BY["bio"],
        place_name=SHOWN_BY["place"],
        languages=["es"],
        skills=[SHOWN_BY["skills"]],
        interests=[SHOWN_BY["interests"]],
        visibility=dict.fromkeys(PROFILE_VISIBILITY_FIELDS, level),
    )


VIEWERS = ("anonymous", "same_circle", "unrelated", "self", "admin")
SEES = {
    Visibility.PUBLIC: set(VIEWERS),
    Visibility.CIRCLES: {"same_circle", "self", "admin"},
    Visibility.PRIVATE: {"self", "admin"},
}


def log_in_as(client, cast, viewer: str) -> None:
    person = {
        "anonymous": None,
        "same_circle": cast.organiser,
        "unrelated": cast.outsider,
        "self": cast.member,
        "admin": cast.admin,
    }[viewer]
    if person is not None:
        client.force_login(person)


@pytest.mark.parametrize("level", [Visibility.PUBLIC, Visibility.CIRCLES, Visibility.PRIVATE])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_profile_shows_each_field_only_to_whom_its_owner_chose(client, cast, level, viewer):
    fill_profile(cast.member, level)
    log_in_as(client, cast, viewer)
    response = client.get(reverse("people:profile", args=[cast.member.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mo Member" in page  # the display name is always public
    for field, text in SHOWN_BY.items():
        if viewer in SEES[level]:
            assert text in page, (field, viewer, level)
        else:
            assert text not in page, (field, viewer, level)


def test_fields_can_have_different_levels(client, cast):
    fill_profile(cast.member, Visibility.PUBLIC)
    services.update_profile(person=cast.member, visibility={"skills": Visibility.PRIVATE})
    page = client.get(reverse("people:profile", args=[cast.member.pk])).content.decode()
    assert SHOWN_BY["bio"] in page
    assert SHOWN_BY["skills"] not in page


def test_coordinates_are_never_shown_to_others(client, cast):
    services.update_profile(
        person=cast.member,
        place_name="Leeds",
        latitude=53.123456,
        longitude=-1.654321,
        visibility={"place": Visibility.PUBLIC},
    )
    assert "53.123456" not in client.get(reverse("people:profile", args=[cast.member.pk])).content.decode()
    client.force_login(cast.member)
    assert "53.123456" in client.get(reverse("people:profile", args=[cast.member.pk])).content.decode()


@pytest.mark.parametrize(
    ("viewer", "sees_circle"),
    [("anonymous", False), ("unrelated", False), ("same_circle", True), ("self", True), ("admin", True)],
)
def test_profile_lists_members_only_circles_only_to_those_who_may_see_members(client, cast, viewer, sees_circle):
    public = factories.CircleFactory.create(
        name="Open Tenants Union", member_list_visibility=MemberListVisibility.PUBLIC
    )
    factories.add_member(public, cast.member)
    log_in_as(client, cast, viewer)
    page = client.get(reverse("people:profile", args=[cast.member.pk])).content.decode()
    assert "Open Tenants Union" in page
    assert ("Riverside Hospital Workers" in page) is sees_circle


def test_profile_has_an_edit_link_only_for_oneself(client, cast):
    edit_url = reverse("people:edit_profile")
    client.force_login(cast.outsider)
    assert edit_url not in client.get(reverse("people:profile", args=[cast.member.pk])).content.decode().replace(
        f'href="{edit_url}">Profile', ""
    )
    client.force_login(cast.member)
    page = client.get(reverse("people:profile", args=[cast.member.pk])).content.decode()
    assert f'href="{edit_url}"' in page
    assert "Edit your profile" in page


def test_profile_of_unknown_or_deactivated_person_is_404(client, cast):
    assert client.get(reverse("people:profile", args=[999999])).status_code == 404
    Person.objects.filter(pk=cast.member.pk).update(is_active=False)
    assert client.get(reverse("people:profile", args=[cast.member.pk])).status_code == 404


def test_profile_query_count_does_not_grow_with_circles(client, cast, django_assert_num_queries):
    fill_profile(cast.member, Visibility.CIRCLES)
    client.force_login(cast.outsider)
    url = reverse("people:profile", args=[cast.member.pk])
    client.get(url)
    # 8 for the profile and its circles, +1: the events the person hosts in their own name (events' person_event_lists
    # tag). The events they are registered for are listed (one more query) only on their own profile.
    queries = 9
    with django_assert_num_queries(queries):
        client.get(url)
    for n in range(6):
        circle = factories.CircleFactory.create(name=f"Extra {n}", member_list_visibility=MemberListVisibility.MEMBERS)
        factories.add_member(circle, cast.member)
        factories.add_member(circle, cast.outsider) if n % 2 else None
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert "Extra 1" in response.content.decode()
    assert "Extra 0" not in response.content.decode()


# Settings


def test_settings_pages_need_login(client):
    for name in ("settings", "edit_profile", "tokens", "export", "delete_account"):
        response = client.get(reverse(f"people:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_settings_hub_links_everything(client, cast):
    client.force_login(cast.member)
    response = client.get(reverse("people:settings"))
    page = response.content.decode()
    for url in (
        reverse("people:edit_profile"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
        reverse("people:tokens"),
        reverse("people:export"),
        reverse("people:delete_account"),
    ):
        assert f'href="{url}"' in page
    assert cast.member.email in page
    assert "no-store" in response["Cache-Control"]


def test_edit_profile_shows_current_values(client, cast):
    fill_profile(cast.member, Visibility.CIRCLES)
    client.force_login(cast.member)
    page = client.get(reverse("people:edit_profile")).content.decode()
    assert 'value="Mo Member"' in page
    assert SHOWN_BY["bio"] in page
    assert 'value="Stretcher repair"' in page
    assert '<option value="Europe/Lisbon">' in page
    assert 'name="visibility_bio" value="circles" required id="id_visibility_bio_1" checked' in page


def edit_data(**overrides):
    data = {
        "display_name": "Red Kite",
        "bio": "Cleaner, union rep.",
        "place_name": "Bradford",
        "latitude": "53.79",
        "longitude": "-1.75",
        "languages": "en, ur",
        "skills": "Leafleting, Minutes",
        "interests": "Outsourcing",
        "time_zone": "Europe/London",
        "visibility_bio": "public",
        "visibility_place": "private",
        "visibility_languages": "public",
        "visibility_skills": "circles",
        "visibility_interests": "public",
    }
    data.update(overrides)
    return data


def test_edit_profile_saves_and_shows_the_profile(client, cast):
    client.force_login(cast.member)
    response = client.post(reverse("people:edit_profile"), edit_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("people:profile", args=[cast.member.pk])
    person = Person.objects.get(pk=cast.member.pk)
    assert person.display_name == "Red Kite"
    assert person.languages == ["en", "ur"]
    assert sorted(t.name for t in person.skills.all()) == ["Leafleting", "Minutes"]
    assert person.time_zone == "Europe/London"
    assert person.visibility_of("place") == Visibility.PRIVATE
    client.logout()
    page = client.get(reverse("people:profile", args=[cast.member.pk])).content.decode()
    assert "Red Kite" in page
    assert "Cleaner, union rep." in page
    assert "Bradford" not in page  # only me
    assert "Leafleting" not in page  # my circles


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"languages": "en, english!"}, "languages", "is not a language code"),
        ({"longitude": ""}, "latitude", "Give both latitude and longitude"),
        ({"latitude": "91"}, "latitude", "less than or equal to 90"),
        ({"display_name": ""}, "display_name", "This field is required"),
        ({"visibility_bio": "friends"}, "visibility_bio", "Select a valid choice"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice"),
    ],
)
def test_edit_profile_refusal_is_shown_on_its_field_and_nothing_is_saved(client, cast, overrides, field, message):
    client.force_login(cast.member)
    response = client.post(reverse("people:edit_profile"), edit_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in str(error) for error in form.errors[field]), form.errors
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert "Nothing was saved" in page
    person = Person.objects.get(pk=cast.member.pk)
    assert person.display_name == "Mo Member"
    assert person.bio == ""
    # The header still shows the stored name, not the refused one.
    assert "Red Kite" not in page.split("<main", 1)[0]


# API tokens


def test_token_key_is_shown_once_and_authenticates(client, cast):
    client.force_login(cast.member)
    response = client.post(reverse("people:tokens"), {"name": "Rota script", "expires": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["new_key"]
    page = response.content.decode()
    assert key in page
    assert "only time it is shown" in page
    assert services.authenticate_token(key) == cast.member
    token = ApiToken.objects.get(person=cast.member)
    assert token.expires_at is not None
    listing = client.get(reverse("people:tokens")).content.decode()
    assert "Rota script" in listing
    assert token.prefix in listing
    assert key not in listing


def test_token_list_shows_dates_and_never_for_unused(client, cast):
    services.create_api_token(person=cast.member, name="Forever")
    client.force_login(cast.member)
    page = client.get(reverse("people:tokens")).content.decode()
    assert "Forever" in page
    assert page.count("Never") >= 2  # not used yet, never expires


def test_token_without_name_is_refused(client, cast):
    client.force_login(cast.member)
    response = client.post(reverse("people:tokens"), {"name": "", "expires": "never"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not response.context["new_key"]
    assert not ApiToken.objects.exists()


def test_revoke_token(client, cast):
    token, key = services.create_api_token(person=cast.member, name="Old laptop")
    url = reverse("people:token_revoke", args=[token.pk])
    client.force_login(cast.outsider)
    assert client.post(url).status_code == 404
    client.force_login(cast.member)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "The token is revoked" in response.content.decode()
    assert services.authenticate_token(key) is None
    assert not ApiToken.objects.filter(pk=token.pk).exists()


# Data download


def test_export_page_explains_and_post_downloads_json(client, cast):
    services.update_profile(person=cast.member, bio="Porter", interests=["Rotas"])
    client.force_login(cast.member)
    page = client.get(reverse("people:export")).content.decode()
    assert "What is in it" in page
    response = client.post(reverse("people:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == "Mo Member"
    assert data["profile"]["bio"] == "Porter"
    assert data["profile"]["interests"] == ["Rotas"]
    memberships = data["network"]["memberships"]
    assert [(m["slug"], m["role"]) for m in memberships] == [(cast.circle.slug, Role.MEMBER)]


# Deleting an account


def test_delete_page_explains_what_happens(client, cast):
    client.force_login(cast.member)
    page = client.get(reverse("people:delete_account")).content.decode()
    assert "a former member" in page
    assert "longest-standing member" in page
    assert 'type="password"' in page


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("someone@example.org", PASSWORD, "email"),
        (None, "wrong password", "password"),
        (None, "", "password"),
    ],
)
def test_wrong_confirmation_refuses_deletion(client, cast, email, password, field):
    client.force_login(cast.organiser)
    response = client.post(
        reverse("people:delete_account"), {"email": email or cast.organiser.email, "password": password}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert Person.objects.filter(pk=cast.organiser.pk).exists()
    assert client.get(reverse("people:settings")).status_code == 200  # still logged in


def test_delete_account_removes_person_and_hands_on_the_circle(client, cast):
    client.force_login(cast.organiser)
    response = client.post(
        reverse("people:delete_account"),
        {"email": cast.organiser.email.upper(), "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert next(str(m) for m in get_messages(response.wsgi_request)).startswith("Your account is deleted")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("people:settings")).status_code == 302  # logged out
    assert not Person.objects.filter(pk=cast.organiser.pk).exists()
    assert Membership.objects.get(circle=cast.circle, person=cast.member).role == Role.ORGANISER
    assert Circle.objects.get(pk=cast.circle.pk).member_count == 1
    client.force_login(cast.member)
    circle_page = client.get(reverse("network:circle", args=[cast.circle.slug]))
    assert circle_page.status_code == 200
    assert "Riverside Hospital Workers" in circle_page.content.decode()


def test_author_name_filter():
    template = Template("{% load people %}[{{ who|author_name }}]")
    assert template.render(Context({"who": None})) == "[a former member]"
    assert template.render(Context({"who": Person(display_name="Kite <b>")})) == "[a former member]"
    person = PersonFactory.create(display_name="Kite <b>")
    assert template.render(Context({"who": person})) == "[Kite &lt;b&gt;]"
