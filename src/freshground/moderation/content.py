"""Content kinds moderation registers with core.content: people, so anyone can flag a person."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from freshground.core.content import ContentKind, Space, register_content


def _person_space(person: Any) -> Space:
    return None  # a person is flagged to the site moderators


def _can_view_person(viewer: Any, person: Any) -> bool:
    return bool(person.is_active)


def register() -> None:
    from freshground.people.models import Person

    register_content(
        ContentKind(
            model=Person,
            label="people.person",
            noun=_("person"),
            space_of=_person_space,
            author_of=lambda person: person,
            can_view=_can_view_person,
            url_of=lambda person: person.get_absolute_url(),
            title_of=lambda person: person.display_name,
        )
    )
