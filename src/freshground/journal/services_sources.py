"""Every change to the journal's sources: propose (with feed discovery), review, edit, follow, OPML import.

`actor=None` is the command line (a trusted operator); everyone else goes through journal.permissions_sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.core.permissions import is_person
from freshground.core.safe_http import FetchRefused, check_url
from freshground.core.tags import tags_from_names
from freshground.core.text import clean_text, unique_slug
from freshground.journal import permissions_sources as perms
from freshground.journal.discovery import Discovered, DiscoveryError, discover
from freshground.journal.models import Source, SourceFollow, SourceKind, SourceStatus
from freshground.journal.opml import OpmlError, parse_opml
from freshground.network.models import Center, Circle

LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
REVIEW_ACTIONS = ("approve", "reject", "pause", "resume")
Discoverer = Callable[[str], Discovered]


def _checked_url(value: str, field_name: str, *, required: bool = True) -> str:
    value = clean_text(value or "")
    if not value:
        if required:
            raise DomainError(_("Give an address."), field=field_name)
        return ""
    if len(value) > 2000:
        raise DomainError(_("This address is too long."), field=field_name)
    try:
        return check_url(value)
    except FetchRefused as error:
        raise DomainError(error.message, field=field_name) from error


def _clean_language(value: str) -> str:
    value = clean_text(value or "")
    if value and not LANGUAGE.match(value):
        raise DomainError(_("Give a language code such as en, es or pt-BR."), field="language")
    return value.lower()


def _clean_kind(value: str) -> str:
    if value not in SourceKind.values:
        raise DomainError(_("Choose a kind of source."), field="kind")
    return value


def _slug_for(name: str) -> str:
    base = slugify(name, allow_unicode=True)[:80] or "source"
    return unique_slug(Source, base, max_length=90)


def _check_publisher(actor: Any, center: Center | None) -> None:
    if center is not None and actor is not None and not perms.can_set_publisher(actor, center):
        raise PermissionDenied(
            _("Only the editors of %(center)s can mark a source as its publication.") % {"center": center.name},
            field="center",
        )


@transaction.atomic
def _create(actor: Any, values: dict[str, Any], topics: Iterable[str], *, trusted: bool) -> Source:
    now = timezone.now()
    if Source.objects.filter(feed_url=values["feed_url"]).exists():
        raise Conflict(_("This feed is already a source."), field="url")
    source = Source(
        slug=_slug_for(values["name"]),
        status=SourceStatus.ACTIVE if trusted else SourceStatus.PROPOSED,
        proposed_by=actor if is_person(actor) else None,
        created_at=now,
        **values,
    )
    if trusted:
        source.reviewed_by = actor if is_person(actor) else None
        source.reviewed_at = now
        source.next_fetch_at = now
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError as error:
        raise Conflict(_("This feed is already a source."), field="url") from error
    source.topics.set(tags_from_names(topics, "topics"))
    return source


def propose_source(
    actor: Any,
    *,
    url: str,
    name: str = "",
    site_url: str = "",
    description: str = "",
    kind: str = SourceKind.OTHER,
    language: str = "",
    topics: Iterable[str] = (),
    center: Center | None = None,
    circle: Circle | None = None,
    for_center: Center | None = None,
    discoverer: Discoverer | None = None,
) -> Source:
    """Propose the feed at `url` (or advertised by the page at `url`). Trusted proposals are active at once."""
    if actor is not None and not perms.can_propose_source(actor):
        raise PermissionDenied(_("Sign in to propose a source."))
    if circle is not None and actor is not None and not perms.can_propose_for_circle(actor, circle):
        raise PermissionDenied(_("Only the circle's organisers can propose sources in its name."), field="circle")
    if for_center is not None and actor is not None and not perms.can_propose_for_center(actor, for_center):
        raise PermissionDenied(_("Only the center's editors can propose sources in its name."), field="for_center")
    _check_publisher(actor, center)
    url = _checked_url(url, "url")
    kind = _clean_kind(kind)
    language = _clean_language(language)
    site_url = _checked_url(site_url, "site_url", required=False)
    try:
        found = (discoverer or discover)(url)
    except DiscoveryError as error:
        raise DomainError(_("No feed found there: %(reason)s") % {"reason": error.message}, field="url") from error
    name = clean_text(name)[:160] or found.title or found.feed_url
    site_url = site_url or (found.site_url if found.site_url.lower().startswith(("http://", "https://")) else "")
    values = {
        "name": name[:160],
        "feed_url": found.feed_url[:2000],
        "site_url": site_url[:2000],
        "description": (clean_text(description) or found.description)[:2000],
        "kind": kind,
        "language": language or _clean_language_or_blank(found.language),
        "center": center,
        "proposed_for_circle": circle,
        "proposed_for_center": for_center,
    }
    trusted = actor is None or perms.proposal_is_trusted(actor, circle=circle)
    return _create(actor, values, topics, trusted=trusted)


def _clean_language_or_blank(value: str) -> str:
    try:
        return _clean_language(value)
    except DomainError:
        return ""


@transaction.atomic
def review_source(actor: Any, *, source: Source, action: str) -> Source:
    if not perms.can_review_sources(actor):
        raise PermissionDenied(_("Only journal editors review sources."))
    transitions = {
        "approve": ({SourceStatus.PROPOSED, SourceStatus.REJECTED, SourceStatus.PAUSED}, SourceStatus.ACTIVE),
        "reject": ({SourceStatus.PROPOSED, SourceStatus.ACTIVE, SourceStatus.PAUSED}, SourceStatus.REJECTED),
        "pause": ({SourceStatus.ACTIVE}, SourceStatus.PAUSED),
        "resume": ({SourceStatus.PAUSED}, SourceStatus.ACTIVE),
    }
    if action not in transitions:
        raise DomainError(_("Unknown review action."), field="action")
    allowed_from, target = transitions[action]
    source = Source.objects.select_for_update().get(pk=source.pk)
    if source.status not in allowed_from:
        raise Conflict(
            _("This source is %(status)s: that cannot be done now.") % {"status": source.get_status_display()}
        )
    now = timezone.now()
    source.status = target
    source.reviewed_by = actor
    source.reviewed_at = now
    fields = ["status", "reviewed_by", "reviewed_at"]
    if target == SourceStatus.ACTIVE:
        source.next_fetch_at = now
        source.consecutive_failures = 0
        fields += ["next_fetch_at", "consecutive_failures"]
    source.save(update_fields=fields)
    return source


@transaction.atomic
def update_source(
    actor: Any,
    *,
    source: Source,
    name: str,
    feed_url: str,
    site_url: str = "",
    description: str = "",
    kind: str = SourceKind.OTHER,
    language: str = "",
    topics: Iterable[str] = (),
    center: Center | None = None,
) -> Source:
    if not perms.can_edit_source(actor, source):
        raise PermissionDenied(_("Only journal editors can change this source."))
    if center is not None and center.pk != source.center_id:
        _check_publisher(actor, center)
    name = clean_text(name)[:160]
    if not name:
        raise DomainError(_("Give the source a name."), field="name")
    feed_url = _checked_url(feed_url, "feed_url")
    if Source.objects.filter(feed_url=feed_url).exclude(pk=source.pk).exists():
        raise Conflict(_("This feed is already a source."), field="feed_url")
    if feed_url != source.feed_url:
        source.etag = ""
        source.last_modified = ""
        source.next_fetch_at = timezone.now()
    source.name = name
    source.feed_url = feed_url
    source.site_url = _checked_url(site_url, "site_url", required=False)
    source.description = clean_text(description)[:2000]
    source.kind = _clean_kind(kind)
    source.language = _clean_language(language)
    source.center = center
    source.save()
    source.topics.set(tags_from_names(topics, "topics"))
    return source


@transaction.atomic
def follow_source(actor: Any, *, source: Source) -> None:
    if not perms.can_follow_source(actor, source):
        raise PermissionDenied(_("Sign in to follow sources."))
    SourceFollow.objects.get_or_create(person=actor, source=source)
    _recount_followers(source)


@transaction.atomic
def unfollow_source(actor: Any, *, source: Source) -> None:
    if not is_person(actor):
        raise PermissionDenied(_("Sign in to follow sources."))
    SourceFollow.objects.filter(person=actor, source=source).delete()
    _recount_followers(source)


def _recount_followers(source: Source) -> None:
    count = SourceFollow.objects.filter(source=source).count()
    Source.objects.filter(pk=source.pk).update(follower_count=count)
    source.follower_count = count


@dataclass
class OpmlImport:
    created: list[Source] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already sources
    refused: list[str] = field(default_factory=list)  # "address: reason"


def import_opml(actor: Any, *, data: bytes, kind: str = SourceKind.OTHER, language: str = "") -> OpmlImport:
    """Create an active source for every new feed in the file (fetched later by the worker; no discovery)."""
    if actor is not None and not perms.can_import_opml(actor):
        raise PermissionDenied(_("Only journal editors import source lists."))
    try:
        feeds = parse_opml(data)
    except OpmlError as error:
        raise DomainError(error.message, field="file") from error
    kind = _clean_kind(kind)
    result = OpmlImport()
    existing = set(Source.objects.filter(feed_url__in=[feed.url for feed in feeds]).values_list("feed_url", flat=True))
    for feed in feeds:
        if feed.url in existing:
            result.skipped.append(feed.url)
            continue
        try:
            url = _checked_url(feed.url, "url")
            category = feed.category.strip("/").lower()
            values = {
                "name": clean_text(feed.title)[:160] or url,
                "feed_url": url,
                "site_url": _checked_url(feed.site_url, "site_url", required=False) if feed.site_url else "",
                "description": clean_text(feed.description)[:2000],
                "kind": category if category in SourceKind.values else kind,
                "language": _clean_language_or_blank(feed.language) or language,
            }
            result.created.append(_create(actor, values, (), trusted=True))
        except DomainError as error:
            result.refused.append(f"{feed.url}: {error.message}")
    return result
