"""Full-text search over the journal's items (entries, articles, links), one interface over two engines: SQLite FTS5
and PostgreSQL full-text search (see schema.py). Words, "phrases" and -excluded words (query.py); filters by topic,
kind of item, kind of source, language and dates; ranked by relevance (title first) or newest first; snippets with
the searched words marked.

The page never counts every match (a common word matches a large part of a million items): it asks for one row more
than it shows, to know whether there is a next page, and deep pages are capped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from freshground.journal.models import Item
from freshground.journal.search import backends
from freshground.journal.search.highlight import snippet
from freshground.journal.search.query import MAX_QUERY_LENGTH, ParsedQuery, parse_query

__all__ = ["MAX_PAGE", "MAX_QUERY_LENGTH", "Hit", "SearchFilters", "SearchPage", "Sort", "parse_query", "search"]

PER_PAGE = 20
MAX_PAGE = 50


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"


@dataclass(frozen=True)
class SearchFilters:
    topic: str = ""  # a tag's slug
    item_kind: str = ""  # journal.models.ItemKind
    source_kind: str = ""  # journal.models.SourceKind
    language: str = ""  # "en" also finds "en-GB"
    since: date | None = None
    until: date | None = None  # inclusive


@dataclass(frozen=True)
class Hit:
    item: Item
    snippet: SafeString
    rank: float


@dataclass(frozen=True)
class SearchPage:
    text: str
    parsed: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    per_page: int = PER_PAGE
    has_next: bool = False
    message: str = ""  # why there are no results when the query itself was the problem

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first_number(self) -> int:
        """The position of the first hit among all results (for an ordered list's start)."""
        return (self.page - 1) * self.per_page + 1


def search(
    text: str,
    filters: SearchFilters | None = None,
    *,
    sort: Sort = Sort.RELEVANCE,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchPage:
    """One page of visible items matching `text`: the matches (on SQLite after finding the window, see
    backends.WINDOWS), then the items with their sources."""
    parsed = parse_query(text)
    page = min(max(page, 1), MAX_PAGE)
    if parsed.is_empty:
        message = _("Type a word or a phrase to search for.") if parsed.exclude or text.strip() else ""
        return SearchPage(text, parsed, page=page, per_page=per_page, message=message)
    rows = backends.run(
        parsed,
        filters or SearchFilters(),
        newest=sort == Sort.NEWEST,
        limit=per_page + 1,
        offset=(page - 1) * per_page,
    )
    has_next = len(rows) > per_page and page < MAX_PAGE
    rows = rows[:per_page]
    items = Item.objects.select_related("source").in_bulk([item_id for item_id, _rank in rows])
    words = parsed.words
    hits = [
        Hit(item=items[item_id], snippet=snippet(items[item_id].summary, items[item_id].body_text, words), rank=rank)
        for item_id, rank in rows
        if item_id in items
    ]
    return SearchPage(text, parsed, hits, page=page, per_page=per_page, has_next=has_next)
