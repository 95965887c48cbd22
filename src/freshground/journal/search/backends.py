"""The two full-text engines behind `journal.search.search`: each turns a parsed query and filters into one SQL
query returning (item id, rank) pairs, best first. Ranks are comparable only within one engine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from freshground.core.content import ContentStatus
from freshground.core.models import Tag
from freshground.journal.search.folding import fold
from freshground.journal.search.query import ParsedQuery
from freshground.journal.search.schema import FTS_TABLE

type Filters = Any  # journal.search.SearchFilters (imported lazily to avoid a cycle)


def _day_start(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def filter_sql(filters: Filters) -> tuple[list[str], list[Any]]:
    """WHERE fragments on the item alias `i` for the reader's filters, with their parameters."""
    where = ["i.status = %s"]
    params: list[Any] = [ContentStatus.PUBLISHED.value]
    if filters.topic:
        # The topic's id, looked up first: with the value in hand the planner drives from the topic's items (a third
        # faster on PostgreSQL at a million items than joining the tag table).
        topic_id = Tag.objects.filter(slug=filters.topic).values_list("pk", flat=True).first()
        where.append("i.id IN (SELECT t.item_id FROM journal_item_topics t WHERE t.tag_id = %s)")
        params.append(topic_id if topic_id is not None else -1)
    if filters.item_kind:
        where.append("i.kind = %s")
        params.append(filters.item_kind)
    if filters.source_kind:
        where.append("i.source_id IN (SELECT s.id FROM journal_source s WHERE s.kind = %s)")
        params.append(filters.source_kind)
    if filters.language:
        where.append("(i.language = %s OR i.language LIKE %s)")
        params.extend([filters.language, f"{filters.language}-%"])
    if filters.since:
        where.append("i.published_at >= %s")
        params.append(_day_start(filters.since))
    if filters.until:
        where.append("i.published_at < %s")
        params.append(_day_start(filters.until) + timedelta(days=1))
    return where, params


def _fts5_phrase(words: Sequence[str]) -> str:
    # Words hold letters and digits only (query.parse_query), so quoting cannot be broken out of.
    return '"' + " ".join(words) + '"'


def fts5_expression(parsed: ParsedQuery) -> str:
    expression = " AND ".join(_fts5_phrase(term) for term in parsed.include)
    if parsed.exclude:
        expression = f"({expression})" + "".join(f" NOT {_fts5_phrase(term)}" for term in parsed.exclude)
    return expression


# A word in most items ("strike" in a labour journal, "the") would have every match ranked. Relevance is ranked
# among the newest WINDOW matches instead (item ids grow with time); with filters that leave too few of them, SQLite
# widens the window, PostgreSQL applies the filters before taking it.
WINDOWS: tuple[int, int, None] = (5_000, 50_000, None)
# A phrase costs SQLite the positions of every word in every candidate; of two common words, 5,000 matches took
# 150 ms at a million items (benchmarks.md). Phrases are precise: the newest 1,000 matches are ranked instead.
PHRASE_WINDOWS: tuple[int, int, None] = (1_000, 50_000, None)


def _windows(parsed: ParsedQuery) -> tuple[int, int, None]:
    """The windows to rank in, narrowest first: a phrase's, or a query of words'."""
    return PHRASE_WINDOWS if any(len(term) > 1 for term in parsed.include) else WINDOWS


def _sqlite_floor(expression: str, window: int) -> int | None:
    """The smallest item id among the newest `window` matches (None: fewer matches than that, rank them all)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s",  # noqa: S608
            [expression, window - 1],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _sqlite_page(
    expression: str, filtered: tuple[list[str], list[Any]], newest: bool, limit: int, offset: int, floor: int | None
) -> list[tuple[int, float]]:
    where, params = list(filtered[0]), list(filtered[1])
    if floor is not None:
        where.append(f"{FTS_TABLE}.rowid >= %s")
        params.append(floor)
    order = "i.published_at DESC, i.id DESC" if newest else "rank, i.published_at DESC, i.id DESC"
    # bm25 is lower for better matches; the title counts ten times, the summary four times the body.
    # Only constant fragments are joined into the SQL; every value travels as a parameter.
    sql = (
        f"SELECT i.id, bm25({FTS_TABLE}, 10.0, 4.0, 1.0) AS rank FROM {FTS_TABLE} "  # noqa: S608
        # CROSS JOIN keeps the full-text match as the outer loop: SQLite would otherwise start from a date or topic
        # index and probe the full-text index once per item.
        f"CROSS JOIN journal_item i ON i.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND {' AND '.join(where)} ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, *params, limit, offset])
        return [(row[0], -float(row[1])) for row in cursor.fetchall()]


def _sqlite(parsed: ParsedQuery, filters: Filters, newest: bool, limit: int, offset: int) -> list[tuple[int, float]]:
    expression = fts5_expression(parsed)
    filtered = filter_sql(filters)
    rows: list[tuple[int, float]] = []
    for window in _windows(parsed):
        floor = _sqlite_floor(expression, window + offset) if window else None
        rows = _sqlite_page(expression, filtered, newest, limit, offset, floor)
        if floor is None or len(rows) >= limit:
            break
    return rows


def tsquery_sql(parsed: ParsedQuery) -> tuple[str, list[str]]:
    """A tsquery built from phrases with phraseto_tsquery: the words travel as parameters, never as syntax."""
    parts = ["phraseto_tsquery('simple'::regconfig, %s)" for _ in parsed.include]
    parts += ["!! phraseto_tsquery('simple'::regconfig, %s)" for _ in parsed.exclude]
    params = [fold(" ".join(term)) for term in (*parsed.include, *parsed.exclude)]
    return "(" + " && ".join(parts) + ")", params


def _postgres(parsed: ParsedQuery, filters: Filters, newest: bool, limit: int, offset: int) -> list[tuple[int, float]]:
    where, params = filter_sql(filters)
    query, query_params = tsquery_sql(parsed)
    order = "c.published_at DESC, c.id DESC" if newest else "rank DESC, c.published_at DESC, c.id DESC"
    # The newest matches (after the filters) first, then ranked: the planner walks the primary key backwards for a
    # common word and the GIN index for a rare one. The query is written out where it is used, not bound once in a
    # CTE: only then does the planner see the words and estimate how many items hold them (behind a CTE it assumed
    # 0.5 % and, for a word in every item, read all million matches and sorted them: 2 s). Normalisation 32
    # (rank / (rank + 1)) keeps ranks in 0..1; cover density rewards words close together.
    sql = (
        f"WITH c AS (SELECT i.id, i.published_at, i.search_vector FROM journal_item i "  # noqa: S608
        f"WHERE i.search_vector @@ {query} AND {' AND '.join(where)} ORDER BY i.id DESC LIMIT %s) "
        f"SELECT c.id, ts_rank_cd(c.search_vector, {query}, 32) AS rank FROM c "
        f"ORDER BY {order} LIMIT %s OFFSET %s"
    )
    window = _windows(parsed)[0]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*query_params, *params, window + offset, *query_params, limit, offset])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def run(parsed: ParsedQuery, filters: Filters, *, newest: bool, limit: int, offset: int) -> list[tuple[int, float]]:
    if connection.vendor == "postgresql":
        return _postgres(parsed, filters, newest, limit, offset)
    if connection.vendor == "sqlite":
        return _sqlite(parsed, filters, newest, limit, offset)
    raise ImproperlyConfigured(f"Journal search needs SQLite or PostgreSQL, not {connection.vendor}.")
