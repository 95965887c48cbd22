"""Named personas shared by every app's tests: the roles of the permission matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from freshground.network.models import Center, Circle, MemberListVisibility, Role
from freshground.people.models import Person
from freshground.testing import factories


@dataclass
class Cast:
    """A small world: one circle (members-only list) tied to one center, and a person in every role."""

    circle: Circle
    center: Center
    organiser: Person
    member: Person
    editor: Person
    admin: Person
    outsider: Person


@pytest.fixture
def cast(db: None) -> Cast:
    organiser = factories.PersonFactory(display_name="Olga Organiser")
    member = factories.PersonFactory(display_name="Mo Member")
    editor = factories.PersonFactory(display_name="Edie Editor")
    admin = factories.PersonFactory(display_name="Ada Admin", is_staff=True, is_superuser=True)
    outsider = factories.PersonFactory(display_name="Uma Unrelated")
    circle = factories.CircleFactory(
        name="Riverside Hospital Workers", member_list_visibility=MemberListVisibility.MEMBERS
    )
    factories.add_member(circle, organiser, Role.ORGANISER)
    factories.add_member(circle, member)
    center = factories.CenterFactory(name="Red Thread Center")
    factories.add_editor(center, editor)
    factories.tie(circle, center)
    return Cast(circle, center, organiser, member, editor, admin, outsider)


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


@pytest.fixture(autouse=True)
def _topic_vocabulary(request: pytest.FixtureRequest, django_db_blocker: Any) -> None:
    """The vocabulary of topics comes from a data migration, and a transactional test's flush empties every table:
    put the vocabulary back before each test that uses the database, whatever ran before it."""
    if request.node.get_closest_marker("django_db") is None and not DATABASE_FIXTURES & set(request.fixturenames):
        return
    request.getfixturevalue("django_db_setup")
    from freshground.core.topics import ensure_topic_vocabulary

    with django_db_blocker.unblock():
        ensure_topic_vocabulary()
