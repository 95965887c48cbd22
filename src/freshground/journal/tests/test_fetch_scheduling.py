"""Fetching sources: conditional GET, ingest hand-off, health, adaptive interval, back-off, Retry-After, leases,
politeness per host, and a worker that never crashes."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from freshground.core import scheduler
from freshground.journal import fetching
from freshground.journal.models import Source, SourceStatus
from freshground.testing.feed_server import FeedServer, allow_private_fetch, feed_server  # noqa: F401

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
_numbers = itertools.count(1)


def make_source(url: str, **fields: Any) -> Source:
    number = next(_numbers)
    fields.setdefault("status", SourceStatus.ACTIVE)
    return Source.objects.create(name=f"Source {number}", slug=f"source-{number}", feed_url=url, **fields)


@dataclass
class FakeIngest:
    new: int = 0
    updated: int = 0
    error: Exception | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, source: Source, body: bytes, *, base_url: str, content_type: str = "", now: Any = None) -> Any:
        self.calls.append({"source": source, "body": body, "base_url": base_url, "content_type": content_type})
        if self.error is not None:
            raise self.error
        return self


class IngestError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def test_success_hands_bytes_to_ingest_and_records_health(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed", body=RSS, etag='"v1"', last_modified="Tue, 01 Dec 2026 10:00:00 GMT")
    source = make_source(url, interval_seconds=3600)
    ingest = FakeIngest(new=3)
    summary = fetching.run(now=NOW, ingester=ingest)
    assert summary.fetched == 1
    assert summary.new == 3
    assert ingest.calls[0]["body"] == RSS
    assert ingest.calls[0]["base_url"] == url
    assert ingest.calls[0]["content_type"] == "application/xml"
    source.refresh_from_db()
    assert source.last_success_at == NOW
    assert source.last_status == 200
    assert source.etag == '"v1"'
    assert source.last_modified == "Tue, 01 Dec 2026 10:00:00 GMT"
    assert source.consecutive_failures == 0
    assert source.lease_until is None
    assert source.interval_seconds == 1800  # new entries: fetched more often
    assert source.next_fetch_at == NOW + timedelta(seconds=1800)


def test_not_modified_sends_validators_and_lengthens_interval(
    feed_server: FeedServer,  # noqa: F811
    allow_private_fetch: None,  # noqa: F811
) -> None:
    url = feed_server.add("/feed", body=RSS, etag='"v1"')
    source = make_source(url, etag='"v1"', last_modified="Tue, 01 Dec 2026 10:00:00 GMT", interval_seconds=3600)
    ingest = FakeIngest()
    summary = fetching.run(now=NOW, ingester=ingest)
    assert summary.not_modified == 1
    assert ingest.calls == []
    assert feed_server.requests[0].headers["if-none-match"] == '"v1"'
    assert feed_server.requests[0].headers["if-modified-since"] == "Tue, 01 Dec 2026 10:00:00 GMT"
    source.refresh_from_db()
    assert source.last_status == 304
    assert source.interval_seconds == 5400
    assert source.next_fetch_at == NOW + timedelta(seconds=5400)


def test_adaptive_interval_bounds() -> None:
    assert fetching.next_interval(3600, 5) == 1800
    assert fetching.next_interval(fetching.MIN_INTERVAL, 5) == fetching.MIN_INTERVAL
    assert fetching.next_interval(3600, 0) == 5400
    assert fetching.next_interval(fetching.MAX_INTERVAL, 0) == fetching.MAX_INTERVAL
    assert fetching.next_interval(0, 0) == fetching.MIN_INTERVAL * 3 // 2


def test_errors_back_off_exponentially_then_recover(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed", status=500)
    source = make_source(url)
    moment = NOW
    delays = []
    for _ in range(4):
        fetching.run(now=moment, ingester=FakeIngest())
        source.refresh_from_db()
        delays.append((source.next_fetch_at - moment).total_seconds())  # type: ignore[operator]
        moment = source.next_fetch_at  # type: ignore[assignment]
    assert delays == [900, 1800, 3600, 7200]
    assert source.consecutive_failures == 4
    assert source.last_status == 500
    assert "500" in source.last_error
    assert source.last_error_at is not None
    feed_server.add("/feed", body=RSS)
    fetching.run(now=moment, ingester=FakeIngest())
    source.refresh_from_db()
    assert source.consecutive_failures == 0
    assert source.last_success_at == moment
    assert "500" in source.last_error  # the last error stays visible as history


def test_backoff_is_capped() -> None:
    assert fetching.backoff_seconds(30) == fetching.MAX_BACKOFF
    assert fetching.backoff_seconds(1, retry_after=7200) == 7200
    assert fetching.backoff_seconds(1, retry_after=10**9) == fetching.MAX_RETRY_AFTER


def test_retry_after_honoured(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed", status=503, headers={"Retry-After": "7200"})
    source = make_source(url)
    fetching.run(now=NOW, ingester=FakeIngest())
    source.refresh_from_db()
    assert source.next_fetch_at == NOW + timedelta(seconds=7200)
    assert source.last_status == 503
    feed_server.add("/feed", status=429, headers={"Retry-After": "60"})  # shorter than the back-off: back-off wins
    fetching.run(now=source.next_fetch_at, ingester=FakeIngest())
    moment = source.next_fetch_at
    source.refresh_from_db()
    assert source.next_fetch_at == moment + timedelta(seconds=1800)


def test_ingest_error_recorded(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed", body=b"not a feed at all")
    source = make_source(url)
    summary = fetching.run(now=NOW, ingester=FakeIngest(error=IngestError("nothing here is a feed")))
    assert summary.failed == 1
    source.refresh_from_db()
    assert "nothing here is a feed" in source.last_error
    assert source.consecutive_failures == 1
    assert source.last_status == 200


def test_any_exception_is_recorded_not_raised(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed", body=RSS)
    source = make_source(url)
    summary = fetching.run(now=NOW, ingester=FakeIngest(error=RuntimeError("boom")))
    assert summary.failed == 1
    source.refresh_from_db()
    assert source.consecutive_failures == 1
    assert source.lease_until is None


def test_missing_ingest_recorded(
    feed_server: FeedServer,  # noqa: F811
    allow_private_fetch: None,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = feed_server.add("/feed", body=RSS)
    source = make_source(url)
    monkeypatch.setattr(fetching, "load_ingester", lambda: None)
    fetching.run(now=NOW)
    source.refresh_from_db()
    assert "ingest" in source.last_error


def test_refused_destination_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", raising=False)
    source = make_source("http://127.0.0.1:8000/feed")
    summary = fetching.run(now=NOW, ingester=FakeIngest())
    assert summary.failed == 1
    source.refresh_from_db()
    assert "127.0.0.1" in source.last_error
    assert source.last_status is None


def test_only_due_active_unleased_sources_are_fetched(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed", body=RSS)
    due = make_source(url + "?due")
    make_source(url + "?later", next_fetch_at=NOW + timedelta(minutes=5))
    make_source(url + "?paused", status=SourceStatus.PAUSED)
    make_source(url + "?proposed", status=SourceStatus.PROPOSED)
    make_source(url + "?leased", lease_until=NOW + timedelta(minutes=1))
    make_source(url + "?expired", lease_until=NOW - timedelta(minutes=1), next_fetch_at=NOW - timedelta(hours=1))
    summary = fetching.run(now=NOW, ingester=FakeIngest(), gap=0)
    assert summary.claimed == 2
    assert {outcome.slug for outcome in summary.outcomes} == {
        due.slug,
        Source.objects.get(feed_url=url + "?expired").slug,
    }


def test_lease_is_taken_once() -> None:
    source = make_source("http://example.org/feed")
    assert fetching.claim(source.pk, NOW)
    assert not fetching.claim(source.pk, NOW)  # a second worker gets nothing
    assert not fetching.claim(source.pk, NOW + timedelta(minutes=5))
    later = NOW + fetching.LEASE + timedelta(seconds=1)
    assert fetching.claim(source.pk, later)  # a lost worker's lease runs out


def test_bulk_claim_takes_only_free_sources() -> None:
    free = make_source("http://example.org/a")
    held = make_source("http://example.org/b", lease_until=NOW + timedelta(minutes=3))
    later = make_source("http://example.org/c", next_fetch_at=NOW + timedelta(hours=1))
    assert fetching.claim_many([free.pk, held.pk, later.pk], NOW) == [free.pk]
    assert fetching.claim_many([free.pk, held.pk, later.pk], NOW) == []  # a second worker gets none of them
    assert sorted(fetching.claim_many([held.pk, later.pk], NOW, force=True)) == [later.pk]


def test_named_source_is_fetched_even_if_not_due(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    url = feed_server.add("/feed", body=RSS)
    source = make_source(url, next_fetch_at=NOW + timedelta(hours=5))
    summary = fetching.run(now=NOW, slugs=[source.slug], ingester=FakeIngest())
    assert summary.fetched == 1


def test_one_host_fetched_one_at_a_time_with_a_gap(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    feed_server.add("/a", body=RSS, delay=0.1)
    feed_server.add("/b", body=RSS, delay=0.1)
    make_source(feed_server.url("/a"))
    make_source(feed_server.url("/b"))
    fetching.run(now=NOW, ingester=FakeIngest(), gap=0.3)
    first, second = sorted(feed_server.requests, key=lambda request: request.at)
    assert second.at - first.at >= 0.1 + 0.3 - 0.02


@pytest.mark.django_db(transaction=True)
def test_threads_fetch_hosts_in_parallel(feed_server: FeedServer, allow_private_fetch: None) -> None:  # noqa: F811
    feed_server.add("/a", body=RSS, delay=0.4)
    feed_server.add("/b", body=RSS, delay=0.4)
    make_source(feed_server.url("/a"))
    make_source(f"http://localhost:{feed_server.port}/b")  # another host name, same server
    summary = fetching.run(now=NOW, ingester=FakeIngest(), workers=4, gap=0)
    assert summary.fetched == 2
    first, second = sorted(feed_server.requests, key=lambda request: request.at)
    assert second.at - first.at < 0.3  # both hosts at once
    assert Source.objects.filter(lease_until__isnull=True, last_status=200).count() == 2


def test_periodic_job_registered() -> None:
    from freshground.journal import tasks_fetch

    assert any(job.name == "journal.fetch_due_sources" for job in scheduler.jobs())
    assert tasks_fetch.fetch_due_sources is not None


def test_a_feed_that_moved_for_good_is_fetched_from_its_new_address(
    feed_server: FeedServer,  # noqa: F811
    allow_private_fetch: None,  # noqa: F811
) -> None:
    new = feed_server.add("/feed-new", body=RSS)
    feed_server.add("/feed-old", redirect="/feed-new", status=301)
    feed_server.add("/elsewhere-old", redirect="/feed-new", status=308)
    feed_server.add("/feed-temporary", redirect="/feed-new", status=307)
    moved = make_source(feed_server.url("/feed-old"))
    temporary = make_source(feed_server.url("/feed-temporary"))
    fetching.run(now=NOW, ingester=FakeIngest())
    moved.refresh_from_db()
    temporary.refresh_from_db()
    assert moved.feed_url == new
    assert temporary.feed_url == feed_server.url("/feed-temporary")
    # Another source whose feed moved to the same address keeps its own: two sources never become one address.
    other = make_source(feed_server.url("/elsewhere-old"))
    fetching.run(now=NOW + timedelta(days=2), ingester=FakeIngest())
    other.refresh_from_db()
    assert other.feed_url == feed_server.url("/elsewhere-old")
    assert other.last_error == ""
