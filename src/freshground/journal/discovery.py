"""Feed discovery: from a page or feed address to the feed, fetched safely.

A feed's address is used as it is. A web page is read for `<link rel="alternate" type="application/rss+xml">`
(or atom+xml, feed+json, json) and the best one is fetched: Atom, then RSS, then JSON Feed, main feeds before
comment feeds, in page order otherwise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser

from freshground.core.safe_http import FetchError, FetchResult, fetch

FEED_TYPES = {
    "application/atom+xml": 0,
    "application/rss+xml": 1,
    "application/rdf+xml": 2,
    "application/feed+json": 3,
    "application/json": 4,
    "text/xml": 5,
    "application/xml": 5,
}
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/rdf+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5"
)
MAX_PAGE_BYTES = 2_000_000
_XML_FEED_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?[^>]*\?>\s*)*<(rss|feed|rdf:RDF|RDF|channel)\b",
    re.S | re.I,
)


class DiscoveryError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Discovered:
    feed_url: str
    title: str
    site_url: str
    description: str
    language: str
    result: FetchResult  # the feed's answer, so the caller need not fetch it twice


@dataclass(frozen=True)
class FeedLink:
    href: str
    type: str
    title: str
    position: int


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[FeedLink] = []
        self.base = ""
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and values.get("href") and not self.base:
            self.base = values["href"].strip()
        if tag == "body":
            self.done = True
        if tag not in ("link", "a"):
            return
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        href = values.get("href", "").strip()
        if "alternate" in rels and kind in FEED_TYPES and href:
            self.links.append(FeedLink(href=href, type=kind, title=values.get("title", ""), position=len(self.links)))


def feed_links(html: str, base_url: str) -> list[FeedLink]:
    """The feeds a page advertises, best first, with absolute addresses."""
    finder = _LinkFinder()
    try:
        finder.feed(html)
        finder.close()
    except (AssertionError, ValueError):
        pass
    base = urljoin(base_url, finder.base) if finder.base else base_url
    links = [
        FeedLink(href=urljoin(base, link.href), type=link.type, title=link.title, position=link.position)
        for link in finder.links
    ]
    seen: set[str] = set()
    unique = []
    for link in links:
        if link.href not in seen:
            seen.add(link.href)
            unique.append(link)

    def rank(link: FeedLink) -> tuple[int, int, int]:
        is_comments = 1 if "comment" in link.title.lower() or "comment" in link.href.lower() else 0
        return (is_comments, FEED_TYPES.get(link.type, 9), link.position)

    return sorted(unique, key=rank)


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    kind = content_type.lower().split(";")[0].strip()
    head = body[:4096].lstrip(b"\xef\xbb\xbf")
    if kind in ("application/feed+json", "application/json") or head.lstrip().startswith(b"{"):
        try:
            data = json.loads(body.decode("utf-8", "replace"))
        except ValueError:
            return False
        return isinstance(data, dict) and "jsonfeed.org" in str(data.get("version", ""))
    return bool(_XML_FEED_START.match(head))


def _web_address(value: object) -> str:
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""


def _describe(url: str, result: FetchResult) -> Discovered:
    body = result.body.lstrip(b"\xef\xbb\xbf").lstrip()
    if body.startswith(b"{"):  # JSON Feed: feedparser does not read it
        try:
            data = json.loads(body.decode("utf-8", "replace"))
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        return Discovered(
            feed_url=url,
            title=str(data.get("title", "")).strip()[:160],
            site_url=_web_address(data.get("home_page_url")),
            description=str(data.get("description", "")).strip()[:2000],
            language=str(data.get("language", "")).strip()[:16],
            result=result,
        )
    parsed = feedparser.parse(result.body, response_headers={"content-type": result.headers.get("content-type", "")})
    feed = parsed.get("feed", {})
    return Discovered(
        feed_url=url,
        title=str(feed.get("title", "")).strip()[:160],
        site_url=_web_address(feed.get("link", "")),
        description=str(feed.get("subtitle", "")).strip()[:2000],
        language=str(feed.get("language", "")).strip()[:16],
        result=result,
    )


def discover(url: str, *, timeout: float = 10.0) -> Discovered:
    """Find the feed at or advertised by `url`. Raises DiscoveryError (with the fetcher's reason) otherwise."""
    try:
        page = fetch(url, accept=ACCEPT, timeout=timeout, max_bytes=MAX_PAGE_BYTES)
    except FetchError as error:
        raise DiscoveryError(error.message) from error
    content_type = page.headers.get("content-type", "")
    if looks_like_feed(page.body, content_type):
        return _describe(page.url, page)
    charset = "utf-8"
    match = re.search(r"charset=([\w-]+)", content_type, re.I)
    if match:
        charset = match.group(1)
    try:
        html = page.body.decode(charset, "replace")
    except LookupError:
        html = page.body.decode("utf-8", "replace")
    links = feed_links(html, page.url)
    if not links:
        raise DiscoveryError("This page is not a feed and advertises none.")
    reasons = []
    for link in links[:3]:
        try:
            result = fetch(link.href, accept=ACCEPT, timeout=timeout)
        except FetchError as error:
            reasons.append(error.message)
            continue
        if looks_like_feed(result.body, result.headers.get("content-type", "")):
            found = _describe(result.url, result)
            if not found.site_url:
                found = Discovered(
                    feed_url=found.feed_url,
                    title=found.title,
                    site_url=page.url,
                    description=found.description,
                    language=found.language,
                    result=result,
                )
            return found
        reasons.append("The advertised feed is not a feed.")
    raise DiscoveryError(reasons[0] if reasons else "No feed could be read.")
