"""The journal's one index of readable things: every entry, published article and link post is an `Item`.

Pages, search, feeds, recommendations and the ranking all work on items, whatever their kind; the kind's own row
(`entry`, `article` or `link`) holds what only that kind has. An item lists the circles and centers it belongs to
(a source's center, an article's byline and the places that published it, a link's circle or center), which the
per-circle and per-center pages and feeds read.

The ranking fields are written in bulk by the ranking run (journal.ranking) and read by the front page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freshground.core.content import ContentStatus
from freshground.core.models import Tag
from freshground.journal.models.articles import Article, LinkPost
from freshground.journal.models.entries import Entry, Story
from freshground.journal.models.sources import URL_MAX_LENGTH, Source
from freshground.network.models import Center, Circle


class ItemKind(models.TextChoices):
    ENTRY = "entry", _("from a source")
    ARTICLE = "article", _("article")
    LINK = "link", _("link")


class ItemQuerySet(models.QuerySet["Item"]):
    def visible(self) -> ItemQuerySet:
        return self.filter(status=ContentStatus.PUBLISHED)


class Item(models.Model):
    kind = models.CharField(max_length=8, choices=ItemKind.choices)
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="item")
    article = models.OneToOneField(Article, on_delete=models.CASCADE, null=True, blank=True, related_name="item")
    link = models.OneToOneField(LinkPost, on_delete=models.CASCADE, null=True, blank=True, related_name="item")

    title = models.CharField(max_length=1000)
    summary = models.TextField(blank=True)  # plain text, for cards, feeds and search snippets
    body_text = models.TextField(blank=True)  # plain text of the whole item, for search
    url = models.CharField(max_length=URL_MAX_LENGTH, blank=True)  # outside address (entries, links)
    published_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=16, blank=True)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, null=True, blank=True, related_name="items")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="journal_items"
    )
    author_name = models.CharField(max_length=300, blank=True)  # as shown: a feed's author, a person, a byline
    circles = models.ManyToManyField(Circle, blank=True, related_name="journal_items")
    centers = models.ManyToManyField(Center, blank=True, related_name="journal_items")
    topics = models.ManyToManyField(Tag, blank=True, related_name="journal_items")
    story = models.ForeignKey(Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="items")
    # Moderation (core.content): hidden items leave every list, feed and search.
    status = models.CharField(max_length=10, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED)
    hidden_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # Written by the ranking run.
    recommendation_count = models.PositiveIntegerField(default=0)
    pick_count = models.PositiveIntegerField(default=0)
    bridging_score = models.FloatField(default=0.0)  # the item's intercept, after factions are explained away
    bridging_factor = models.FloatField(default=0.0)  # how one-sided its support is (0: not at all)
    valued_circles = models.PositiveIntegerField(default=0)  # distinct circles of its recommenders
    valued_centers = models.PositiveIntegerField(default=0)  # distinct centers of its recommenders
    hot_score = models.FloatField(default=0.0, db_index=True)  # bridging score with time decay
    ranked_at = models.DateTimeField(null=True, blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("journal item")
        verbose_name_plural = _("journal items")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="entry") & Q(entry__isnull=False) & Q(article__isnull=True) & Q(link__isnull=True))
                | (Q(kind="article") & Q(entry__isnull=True) & Q(article__isnull=False) & Q(link__isnull=True))
                | (Q(kind="link") & Q(entry__isnull=True) & Q(article__isnull=True) & Q(link__isnull=False)),
                name="journal_item_one_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="journal_item_new"),
            models.Index(fields=["status", "-hot_score"], name="journal_item_hot"),
            models.Index(fields=["status", "-bridging_score"], name="journal_item_best"),
            models.Index(fields=["source", "-published_at"], name="journal_item_source"),
            models.Index(fields=["author", "-published_at"], name="journal_item_author"),
        ]

    def __str__(self) -> str:
        return self.title[:80]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("journal:item", kwargs={"pk": self.pk})

    @property
    def is_visible(self) -> bool:
        return self.status == ContentStatus.PUBLISHED


class Recommendation(models.Model):
    """ "This is worth reading": one per reader and item."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="recommendations")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "item"], name="journal_recommendation_once")]
        indexes = [models.Index(fields=["item", "created_at"], name="journal_recommendation_item")]

    def __str__(self) -> str:
        return f"{self.person_id} recommends {self.item_id}"


class EditorialPick(models.Model):
    """A center's editors pick an item for their readers."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="journal_picks")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="picks")
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("why"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["center", "item"], name="journal_pick_once")]

    def __str__(self) -> str:
        return f"{self.center_id} picks {self.item_id}"


class SavedItem(models.Model):
    """The reading list: saved for later."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_items")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "item"], name="journal_saved_once")]

    def __str__(self) -> str:
        return f"{self.person_id} saved {self.item_id}"


class RankingRun(models.Model):
    """One fit of the bridging model: when, on how much, how long, and with which settings."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    recommendations = models.PositiveIntegerField(default=0)
    readers = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)
    settings = models.JSONField(default=dict)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"ranking run at {self.started_at:%Y-%m-%d %H:%M}"
