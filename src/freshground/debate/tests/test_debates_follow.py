"""Following a debate from its page: the button works without JavaScript, and followers hear of new arguments."""

from __future__ import annotations

from typing import Any

import pytest

from freshground.debate.tests.debates_helpers import argue, debate_of, no_rate_limits  # noqa: F401 - a fixture
from freshground.notifications.models import Notification
from freshground.notifications.send import Kind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limits")]


def test_a_reader_follows_a_debate_and_hears_of_new_arguments(client: Any, cast: Any) -> None:
    debate = debate_of(cast)
    client.force_login(cast.outsider)
    page = client.get(debate.get_absolute_url()).content.decode()
    assert "Follow" in page
    follow_url = f"/notifications/follow/debate.debate/{debate.pk}/"
    assert follow_url in page
    followed = client.post(follow_url, {"follow": "1", "next": debate.get_absolute_url()})
    assert followed.status_code in {302, 303}
    assert "Following" in client.get(debate.get_absolute_url()).content.decode()

    argue(cast.member, debate, body="Federation would save us three mornings a month.")

    told = Notification.objects.filter(recipient=cast.outsider, kind=Kind.DEBATE_ACTIVITY)
    assert told.exists()


def test_a_visitor_is_asked_to_log_in_to_follow(client: Any, cast: Any) -> None:
    debate = debate_of(cast)
    assert "Log in to follow" in client.get(debate.get_absolute_url()).content.decode()


def test_any_comment_thread_can_be_followed_and_a_debate_shows_one_button(client: Any, cast: Any) -> None:
    from freshground.events.tests.core_helpers import make_event

    event = make_event(cast.organiser, host_circle=cast.circle)
    client.force_login(cast.outsider)
    assert f"/notifications/follow/events.event/{event.pk}/" in client.get(event.get_absolute_url()).content.decode()
    debate = debate_of(cast)
    page = client.get(debate.get_absolute_url()).content.decode()
    assert page.count(f"/notifications/follow/debate.debate/{debate.pk}/") == 2  # one form: its action and hx-post
