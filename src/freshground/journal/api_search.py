"""The journal's search part of /api/v1/: full-text search over items with the page's filters."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from freshground.api import OPTIONAL_AUTH
from freshground.journal.models import ItemKind, SourceKind
from freshground.journal.search import MAX_PAGE, MAX_QUERY_LENGTH, SearchFilters, Sort, search
from freshground.people.api import ERRORS

router = Router(tags=["journal"])


class SearchParams(Schema):
    q: str
    topic: str = ""
    item_kind: ItemKind | None = None
    source_kind: SourceKind | None = None
    language: str = ""
    since: date | None = None
    until: date | None = None
    sort: Sort = Sort.RELEVANCE
    page: int = 1


class HitOut(Schema):
    id: int
    kind: str
    title: str
    url: str  # where to read it (outside address, or the site's page)
    page_url: str  # the item's page on the site
    snippet_html: str  # an excerpt with the searched words in <mark>
    source: str | None
    author: str
    published_at: datetime
    language: str
    rank: float


class SearchOut(Schema):
    query: str
    page: int
    has_next: bool
    message: str
    results: list[HitOut]


@router.get("/journal/search", auth=OPTIONAL_AUTH, response={200: SearchOut, **ERRORS})
def search_items(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    """Words, "phrases" and -excluded words; newest first with sort=newest. Pages hold 20 results."""
    if len(params.q) > MAX_QUERY_LENGTH:
        raise HttpError(422, f"The query is longer than {MAX_QUERY_LENGTH} characters.")
    if not 1 <= params.page <= MAX_PAGE:
        raise HttpError(422, f"page must be between 1 and {MAX_PAGE}.")
    if params.since and params.until and params.since > params.until:
        raise HttpError(422, "until is before since.")
    filters = SearchFilters(
        topic=params.topic,
        item_kind=params.item_kind or "",
        source_kind=params.source_kind or "",
        language=params.language.lower()[:16],
        since=params.since,
        until=params.until,
    )
    results = search(params.q, filters, sort=params.sort, page=params.page)
    hits = []
    for hit in results.hits:
        item = hit.item
        page_url = request.build_absolute_uri(reverse("journal:item", args=[item.pk]))
        hits.append(
            HitOut(
                id=item.pk,
                kind=item.kind,
                title=item.title,
                url=item.url or page_url,
                page_url=page_url,
                snippet_html=str(hit.snippet),
                source=item.source.name if item.source else None,
                author=item.author_name,
                published_at=item.published_at,
                language=item.language,
                rank=hit.rank,
            )
        )
    return SearchOut(
        query=params.q, page=results.page, has_next=results.has_next, message=results.message, results=hits
    )
