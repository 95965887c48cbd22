"""Link posts: anyone signed in shares an outside link with a short comment.

Sharing stores the link at once (its address stands in for the title) and asks the worker to fetch the page's title
and summary (journal.tasks_links.fetch_link_page, enqueued when the transaction commits): the person sharing never
waits on an outside server, and a slow or hostile one never holds a web process. The worker fetches safely
(core.safe_http: public addresses only, HTML only, a small size cap, a short timeout; the page's scripts are never
run — only its <title>, og:title, og:description and meta description are read by a plain HTML parser). A failed
fetch keeps the link with its address and the comment, and records why.

One link per canonical address: the same address shared again does not make a second link post. The later sharer's
share counts as a recommendation of the existing item ("this is worth reading"), and a circle or center sharing it
in its name is added to the item's places. Their comment is not kept (the first sharer's stays); they are told so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freshground.core import safe_http
from freshground.core.exceptions import DomainError, PermissionDenied
from freshground.core.models import Tag
from freshground.core.permissions import is_person
from freshground.core.tags import tags_from_names
from freshground.core.text import clean_text
from freshground.journal import permissions_articles as perms
from freshground.journal.models import URL_MAX_LENGTH, Item, ItemKind, LinkPost, Recommendation
from freshground.journal.stories import assign_story
from freshground.journal.urls_canonical import canonical_url, url_hash
from freshground.network.models import Center, Circle
from freshground.people.models import Person

FETCH_MAX_BYTES = 512 * 1024
FETCH_TIMEOUT = 5.0
# The link page polls for the fetched title this long after the share; later it only says the title is missing.
FETCH_WAIT = timedelta(minutes=10)

logger = logging.getLogger(__name__)


class _HeadParser(HTMLParser):
    """Reads only <title> and <meta> of a page; never follows, loads or runs anything."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            if key in {"og:title", "og:description", "description", "twitter:title", "twitter:description"}:
                self.meta.setdefault(key, values.get("content", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title and len(self.title) < 2000:
            self.title += data


@dataclass(frozen=True)
class PageInfo:
    title: str
    summary: str


def parse_page(body: bytes, content_type: str = "") -> PageInfo:
    charset = "utf-8"
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    parser = _HeadParser()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # noqa: S110 - a broken page gives what was read before it broke
        pass
    title = parser.meta.get("og:title") or parser.meta.get("twitter:title") or parser.title
    summary = (
        parser.meta.get("og:description") or parser.meta.get("description") or parser.meta.get("twitter:description")
    )
    return PageInfo(title=" ".join(clean_text(title or "").split())[:1000], summary=clean_text(summary or "")[:5000])


def fetch_page_info(url: str) -> PageInfo:
    """Fetch and read the page; raises DomainError with a plain reason when it cannot."""
    try:
        result = safe_http.fetch(
            url, max_bytes=FETCH_MAX_BYTES, timeout=FETCH_TIMEOUT, accept="text/html,application/xhtml+xml"
        )
    except safe_http.FetchError as error:
        raise DomainError(str(error)[:500] or _("The page could not be fetched.")) from error
    content_type = str(result.headers.get("content-type", "")).lower()
    if "html" not in content_type:
        raise DomainError(_("The address is not a web page (it answered %(type)s).") % {"type": content_type[:80]})
    return parse_page(bytes(result.body), content_type)


def _validate_url(url: str) -> str:
    url = clean_text(url)
    if not url:
        raise DomainError(_("Give the link's address."), field="url")
    if len(url) > URL_MAX_LENGTH:
        raise DomainError(_("The address is too long."), field="url")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise DomainError(_("Give a full web address starting with https:// or http://."), field="url") from error
    return url


@dataclass(frozen=True)
class ShareResult:
    link: LinkPost
    created: bool


def _link_name(link: LinkPost) -> str:
    place = link.center or link.circle
    if place is not None:
        return str(place)
    return link.shared_by.display_name if link.shared_by is not None else _("a former member")


def sync_link_item(link: LinkPost) -> Item:
    """Create or update the link's item (kind LINK), with its places and topics."""
    text = "\n".join(part for part in (link.comment, link.summary) if part)
    item, _created = Item.objects.update_or_create(
        link=link,
        defaults={
            "kind": ItemKind.LINK,
            "title": (link.title or link.url)[:1000],
            "summary": link.summary or link.comment,
            "body_text": text,
            "url": link.url,
            "published_at": link.created_at,
            "author": link.shared_by,
            "author_name": _link_name(link)[:300],
        },
    )
    item.topics.set(link.topics.all())
    if link.circle_id:
        item.circles.add(link.circle_id)
    if link.center_id:
        item.centers.add(link.center_id)
    return item


def share(
    actor: Person,
    *,
    url: str,
    comment: str = "",
    circle: Circle | None = None,
    center: Center | None = None,
    topics: Iterable[Tag | str] = (),
    fetch: bool = True,
) -> ShareResult:
    """Share a link, or join the existing link to the same address. A new link's title and summary are fetched by
    the worker once the transaction commits (`fetch=False`, for the demo, asks for no fetch)."""
    if not is_person(actor):
        raise PermissionDenied(_("Sign in to share a link."))
    if circle is not None and center is not None:
        raise DomainError(_("Share in one name at a time."), field="place")
    if not perms.can_share(actor, circle=circle, center=center):
        raise PermissionDenied(_("Only its organisers or editors may share links in this name."))
    url = _validate_url(url)
    comment = clean_text(comment)
    if len(comment) > 1000:
        raise DomainError(_("Keep the comment under 1,000 characters."), field="comment")
    canonical = canonical_url(url)[:URL_MAX_LENGTH]
    digest = url_hash(canonical)
    names = [t for t in topics if isinstance(t, str)]
    tags = [t for t in topics if isinstance(t, Tag)] + tags_from_names(names, "topics")
    existing = LinkPost.objects.filter(url_hash=digest).select_related("item").first()
    if existing is not None:
        with transaction.atomic():
            item = getattr(existing, "item", None) or sync_link_item(existing)
            Recommendation.objects.get_or_create(person=actor, item=item)
            if circle is not None:
                item.circles.add(circle)
            if center is not None:
                item.centers.add(center)
        return ShareResult(existing, False)
    with transaction.atomic():
        link = LinkPost.objects.create(
            url=canonical,
            url_hash=digest,
            comment=comment,
            shared_by=actor,
            circle=circle,
            center=center,
        )
        link.topics.set(tags)
        item = sync_link_item(link)
        if fetch:
            transaction.on_commit(partial(_enqueue_fetch, link.pk))
    if not fetch:
        assign_story(item)  # with a fetch, the worker places the item once it has the page's text
    return ShareResult(link, True)


def _enqueue_fetch(link_id: int) -> None:
    from freshground.journal.tasks_links import fetch_link_page

    try:
        fetch_link_page.enqueue(link_id)
    except Exception:
        logger.exception("Could not queue the fetch of link %s", link_id)


def fetch_pending(link: LinkPost) -> bool:
    """The page's title and summary have not been read yet, and no fetch has failed."""
    return link.fetched_at is None and not link.fetch_error and not link.title


def still_fetching(link: LinkPost, *, now: datetime | None = None) -> bool:
    """Pending and shared recently enough that the worker is probably still at it (the link page polls then)."""
    return fetch_pending(link) and (now or timezone.now()) - link.created_at < FETCH_WAIT


def fetch_link(link_id: int) -> str:
    """The worker's half of sharing: fetch the link's page, store its title and summary (or why it failed), and
    update the link's item and story. Returns "fetched", "failed", or "skipped" for a link that is gone or was
    fetched already (nothing is fetched again)."""
    link = LinkPost.objects.filter(pk=link_id).first()
    if link is None or not fetch_pending(link):
        return "skipped"
    title = summary = error = ""
    fetched_at = None
    try:  # outside any transaction: no database connection waits in one while the outside server answers
        info = fetch_page_info(link.url)
        title, summary = info.title, info.summary
        fetched_at = timezone.now()
    except DomainError as refusal:
        error = refusal.message[:500] or _("The page could not be fetched.")
    with transaction.atomic():
        link = LinkPost.objects.select_for_update().filter(pk=link_id).first()
        if link is None or not fetch_pending(link):
            return "skipped"
        link.title, link.summary, link.fetched_at, link.fetch_error = title, summary, fetched_at, error
        link.save(update_fields=["title", "summary", "fetched_at", "fetch_error"])
        item = sync_link_item(link)
    assign_story(item)
    return "failed" if error else "fetched"
