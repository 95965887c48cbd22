"""What content-writing apps ask moderation before they save anything. The one interface debate (and later the
journal, reports' comments, campaigns ...) call; the moderation app owns what is behind it.

    decision = check_may_post(author, action="comment", space=space, thread=target, text=body)
    status = ContentStatus.PENDING if decision.needs_approval else ContentStatus.PUBLISHED

`check_may_post` raises freshground.core.exceptions.PermissionDenied (with a message fit to show the person) when the
person is suspended site-wide, banned from the space, the thread is locked, slow mode or a rate limit is hit.

Rate limits and slow mode are counted in the cache (never the database): a fixed window per person and action. The
limits come from settings.FRESHGROUND["RATE_LIMITS"] and ["NEW_ACCOUNT_RATE_LIMITS"] ({action: (count, seconds)};
None turns them off) and default to DEFAULT_RATE_LIMITS / DEFAULT_NEW_ACCOUNT_RATE_LIMITS. Accounts younger than
NEW_ACCOUNT_DAYS get the stricter limits and the link/spam check (settings.FRESHGROUND["SPAM_CHECK"], default on).
Each call that passes counts as one post: callers ask right before they save.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from freshground.core.exceptions import PermissionDenied
from freshground.core.permissions import is_person

if TYPE_CHECKING:
    from django.db.models import Model

    from freshground.core.content import Space
    from freshground.people.models import Person

Action = Literal["comment", "argument", "debate", "flag", "statement"]

# {action: (how many, per how many seconds)}.
DEFAULT_RATE_LIMITS: dict[str, tuple[int, int]] = {
    "comment": (30, 300),
    "argument": (20, 300),
    "debate": (10, 3600),
    "flag": (60, 3600),
    "statement": (20, 3600),
}
DEFAULT_NEW_ACCOUNT_RATE_LIMITS: dict[str, tuple[int, int]] = {
    "comment": (10, 300),
    "argument": (10, 300),
    "debate": (3, 3600),
    "flag": (15, 3600),
    "statement": (10, 3600),
}
MAX_LINKS_FOR_NEW_ACCOUNTS = 2
DUPLICATE_WINDOW_SECONDS = 24 * 3600

_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass(frozen=True)
class PostDecision:
    needs_approval: bool = False
    reason: str = ""  # why it needs approval, shown to the author ("first posts in this circle are reviewed")


def _config(name: str, default: Any) -> Any:
    return getattr(settings, "FRESHGROUND", {}).get(name, default)


def _person_key(person: Person) -> str:
    # The join time keeps two accounts that reuse an id (a test database, a restored backup) apart.
    joined = person.date_joined.timestamp() if person.date_joined else 0
    return f"{person.pk}:{joined:.6f}"


def is_new_account(person: Person) -> bool:
    days = int(_config("NEW_ACCOUNT_DAYS", 7))
    return person.date_joined is None or person.date_joined > timezone.now() - timedelta(days=days)


def _wait_message(seconds: int) -> str:
    if seconds >= 120:
        minutes = (seconds + 59) // 60
        return ngettext("Try again in %(n)d minute.", "Try again in %(n)d minutes.", minutes) % {"n": minutes}
    seconds = max(seconds, 1)
    return ngettext("Try again in %(n)d second.", "Try again in %(n)d seconds.", seconds) % {"n": seconds}


def rate_limit_for(person: Person, action: str) -> tuple[int, int] | None:
    name, default = (
        ("NEW_ACCOUNT_RATE_LIMITS", DEFAULT_NEW_ACCOUNT_RATE_LIMITS)
        if is_new_account(person)
        else ("RATE_LIMITS", DEFAULT_RATE_LIMITS)
    )
    limits = _config(name, default)
    if not limits or action not in limits:
        return None
    count, seconds = limits[action]
    return int(count), int(seconds)


def _check_rate(person: Person, action: str) -> None:
    limit = rate_limit_for(person, action)
    if limit is None:
        return
    count, seconds = limit
    now = time.time()
    window = int(now // seconds)
    key = f"fg:moderation:rate:{action}:{_person_key(person)}:{seconds}:{window}"
    cache.add(key, 0, timeout=seconds + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 5)
        used = 1
    if used > count:
        wait = int(seconds - (now % seconds)) + 1
        raise PermissionDenied(_("You are posting too fast.") + " " + _wait_message(wait))


def _active_restrictions(person: Person, space: Space) -> list[Any]:
    from freshground.moderation.models import Restriction
    from freshground.network.models import Center, Circle

    where = Q(circle__isnull=True, center__isnull=True)
    if isinstance(space, Circle):
        where |= Q(circle=space)
    elif isinstance(space, Center):
        where |= Q(center=space)
    now = timezone.now()
    return list(
        Restriction.objects.filter(where, person=person, lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .order_by("-until")
    )


def restriction_message(restriction: Any) -> str:
    from freshground.moderation.models import RestrictionKind

    site = restriction.circle_id is None and restriction.center_id is None
    if restriction.kind == RestrictionKind.BAN:
        return _("You are banned from %(space)s.") % {"space": restriction.circle or restriction.center}
    until = date_format(timezone.localtime(restriction.until), "DATETIME_FORMAT") if restriction.until else ""
    if site:
        return _("Your account is suspended until %(until)s.") % {"until": until}
    return _("You are suspended from %(space)s until %(until)s.") % {
        "space": restriction.circle or restriction.center,
        "until": until,
    }


def _check_restrictions(person: Person, space: Space) -> None:
    restrictions = _active_restrictions(person, space)
    if restrictions:
        site = [r for r in restrictions if r.circle_id is None and r.center_id is None]
        raise PermissionDenied(restriction_message((site or restrictions)[0]))


def _check_thread(person: Person, thread: Model, *, moderator: bool) -> None:
    state = thread_state(thread)
    if moderator:
        return
    if state.locked:
        raise PermissionDenied(_("This thread is locked: no new posts."))
    if state.slow_mode_seconds:
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(thread)
        key = f"fg:moderation:slow:{content_type.pk}:{thread.pk}:{_person_key(person)}"
        now = time.time()
        last = cache.get(key)
        if last is not None and now - float(last) < state.slow_mode_seconds:
            wait = int(state.slow_mode_seconds - (now - float(last))) + 1
            raise PermissionDenied(_("This thread is in slow mode.") + " " + _wait_message(wait))
        cache.set(key, now, timeout=state.slow_mode_seconds)


def spam_reason(person: Person, text: str) -> str:
    """Why a brand-new account's post looks like spam ("" when it does not)."""
    if not text or not is_new_account(person) or not _config("SPAM_CHECK", True):
        return ""
    links = _LINK.findall(text)
    if len(links) > MAX_LINKS_FOR_NEW_ACCOUNTS:
        return _("Posts with many links from new accounts are reviewed by a moderator first.")
    rest = _LINK.sub(" ", text)
    letters = [ch for ch in rest if ch.isalpha()]
    if links and not letters:
        return _("Posts from new accounts that are only a link are reviewed by a moderator first.")
    if len(letters) >= 12 and all(ch.isupper() for ch in letters):
        return _("Posts in capitals from new accounts are reviewed by a moderator first.")
    normal = " ".join(text.lower().split())
    digest = hashlib.sha256(normal.encode()).hexdigest()[:32]
    if not cache.add(f"fg:moderation:dup:{_person_key(person)}:{digest}", 1, timeout=DUPLICATE_WINDOW_SECONDS):
        return _("The same post more than once from a new account is reviewed by a moderator first.")
    return ""


def _first_post_reason(person: Person, space: Space) -> str:
    from freshground.moderation.models import ActionKind, ModerationAction, SpaceSettings
    from freshground.moderation.spaces import space_filter

    if space is None:
        return ""
    if not SpaceSettings.objects.filter(**space_filter(space), first_posts_need_approval=True).exists():
        return ""
    approved = ModerationAction.objects.filter(
        **space_filter(space), kind=ActionKind.APPROVE, target_person=person
    ).exists()
    if approved:
        return ""
    return _("First posts in %(space)s are reviewed by a moderator before others see them.") % {"space": space}


def check_may_post(
    person: Person, *, action: Action, space: Space, thread: Model | None = None, text: str = ""
) -> PostDecision:
    """May `person` post now? Raise PermissionDenied if not; say whether the post must wait for approval."""
    from freshground.moderation.permissions import is_space_moderator

    if not is_person(person):
        raise PermissionDenied(_("Sign in first."))
    _check_restrictions(person, space)
    moderator = is_space_moderator(person, space)
    if thread is not None and action != "flag":
        _check_thread(person, thread, moderator=moderator)
    _check_rate(person, action)
    if action == "flag" or moderator:
        return PostDecision()
    reason = spam_reason(person, text) or _first_post_reason(person, space)
    return PostDecision(needs_approval=bool(reason), reason=reason)


@dataclass(frozen=True)
class ThreadState:
    locked: bool = False
    slow_mode_seconds: int = 0  # 0: off; otherwise one post per person per this many seconds in the thread


def thread_state(thread: Model) -> ThreadState:
    """Whether moderators locked the thread or put it in slow mode (pages show it beside the reply form)."""
    from django.contrib.contenttypes.models import ContentType

    from freshground.moderation.models import ThreadSetting

    if thread.pk is None:
        return ThreadState()
    content_type = ContentType.objects.get_for_model(thread)
    setting = ThreadSetting.objects.filter(content_type=content_type, object_id=thread.pk).first()
    if setting is None:
        return ThreadState()
    return ThreadState(locked=setting.locked, slow_mode_seconds=setting.slow_mode_seconds)


def has_blocked(person: Any, *, by: Any) -> bool:
    """True when `by` has blocked `person`: `person` may not reply to or mention `by`."""
    from freshground.moderation.models import Block

    person_id = getattr(person, "pk", person)
    by_id = getattr(by, "pk", by)
    if not isinstance(person_id, int) or not isinstance(by_id, int):
        return False
    return Block.objects.filter(person_id=by_id, blocked_id=person_id).exists()


def muted_ids(person: Any) -> frozenset[int]:
    """Ids of the people `person` has muted (their content is collapsed and they cause no notifications)."""
    from freshground.moderation.models import Mute

    if not is_person(person):
        return frozenset()
    return frozenset(Mute.objects.filter(person=person).values_list("muted_id", flat=True))
