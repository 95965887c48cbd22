"""The journal's part of a person's data download and account deletion (people.portability).

Download: the person's articles (every revision, their submissions and the review notes on them), the images they
uploaded (names only) and the links they shared.

Deletion: published articles and shared links stay, signed "a former member" (the person's name leaves every byline,
and places that published an article keep it); drafts and articles never published are deleted with their images,
since nobody else may see them anyway. Review notes they wrote stay without their name.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from freshground.journal.models import (
    Article,
    ArticleImage,
    ArticleStatus,
    EditorNote,
    Item,
    LinkPost,
    Submission,
)
from freshground.people.models import Person


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(person: Person) -> dict[str, Any]:
    articles = (
        Article.objects.filter(author=person)
        .select_related("circle", "center")
        .prefetch_related(
            "topics",
            "revisions",
            Prefetch(
                "submissions",
                queryset=Submission.objects.select_related("circle", "center").prefetch_related("notes__author"),
            ),
        )
        .order_by("id")
    )
    rows = []
    for article in articles:
        rows.append(
            {
                "slug": article.slug,
                "title": article.title,
                "standfirst": article.standfirst,
                "body": article.body,
                "status": article.status,
                "licence": article.licence,
                "language": article.language,
                "topics": [t.name for t in article.topics.all()],
                "byline_circle": article.circle.name if article.circle else None,
                "byline_center": article.center.name if article.center else None,
                "created_at": _when(article.created_at),
                "published_at": _when(article.published_at),
                "revisions": [
                    {
                        "number": r.number,
                        "title": r.title,
                        "standfirst": r.standfirst,
                        "body": r.body,
                        "created_at": _when(r.created_at),
                    }
                    for r in article.revisions.all()
                ],
                "submissions": [
                    {
                        "place": str(s.center or s.circle),
                        "status": s.status,
                        "revision": s.revision,
                        "submitted_at": _when(s.submitted_at),
                        "notes": [
                            {
                                "by": n.author.display_name if n.author else None,
                                "text": n.text,
                                "revision": n.revision,
                                "created_at": _when(n.created_at),
                            }
                            for n in s.notes.all()
                        ],
                    }
                    for s in article.submissions.all()
                ],
            }
        )
    notes = [
        {"article": n.submission.article.title, "text": n.text, "created_at": _when(n.created_at)}
        for n in EditorNote.objects.filter(author=person)
        .exclude(submission__article__author=person)
        .select_related("submission__article")
        .order_by("id")
    ]
    images = [
        {"file": image.image.name, "alt": image.alt, "created_at": _when(image.created_at)}
        for image in ArticleImage.objects.filter(uploaded_by=person).order_by("id")
    ]
    links = [
        {
            "url": link.url,
            "title": link.title,
            "comment": link.comment,
            "created_at": _when(link.created_at),
            "circle": link.circle.name if link.circle else None,
            "center": link.center.name if link.center else None,
        }
        for link in LinkPost.objects.filter(shared_by=person).select_related("circle", "center").order_by("id")
    ]
    return {"articles": rows, "review_notes": notes, "article_images": images, "links": links}


def erase(person: Person) -> None:
    from freshground.journal.links import sync_link_item
    from freshground.journal.services_articles import byline

    unpublished = Article.objects.filter(author=person).exclude(status=ArticleStatus.PUBLISHED)
    for image in ArticleImage.objects.filter(article__in=unpublished):
        image.image.delete(save=False)
    for image in ArticleImage.objects.filter(article__isnull=True, uploaded_by=person):
        image.image.delete(save=False)
        image.delete()
    unpublished.delete()
    published = list(Article.objects.filter(author=person).select_related("circle", "center"))
    Article.objects.filter(pk__in=[a.pk for a in published]).update(author=None)
    for article in published:
        article.author = None
        Item.objects.filter(article=article).update(author=None, author_name=byline(article)[:300])
    links = list(LinkPost.objects.filter(shared_by=person).select_related("circle", "center"))
    LinkPost.objects.filter(pk__in=[link.pk for link in links]).update(shared_by=None)
    for link in links:
        link.shared_by = None
        sync_link_item(link)


def register() -> None:
    """Called from JournalConfig.ready()."""
    from freshground.people.portability import register_eraser, register_exporter

    register_exporter("journal_articles", export)
    register_eraser("journal_articles", erase)
