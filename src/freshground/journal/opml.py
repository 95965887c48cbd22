"""OPML 2.0: the source list out and in.

Reading refuses any DOCTYPE or entity declaration before parsing (no entity is ever expanded or fetched), caps the
size and the number of outlines, and keeps only http/https feed addresses.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from django.utils import timezone

from freshground.journal.models import Source

MAX_OPML_BYTES = 2_000_000
MAX_OUTLINES = 5000


class OpmlError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str
    site_url: str
    category: str
    language: str
    description: str


def export_opml(
    sources: Iterable[Source], *, title: str = "Fresh Ground sources", now: datetime | None = None
) -> bytes:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now or timezone.now(), usegmt=True)
    body = ET.SubElement(root, "body")
    for source in sources:
        attributes = {
            "type": "rss",
            "text": source.name,
            "title": source.name,
            "xmlUrl": source.feed_url,
        }
        if source.site_url:
            attributes["htmlUrl"] = source.site_url
        if source.language:
            attributes["language"] = source.language
        if source.description:
            attributes["description"] = source.description[:500]
        attributes["category"] = "/" + source.kind
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + document + b"\n"


def _as_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise OpmlError("The OPML file is not UTF-8 text.") from error
    return text


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds in an OPML file. Raises OpmlError for anything that is not plain, safe OPML."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError("The OPML file is too large.")
    text = _as_text(data)
    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered or "<!element" in lowered or "<!attlist" in lowered:
        raise OpmlError("OPML files with a DOCTYPE or entity declarations are refused.")
    # An encoding declaration would contradict the text we already decoded.
    if text.lstrip().startswith("<?xml"):
        end = text.find("?>")
        text = text[end + 2 :] if end != -1 else text
    try:
        root = ET.fromstring(text)  # noqa: S314 - no DOCTYPE, so no entities to expand
    except ET.ParseError as error:
        raise OpmlError(f"The OPML file is not well-formed XML ({error}).") from error
    if root.tag != "opml":
        raise OpmlError("This is not an OPML file.")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    count = 0

    def walk(element: ET.Element, category: str) -> None:
        nonlocal count
        for outline in element.findall("outline"):
            count += 1
            if count > MAX_OUTLINES:
                raise OpmlError(f"The OPML file has more than {MAX_OUTLINES} outlines.")
            url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            label = (outline.get("title") or outline.get("text") or "").strip()
            if url and url.lower().startswith(("http://", "https://")) and url not in seen:
                seen.add(url)
                feeds.append(
                    OpmlFeed(
                        url=url,
                        title=label[:160],
                        site_url=(outline.get("htmlUrl") or "").strip(),
                        category=(outline.get("category") or category).strip(),
                        language=(outline.get("language") or "").strip()[:16],
                        description=(outline.get("description") or "").strip()[:2000],
                    )
                )
            walk(outline, label or category)

    body = root.find("body")
    if body is not None:
        walk(body, "")
    return feeds
