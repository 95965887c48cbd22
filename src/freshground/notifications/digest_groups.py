"""A digest's lines grouped by circle or center, then by thread, newest first, de-duplicated."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from freshground.notifications.links import site_url
from freshground.notifications.models import Notification

# Digests: grouping


DIGEST_MAX_ITEMS = 200  # lines in one digest; older ones are summed up as "and N more"


class DigestItem(NamedTuple):
    """What a digest needs of one notification (read as plain values for a whole batch of people)."""

    pk: int
    kind: str
    target: tuple[int, int]
    space_kind: str  # "circle", "center" or "site"
    space_id: int
    space_title: str
    space_slug: str
    thread: tuple[int, int]  # (0, 0): not in a thread
    thread_title: str
    summary: str
    url: str
    created_at: datetime

    @classmethod
    def of(cls, item: Notification) -> DigestItem:
        space: Any = None
        if item.space_circle_id is not None:
            space, space_kind = item.space_circle, "circle"
        elif item.space_center_id is not None:
            space, space_kind = item.space_center, "center"
        return cls(
            item.pk,
            item.kind,
            (item.target_type_id, item.target_id),
            space_kind if space is not None else "site",
            space.pk if space is not None else 0,
            str(space) if space is not None else "",
            space.slug if space is not None else "",
            (item.thread_type_id or 0, item.thread_id or 0) if item.thread_id else (0, 0),
            item.thread_title,
            item.summary,
            item.url,
            item.created_at,
        )


@dataclass
class DigestLine:
    summary: str
    url: str
    created_at: datetime
    kind: str


@dataclass
class DigestThread:
    title: str
    lines: list[DigestLine] = field(default_factory=list)


@dataclass
class DigestGroup:
    title: str
    url: str
    threads: list[DigestThread] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(thread.lines) for thread in self.threads)


@lru_cache(maxsize=4096)
def _space_url(kind: str, slug: str) -> str:
    return site_url(reverse(f"network:{kind}", args=[slug]))


def group_digest(notifications: Iterable[Notification | DigestItem]) -> tuple[list[DigestGroup], int]:
    """Group by circle/center, then by thread; one line per target (the newest); newest first everywhere.

    Returns the groups and how many lines were left out beyond DIGEST_MAX_ITEMS."""
    items = [n if isinstance(n, DigestItem) else DigestItem.of(n) for n in notifications]
    items.sort(key=lambda n: (n.created_at, n.pk), reverse=True)
    seen: set[tuple[int, int]] = set()
    spaces: OrderedDict[tuple[str, int], DigestGroup] = OrderedDict()
    threads: dict[tuple[str, int, int, int], DigestThread] = {}
    kept = 0
    left_out = 0
    root = settings.SITE_URL.rstrip("/")
    network = _("Across the network")
    for item in items:
        if item.target in seen:
            continue
        seen.add(item.target)
        if kept >= DIGEST_MAX_ITEMS:
            left_out += 1
            continue
        kept += 1
        space_key = (item.space_kind, item.space_id)
        group = spaces.get(space_key)
        if group is None:
            if item.space_kind == "site":
                group = DigestGroup(title=network, url="")
            else:
                group = DigestGroup(title=item.space_title, url=_space_url(item.space_kind, item.space_slug))
            spaces[space_key] = group
        thread_id = (*space_key, *item.thread)
        thread = threads.get(thread_id)
        if thread is None:
            thread = DigestThread(title=item.thread_title if item.thread[1] else "")
            threads[thread_id] = thread
            group.threads.append(thread)
        url = item.url
        if not url.startswith(("http://", "https://")):
            url = f"{root}{url}" if url.startswith("/") else f"{root}/{url}"
        thread.lines.append(DigestLine(item.summary, url, item.created_at, item.kind))
    return list(spaces.values()), left_out
