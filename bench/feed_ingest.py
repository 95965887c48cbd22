"""Benchmark feed ingestion against feedparser alone, on the same bytes, in the same run.

Generates corpora of already-downloaded feeds (default 4 rounds × 20 feeds × 50 entries: RSS 2.0 and Atom 1.0,
HTML bodies of 1-3 KB with links, images and a tracking pixel; a tenth of the entries re-published by other feeds as
near-duplicates), then times:

- **feedparser alone**: `feedparser.parse(body, response_headers=...)` with its default options on every feed;
- **ingest (new)**: `journal.ingest.ingest_feed` on every feed into a fresh database: parsing, normalising,
  sanitising (nh3), canonical addresses and hashes, de-duplication, storage of entries and items (with centers and
  topics), story grouping;
- **ingest (again)**: the same feeds a second time (everything found again, nothing changed).

Both are reported as entries per second; the target is ingest (new) ≥ 60 % of feedparser's rate. Each round has a
corpus and sources of its own (so every entry of the round is new, and later rounds meet the stories of earlier
ones), and feedparser and ingest take turns to go first on each feed, so that both see the same machine: on a
virtual machine with neighbours the speed of the CPU drifts by ±15 % over seconds, which favoured whichever side
ran first when each side timed all feeds at once.

    uv run python bench/feed_ingest.py
    uv run python bench/feed_ingest.py --rounds 6 --feeds 40 --entries 50
    uv run python bench/feed_ingest.py --database-url postgres://postgres@127.0.0.1:5432/fg_bench_ingest
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from benchlib import machine, setup

_WORD_TEXT = (
    "strike workers union council rent housing wages nurses tenants pay picket teachers students climate police "
    "hospital transport drivers budget cuts election ballot contract bosses shift warehouse port dockers care "
    "cleaners factory solidarity meeting assembly vote demand safety staffing pension inflation landlord eviction "
    "repairs damp heating energy bills school library bus rail station depot agreement offer talks management"
)
WORDS = _WORD_TEXT.split()
_TOWN_TEXT = "Leeds London Sheffield Bristol Glasgow Cardiff Coventry Manchester Birmingham Liverpool Newcastle"
TOWNS = _TOWN_TEXT.split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def story(rng: random.Random, n: int) -> tuple[str, str, str]:
    title = f"{sentence(rng, 7)[:-1]} in {rng.choice(TOWNS)} ({n})"
    summary = " ".join(sentence(rng, rng.randint(10, 18)) for _ in range(2))
    paragraphs = "".join(f"<p>{sentence(rng, rng.randint(15, 30))} {sentence(rng, 12)}</p>" for _ in range(6))
    body = (
        f"<p>{summary} <a href='/news/{n}?utm_source=rss'>More</a> and <em>emphasis</em>.</p>{paragraphs}"
        f"<figure><img src='/img/{n}.jpg' alt='photo {n}' width='800' height='500'><figcaption>A picket</figcaption>"
        f"</figure><img src='https://track.example/p/{n}.gif' width='1' height='1'><script>track({n})</script>"
    )
    return title, summary, body


def make_feeds(n_feeds: int, per_feed: int, seed: int) -> list[tuple[str, bytes, str]]:
    """(feed address, bytes, content type) for every feed."""
    rng = random.Random(seed)
    base_time = datetime(2026, 12, 1, tzinfo=UTC)
    shared = [story(rng, 900_000 + k) for k in range(max(1, n_feeds * per_feed // 20))]
    feeds = []
    for f in range(n_feeds):
        site = f"https://outlet{f}.example.org"
        atom = f % 3 == 2
        entries = []
        for e in range(per_feed):
            if rng.random() < 0.1:  # a wire story others re-publish, with a note of their own
                title, summary, body = rng.choice(shared)
                summary = summary + " " + sentence(rng, 4)
            else:
                title, summary, body = story(rng, f * 10_000 + e)
            when = base_time - timedelta(minutes=37 * e + f)
            link = f"{site}/{when:%Y/%m}/{f}-{e}?utm_source=rss&utm_medium=feed"
            if atom:
                entries.append(
                    f"<entry><title>{escape(title)}</title><link href='{escape(link)}'/><id>tag:{site},{f}:{e}</id>"
                    f"<published>{when:%Y-%m-%dT%H:%M:%SZ}</published><updated>{when:%Y-%m-%dT%H:%M:%SZ}</updated>"
                    f"<author><name>Writer {e % 7}</name></author><summary>{escape(summary)}</summary>"
                    f"<content type='html'>{escape(body)}</content></entry>"
                )
            else:
                entries.append(
                    f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
                    f"<guid isPermaLink='false'>{f}-{e}</guid><pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate>"
                    f"<dc:creator>Writer {e % 7}</dc:creator><description>{escape(summary)}</description>"
                    f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
                )
        if atom:
            xml = (
                "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom' xml:lang='en'>"
                f"<title>Outlet {f}</title><link href='{site}/'/><id>{site}/</id>"
                f"<updated>{base_time:%Y-%m-%dT%H:%M:%SZ}</updated>{''.join(entries)}</feed>"
            )
            feeds.append((f"{site}/feed.atom", xml.encode(), "application/atom+xml"))
        else:
            xml = (
                "<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
                "xmlns:content='http://purl.org/rss/1.0/modules/content/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
                f"<channel><title>Outlet {f}</title><link>{site}/</link><description>News</description>"
                f"<language>en</language>{''.join(entries)}</channel></rss>"
            )
            feeds.append((f"{site}/feed.rss", xml.encode(), "application/rss+xml; charset=utf-8"))
    return feeds


def time_feedparser(feeds: list[tuple[str, bytes, str]]) -> tuple[float, int]:
    import feedparser

    count = 0
    start = time.perf_counter()
    for url, body, content_type in feeds:
        parsed = feedparser.parse(body, response_headers={"content-type": content_type, "content-location": url})
        count += len(parsed.entries)
    return time.perf_counter() - start, count


def time_ingest(feeds: list[tuple[str, bytes, str]], sources: Sequence[Any]) -> tuple[float, int, int, int]:
    from freshground.journal.ingest import ingest_feed

    new = updated = unchanged = 0
    start = time.perf_counter()
    for (url, body, content_type), source in zip(feeds, sources, strict=True):
        result = ingest_feed(source, body, base_url=url, content_type=content_type)
        new += result.new
        updated += result.updated
        unchanged += result.unchanged
    return time.perf_counter() - start, new, updated, unchanged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="fg-bench-ingest-"))
    try:
        print("migrating a fresh database…", file=sys.stderr)
        setup(data, args.database_url)
        from django.db import connection

        from freshground.core.models import Tag
        from freshground.journal.models import Entry, Item, Source, Story
        from freshground.network.models import Center

        center = Center.objects.create(name="Bench center", slug="bench-center")
        topic = Tag.objects.create(name="Bench ingest topic", slug="bench-ingest-topic")
        corpora = []
        for round_number in range(args.rounds):
            feeds = [
                (f"{url}?round={round_number}", body, content_type)  # a source per feed and round
                for url, body, content_type in make_feeds(args.feeds, args.entries, args.seed + round_number)
            ]
            sources = []
            for n, (url, _, _) in enumerate(feeds):
                slug = f"outlet-{round_number}-{n}"
                source = Source.objects.create(name=slug, slug=slug, feed_url=url, center=center)
                source.topics.add(topic)
                sources.append(source)
            corpora.append((feeds, sources))
        total_bytes = sum(len(body) for feeds, _ in corpora for _, body, _ in feeds)

        # What a worker loads once, at its first feed: the URL configuration (the image proxy's address) and the
        # parser modules. Not part of any feed's cost.
        from django.urls import reverse

        reverse("journal:image", args=["warm-up"])
        time_feedparser(corpora[0][0][:2])
        print("timing…", file=sys.stderr)
        # Rounds of fresh feeds (new sources, a corpus of its own each), feedparser and ingest taking turns to go
        # first on each feed: both sides see the same machine (CPU boost, neighbours), which a before-and-after
        # scheme does not.
        parse_seconds = ingest_new = ingest_again = 0.0
        parsed_entries = new = updated = unchanged = 0
        for feeds, sources in corpora:
            for n, (feed, source) in enumerate(zip(feeds, sources, strict=True)):
                if n % 2 == 0:
                    seconds, count = time_feedparser([feed])
                seconds_new, n_new, _, _ = time_ingest([feed], [source])
                if n % 2 == 1:
                    seconds, count = time_feedparser([feed])
                parse_seconds += seconds
                parsed_entries += count
                ingest_new += seconds_new
                new += n_new
            seconds_again, _, n_updated, n_unchanged = time_ingest(feeds, sources)
            ingest_again += seconds_again
            updated += n_updated
            unchanged += n_unchanged

        parse_rate = parsed_entries / parse_seconds
        new_rate = new / ingest_new
        again_rate = (updated + unchanged) / ingest_again
        ratio = new_rate / parse_rate
        stories = Story.objects.count()
        grouped = Story.objects.filter(item_count__gt=1).count()
        assert Entry.objects.count() == new
        assert Item.objects.count() == new

        print(f"Machine: {machine()}; database: {connection.vendor}; date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
        print(
            f"Corpus: {args.rounds} rounds × {args.feeds} feeds × {args.entries} entries = {parsed_entries} entries, "
            f"{total_bytes / 1e6:.1f} MB"
        )
        print()
        print("| run | seconds | entries/s | vs feedparser |")
        print("|---|---:|---:|---:|")
        print(f"| feedparser alone | {parse_seconds:.2f} | {parse_rate:.0f} | 100 % |")
        print(
            f"| ingest, all new (parse + sanitise + de-duplicate + store + items + stories) | {ingest_new:.2f} | "
            f"{new_rate:.0f} | **{ratio:.0%}** |"
        )
        print(
            f"| ingest again, all found ({unchanged} unchanged, {updated} updated) | {ingest_again:.2f} | "
            f"{again_rate:.0f} | {again_rate / parse_rate:.0%} |"
        )
        print()
        print(f"Stories: {stories} for {new} entries; {grouped} stories group near-duplicates from several feeds.")
        print(f"Target ingest ≥ 60 % of feedparser's rate: {'met' if ratio >= 0.6 else 'MISSED'}.")
        return 0 if ratio >= 0.6 else 1
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
