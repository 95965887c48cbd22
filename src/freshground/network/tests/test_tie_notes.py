"""A tie is public, but its note is a message between the circle and the center."""

import pytest
from django.test import Client

from freshground.network.models import Tie
from freshground.network.permissions import can_see_tie_note

NOTE = "Could you send 40 copies of the staffing pamphlet?"

# role → may read the note
EXPECTED = {
    "anonymous": False,
    "outsider": False,
    "member": True,
    "organiser": True,
    "editor": True,
    "admin": True,
}


@pytest.fixture
def noted(cast):
    Tie.objects.filter(circle=cast.circle, center=cast.center).update(note=NOTE)
    return cast


def _client(cast, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    return client


def _person(cast, role: str):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if role == "anonymous" else getattr(cast, role)


@pytest.mark.parametrize(("role", "allowed"), EXPECTED.items())
def test_predicate(noted, role, allowed):
    tie = Tie.objects.get(circle=noted.circle)
    assert can_see_tie_note(_person(noted, role), tie) is allowed


@pytest.mark.parametrize(("role", "allowed"), EXPECTED.items())
@pytest.mark.parametrize("page", ["circle", "center"])
def test_pages_show_the_note_only_to_the_circle_and_the_center(noted, role, allowed, page):
    target = noted.circle if page == "circle" else noted.center
    html = _client(noted, role).get(target.get_absolute_url()).content.decode()
    assert (NOTE in html) is allowed


@pytest.mark.parametrize(("role", "allowed"), EXPECTED.items())
def test_api_gives_the_note_only_to_the_circle_and_the_center(noted, role, allowed):
    client = _client(noted, role)
    circle = client.get(f"/api/v1/circles/{noted.circle.slug}").json()
    assert (circle["ties"][0]["note"] == NOTE) is allowed
    ties = client.get(f"/api/v1/centers/{noted.center.slug}/ties").json()
    items = ties["items"] if isinstance(ties, dict) else ties
    assert (items[0]["note"] == NOTE) is allowed
    if not allowed:
        assert circle["ties"][0]["note"] is None
