"""Reads for the reading part: the ranked front page, item and story pages, topics, places, the personal feed and
the reading list. Every list runs a fixed number of queries whatever its length (asserted in the tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from freshground.core.models import Tag
from freshground.core.permissions import is_person
from freshground.journal.models import EditorialPick, Item, Recommendation, SavedItem, SourceFollow, Story
from freshground.network.models import Center, Circle, Follow

PAGE_SIZE = 20
MAX_PAGE = 500


class Sort:
    HOT = "hot"
    NEW = "new"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    ALL = (HOT, NEW, WEEK, MONTH, YEAR)


WINDOWS = {Sort.WEEK: timedelta(days=7), Sort.MONTH: timedelta(days=30), Sort.YEAR: timedelta(days=365)}


@dataclass
class Page:
    items: list[Item]
    number: int
    has_next: bool
    has_previous: bool
    sort: str = Sort.HOT
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def clean_sort(value: Any) -> str:
    return value if value in Sort.ALL else Sort.HOT


def clean_page(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def _card_queryset() -> QuerySet[Item]:
    return (
        Item.objects.visible()
        .select_related("source", "story", "author", "article", "link")
        .defer("body_text", "article__body", "article__body_html")
    )


def ordered(qs: QuerySet[Item], sort: str, *, now: datetime | None = None) -> QuerySet[Item]:
    sort = clean_sort(sort)
    if sort == Sort.NEW:
        return qs.order_by("-published_at", "-id")
    if sort in WINDOWS:
        since = (now or timezone.now()) - WINDOWS[sort]
        return qs.filter(published_at__gte=since).order_by(
            "-bridging_score", "-recommendation_count", "-published_at", "-id"
        )
    return qs.order_by("-hot_score", "-id")


def _one_per_story(qs: QuerySet[Item]) -> QuerySet[Item]:
    """A story shows once, as its lead item; an item without a story (or a story without a lead) stands alone."""
    return qs.filter(Q(story__isnull=True) | Q(story__lead__isnull=True) | Q(story__lead_id=F("pk")))


def filtered(qs: QuerySet[Item], *, topic: Tag | None = None, language: str = "") -> QuerySet[Item]:
    if topic is not None:
        qs = qs.filter(pk__in=Item.topics.through.objects.filter(tag_id=topic.pk).values("item_id"))
    if language:
        qs = qs.filter(Q(language__iexact=language) | Q(language__istartswith=f"{language}-"))
    return qs


def paginate(qs: QuerySet[Item], number: int, viewer: Any, *, sort: str = Sort.HOT, page_size: int = PAGE_SIZE) -> Page:
    """One page (page_size + 1 rows tell whether there is a next), decorated for cards."""
    number = clean_page(number)
    start = (number - 1) * page_size
    rows = list(qs[start : start + page_size + 1])
    has_next = len(rows) > page_size
    items = rows[:page_size]
    decorate(items, viewer)
    return Page(items=items, number=number, has_next=has_next, has_previous=number > 1, sort=sort)


def decorate(items: Sequence[Item], viewer: Any) -> None:
    """Attach to each item: `siblings` (other items of its story: "also covered by"), `item_picks` (editorial picks
    with their centers), `recommended` and `saved` (the viewer's). A fixed number of queries."""
    if not items:
        return
    ids = [item.pk for item in items]
    story_ids = {item.story_id for item in items if item.story_id}
    siblings: dict[int, list[Item]] = {}
    if story_ids:
        for other in (
            Item.objects.visible()
            .filter(story_id__in=story_ids)
            .exclude(pk__in=ids)
            .select_related("source")
            .only("pk", "title", "url", "story_id", "source__name", "source__slug", "author_name", "kind")
            .order_by("published_at", "id")
        ):
            siblings.setdefault(other.story_id or 0, []).append(other)
    picks: dict[int, list[EditorialPick]] = {}
    for found in EditorialPick.objects.filter(item_id__in=ids).select_related("center").order_by("created_at", "id"):
        picks.setdefault(found.item_id, []).append(found)
    recommended: set[int] = set()
    saved: set[int] = set()
    if is_person(viewer):
        recommended = set(
            Recommendation.objects.filter(person=viewer, item_id__in=ids).values_list("item_id", flat=True)
        )
        saved = set(SavedItem.objects.filter(person=viewer, item_id__in=ids).values_list("item_id", flat=True))
    for item in items:
        item.siblings = siblings.get(item.story_id, [])[:8] if item.story_id else []  # type: ignore[attr-defined]
        item.item_picks = picks.get(item.pk, [])  # type: ignore[attr-defined]
        item.recommended = item.pk in recommended  # type: ignore[attr-defined]
        item.saved = item.pk in saved  # type: ignore[attr-defined]


def front_page(
    viewer: Any, *, sort: str = Sort.HOT, topic: Tag | None = None, language: str = "", page: int = 1
) -> Page:
    sort = clean_sort(sort)
    qs = ordered(_one_per_story(filtered(_card_queryset(), topic=topic, language=language)), sort)
    result = paginate(qs, page, viewer, sort=sort)
    result.filters = {"topic": topic.slug if topic else "", "language": language}
    return result


def languages() -> list[str]:
    """Languages offered in the filter: those of the visible items (a short list)."""
    return sorted(
        code
        for code in Item.objects.visible().exclude(language="").values_list("language", flat=True).distinct()[:50]
        if code
    )


def topic_by_slug(slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first() if slug else None


def item_detail(pk: int) -> Item | None:
    return (
        Item.objects.select_related("source", "story", "author", "article", "link", "story__lead")
        .prefetch_related("topics", "circles", "centers")
        .filter(pk=pk)
        .first()
    )


def story_items(story: Story, viewer: Any) -> list[Item]:
    items = list(_card_queryset().filter(story=story).order_by("published_at", "id")[:200])
    decorate(items, viewer)
    return items


def item_siblings(item: Item) -> list[Item]:
    if not item.story_id:
        return []
    return list(
        Item.objects.visible()
        .filter(story_id=item.story_id)
        .exclude(pk=item.pk)
        .select_related("source")
        .order_by("published_at", "id")[:50]
    )


def item_picks(item: Item) -> list[EditorialPick]:
    return list(EditorialPick.objects.filter(item=item).select_related("center", "picked_by"))


def viewer_state(viewer: Any, item: Item) -> tuple[bool, bool]:
    if not is_person(viewer):
        return False, False
    return (
        Recommendation.objects.filter(person=viewer, item=item).exists(),
        SavedItem.objects.filter(person=viewer, item=item).exists(),
    )


def topics_index() -> tuple[list[Tag], list[Tag]]:
    """(vocabulary topics, free tags) that have visible journal items, with `item_count`; vocabulary first."""
    counted = (
        Tag.objects.annotate(item_count=Count("journal_items", filter=Q(journal_items__status="published")))
        .filter(Q(is_topic=True) | Q(item_count__gt=0))
        .order_by("-is_topic", "name")
    )
    vocabulary: list[Tag] = []
    free: list[Tag] = []
    for tag in counted[:500]:
        (vocabulary if tag.is_topic else free).append(tag)
    return vocabulary, free


def topic_page(viewer: Any, topic: Tag, *, sort: str, page: int) -> Page:
    qs = ordered(_one_per_story(filtered(_card_queryset(), topic=topic)), sort)
    return paginate(qs, page, viewer, sort=clean_sort(sort))


def center_page(viewer: Any, center: Center, *, sort: str, page: int) -> Page:
    qs = _card_queryset().filter(pk__in=Item.centers.through.objects.filter(center_id=center.pk).values("item_id"))
    return paginate(ordered(qs, sort), page, viewer, sort=clean_sort(sort))


def center_picks(viewer: Any, center: Center, *, limit: int = 10) -> list[Item]:
    items = list(_card_queryset().filter(picks__center=center).order_by("-picks__created_at", "-id")[:limit])
    decorate(items, viewer)
    return items


def circle_page(viewer: Any, circle: Circle, *, sort: str, page: int) -> Page:
    qs = _card_queryset().filter(pk__in=Item.circles.through.objects.filter(circle_id=circle.pk).values("item_id"))
    return paginate(ordered(qs, sort), page, viewer, sort=clean_sort(sort))


def person_page(viewer: Any, person: Any, *, sort: str, page: int) -> Page:
    qs = _card_queryset().filter(author=person)
    return paginate(ordered(qs, sort), page, viewer, sort=clean_sort(sort))


@dataclass
class Follows:
    centers: list[Center]
    circles: list[Circle]
    topics: list[Tag]
    sources: list[Any]

    @property
    def empty(self) -> bool:
        return not (self.centers or self.circles or self.topics or self.sources)


def follows_of(person: Any) -> Follows:
    from freshground.notifications.models import TopicFollow

    follows = list(Follow.objects.filter(person=person).select_related("circle", "center"))
    return Follows(
        centers=[f.center for f in follows if f.center is not None],
        circles=[f.circle for f in follows if f.circle is not None],
        topics=[f.tag for f in TopicFollow.objects.filter(person=person).select_related("tag")],
        sources=[f.source for f in SourceFollow.objects.filter(person=person).select_related("source")],
    )


def personal_feed(person: Any, *, sort: str, page: int) -> Page:
    """Items of the centers, circles, topics and sources `person` follows."""
    from freshground.notifications.models import TopicFollow

    centers = Follow.objects.filter(person=person, center__isnull=False).values("center_id")
    circles = Follow.objects.filter(person=person, circle__isnull=False).values("circle_id")
    topics = TopicFollow.objects.filter(person=person).values("tag_id")
    sources = SourceFollow.objects.filter(person=person).values("source_id")
    wanted = (
        Q(pk__in=Item.centers.through.objects.filter(center_id__in=centers).values("item_id"))
        | Q(pk__in=Item.circles.through.objects.filter(circle_id__in=circles).values("item_id"))
        | Q(pk__in=Item.topics.through.objects.filter(tag_id__in=topics).values("item_id"))
        | Q(source_id__in=sources)
    )
    qs = ordered(_one_per_story(_card_queryset().filter(wanted)), sort)
    return paginate(qs, page, person, sort=clean_sort(sort))


def reading_list(person: Any, *, page: int) -> Page:
    """Saved items, the latest saved first (hidden ones drop out); each item carries `saved_at` and `read_at`."""
    number = clean_page(page)
    start = (number - 1) * PAGE_SIZE
    rows = list(
        SavedItem.objects.filter(person=person, item__status="published")
        .select_related("item__source", "item__story", "item__author", "item__article", "item__link")
        .order_by("-created_at", "-id")[start : start + PAGE_SIZE + 1]
    )
    items = []
    for row in rows[:PAGE_SIZE]:
        row.item.saved_at = row.created_at  # type: ignore[attr-defined]
        row.item.read_at = row.read_at  # type: ignore[attr-defined]
        items.append(row.item)
    decorate(items, person)
    return Page(items=items, number=number, has_next=len(rows) > PAGE_SIZE, has_previous=number > 1, sort=Sort.NEW)
