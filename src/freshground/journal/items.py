"""Every entry gets an `Item`: the journal's one index of readable things (see models/items.py).

``plain_text(html)`` is the text of some HTML for cards, feeds and search; ``sync_entry_item(entry)`` creates or
updates the item of an entry from the entry and its source. journal-articles writes ``sync_article_item`` and
``sync_link_item`` in the same shape.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable

import nh3
from django.db import models

from freshground.core.bulk import insert_many, insert_rows
from freshground.journal.models import Entry, Item, ItemKind

SUMMARY_MAX_LENGTH = 600
BODY_TEXT_MAX_LENGTH = 100_000
TITLE_MAX_LENGTH = 1000

# Tags after which a reader sees a break: they become a space, so words on either side do not run together.
_BLOCK = re.compile(
    r"<(?:/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|figure|figcaption|hr|section|article|"
    r"header|footer|dd|dt|dl|caption|img)\b)",
    re.IGNORECASE,
)
# A tag as nh3 writes it: attribute values in double quotes (which may hold ">"), every "<" of text escaped.
_SERIALISED_TAG = re.compile(r'<[^">]*(?:"[^"]*"[^">]*)*>')
_TEXT_ONLY = nh3.Cleaner(tags=set(), strip_comments=True)


def plain_text(html: str, *, max_length: int | None = None, sanitised: bool = False) -> str:
    """The readable text of ``html``: tags dropped (script and style with their content), entities decoded,
    whitespace collapsed; cut at a word boundary with an ellipsis when longer than ``max_length``.

    ``sanitised=True`` says the HTML is `journal.sanitise.clean_html`'s output (well-formed, no script or style, no
    comments): its tags are then cut out directly instead of parsing it a second time."""
    if not html:
        return ""
    if "<" in html:
        html = _BLOCK.sub(r" \g<0>", html)
        html = _SERIALISED_TAG.sub("", html) if sanitised else _TEXT_ONLY.clean(html)
    text = " ".join(html_lib.unescape(html).split())  # str.split's whitespace is regex \s
    if max_length is not None and len(text) > max_length:
        cut = text[: max_length - 1]
        space = cut.rfind(" ")
        if space > max_length // 2:
            cut = cut[:space]
        text = cut.rstrip(" ,.;:") + "…"
    return text


def _item_fields(entry: Entry) -> dict[str, object]:
    summary_source = entry.summary_html or entry.content_html
    body_source = entry.content_html or entry.summary_html
    return {
        "kind": ItemKind.ENTRY,
        "title": plain_text(entry.title, max_length=TITLE_MAX_LENGTH) or entry.url[:TITLE_MAX_LENGTH],
        # ingest has it already (the same text, the same length): no second pass over the HTML.
        "summary": getattr(entry, "_item_summary", None)
        or plain_text(summary_source, max_length=SUMMARY_MAX_LENGTH, sanitised=True),
        "body_text": plain_text(body_source, max_length=BODY_TEXT_MAX_LENGTH, sanitised=True),
        "url": entry.url,
        # No date, or one in the future: when we first saw it.
        "published_at": min(entry.published_at, entry.fetched_at) if entry.published_at else entry.fetched_at,
        "language": entry.language,
        "source_id": entry.source_id,
        "author_name": entry.author_name,
    }


def create_entry_items(entries: Iterable[Entry], *, center_ids: Iterable[int], topic_ids: Iterable[int]) -> list[Item]:
    """The items of new entries (already saved, of one source), created in bulk with their centers and topics."""
    items = [Item(entry=entry, **_item_fields(entry)) for entry in entries]
    if not items:
        return []
    insert_many(items)
    _link(Item.centers.through, "center_id", [(i.pk, c) for i in items for c in center_ids])
    _link(Item.topics.through, "tag_id", [(i.pk, t) for i in items for t in topic_ids])
    return items


def _link(through: type[models.Model], column: str, pairs: list[tuple[int, int]]) -> None:
    """Rows of a many-to-many table, (item id, other id) each, without a model instance per row (measured: a third
    of storing a new feed's items went to making them)."""
    insert_rows(through._meta.db_table, ["item_id", column], pairs)


def sync_entry_item(
    entry: Entry,
    *,
    center_ids: Iterable[int] | None = None,
    topic_ids: Iterable[int] | None = None,
) -> Item:
    """Create or update the item of ``entry``: its title, plain-text summary and body, address, dates, language,
    source and author; its centers are the source's center and its topics the source's topics.

    ``center_ids`` and ``topic_ids`` let a caller that syncs many entries of one source read the source's once.
    """
    source = entry.source
    if center_ids is None:
        center_ids = [source.center_id] if source.center_id else []
    if topic_ids is None:
        topic_ids = list(source.topics.values_list("pk", flat=True))
    fields = _item_fields(entry)
    item = Item.objects.filter(entry=entry).first() if entry.pk else None
    if item is None:
        item = Item.objects.create(entry=entry, **fields)
        if center_ids:
            item.centers.add(*center_ids)
        if topic_ids:
            item.topics.add(*topic_ids)
        return item
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, fields[name])
    if changed:
        item.save(update_fields=changed)
    item.centers.set(list(center_ids))
    item.topics.set(list(topic_ids))
    return item
