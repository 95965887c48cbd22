"""Benchmark refreshing sources: N sources served by a local HTTP server, fetched by journal.fetching.run.

A local threaded HTTP server (freshground.testing.feed_server) serves N feeds (default 1,000, each an RSS 2.0 feed
of 10 entries with an ETag) under H host names (default 500: `site<i>.bench.test`, resolved to 127.0.0.1 by a
patched resolver, so the per-host politeness rules apply as they would to real sites). Everything goes through the
real pipeline: the safe fetcher (address checks, pinning, conditional GET), ingest into a fresh database, health and
scheduling.

- **first refresh**: every source answers 200 with its feed (ingest stores 10 entries per source);
- **all 304**: the sources are made due again and every one answers 304 Not Modified.

Targets: the first refresh under 60 s, the all-304 refresh under 10 s. Exit status 1 when a target is missed.

    uv run python bench/feed_refresh.py
    uv run python bench/feed_refresh.py --sources 1000 --hosts 500 --threads 16
    uv run python bench/feed_refresh.py --database-url postgres://postgres@127.0.0.1:5432/fg_bench_refresh
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from benchlib import machine, setup


def feed_body(index: int, now: datetime) -> bytes:
    items = []
    for n in range(10):
        when = format_datetime(now - timedelta(hours=index % 24 + n * 7), usegmt=True)
        items.append(
            f"<item><title>Bench source {index} entry {n}: workers at depot {index * 10 + n} vote on the offer</title>"
            f"<link>https://site{index}.bench.test/{n}</link><guid>bench-{index}-{n}</guid><pubDate>{when}</pubDate>"
            f"<description>&lt;p&gt;Entry {n} of source {index}. Drivers and cleaners at depot {index * 10 + n} "
            f"met on Tuesday to discuss the offer and the ballot.&lt;/p&gt;</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench source {index}</title><link>https://site{index}.bench.test/</link><description>x</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def patch_resolver() -> None:
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host.endswith(".bench.test"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=500)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--gap", type=float, default=2.0, help="seconds between two fetches of one host")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="fg-bench-refresh-"))
    try:
        print(f"Setting up a fresh database in {data} …", file=sys.stderr)
        setup(data, args.database_url)
        os.environ["FRESHGROUND_ALLOW_PRIVATE_FETCH"] = "1"
        patch_resolver()

        from django.db import connection

        from freshground.journal import fetching
        from freshground.journal.models import Entry, Source, SourceStatus
        from freshground.testing.feed_server import FeedServer, Route

        now = datetime.now(UTC)
        server = FeedServer().start()
        sources = []
        for index in range(args.sources):
            path = f"/feed/{index}.xml"
            server.add(path, Route(body=feed_body(index, now), content_type="application/rss+xml", etag=f'"v{index}"'))
            host = f"site{index % args.hosts}.bench.test"
            sources.append(
                Source(
                    name=f"Bench source {index}",
                    slug=f"bench-{index}",
                    feed_url=f"http://{host}:{server.port}{path}",
                    status=SourceStatus.ACTIVE,
                )
            )
        Source.objects.bulk_create(sources, batch_size=500)
        print(f"{args.sources} sources on {args.hosts} hosts; fetching …", file=sys.stderr)

        first = fetching.run(limit=args.sources, workers=args.threads, gap=args.gap)
        entries = Entry.objects.count()
        Source.objects.update(next_fetch_at=None)
        second = fetching.run(limit=args.sources, workers=args.threads, gap=args.gap)
        server.stop()
        vendor = connection.vendor
    finally:
        shutil.rmtree(data, ignore_errors=True)

    ok_first = first.seconds < 60 and first.failed == 0
    ok_second = second.seconds < 10 and second.not_modified == args.sources
    print(f"## Feed refresh (`feed_refresh.py`) — {datetime.now(UTC):%Y-%m-%d}")
    print()
    print(f"Machine: {machine()}; database: {vendor}; load average: {os.getloadavg()[0]:.2f}.")
    print(f"{args.sources} sources on {args.hosts} host names, {args.threads} threads, {args.gap} s per-host gap.")
    print()
    print("| run | sources | fetched (200) | not modified | failed | new entries | seconds | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    print(
        f"| first refresh (200 + ingest) | {first.claimed} | {first.fetched} | {first.not_modified} | {first.failed} "
        f"| {first.new} | {first.seconds:.1f} | < 60 s {'✓' if ok_first else '✗'} |"
    )
    print(
        f"| all answer 304 | {second.claimed} | {second.fetched} | {second.not_modified} | {second.failed} "
        f"| {second.new} | {second.seconds:.1f} | < 10 s {'✓' if ok_second else '✗'} |"
    )
    print()
    print(f"Entries stored after the first refresh: {entries}.")
    failures = [outcome for outcome in first.outcomes + second.outcomes if not outcome.ok][:5]
    for outcome in failures:
        print(f"- failed: {outcome.slug}: {outcome.error}", file=sys.stderr)
    return 0 if ok_first and ok_second else 1


if __name__ == "__main__":
    sys.exit(main())
