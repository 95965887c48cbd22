"""Notifications for `freshground demo`: a few unread ones for the member and organiser logins, so the bell shows a
count. Idempotent: a person who already has notifications gets none."""

from __future__ import annotations

from freshground.network.models import Center, Circle
from freshground.notifications.models import Notification
from freshground.notifications.send import Kind, notify
from freshground.people.models import Person


def load_demo_notifications(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo notifications that are missing; returns how many were created."""
    circle = next(iter(circles.values()), None)
    center = next(iter(centers.values()), None)
    created = 0
    for key, other_key in (("member", "organiser"), ("organiser", "member")):
        person, other = people.get(key), people.get(other_key)
        if person is None or Notification.objects.filter(recipient=person).exists():
            continue
        target = circle or person
        lines: list[tuple[Kind, Person | None, str, Circle | Center | None]] = [
            (Kind.REPLY, other, f"{other.display_name if other else 'Someone'} replied to your comment", circle),
            (Kind.MENTION, other, f"{other.display_name if other else 'Someone'} mentioned you", circle),
        ]
        if center is not None:
            lines.append((Kind.FOLLOWED_CONTENT, None, f"{center.name} published something new", center))
        for kind, actor, summary, space in lines:
            url = space.get_absolute_url() if space is not None else person.get_absolute_url()
            notify(kind=kind, recipients=[person], actor=actor, target=target, summary=summary, url=url, space=space)
        created += Notification.objects.filter(recipient=person).count()
    return created
