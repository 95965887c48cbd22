"""The site admin for people: searchable, never shows a password; API tokens are read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.people import services
from freshground.people.models import ApiToken

pytestmark = pytest.mark.django_db


def test_person_admin_searches_and_hides_the_password(client, cast):
    client.force_login(cast.admin)
    listing = client.get(reverse("admin:people_person_changelist"), {"q": "Mo Mem"})
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Mo Member" in page
    assert "Uma Unrelated" not in page
    by_email = client.get(reverse("admin:people_person_changelist"), {"q": cast.outsider.email}).content.decode()
    assert "Uma Unrelated" in by_email
    change = client.get(reverse("admin:people_person_change", args=[cast.member.pk]))
    assert change.status_code == 200
    html = change.content.decode()
    assert 'name="display_name"' in html
    assert 'name="password"' not in html
    assert cast.member.password not in html


def test_api_token_admin_is_read_only(client, cast):
    token, key = services.create_api_token(person=cast.member, name="Rota script")
    client.force_login(cast.admin)
    assert client.get(reverse("admin:people_apitoken_changelist")).status_code == 200
    page = client.get(reverse("admin:people_apitoken_change", args=[token.pk])).content.decode()
    assert "Rota script" in page
    assert token.key_hash not in page
    assert key not in page
    assert 'name="name"' not in page  # no editable field
    assert client.get(reverse("admin:people_apitoken_add")).status_code == 403
    client.post(reverse("admin:people_apitoken_change", args=[token.pk]), {"name": "changed"})
    assert ApiToken.objects.get(pk=token.pk).name == "Rota script"


def test_people_admin_is_for_staff_only(client, cast):
    client.force_login(cast.member)
    response = client.get(reverse("admin:people_person_changelist"))
    assert response.status_code == 302
