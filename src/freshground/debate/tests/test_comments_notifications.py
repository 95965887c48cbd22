"""What people are told when someone comments, through the real notifications app: one notice per person per comment,
of the most specific kind (a reply beats a mention, a mention beats "activity in a thread you follow")."""

from __future__ import annotations

import pytest

from freshground.debate import services_comments as services
from freshground.events.tests.core_helpers import make_event
from freshground.notifications.models import Notification
from freshground.notifications.send import Kind
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def kinds_for(person) -> list[str]:
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_a_follower_who_is_replied_to_or_mentioned_is_told_once(cast):
    event = make_event(cast.organiser, host_circle=cast.circle)
    bystander = factories.PersonFactory(display_name="Bea Bystander")
    mentioned = factories.PersonFactory(display_name="Mo Mentioned")
    services.post_comment(author=bystander, target=event, body="Following this.")
    services.post_comment(author=mentioned, target=event, body="Me too.")
    first = services.post_comment(author=cast.member, target=event, body="Who can bring a banner?")
    Notification.objects.all().delete()

    services.post_comment(
        author=cast.outsider, target=event, body=f"I can, and @{mentioned.handle} has paint.", parent=first
    )

    assert kinds_for(cast.member) == [Kind.REPLY]
    assert kinds_for(mentioned) == [Kind.MENTION]
    assert kinds_for(bystander) == [Kind.DEBATE_ACTIVITY]
    assert kinds_for(cast.outsider) == []
