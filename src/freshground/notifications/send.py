"""The one interface other apps use to tell people something happened. The notifications app owns what is behind
it (storage, per-person settings, immediate mail, digests, the worker); callers only describe the event.

    notify(kind=Kind.REPLY, recipients=[parent.author], actor=comment.author, target=comment,
           space=space, summary=f"{name} replied to your comment", url=comment.get_absolute_url())

Recipients who are the actor, inactive, have muted or blocked the actor, or turned this kind off get nothing.
`notify` never sends mail itself in the request: it stores rows and enqueues work for the worker.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from freshground.core.content import Space
    from freshground.core.models import Tag
    from freshground.people.models import Person


class Kind(models.TextChoices):
    REPLY = "reply", _("Replies to me")
    MENTION = "mention", _("Mentions of me or my circles")
    DEBATE_ACTIVITY = "debate", _("Activity in debates and threads I follow")
    FOLLOWED_CONTENT = "followed", _("New content in circles, centers and topics I follow")
    MODERATION = "moderation", _("Moderation decisions about me or my content")
    EDITORIAL = "editorial", _("Journal editing: articles sent to places I edit, editors' notes and decisions on mine")


def notify(
    *,
    kind: Kind,
    recipients: Iterable[Person | int],
    actor: Person | None,
    target: models.Model,
    summary: str,
    url: str,
    space: Space = None,
    thread: models.Model | None = None,
) -> None:
    """Tell each recipient about `target`. `thread` (a debate, an event, ...) groups digest lines."""
    from freshground.notifications import services

    ids = [r if isinstance(r, int) else r.pk for r in recipients]
    services.fan_out(
        services.Draft.build(
            kind=kind, actor=actor, target=target, summary=summary, url=url, space=space, thread=thread
        ),
        ids,
    )


def notify_thread_followers(
    *,
    thread: models.Model,
    actor: Person | None,
    target: models.Model,
    summary: str,
    url: str,
    space: Space = None,
    already_told: Iterable[int] = (),
) -> None:
    """Kind.DEBATE_ACTIVITY for everyone following `thread` (a debate, or any commented object), except the people
    in `already_told` (the caller just told them about the same thing as a reply or a mention)."""
    from freshground.notifications import services

    skip = set(already_told)
    services.fan_out(
        services.Draft.build(
            kind=Kind.DEBATE_ACTIVITY, actor=actor, target=target, summary=summary, url=url, space=space, thread=thread
        ),
        [person_id for person_id in services.thread_follower_ids(thread) if person_id not in skip],
    )


def notify_new_content(
    *,
    target: models.Model,
    actor: Person | None,
    summary: str,
    url: str,
    circle: Any = None,
    center: Any = None,
    topics: Iterable[Tag] = (),
) -> None:
    """Kind.FOLLOWED_CONTENT for followers of the circle or center that published `target`, and of its topics."""
    from freshground.notifications import services

    services.fan_out(
        services.Draft.build(
            kind=Kind.FOLLOWED_CONTENT,
            actor=actor,
            target=target,
            summary=summary,
            url=url,
            space=circle if circle is not None else center,
            thread=target,
        ),
        services.new_content_recipient_ids(circle=circle, center=center, topics=topics),
    )


def follow_thread(person: Person, thread: models.Model) -> None:
    """Follow a thread (people follow what they start or reply to, and may follow by hand)."""
    from freshground.notifications import services

    services.follow_thread(person=person, thread=thread)


def unfollow_thread(person: Person, thread: models.Model) -> None:
    """Stop following a thread."""
    from freshground.notifications import services

    services.unfollow_thread(person=person, thread=thread)


def is_following_thread(person: Any, thread: models.Model) -> bool:
    from freshground.notifications import queries

    return queries.is_following_thread(person, thread)
