"""Reading the journal's sources: the filtered list, one source with its latest items, follow state."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from freshground.core.models import Tag
from freshground.core.permissions import is_person
from freshground.journal import permissions_sources as perms
from freshground.journal.models import Item, Source, SourceFollow, SourceStatus

PAGE_SIZE = 50
PUBLIC_STATUSES = (SourceStatus.ACTIVE, SourceStatus.PAUSED)


def sources(
    person: Any, *, kind: str = "", language: str = "", topic: str = "", status: str = "", q: str = ""
) -> QuerySet[Source]:
    """Sources the person may see, filtered. Only journal editors filter by (or see) proposed and rejected ones."""
    queryset = Source.objects.select_related("center").prefetch_related("topics")
    if status and perms.can_filter_by_status(person) and status in SourceStatus.values:
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.filter(status__in=PUBLIC_STATUSES)
    if kind:
        queryset = queryset.filter(kind=kind)
    if language:
        queryset = queryset.filter(language__iexact=language)
    if topic:
        queryset = queryset.filter(topics__slug=topic)
    if q:
        queryset = queryset.filter(name__icontains=q)
    return queryset.order_by("name", "id").distinct()


def sources_page(person: Any, page_number: Any = 1, **filters: str) -> Page[Source]:
    return Paginator(sources(person, **filters), PAGE_SIZE).get_page(page_number)


def source_by_slug(slug: str) -> Source | None:
    return Source.objects.select_related("center", "proposed_by").prefetch_related("topics").filter(slug=slug).first()


def latest_items(source: Source, *, limit: int = 20) -> list[Item]:
    return list(Item.objects.visible().filter(source=source).order_by("-published_at", "-id")[:limit])


def is_following(person: Any, source: Source) -> bool:
    return is_person(person) and SourceFollow.objects.filter(person=person, source=source).exists()


def followed_ids(person: Any, source_ids: list[int]) -> set[int]:
    if not is_person(person) or not source_ids:
        return set()
    return set(SourceFollow.objects.filter(person=person, source_id__in=source_ids).values_list("source_id", flat=True))


def languages_in_use() -> list[str]:
    return sorted(
        set(
            Source.objects.filter(status__in=PUBLIC_STATUSES)
            .exclude(language="")
            .values_list("language", flat=True)
            .distinct()
        )
    )


def topic_choices() -> list[Tag]:
    return list(Tag.objects.filter(is_topic=True).order_by("name"))


def pending_count() -> int:
    return Source.objects.filter(status=SourceStatus.PROPOSED).count()


def public_sources_for_export() -> QuerySet[Source]:
    return Source.objects.filter(status=SourceStatus.ACTIVE).order_by("name", "id")
