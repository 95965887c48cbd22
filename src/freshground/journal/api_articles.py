"""The journal's articles part of /api/v1/: articles and their workflow, editors' submissions, link posts.

Same predicates as the pages. A draft or an article in review is answered 404 to anyone but its author and the
editors reviewing it (its existence is not revealed); every other refusal is a 4xx with a reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from freshground.api import AUTH, OPTIONAL_AUTH
from freshground.core.exceptions import DomainError, NotFound
from freshground.journal import links
from freshground.journal import permissions_articles as perms
from freshground.journal import queries_articles as queries
from freshground.journal import services_articles as services
from freshground.journal.models import Article, LinkPost, Submission
from freshground.network.models import Center, Circle
from freshground.people.api import ERRORS, actor, viewer

router = Router(tags=["journal"])
PAGE_SIZE = 50


class ArticleSummaryOut(Schema):
    slug: str
    title: str
    standfirst: str
    status: str
    author: str
    author_id: int | None
    circle: str | None
    center: str | None
    licence: str
    language: str
    topics: list[str]
    revision: int
    published_at: datetime | None
    item_id: int | None
    url: str


class SubmissionBriefOut(Schema):
    id: int
    circle: str | None
    center: str | None
    status: str
    revision: int


class ArticleOut(ArticleSummaryOut):
    body: str
    body_html: str
    submissions: list[SubmissionBriefOut] | None = Field(None, description="Only for the author and reviewers.")


class ArticleIn(Schema):
    title: str = Field(..., max_length=300)
    body: str = Field(..., max_length=200_000)
    standfirst: str = Field("", max_length=600)
    licence: str = "cc-by-sa-4.0"
    language: str = Field("", max_length=16)
    topics: list[str] = Field(default_factory=list, max_length=30)


class ArticlePatch(Schema):
    title: str | None = Field(None, max_length=300)
    body: str | None = Field(None, max_length=200_000)
    standfirst: str | None = Field(None, max_length=600)
    licence: str | None = None
    language: str | None = Field(None, max_length=16)
    topics: list[str] | None = Field(None, max_length=30)


class SubmitIn(Schema):
    circles: list[str] = Field(default_factory=list, description="Circle slugs.")
    centers: list[str] = Field(default_factory=list, description="Center slugs.")
    publish_own: bool = Field(False, description="Publish under your own name instead, without review.")


class NoteOut(Schema):
    id: int
    author: str
    text: str
    revision: int
    created_at: datetime


class SubmissionOut(SubmissionBriefOut):
    article: ArticleSummaryOut
    submitted_at: datetime
    decided_at: datetime | None
    notes: list[NoteOut]


class NoteIn(Schema):
    text: str = Field(..., max_length=10_000)


class DecisionIn(Schema):
    note: str = Field("", max_length=10_000)


class LinkOut(Schema):
    id: int
    url: str
    title: str
    summary: str
    comment: str
    shared_by: str
    circle: str | None
    center: str | None
    topics: list[str]
    fetch_pending: bool = Field(
        description="True while the worker has yet to fetch the page's title and summary (the title is empty then)."
    )
    fetched_at: datetime | None
    fetch_error: str = Field(description="Why the page's title and summary could not be read, if they could not.")
    created_at: datetime
    item_id: int | None


class LinkIn(Schema):
    url: str = Field(..., max_length=2000)
    comment: str = Field("", max_length=1000)
    circle: str | None = Field(None, description="Share in a circle's name (its organisers).")
    center: str | None = Field(None, description="Share in a center's name (its editors).")
    topics: list[str] = Field(default_factory=list, max_length=30)


class ShareOut(Schema):
    created: bool = Field(description="False when the address was shared before: it counted as a recommendation.")
    link: LinkOut


def _name(person: Any) -> str:
    return person.display_name if person is not None else _(services.FORMER_MEMBER)


def _summary(article: Article) -> dict[str, Any]:
    item = getattr(article, "item", None)
    return {
        "slug": article.slug,
        "title": article.title,
        "standfirst": article.standfirst,
        "status": article.status,
        "author": _name(article.author),
        "author_id": article.author_id,
        "circle": article.circle.slug if article.circle else None,
        "center": article.center.slug if article.center else None,
        "licence": article.licence,
        "language": article.language,
        "topics": [t.name for t in article.topics.all()],
        "revision": article.revision,
        "published_at": article.published_at,
        "item_id": item.pk if item is not None else None,
        "url": article.get_absolute_url(),
    }


def _brief(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "circle": submission.circle.slug if submission.circle else None,
        "center": submission.center.slug if submission.center else None,
        "status": submission.status,
        "revision": submission.revision,
    }


def _article(request: HttpRequest, slug: str) -> Article:
    article = queries.article_by_slug(slug)
    if article is None or not perms.can_view_article(
        viewer(request), article, submissions=list(article.submissions.all())
    ):
        raise NotFound(_("No article is called “%(slug)s”.") % {"slug": slug[:120]})
    return article


def _detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    article = _article(request, slug)
    who = viewer(request)
    visible = [s for s in article.submissions.all() if perms.can_view_submission(who, s)]
    show = perms.is_author(who, article) or bool(visible)
    return {
        **_summary(article),
        "body": article.body,
        "body_html": article.body_html,
        "submissions": [_brief(s) for s in visible] if show else None,
    }


def _places(circle_slugs: list[str], center_slugs: list[str]) -> tuple[list[Circle], list[Center]]:
    circles = list(Circle.objects.filter(slug__in=circle_slugs))
    centers = list(Center.objects.filter(slug__in=center_slugs))
    missing = (set(circle_slugs) - {c.slug for c in circles}) | (set(center_slugs) - {c.slug for c in centers})
    if missing:
        raise NotFound(_("No circle or center is called “%(slug)s”.") % {"slug": sorted(missing)[0][:90]})
    return circles, centers


@router.get("/journal/articles", auth=OPTIONAL_AUTH, response={200: list[ArticleSummaryOut], **ERRORS})
def list_articles(request: HttpRequest, offset: int = 0, limit: int = PAGE_SIZE) -> list[dict[str, Any]]:
    """Published articles, newest first."""
    limit = max(1, min(limit, PAGE_SIZE))
    rows = queries.published_articles()[max(offset, 0) : max(offset, 0) + limit]
    return [_summary(a) for a in rows]


@router.get("/journal/my-articles", auth=AUTH, response={200: list[ArticleSummaryOut], **ERRORS})
def list_my_articles(request: HttpRequest) -> list[dict[str, Any]]:
    """Your own articles, in every state."""
    return [_summary(a) for a in queries.my_articles(actor(request))]


@router.get("/journal/articles/{slug}", auth=OPTIONAL_AUTH, response={200: ArticleOut, **ERRORS})
def get_article(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One article: the Markdown and the rendered HTML. Drafts only for their author and reviewing editors."""
    return _detail(request, slug)


@router.post("/journal/articles", auth=AUTH, response={201: ArticleOut, **ERRORS})
def create_article(request: HttpRequest, payload: ArticleIn) -> Status[dict[str, Any]]:
    """Start a draft (revision 1)."""
    article = services.create_article(actor(request), **payload.model_dump())
    return Status(201, _detail(request, article.slug))


@router.patch("/journal/articles/{slug}", auth=AUTH, response={200: ArticleOut, **ERRORS})
def update_article(request: HttpRequest, slug: str, payload: ArticlePatch) -> dict[str, Any]:
    """Change the draft; a changed title, summary or text is a new revision."""
    person = actor(request)
    article = _article(request, slug)
    values = payload.model_dump(exclude_unset=True)
    services.update_article(
        person,
        article,
        title=values.get("title") or article.title,
        body=values.get("body") or article.body,
        standfirst=values.get("standfirst", article.standfirst) or "",
        licence=values.get("licence"),
        language=values.get("language"),
        topics=values.get("topics"),
    )
    return _detail(request, slug)


@router.post("/journal/articles/{slug}/submit", auth=AUTH, response={200: ArticleOut, **ERRORS})
def submit_article(request: HttpRequest, slug: str, payload: SubmitIn) -> dict[str, Any]:
    """Submit to circles and centers (their editors review it), or publish under your own name."""
    person = actor(request)
    article = _article(request, slug)
    if payload.publish_own:
        if payload.circles or payload.centers:
            raise DomainError(_("Publish under your own name, or submit to places: not both at once."))
        services.publish_own(person, article)
    else:
        circles, centers = _places(payload.circles, payload.centers)
        services.submit(person, article, circles=circles, centers=centers)
    return _detail(request, slug)


@router.post("/journal/articles/{slug}/withdraw", auth=AUTH, response={200: ArticleOut, **ERRORS})
def withdraw_article(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Take back every open or returned submission."""
    services.withdraw(actor(request), _article(request, slug))
    return _detail(request, slug)


# Editors


def _submission_out(submission: Submission) -> dict[str, Any]:
    return {
        **_brief(submission),
        "article": _summary(submission.article),
        "submitted_at": submission.submitted_at,
        "decided_at": submission.decided_at,
        "notes": [
            {"id": n.pk, "author": _name(n.author), "text": n.text, "revision": n.revision, "created_at": n.created_at}
            for n in submission.notes.all()
        ],
    }


def _submission(request: HttpRequest, pk: int) -> Submission:
    submission = queries.submission_by_pk(pk)
    if submission is None or not perms.can_view_submission(viewer(request), submission):
        raise NotFound(_("No such submission."))
    return submission


@router.get("/journal/submissions", auth=AUTH, response={200: list[SubmissionOut], **ERRORS})
def list_submissions(request: HttpRequest, closed: bool = False) -> list[dict[str, Any]]:
    """The queue of every circle and center you edit (open ones; with decided ones when closed=true)."""
    rows = queries.desk(actor(request), include_closed=closed).prefetch_related("notes__author", "article__topics")
    return [_submission_out(s) for s in rows]


@router.get("/journal/submissions/{int:pk}", auth=AUTH, response={200: SubmissionOut, **ERRORS})
def get_submission(request: HttpRequest, pk: int) -> dict[str, Any]:
    actor(request)
    return _submission_out(_submission(request, pk))


@router.post("/journal/submissions/{int:pk}/notes", auth=AUTH, response={201: SubmissionOut, **ERRORS})
def add_note(request: HttpRequest, pk: int, payload: NoteIn) -> Status[dict[str, Any]]:
    """A note in the review (editors and the author)."""
    services.add_note(actor(request), _submission(request, pk), text=payload.text)
    return Status(201, _submission_out(_submission(request, pk)))


@router.post("/journal/submissions/{int:pk}/publish", auth=AUTH, response={200: SubmissionOut, **ERRORS})
def publish_submission(request: HttpRequest, pk: int, payload: DecisionIn) -> dict[str, Any]:
    services.publish_submission(actor(request), _submission(request, pk), note=payload.note)
    return _submission_out(_submission(request, pk))


@router.post("/journal/submissions/{int:pk}/return", auth=AUTH, response={200: SubmissionOut, **ERRORS})
def return_submission(request: HttpRequest, pk: int, payload: DecisionIn) -> dict[str, Any]:
    """Return to the author; the note (why) is required."""
    services.return_submission(actor(request), _submission(request, pk), note=payload.note)
    return _submission_out(_submission(request, pk))


# Link posts


def _link_out(link: LinkPost) -> dict[str, Any]:
    item = getattr(link, "item", None)
    return {
        "id": link.pk,
        "url": link.url,
        "title": link.title,
        "summary": link.summary,
        "comment": link.comment,
        "shared_by": _name(link.shared_by),
        "circle": link.circle.slug if link.circle else None,
        "center": link.center.slug if link.center else None,
        "topics": [t.name for t in link.topics.all()],
        "fetch_pending": links.fetch_pending(link),
        "fetched_at": link.fetched_at,
        "fetch_error": link.fetch_error,
        "created_at": link.created_at,
        "item_id": item.pk if item is not None else None,
    }


@router.get("/journal/links", auth=OPTIONAL_AUTH, response={200: list[LinkOut], **ERRORS})
def list_links(request: HttpRequest, offset: int = 0, limit: int = PAGE_SIZE) -> list[dict[str, Any]]:
    limit = max(1, min(limit, PAGE_SIZE))
    return [_link_out(link) for link in queries.links()[max(offset, 0) : max(offset, 0) + limit]]


@router.get("/journal/links/{int:pk}", auth=OPTIONAL_AUTH, response={200: LinkOut, **ERRORS})
def get_link(request: HttpRequest, pk: int) -> dict[str, Any]:
    link = queries.link_by_pk(pk)
    if link is None or not perms.can_view_link(viewer(request), link):
        raise NotFound(_("No such link."))
    return _link_out(link)


@router.post("/journal/links", auth=AUTH, response={201: ShareOut, 200: ShareOut, **ERRORS})
def share_link(request: HttpRequest, payload: LinkIn) -> Status[dict[str, Any]]:
    """Share an outside link; answers at once. 201 with `fetch_pending` true: the worker fetches the page's title and
    summary safely in a moment (read the link again to see them). 200 when it was shared before."""
    person = actor(request)
    circle = center = None
    if payload.circle and payload.center:
        raise DomainError(_("Share in one name at a time."))
    if payload.circle or payload.center:
        circles, centers = _places(
            [payload.circle] if payload.circle else [], [payload.center] if payload.center else []
        )
        circle = circles[0] if circles else None
        center = centers[0] if centers else None
    result = links.share(
        person, url=payload.url, comment=payload.comment, circle=circle, center=center, topics=payload.topics
    )
    link = queries.link_by_pk(result.link.pk)
    assert link is not None
    return Status(201 if result.created else 200, {"created": result.created, "link": _link_out(link)})
