"""Hosts and topics for many events at once, without prefetch_related's per-object querysets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from freshground.events.models import Event, EventHost, HostStatus


def attach_details(events: Sequence[Event]) -> None:
    """Each event's hosts (with their circle, center or person) and topic names, as plain lists: two queries.

    Not prefetch_related: it builds two querysets for every event and ties them to it in reference cycles, so a
    500-event feed left ~50 000 objects a request that only the full garbage collection frees — a 200–450 ms pause
    every few requests, the feeds' p95 at 100 000 events (cProfile and gc callbacks, docs/benchmarks.md).
    """
    # The same event may come as several objects (one per occurrence): each gets the lists.
    ids = sorted({event.pk for event in events})
    hosts: dict[int, list[EventHost]] = defaultdict(list)
    for host in (
        EventHost.objects.filter(event_id__in=ids, status=HostStatus.ACCEPTED)
        .select_related("circle", "center", "person")
        .order_by("added_at", "id")
    ):
        hosts[host.event_id].append(host)
    topics: dict[int, list[str]] = defaultdict(list)
    rows = Event.topics.through.objects.filter(event_id__in=ids).order_by("tag__name", "tag_id")
    for event_id, name in rows.values_list("event_id", "tag__name"):
        topics[event_id].append(name)
    for event in events:
        event.feed_hosts = hosts.get(event.pk, [])  # type: ignore[attr-defined]
        event.feed_topics = topics.get(event.pk, [])  # type: ignore[attr-defined]
