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
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from freshground.core.safe_http import FetchError, FetchFailed, FetchResult, fetch
from freshground.journal.models import Source, SourceStatus

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

# SQLite has one writer at a time: threads fetch in parallel but take turns to write, instead of fighting over the
# database lock (PostgreSQL writes in parallel).
_sqlite_writes = threading.Lock()


@contextmanager
def _writing() -> Iterator[None]:
    if connection.vendor == "sqlite":
        with _sqlite_writes:
            yield
    else:
        yield


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


def claim_many(source_ids: list[int], now: datetime, *, lease: timedelta = LEASE, force: bool = False) -> list[int]:
    """Take the lease on many sources with one UPDATE; returns the ids this caller got.

    The lease's end carries a random number of microseconds that marks this claim, so the ids are read back by it;
    a source another worker holds is not free and is not touched."""
    if not source_ids:
        return []
    mark = now + lease + timedelta(microseconds=secrets.randbelow(999_999) + 1)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    claimed: list[int] = []
    for start in range(0, len(source_ids), 500):
        chunk = source_ids[start : start + 500]
        queryset = Source.objects.filter(free, pk__in=chunk, status=SourceStatus.ACTIVE)
        if not force:
            queryset = queryset.filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
        if queryset.update(lease_until=mark):
            claimed += list(Source.objects.filter(pk__in=chunk, lease_until=mark).values_list("id", flat=True))
    return claimed


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


def _follow_move(source: Source, new_url: str) -> None:
    """The feed moved for good (301/308 all the way): fetch it from its new address from now on, as feed readers do.
    Not when the new address is too long or another source already has it (two sources would then be one)."""
    if new_url == source.feed_url or len(new_url) > Source._meta.get_field("feed_url").max_length:  # type: ignore[operator]
        return
    if Source.objects.filter(feed_url=new_url).exclude(pk=source.pk).exists():
        return
    logger.info("Source %s moved permanently to a new address", source.slug)
    Source.objects.filter(pk=source.pk).update(feed_url=new_url)
    source.feed_url = new_url


def fetch_source(source: Source, *, now: datetime | None = None, ingester: Ingester | None = None) -> Outcome:
    """Fetch one (already claimed) source and record the result. Never raises."""
    moment = now or timezone.now()
    try:
        result: FetchResult | FetchError = fetch(
            source.feed_url,
            etag=source.etag,
            last_modified=source.last_modified,
            max_bytes=FEED_MAX_BYTES,
            timeout=FEED_TIMEOUT,
            accept=ACCEPT,
        )
    except FetchError as error:
        result = error
    except Exception as error:  # the worker must survive anything
        logger.exception("Fetching source %s failed", source.slug)
        result = FetchFailed(f"Internal error while fetching: {type(error).__name__}")
    with _writing():
        return _record(source, result, moment, ingester)


def _record(source: Source, fetched: FetchResult | FetchError, moment: datetime, ingester: Ingester | None) -> Outcome:
    """Ingest and record one fetch's result. Never raises."""
    outcome = Outcome(source_id=source.pk, slug=source.slug)
    try:
        if isinstance(fetched, FetchError):
            error = fetched
            status = error.status if isinstance(error, FetchFailed) else None
            retry_after = error.retry_after if isinstance(error, FetchFailed) else None
            outcome.status, outcome.error = status, error.message
            _record_failure(source, moment, error.message, status=status, retry_after=retry_after)
            return outcome
        result = fetched
        outcome.status = result.status
        if result.moved_to:
            _follow_move(source, result.moved_to)
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


class _HostQueue:
    """Hands out sources so that one host is fetched by one thread at a time, with at least `gap` seconds between
    the end of one fetch and the start of the next; other hosts' sources go meanwhile (no thread sleeps on a host
    while another host has work)."""

    def __init__(self, sources: list[Source], gap: float) -> None:
        self.gap = gap
        self.queues: dict[str, deque[Source]] = defaultdict(deque)
        for source in sources:
            self.queues[host_of(source.feed_url)].append(source)
        self.busy: set[str] = set()
        self.last: dict[str, float] = {}
        self.lock = threading.Lock()

    def take(self) -> tuple[str, Source] | float | None:
        """A (host, source) to fetch now; or seconds to wait before asking again; or None when all is done."""
        with self.lock:
            now = time.monotonic()
            wait = None
            for host, queue in self.queues.items():
                if not queue or host in self.busy:
                    continue
                ready_at = self.last.get(host, -1e9) + self.gap
                if ready_at <= now:
                    self.busy.add(host)
                    return host, queue.popleft()
                wait = ready_at - now if wait is None else min(wait, ready_at - now)
            if wait is None and not any(self.queues.values()) and not self.busy:
                return None
            return min(wait if wait is not None else 0.01, 0.05)

    def done(self, host: str) -> None:
        with self.lock:
            self.busy.discard(host)
            self.last[host] = time.monotonic()
            if not self.queues[host]:
                del self.queues[host]


def _work(queue: _HostQueue, now: datetime | None, ingester: Ingester | None, threaded: bool) -> list[Outcome]:
    outcomes: list[Outcome] = []
    try:
        if threaded:
            close_old_connections()
        while True:
            task = queue.take()
            if task is None:
                return outcomes
            if isinstance(task, float):
                time.sleep(task)
                continue
            host, source = task
            try:
                outcomes.append(fetch_source(source, now=now, ingester=ingester))
            finally:
                queue.done(host)
    finally:
        if threaded:
            connection.close()


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
    claimed = claim_many(candidates, moment, force=force or slugs is not None)
    summary.claimed = len(claimed)
    sources = list(Source.objects.filter(pk__in=claimed).order_by("next_fetch_at", "id"))
    queue = _HostQueue(sources, host_gap() if gap is None else gap)
    threads = max(1, min(workers, len(queue.queues)))
    if threads == 1:
        for outcome in _work(queue, now, ingester, threaded=False):
            summary.add(outcome)
    else:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="fetch-feeds") as pool:
            futures = [pool.submit(_work, queue, now, ingester, True) for _ in range(threads)]
            for future in futures:
                for outcome in future.result():
                    summary.add(outcome)
    summary.seconds = time.monotonic() - started
    return summary
