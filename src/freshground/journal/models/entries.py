"""Entries fetched from sources, and stories: the same news reported by several outlets, grouped as one.

An entry is stored once per source: found again by its GUID, its canonical URL (tracking parameters stripped, kept as
a SHA-256) or its content hash; an updated entry updates in place. Near-duplicates across sources (a SimHash of title
and summary) share a `Story`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from freshground.journal.models.sources import URL_MAX_LENGTH, Source


class Entry(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="entries")
    guid = models.CharField(max_length=1000, blank=True)
    url = models.URLField(max_length=URL_MAX_LENGTH, blank=True)  # canonical: tracking parameters stripped
    url_hash = models.CharField(max_length=64, blank=True)  # SHA-256 of `url`, for lookups across sources
    title = models.CharField(max_length=1000)
    summary_html = models.TextField(blank=True)  # sanitised with nh3; remote images dropped or proxied
    content_html = models.TextField(blank=True)  # sanitised likewise
    author_name = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)  # as the feed says (None: it did not say)
    updated_at = models.DateTimeField(null=True, blank=True)  # as the feed says
    fetched_at = models.DateTimeField(default=timezone.now)  # first seen
    changed_at = models.DateTimeField(default=timezone.now)  # last stored change
    language = models.CharField(max_length=16, blank=True)
    content_hash = models.CharField(max_length=64)  # SHA-256 of normalised title + summary + content
    simhash = models.BigIntegerField(null=True, blank=True)  # 64-bit SimHash of title + summary, signed

    class Meta:
        ordering = ["-fetched_at", "-id"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], condition=~Q(guid=""), name="journal_entry_guid"),
        ]
        indexes = [
            models.Index(fields=["url_hash"], name="journal_entry_url"),
            models.Index(fields=["source", "content_hash"], name="journal_entry_content"),
            models.Index(fields=["source", "-fetched_at"], name="journal_entry_source"),
        ]

    def __str__(self) -> str:
        return self.title[:80]


class Story(models.Model):
    """One piece of news as several items report it; the lead item stands for it on the front page."""

    title = models.CharField(max_length=1000)
    lead = models.ForeignKey("journal.Item", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    simhash = models.BigIntegerField(null=True, blank=True)  # its first item's, for matching newcomers
    # That SimHash cut into four 16-bit bands (journal.stories): near stories share at least one band.
    band_0 = models.IntegerField(null=True, blank=True)
    band_1 = models.IntegerField(null=True, blank=True)
    band_2 = models.IntegerField(null=True, blank=True)
    band_3 = models.IntegerField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name_plural = "stories"
        indexes = [
            models.Index(fields=["band_0", "last_seen_at"], name="journal_story_band0"),
            models.Index(fields=["band_1", "last_seen_at"], name="journal_story_band1"),
            models.Index(fields=["band_2", "last_seen_at"], name="journal_story_band2"),
            models.Index(fields=["band_3", "last_seen_at"], name="journal_story_band3"),
        ]

    def __str__(self) -> str:
        return self.title[:80]
