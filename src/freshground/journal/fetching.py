"""Fetching due sources: claim with a lease, conditional GET, ingest, record health, schedule the next fetch.

- A source is due when it is active, its `next_fetch_at` has passed (or was never set) and no lease is running.
  A worker claims it with one conditional UPDATE on `lease_until`, so two workers never fetch the same source.
- A fetch sends the stored ETag / Last-Modified; 304 keeps everything; 200 hands the bytes to
  `journal.ingest.ingest_feed`.
- The interval adapts: halved (down to 15 minutes) when new entries appear, one and a half times longer (up to a day)
  when none do. Errors back off exponentially from 15 minutes up to a day; a `Retry-After` is honoured.
- Politeness: sources are grouped by host; one host's sources are fetched one after another with a minimum gap
  (`JOURNAL_FETCH_HOST_GAP` seconds, 2 by default), different hosts in parallel threads.
- Nothing here raises: every error ends up in the source's health (last error, consecutive failures).
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from freshground.core.safe_http import FetchError, FetchFailed, FetchResult, fetch
from freshground.journal.models import Entry, Source, SourceStatus

logger = logging.getLogger(__name__)

MIN_INTERVAL = 15 * 60
MAX_INTERVAL = 24 * 3600
MAX_BACKOFF = 24 * 3600
MAX_RETRY_AFTER = 7 * 24 * 3600
LEASE = timedelta(minutes=10)
FEED_MAX_BYTES = 5_000_000
FEED_TIMEOUT = 20.0
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/rdf+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)

Ingester = Callable[..., Any]


def load_ingester() -> Ingester | None:
    """journal.ingest.ingest_feed, or None while that part is missing."""
    try:
        module = importlib.import_module("freshground.journal.ingest")
    except ImportError:
        return None
    ingest_feed: Ingester | None = getattr(module, "ingest_feed", None)
    return ingest_feed


def host_gap() -> float:
    return float(getattr(settings, "JOURNAL_FETCH_HOST_GAP", 2.0))


def next_interval(current: int, new_entries: int) -> int:
    """The adaptive interval after a successful fetch."""
    current = max(MIN_INTERVAL, min(MAX_INTERVAL, current or MIN_INTERVAL))
    if new_entries > 0:
        return max(MIN_INTERVAL, current // 2)
    return min(MAX_INTERVAL, (current * 3) // 2)


def backoff_seconds(failures: int, retry_after: int | None = None) -> int:
    """How long to wait after the `failures`-th failure in a row (at least what Retry-After asked)."""
    delay: int = min(MAX_BACKOFF, MIN_INTERVAL * (1 << max(0, min(failures, 20) - 1)))
    if retry_after:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


@dataclass
class Outcome:
    source_id: int
    slug: str
    ok: bool = False
    status: int | None = None
    not_modified: bool = False
    new: int = 0
    updated: int = 0
    error: str = ""


@dataclass
class Summary:
    claimed: int = 0
    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    new: int = 0
    updated: int = 0
    seconds: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if not outcome.ok:
            self.failed += 1
        elif outcome.not_modified:
            self.not_modified += 1
        else:
            self.fetched += 1
        self.new += outcome.new
        self.updated += outcome.updated

    def as_dict(self) -> dict[str, Any]:
        return {
            "claimed": self.claimed,
            "fetched": self.fetched,
            "not_modified": self.not_modified,
            "failed": self.failed,
            "new": self.new,
            "updated": self.updated,
            "seconds": round(self.seconds, 3),
        }


def due_filter(now: datetime) -> Q:
    return (
        Q(status=SourceStatus.ACTIVE)
        & (Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
        & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    )


def due_source_ids(now: datetime, *, limit: int = 200) -> list[int]:
    return list(
        Source.objects.filter(due_filter(now)).order_by("next_fetch_at", "id").values_list("id", flat=True)[:limit]
    )


def claim(source_id: int, now: datetime, *, lease: timedelta = LEASE, force: bool = False) -> bool:
    """Take the lease on one source; True for exactly one caller while the lease runs."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    queryset = Source.objects.filter(free, pk=source_id, status=SourceStatus.ACTIVE)
    if not force:
        queryset = queryset.filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
    return queryset.update(lease_until=now + lease) == 1


def _content_type(result: FetchResult) -> str:
    return result.headers.get("content-type", "")


def _record_failure(
    source: Source, now: datetime, message: str, *, status: int | None, retry_after: int | None
) -> None:
    failures = source.consecutive_failures + 1
    Source.objects.filter(pk=source.pk).update(
        last_fetch_at=now,
        last_error_at=now,
        last_error=message[:2000],
        last_status=status,
        consecutive_failures=failures,
        next_fetch_at=now + timedelta(seconds=backoff_seconds(failures, retry_after)),
        lease_until=None,
    )


def fetch_source(source: Source, *, now: datetime | None = None, ingester: Ingester | None = None) -> Outcome:
    """Fetch one (already claimed) source and record the result. Never raises."""
    moment = now or timezone.now()
    outcome = Outcome(source_id=source.pk, slug=source.slug)
    try:
        try:
            result = fetch(
                source.feed_url,
                etag=source.etag,
                last_modified=source.last_modified,
                max_bytes=FEED_MAX_BYTES,
                timeout=FEED_TIMEOUT,
                accept=ACCEPT,
            )
        except FetchError as error:
            status = error.status if isinstance(error, FetchFailed) else None
            retry_after = error.retry_after if isinstance(error, FetchFailed) else None
            outcome.status, outcome.error = status, error.message
            _record_failure(source, moment, error.message, status=status, retry_after=retry_after)
            return outcome
        outcome.status = result.status
        etag = result.headers.get("etag", "")[:500]
        last_modified = result.headers.get("last-modified", "")[:100]
        if result.not_modified:
            outcome.ok = outcome.not_modified = True
            interval = next_interval(source.interval_seconds, 0)
            Source.objects.filter(pk=source.pk).update(
                last_fetch_at=moment,
                last_success_at=moment,
                last_status=304,
                consecutive_failures=0,
                etag=etag or source.etag,
                last_modified=last_modified or source.last_modified,
                interval_seconds=interval,
                next_fetch_at=moment + timedelta(seconds=interval),
                lease_until=None,
            )
            return outcome
        ingest = ingester or load_ingester()
        if ingest is None:
            message = "Entries cannot be read yet: the ingest part is not installed."
            outcome.error = message
            _record_failure(source, moment, message, status=result.status, retry_after=None)
            return outcome
        try:
            ingested = ingest(source, result.body, base_url=result.url, content_type=_content_type(result), now=moment)
        except Exception as error:  # IngestError, or anything a hostile feed provokes
            message = getattr(error, "message", "") or str(error) or type(error).__name__
            if type(error).__name__ != "IngestError":
                logger.exception("Ingesting source %s failed", source.slug)
            outcome.error = f"The feed could not be read: {message}"
            _record_failure(source, moment, outcome.error, status=result.status, retry_after=None)
            return outcome
        outcome.ok = True
        outcome.new = int(getattr(ingested, "new", 0))
        outcome.updated = int(getattr(ingested, "updated", 0))
        interval = next_interval(source.interval_seconds, outcome.new)
        Source.objects.filter(pk=source.pk).update(
            last_fetch_at=moment,
            last_success_at=moment,
            last_status=result.status,
            consecutive_failures=0,
            etag=etag,
            last_modified=last_modified,
            interval_seconds=interval,
            next_fetch_at=moment + timedelta(seconds=interval),
            lease_until=None,
            entry_count=Entry.objects.filter(source_id=source.pk).count(),
        )
        return outcome
    except Exception as error:  # the worker must survive anything
        logger.exception("Fetching source %s failed", source.slug)
        outcome.ok = False
        outcome.error = f"Internal error while fetching: {type(error).__name__}"
        try:
            _record_failure(source, moment, outcome.error, status=None, retry_after=None)
        except Exception:
            logger.exception("Recording the failure of source %s failed", source.slug)
        return outcome


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


class _HostGate:
    """One fetch per host at a time, with at least `gap` seconds between the end of one and the start of the next."""

    def __init__(self, gap: float) -> None:
        self.gap = gap
        self.last: dict[str, float] = {}

    def wait(self, host: str) -> None:
        previous = self.last.get(host)
        if previous is not None:
            pause = self.gap - (time.monotonic() - previous)
            if pause > 0:
                time.sleep(pause)

    def done(self, host: str) -> None:
        self.last[host] = time.monotonic()


def _run_host_group(
    sources: list[Source], gate: _HostGate, now: datetime | None, ingester: Ingester | None, threaded: bool
) -> list[Outcome]:
    outcomes = []
    try:
        for source in sources:
            host = host_of(source.feed_url)
            gate.wait(host)
            outcomes.append(fetch_source(source, now=now, ingester=ingester))
            gate.done(host)
    finally:
        if threaded:
            connection.close()
    return outcomes


def run(
    *,
    now: datetime | None = None,
    limit: int = 200,
    workers: int = 8,
    gap: float | None = None,
    slugs: Iterable[str] | None = None,
    ingester: Ingester | None = None,
    force: bool = False,
) -> Summary:
    """Claim due sources (or the named ones; `force` ignores their schedule) and fetch them. Never raises."""
    started = time.monotonic()
    moment = now or timezone.now()
    summary = Summary()
    if slugs is not None:
        candidates = list(
            Source.objects.filter(slug__in=list(slugs), status=SourceStatus.ACTIVE).values_list("id", flat=True)
        )
    else:
        candidates = due_source_ids(moment, limit=limit)
    claimed = [pk for pk in candidates if claim(pk, moment, force=force or slugs is not None)]
    summary.claimed = len(claimed)
    sources = list(Source.objects.filter(pk__in=claimed).order_by("next_fetch_at", "id"))
    groups: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        groups[host_of(source.feed_url)].append(source)
    gate = _HostGate(host_gap() if gap is None else gap)
    fetch_now = now  # tests pin the clock; otherwise each fetch stamps its own time
    if workers <= 1 or len(groups) <= 1:
        for group in groups.values():
            for outcome in _run_host_group(group, gate, fetch_now, ingester, threaded=False):
                summary.add(outcome)
    else:
        gates: dict[str, _HostGate] = {host: _HostGate(gate.gap) for host in groups}
        lock = threading.Lock()

        def work(host: str) -> list[Outcome]:
            close_old_connections()
            return _run_host_group(groups[host], gates[host], fetch_now, ingester, threaded=True)

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch-feeds") as pool:
            for outcomes in pool.map(work, list(groups)):
                with lock:
                    for outcome in outcomes:
                        summary.add(outcome)
    summary.seconds = time.monotonic() - started
    return summary
