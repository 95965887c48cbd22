"""Events in the content registry: commentable (a thread on every event page), not moderated as content."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from freshground.core.content import ContentKind, Space, register_content
from freshground.events.models import Event, HostStatus
from freshground.events.permissions import can_view_event
from freshground.people.models import Person


def event_space(event: Event) -> Space:
    """The first accepted hosting circle, else center; an event put on by a person alone lives in the site space."""
    hosts = [h for h in event.hosts.all() if h.status == HostStatus.ACCEPTED]
    for host in hosts:
        if host.circle_id is not None:
            return host.circle
    for host in hosts:
        if host.center_id is not None:
            return host.center
    return None


def event_author(event: Event) -> Person | None:
    author: Person | None = event.created_by
    return author


def register() -> None:
    register_content(
        ContentKind(
            model=Event,
            label="events.event",
            noun=_("event"),
            space_of=event_space,
            author_of=event_author,
            can_view=lambda viewer, event: can_view_event(viewer, event),
            url_of=lambda event: event.get_absolute_url(),
            title_of=lambda event: event.title,
            commentable=True,
            moderated=False,
        )
    )
