"""A moderator's "edit with a note" on an argument keeps the old text and the note, readable on the argument page."""

from __future__ import annotations

from typing import Any

import pytest

from freshground.core.content import kind_for
from freshground.debate.models import Argument
from freshground.debate.tests.debates_helpers import argue, debate_of, no_rate_limits, sent  # noqa: F401 - fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits", "sent")]


def test_moderator_edit_keeps_the_old_text_and_the_note(client: Any, cast: Any) -> None:
    debate = debate_of(cast)
    argument = argue(cast.member, debate, body="They are **all** liars at head office, every one.")
    kind = kind_for(Argument)
    assert kind is not None
    assert kind.moderator_edit is not None
    assert kind.text_of is not None
    assert "liars" in kind.text_of(argument)

    kind.moderator_edit(cast.organiser, argument, "Head office misled us about the rota.", "Personal attack removed")

    argument.refresh_from_db()
    assert argument.body == "Head office misled us about the rota."
    revision = argument.revisions.get()
    assert "liars" in revision.body
    assert revision.note == "Personal attack removed"
    assert revision.edited_by == cast.organiser
    page = client.get(argument.get_absolute_url()).content.decode()
    assert "Head office misled us" in page
    assert "Earlier versions" in page
    assert "Personal attack removed" in page
