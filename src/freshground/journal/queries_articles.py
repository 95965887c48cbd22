"""Reads for articles, submissions and link posts, with a fixed number of queries whatever the list's length."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from freshground.core.permissions import is_person
from freshground.journal.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    EditorNote,
    LinkPost,
    Submission,
    SubmissionStatus,
)
from freshground.network.models import CenterEditor, Membership, Role

ARTICLE_RELATED = ("author", "circle", "center", "item")


def articles() -> QuerySet[Article]:
    return Article.objects.select_related(*ARTICLE_RELATED).prefetch_related("topics")


def article_by_slug(slug: str) -> Article | None:
    return (
        articles()
        .prefetch_related(Prefetch("submissions", queryset=Submission.objects.select_related("circle", "center")))
        .filter(slug=slug)
        .first()
    )


def published_articles() -> QuerySet[Article]:
    return (
        articles()
        .filter(status=ArticleStatus.PUBLISHED)
        .filter(Q(item__isnull=True) | Q(item__status="published"))
        .order_by("-published_at", "-id")
    )


def my_articles(person: Any) -> QuerySet[Article]:
    if not is_person(person):
        return Article.objects.none()
    return (
        articles()
        .filter(author=person)
        .prefetch_related(Prefetch("submissions", queryset=Submission.objects.select_related("circle", "center")))
    )


def revisions(article: Article) -> list[ArticleRevision]:
    return list(ArticleRevision.objects.filter(article=article).select_related("created_by").order_by("-number"))


def revision(article: Article, number: int) -> ArticleRevision | None:
    return ArticleRevision.objects.filter(article=article, number=number).first()


def edited_places(person: Any) -> tuple[list[int], list[int]]:
    """(center ids, circle ids) whose articles this person reviews."""
    if not is_person(person):
        return [], []
    centers = list(CenterEditor.objects.filter(person=person).values_list("center_id", flat=True))
    circles = list(Membership.objects.filter(person=person, role=Role.ORGANISER).values_list("circle_id", flat=True))
    return centers, circles


def desk(person: Any, *, include_closed: bool = False) -> QuerySet[Submission]:
    """The submissions waiting in every place this person edits (open ones; with decided ones when asked)."""
    centers, circles = edited_places(person)
    if not centers and not circles:
        return Submission.objects.none()
    statuses = [SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW]
    if include_closed:
        statuses += [SubmissionStatus.RETURNED, SubmissionStatus.PUBLISHED]
    return (
        Submission.objects.filter(Q(center_id__in=centers) | Q(circle_id__in=circles), status__in=statuses)
        .select_related("article", "article__author", "circle", "center")
        .order_by("submitted_at", "id")
    )


def submission_by_pk(pk: int) -> Submission | None:
    return (
        Submission.objects.select_related("article", "article__author", "circle", "center", "decided_by")
        .prefetch_related(Prefetch("notes", queryset=EditorNote.objects.select_related("author")))
        .filter(pk=pk)
        .first()
    )


def links() -> QuerySet[LinkPost]:
    return (
        LinkPost.objects.select_related("shared_by", "circle", "center", "item")
        .prefetch_related("topics")
        .filter(Q(item__isnull=True) | Q(item__status="published"))
        .order_by("-created_at", "-id")
    )


def link_by_pk(pk: int) -> LinkPost | None:
    return LinkPost.objects.select_related("shared_by", "circle", "center", "item").filter(pk=pk).first()
