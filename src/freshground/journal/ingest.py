"""Ingesting a downloaded feed: parse, normalise, de-duplicate, sanitise, store, index and group into stories.

``ingest_feed(source, body, base_url=..., content_type=...)`` is what journal-fetch calls after a 200. The parser
only ever sees bytes (feedparser given a string would open paths and URLs); RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 go to
feedparser, JSON Feed 1.0/1.1 to a small reader here (this feedparser has none). Every feed feedparser can read is
ingested as well as it can be: bozo feeds, wrong or missing encodings (the response's Content-Type is passed on),
missing dates (the item takes the time we first saw it), relative links (made absolute against the feed's own
address and xml:base), HTML in titles (reduced to text).

De-duplication, per source: an entry is found again by its GUID; an entry without a GUID by its canonical address
(tracking parameters stripped) and then by its content hash; an entry whose GUID changed but whose content did not
by its content hash. Found again with new content, it is updated in place, with its item and story.

Everything for one feed happens in one transaction. Caps (entries per feed, the length of every field, the size of
the body) keep a huge or hostile feed from exhausting memory or the database.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from freshground.core.bulk import insert_many
from freshground.journal import stories
from freshground.journal.items import create_entry_items, plain_text, sync_entry_item
from freshground.journal.models import Entry, Item, Source
from freshground.journal.sanitise import absolute_url, clean_html
from freshground.journal.urls_canonical import canonical_url, url_hash

MAX_BODY_BYTES = 10_000_000
MAX_ENTRIES = 500
MAX_GUID = 1000
MAX_TITLE = 1000
MAX_URL = 2000
MAX_AUTHOR = 300
MAX_SUMMARY_HTML = 20_000  # raw characters sanitised; longer summaries are cut first
MAX_CONTENT_HTML = 400_000
MAX_LANGUAGE = 16
UPDATED_FIELDS = (
    "guid",
    "url",
    "url_hash",
    "title",
    "summary_html",
    "content_html",
    "author_name",
    "published_at",
    "updated_at",
    "language",
    "content_hash",
    "simhash",
)

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


class IngestError(Exception):
    """Nothing in the bytes is a readable feed; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class IngestResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedFeed:
    title: str
    language: str
    entries: list[Mapping[str, Any]]
    warnings: list[str]


@dataclass
class Candidate:
    guid: str
    url: str
    url_hash: str
    title: str
    summary_html: str
    content_html: str
    author_name: str
    published_at: datetime | None
    updated_at: datetime | None
    language: str
    content_hash: str
    item_title: str
    item_summary: str
    simhash: int | None
    raw_summary: str = ""
    summary_base: str = ""
    raw_content: str = ""
    content_base: str = ""
    prepared: bool = False

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in UPDATED_FIELDS}


# --- parsing -------------------------------------------------------------------------------------------------------


def _looks_like_json(body: bytes, content_type: str) -> bool:
    if "json" in content_type.lower():
        return True
    head = body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def _json_date(value: Any) -> Any:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).timetuple()


def parse_json_feed(body: bytes) -> ParsedFeed:
    """JSON Feed 1.0/1.1 as entries shaped like feedparser's."""
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError) as exc:
        raise IngestError("The feed is neither XML nor valid JSON.") from exc
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise IngestError("The JSON is not a JSON Feed.")
    items = data.get("items")
    if not isinstance(items, list):
        raise IngestError("The JSON Feed has no items.")
    feed_authors = data.get("authors") or ([data["author"]] if isinstance(data.get("author"), dict) else [])
    entries: list[Mapping[str, Any]] = []
    warnings: list[str] = []
    for raw in items[: MAX_ENTRIES + 1]:
        if not isinstance(raw, dict):
            warnings.append("An item of the JSON Feed is not an object.")
            continue
        authors = raw.get("authors") or ([raw["author"]] if isinstance(raw.get("author"), dict) else feed_authors)
        author = ""
        if isinstance(authors, list) and authors and isinstance(authors[0], dict):
            author = str(authors[0].get("name") or "")
        content_html = raw.get("content_html")
        content_text = raw.get("content_text")
        entry: dict[str, Any] = {
            "id": str(raw.get("id") or ""),
            "link": str(raw.get("url") or raw.get("external_url") or ""),
            "title": str(raw.get("title") or ""),
            "summary": str(raw.get("summary") or ""),
            "author": author,
            "published_parsed": _json_date(raw.get("date_published")),
            "updated_parsed": _json_date(raw.get("date_modified")),
            "language": str(raw.get("language") or ""),
        }
        base = entry["link"]  # addresses in an item's HTML are relative to the item's own address
        if isinstance(content_html, str) and content_html:
            entry["content"] = [{"type": "text/html", "value": content_html, "base": base}]
        elif isinstance(content_text, str) and content_text:
            entry["content"] = [{"type": "text/plain", "value": content_text, "base": base}]
        entry["summary_detail"] = {"base": base}
        entries.append(entry)
    return ParsedFeed(
        title=str(data.get("title") or ""), language=str(data.get("language") or ""), entries=entries, warnings=warnings
    )


def parse_feed(body: bytes, *, base_url: str, content_type: str = "") -> ParsedFeed:
    """Parse feed bytes; raises IngestError when they hold no readable feed."""
    if not isinstance(body, bytes):  # a str would make feedparser open paths and URLs
        raise TypeError("ingest_feed parses bytes only")
    if not body.strip():
        raise IngestError("The feed is empty.")
    if len(body) > MAX_BODY_BYTES:
        raise IngestError("The feed is too large.")
    if _looks_like_json(body, content_type) and body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return parse_json_feed(body)
    headers = {"content-location": base_url}
    if content_type:
        headers["content-type"] = content_type
    # feedparser's own sanitiser is off: every piece of HTML goes through clean_html (nh3) here, once.
    # Nor does it resolve relative addresses inside HTML: clean_html does, against the base feedparser reports for
    # each piece (xml:base, else the feed's address).
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    feed = parsed.get("feed", {})
    entries = list(parsed.get("entries", []))
    warnings: list[str] = []
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        detail = f"{type(problem).__name__}: {problem}" if problem else "malformed"
        if not entries and not parsed.get("version") and not feed.get("title"):
            raise IngestError(f"The feed could not be read ({detail}).")
        warnings.append(f"The feed is not well-formed; read as well as possible ({detail}).")
    if not parsed.get("version") and not entries:
        raise IngestError("This is not a feed (no RSS, Atom or JSON Feed found).")
    return ParsedFeed(
        title=str(feed.get("title") or ""), language=str(feed.get("language") or ""), entries=entries, warnings=warnings
    )


# --- normalising -----------------------------------------------------------------------------------------------------


def _date(entry: Mapping[str, Any], *keys: str) -> datetime | None:
    for key in keys:
        # dict.get: FeedParserDict's own get maps a missing updated_parsed to published_parsed, with a warning.
        value = dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _language(*values: str) -> str:
    for value in values:
        value = (value or "").strip()
        if value and _LANGUAGE.match(value):
            return value.replace("_", "-").split("-")[0].lower()[:MAX_LANGUAGE]
    return ""


def _detail_language(entry: Mapping[str, Any], key: str) -> str:
    detail = entry.get(key)
    return str(detail.get("language") or "") if isinstance(detail, Mapping) else ""


def _content(entry: Mapping[str, Any]) -> tuple[str, str]:
    """The fullest HTML body of an entry (plain-text bodies escaped) and the base its addresses are relative to."""
    best, base = "", ""
    for part in entry.get("content") or []:
        value = str(part.get("value") or "")
        if part.get("type") == "text/plain":
            value = "<p>" + value.replace("&", "&amp;").replace("<", "&lt;").replace("\n\n", "</p><p>") + "</p>"
        if len(value) > len(best):
            best, base = value, str(part.get("base") or "")
    return best, base


def _base(entry: Mapping[str, Any], key: str) -> str:
    detail = entry.get(key)
    return str(detail.get("base") or "") if isinstance(detail, Mapping) else ""


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(" ".join(part.split()).encode("utf-8", "replace"))  # str.split's whitespace is regex \s
        digest.update(b"\x00")
    return digest.hexdigest()


def normalise(entry: Mapping[str, Any], *, base_url: str, feed_language: str, source: Source) -> Candidate | None:
    """One parsed entry made ready to match: everything but the HTML, which ``prepare`` sanitises only for entries
    that are new or changed. None when it has neither a title nor an address nor any text."""
    link = absolute_url(str(entry.get("link") or ""), base_url) or ""
    if link and not link.lower().startswith(("http://", "https://")):
        link = ""
    url = canonical_url(link) if link else ""
    if len(url) > MAX_URL:
        url = ""
    raw_title = str(entry.get("title") or "")[: MAX_TITLE * 4]
    raw_summary = str(entry.get("summary") or "")[:MAX_SUMMARY_HTML]
    raw_content, content_base = _content(entry)
    raw_content = raw_content[:MAX_CONTENT_HTML]
    guid = str(entry.get("id") or entry.get("guid") or "").strip()
    if len(guid) > MAX_GUID:
        guid = "sha256:" + hashlib.sha256(guid.encode("utf-8", "replace")).hexdigest()
    candidate = Candidate(
        guid=guid,
        url=url,
        url_hash=url_hash(url, canonical=True),
        title=plain_text(raw_title, max_length=MAX_TITLE),
        summary_html="",
        content_html="",
        author_name=plain_text(str(entry.get("author") or ""), max_length=MAX_AUTHOR),
        published_at=_date(entry, "published_parsed", "created_parsed", "updated_parsed"),
        updated_at=_date(entry, "updated_parsed"),
        language=_language(
            str(entry.get("language") or ""),
            _detail_language(entry, "title_detail"),
            _detail_language(entry, "summary_detail"),
            feed_language,
            source.language,
        ),
        # Of the text as the feed gives it: an entry found again unchanged is not sanitised again.
        content_hash=_hash(raw_title, raw_summary, raw_content),
        item_title="",
        item_summary="",
        simhash=None,
        raw_summary=raw_summary,
        summary_base=absolute_url(_base(entry, "summary_detail"), base_url) or base_url,
        raw_content=raw_content,
        content_base=absolute_url(content_base, base_url) or base_url,
    )
    if not candidate.title:
        prepare(candidate)
        if not candidate.title:
            return None
    return candidate


def prepare(candidate: Candidate) -> None:
    """Sanitise a candidate's HTML and derive its plain-text summary and fingerprint (once)."""
    if candidate.prepared:
        return
    candidate.prepared = True
    summary_html = clean_html(candidate.raw_summary, base_url=candidate.summary_base)
    content_html = clean_html(candidate.raw_content, base_url=candidate.content_base)
    if summary_html and summary_html == content_html:
        summary_html = ""  # RSS puts the same text in both; keep it once, as the content
    candidate.summary_html, candidate.content_html = summary_html, content_html
    if not candidate.title:
        candidate.title = (
            plain_text(summary_html or content_html, max_length=120, sanitised=True) or candidate.url[:MAX_TITLE]
        )
    candidate.item_title = candidate.title
    candidate.item_summary = plain_text(summary_html or content_html, max_length=600, sanitised=True)


def fingerprint(candidates: list[Candidate]) -> None:
    """The SimHash of prepared candidates' title and summary, all in one pass."""
    values = stories.simhashes([(c.title, c.item_summary) for c in candidates])
    for candidate, value in zip(candidates, values, strict=True):
        candidate.simhash = stories.to_signed(value) if value is not None else None


# --- storing ---------------------------------------------------------------------------------------------------------


def _match(
    candidate: Candidate, by_guid: dict[str, Entry], by_url: dict[str, Entry], by_content: dict[str, Entry]
) -> Entry | None:
    if candidate.guid and candidate.guid in by_guid:
        return by_guid[candidate.guid]
    if candidate.content_hash in by_content:
        return by_content[candidate.content_hash]
    if candidate.url_hash and candidate.url_hash in by_url:
        found = by_url[candidate.url_hash]
        if not candidate.guid or not found.guid:
            return found
    return None


def _dedupe(candidates: Iterable[Candidate]) -> tuple[list[Candidate], int]:
    """Drop repeats inside one feed (the same GUID, or no GUID and the same address or content)."""
    seen: set[str] = set()
    kept: list[Candidate] = []
    repeats = 0
    for candidate in candidates:
        keys = [f"g:{candidate.guid}"] if candidate.guid else [f"u:{candidate.url_hash}"] if candidate.url_hash else []
        keys.append(f"c:{candidate.content_hash}")
        if any(key in seen for key in keys):
            repeats += 1
            continue
        seen.update(keys)
        kept.append(candidate)
    return kept, repeats


def ingest_feed(
    source: Source, body: bytes, *, base_url: str, content_type: str = "", now: datetime | None = None
) -> IngestResult:
    """Parse ``body`` (the bytes journal-fetch downloaded from ``base_url``) and store its entries for ``source``.

    Raises IngestError when nothing in the bytes is a readable feed."""
    now = now or timezone.now()
    parsed = parse_feed(body, base_url=base_url, content_type=content_type)
    result = IngestResult(warnings=list(parsed.warnings))
    raw_entries = parsed.entries
    if len(raw_entries) > MAX_ENTRIES:
        result.warnings.append(f"The feed has more than {MAX_ENTRIES} entries; only the first {MAX_ENTRIES} are read.")
        result.skipped += len(raw_entries) - MAX_ENTRIES
        raw_entries = raw_entries[:MAX_ENTRIES]
    feed_language = _language(parsed.language)
    normalised: list[Candidate] = []
    for raw in raw_entries:
        candidate = normalise(raw, base_url=base_url, feed_language=feed_language, source=source)
        if candidate is None:
            result.skipped += 1
        else:
            normalised.append(candidate)
    candidates, repeats = _dedupe(normalised)
    if repeats:
        result.skipped += repeats
        result.warnings.append(f"{repeats} entries repeat another entry of the same feed.")

    with transaction.atomic():
        existing = _existing(source, candidates)
        by_guid = {e.guid: e for e in existing if e.guid}
        by_url = {e.url_hash: e for e in existing if e.url_hash}
        by_content = {e.content_hash: e for e in existing}
        fresh: list[Candidate] = []
        found_again: list[tuple[Entry, Candidate]] = []
        matched: set[int] = set()
        for candidate in candidates:
            found = _match(candidate, by_guid, by_url, by_content)
            if found is not None and found.pk in matched:
                found = None if candidate.guid and candidate.guid not in by_guid else found
                if found is not None:
                    result.skipped += 1
                    continue
            if found is None:
                prepare(candidate)
                fresh.append(candidate)
                continue
            matched.add(found.pk)
            if (
                found.content_hash == candidate.content_hash
                and all(
                    getattr(found, name) == getattr(candidate, name)
                    for name in ("url", "url_hash", "author_name", "published_at", "updated_at", "language")
                )
                and (not candidate.guid or candidate.guid == found.guid)
            ):
                result.unchanged += 1
                continue
            prepare(candidate)
            found_again.append((found, candidate))
        fingerprint(fresh + [candidate for _, candidate in found_again])
        new_entries: list[Entry] = []
        for candidate in fresh:
            entry = Entry(source=source, fetched_at=now, changed_at=now, **candidate.values())
            entry._item_summary = candidate.item_summary  # type: ignore[attr-defined]
            entry._simhash_fresh = True  # type: ignore[attr-defined]  # stories need not compute it again
            new_entries.append(entry)
        changed_entries: list[Entry] = []
        for found, candidate in found_again:
            values = candidate.values()
            if not candidate.guid:
                values["guid"] = found.guid  # an entry that lost its GUID keeps the one we know
            changes = {name: value for name, value in values.items() if getattr(found, name) != value}
            if not changes:
                result.unchanged += 1
                continue
            for name, value in changes.items():
                setattr(found, name, value)
            found.changed_at = now
            found.save(update_fields=[*changes, "changed_at"])
            found._simhash_fresh = True  # type: ignore[attr-defined]
            changed_entries.append(found)
        if new_entries:
            insert_many(new_entries)
        center_ids = [source.center_id] if source.center_id else []
        topic_ids = list(source.topics.values_list("pk", flat=True))
        items: list[Item] = create_entry_items(new_entries, center_ids=center_ids, topic_ids=topic_ids)
        for entry in changed_entries:
            items.append(sync_entry_item(entry, center_ids=center_ids, topic_ids=topic_ids))
        stories.assign_stories(items)
        result.new = len(new_entries)
        result.updated = len(changed_entries)
        if new_entries:
            Source.objects.filter(pk=source.pk).update(entry_count=F("entry_count") + len(new_entries))
            source.entry_count += len(new_entries)
    return result


def _existing(source: Source, candidates: list[Candidate]) -> list[Entry]:
    """The source's stored entries any candidate could be: by GUID, address or content."""
    if not candidates:
        return []
    guids = {c.guid for c in candidates if c.guid}
    url_hashes = {c.url_hash for c in candidates if c.url_hash}
    content_hashes = {c.content_hash for c in candidates}
    found: dict[int, Entry] = {}
    for lookup, values in (("guid__in", guids), ("url_hash__in", url_hashes), ("content_hash__in", content_hashes)):
        if values:
            for entry in Entry.objects.filter(source=source, **{lookup: list(values)}):
                found.setdefault(entry.pk, entry)
    return sorted(found.values(), key=lambda e: e.pk)
