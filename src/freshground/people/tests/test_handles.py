"""@handles: every person gets one, people can change theirs, two people never share one."""

from __future__ import annotations

import pytest

from freshground.core.exceptions import DomainError
from freshground.people import services
from freshground.people.models import Person
from freshground.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_new_person_gets_a_handle_from_their_display_name():
    first = PersonFactory(display_name="Rosa Luxemburg")
    second = PersonFactory(display_name="Rosa Luxemburg")
    assert first.handle == "rosa-luxemburg"
    assert second.handle.startswith("rosa-luxemburg-")
    assert Person.objects.filter(handle=first.handle).count() == 1


@pytest.mark.parametrize("value", ["", "-rosa", "rosa-", "Rosa Luxemburg", "rosa_l", "x" * 41, "rosa!"])
def test_a_malformed_handle_is_refused_and_names_the_field(value):
    person = PersonFactory()
    with pytest.raises(DomainError) as refused:
        services.update_profile(person=person, handle=value)
    assert refused.value.field == "handle"


def test_a_handle_someone_has_is_refused():
    PersonFactory(display_name="taken")
    person = PersonFactory()
    with pytest.raises(DomainError, match="already"):
        services.update_profile(person=person, handle="@Taken")


def test_a_person_changes_their_handle_through_the_profile_form(client):
    person = PersonFactory(display_name="Ana")
    client.force_login(person)
    page = client.get("/settings/profile/")
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(handle="ana-from-leeds")
    response = client.post("/settings/profile/", data)
    assert response.status_code in {302, 303}
    person.refresh_from_db()
    assert person.handle == "ana-from-leeds"
    assert "@ana-from-leeds" in client.get(person.get_absolute_url()).content.decode()


def test_the_api_shows_and_changes_the_handle(client):
    person = PersonFactory(display_name="Bo")
    client.force_login(person)
    assert client.get("/api/v1/me").json()["handle"] == "bo"
    changed = client.patch("/api/v1/me", {"handle": "bo-two"}, content_type="application/json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["handle"] == "bo-two"
    refused = client.patch("/api/v1/me", {"handle": "Bo Two"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["field"] == "handle"
