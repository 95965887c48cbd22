"""What content-writing apps ask moderation before they save anything. The one interface debate (and later the
journal, reports' comments, campaigns ...) call; the moderation app owns what is behind it.

    decision = check_may_post(author, action="comment", space=space, thread=target, text=body)
    status = ContentStatus.PENDING if decision.needs_approval else ContentStatus.PUBLISHED

`check_may_post` raises freshground.core.exceptions.PermissionDenied (with a message fit to show the person) when the
person is suspended site-wide, banned from the space, the thread is locked, slow mode or a rate limit is hit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from django.db.models import Model

    from freshground.core.content import Space
    from freshground.people.models import Person

Action = Literal["comment", "argument", "debate", "flag", "statement"]


@dataclass(frozen=True)
class PostDecision:
    needs_approval: bool = False
    reason: str = ""  # why it needs approval, shown to the author ("first posts in this circle are reviewed")


def check_may_post(
    person: Person, *, action: Action, space: Space, thread: Model | None = None, text: str = ""
) -> PostDecision:
    """May `person` post now? Raise PermissionDenied if not; say whether the post must wait for approval."""
    return PostDecision()


@dataclass(frozen=True)
class ThreadState:
    locked: bool = False
    slow_mode_seconds: int = 0  # 0: off; otherwise one post per person per this many seconds in the thread


def thread_state(thread: Model) -> ThreadState:
    """Whether moderators locked the thread or put it in slow mode (pages show it beside the reply form)."""
    return ThreadState()


def has_blocked(person: Any, *, by: Any) -> bool:
    """True when `by` has blocked `person`: `person` may not reply to or mention `by`."""
    return False


def muted_ids(person: Any) -> frozenset[int]:
    """Ids of the people `person` has muted (their content is collapsed and they cause no notifications)."""
    return frozenset()
