"""Every write to articles: drafts and revisions, publishing under one's own name, submissions and their review,
images, and the article's journal item.

Article states follow its submissions: published once it is published anywhere (or under the author's name); else
in review, submitted or returned as its liveliest submission is; draft or withdrawn otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from freshground.core.content import ContentStatus
from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.core.models import Tag
from freshground.core.tags import tags_from_names
from freshground.core.text import clean_text, unique_slug
from freshground.journal import markdown
from freshground.journal import permissions_articles as perms
from freshground.journal.items import plain_text
from freshground.journal.models import (
    ARTICLE_BODY_MAX_LENGTH,
    ARTICLE_TITLE_MAX_LENGTH,
    Article,
    ArticleImage,
    ArticleRevision,
    ArticleStatus,
    EditorNote,
    Item,
    ItemKind,
    Licence,
    Submission,
    SubmissionStatus,
)
from freshground.network.models import Center, CenterEditor, Circle, Membership, Role
from freshground.people.models import Person

FORMER_MEMBER = "a former member"
SUMMARY_LENGTH = 400


def _summary(text: str) -> str:
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _clean_fields(title: str, standfirst: str, body: str, licence: str, language: str) -> tuple[str, str, str]:
    title = clean_text(title)
    body = clean_text(body)
    if not title:
        raise DomainError(_("Give the article a title."), field="title")
    if len(title) > ARTICLE_TITLE_MAX_LENGTH:
        raise DomainError(_("The title is too long."), field="title")
    if not body:
        raise DomainError(_("Write the article's text."), field="body")
    if len(body) > ARTICLE_BODY_MAX_LENGTH:
        raise DomainError(_("The text is too long."), field="body")
    if len(clean_text(standfirst)) > 600:
        raise DomainError(_("The summary is too long (600 characters at most)."), field="standfirst")
    if licence not in Licence.values:
        raise DomainError(_("Choose one of the licences offered."), field="licence")
    if len(language) > 16:
        raise DomainError(_("Give the language as a short code such as “en”."), field="language")
    return title, clean_text(standfirst), body


def _topics(topics: Iterable[Tag | str]) -> list[Tag]:
    names = [t for t in topics if isinstance(t, str)]
    tags = [t for t in topics if isinstance(t, Tag)]
    return tags + [t for t in tags_from_names(names, "topics") if t not in tags]


def _add_revision(actor: Person, article: Article) -> ArticleRevision:
    article.revision += 1
    return ArticleRevision.objects.create(
        article=article,
        number=article.revision,
        title=article.title,
        standfirst=article.standfirst,
        body=article.body,
        created_by=actor,
    )


@transaction.atomic
def create_article(
    actor: Person,
    *,
    title: str,
    body: str,
    standfirst: str = "",
    licence: str = Licence.CC_BY_SA,
    language: str = "",
    topics: Iterable[Tag | str] = (),
) -> Article:
    if not perms.can_write(actor):
        raise PermissionDenied(_("Sign in to write."))
    title, standfirst, body = _clean_fields(title, standfirst, body, licence, language)
    now = timezone.now()
    article = Article(
        slug=unique_slug(Article, title, max_length=120),
        title=title,
        standfirst=standfirst,
        body=body,
        body_html=markdown.render_html(body),
        author=actor,
        licence=licence,
        language=language.strip().lower(),
        created_at=now,
        updated_at=now,
    )
    article.save()
    _add_revision(actor, article)
    article.save(update_fields=["revision"])
    article.topics.set(_topics(topics))
    _claim_images(actor, article)
    return article


@transaction.atomic
def update_article(
    actor: Person,
    article: Article,
    *,
    title: str,
    body: str,
    standfirst: str = "",
    licence: str | None = None,
    language: str | None = None,
    topics: Iterable[Tag | str] | None = None,
) -> Article:
    """Save the text; a changed title, summary or text is a new revision."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not perms.can_edit_article(actor, article):
        raise PermissionDenied(_("Only the author may change this article now."))
    licence = article.licence if licence is None else licence
    language = article.language if language is None else language
    title, standfirst, body = _clean_fields(title, standfirst, body, licence, language)
    changed = (title, standfirst, body) != (article.title, article.standfirst, article.body)
    article.title, article.standfirst, article.body = title, standfirst, body
    article.body_html = markdown.render_html(body)
    article.licence = licence
    article.language = language.strip().lower()
    article.updated_at = timezone.now()
    if changed:
        _add_revision(actor, article)
    article.save()
    if topics is not None:
        article.topics.set(_topics(topics))
    _claim_images(actor, article)
    if article.status == ArticleStatus.PUBLISHED:
        sync_article_item(article)
    return article


def _claim_images(actor: Person, article: Article) -> None:
    """Images uploaded while writing belong to the article once its text uses them."""
    names = _image_names(article.body)
    if names:
        ArticleImage.objects.filter(article__isnull=True, uploaded_by=actor, image__in=names).update(article=article)


def _image_names(body: str) -> list[str]:
    prefix = markdown.image_url_prefix()
    names = []
    for part in body.split(prefix)[1:]:
        name = part.split(")", 1)[0].split(" ", 1)[0].strip("/")
        if name:
            names.append(f"journal/images/{name}")
    return names


def _refresh_status(article: Article) -> None:
    statuses = set(article.submissions.values_list("status", flat=True))
    if article.status == ArticleStatus.PUBLISHED or SubmissionStatus.PUBLISHED in statuses:
        article.status = ArticleStatus.PUBLISHED
    elif SubmissionStatus.IN_REVIEW in statuses:
        article.status = ArticleStatus.IN_REVIEW
    elif SubmissionStatus.SUBMITTED in statuses:
        article.status = ArticleStatus.SUBMITTED
    elif SubmissionStatus.RETURNED in statuses:
        article.status = ArticleStatus.RETURNED
    elif SubmissionStatus.WITHDRAWN in statuses:
        article.status = ArticleStatus.WITHDRAWN
    else:
        article.status = ArticleStatus.DRAFT


@transaction.atomic
def publish_own(actor: Person, article: Article) -> Article:
    """Publish under the author's own name, at once."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not perms.is_author(actor, article):
        raise PermissionDenied(_("Only the author may publish this article."))
    if not perms.can_publish_own(actor, article):
        raise Conflict(_("This article is already published or waiting for editors; withdraw it first."))
    article.status = ArticleStatus.PUBLISHED
    article.published_at = timezone.now()
    article.save(update_fields=["status", "published_at"])
    sync_article_item(article)
    from freshground.notifications.send import notify_new_content

    notify_new_content(
        target=article,
        actor=actor,
        summary=(_("%(name)s published “%(title)s”") % {"name": actor.display_name, "title": article.title[:80]})[:300],
        url=article.get_absolute_url(),
        topics=list(article.topics.all()),
    )
    return article


def _place_editors(circle: Circle | None, center: Center | None) -> list[int]:
    if center is not None:
        return list(CenterEditor.objects.filter(center=center).values_list("person_id", flat=True))
    if circle is not None:
        return list(Membership.objects.filter(circle=circle, role=Role.ORGANISER).values_list("person_id", flat=True))
    return []


def _place_name(submission: Submission) -> str:
    place = submission.center or submission.circle
    return str(place) if place is not None else ""


def _notify(recipients: list[int], actor: Person, target: Any, summary: str, url: str) -> None:
    """Editorial work: to a place's editors about submissions and answers, to the author about notes and decisions."""
    from freshground.notifications.send import Kind, notify

    if recipients:
        notify(kind=Kind.EDITORIAL, recipients=recipients, actor=actor, target=target, summary=summary, url=url)


@transaction.atomic
def submit(
    actor: Person, article: Article, *, circles: Iterable[Circle] = (), centers: Iterable[Center] = ()
) -> list[Submission]:
    """Offer the article's current revision to one or several places; a returned submission is resubmitted."""
    from django.urls import reverse

    article = Article.objects.select_for_update().get(pk=article.pk)
    places: list[tuple[Circle | None, Center | None]] = [(c, None) for c in circles] + [(None, c) for c in centers]
    if not places:
        raise DomainError(_("Choose at least one circle or center."), field="places")
    if not perms.is_author(actor, article):
        raise PermissionDenied(_("Only the author may submit this article."))
    rows = []
    for circle, center in places:
        if not perms.can_submit(actor, article, circle=circle, center=center):
            raise PermissionDenied(_("You may not submit this article there."))
        existing = Submission.objects.filter(article=article, circle=circle, center=center).first()
        if existing is not None and existing.status in (*perms.OPEN_SUBMISSION, SubmissionStatus.PUBLISHED):
            raise Conflict(_("It is already with %(place)s.") % {"place": _place_name(existing)}, field="places")
        if existing is None:
            existing = Submission(article=article, circle=circle, center=center)
        existing.status = SubmissionStatus.SUBMITTED
        existing.revision = article.revision
        existing.submitted_at = timezone.now()
        existing.decided_at = None
        existing.decided_by = None
        existing.save()
        rows.append(existing)
    _refresh_status(article)
    article.save(update_fields=["status"])
    for row in rows:
        url = reverse("journal:submission", kwargs={"pk": row.pk})
        summary = _("%(name)s submitted “%(title)s” to %(place)s") % {
            "name": actor.display_name,
            "title": article.title[:80],
            "place": _place_name(row),
        }
        _notify(_place_editors(row.circle, row.center), actor, row, summary[:300], url)
    return rows


def _locked_submission(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("article", "circle", "center")
        .get(pk=submission.pk)
    )


@transaction.atomic
def add_note(actor: Person, submission: Submission, *, text: str) -> EditorNote:
    """A note in the review. An editor's first note takes a submitted article into review."""
    from django.urls import reverse

    submission = _locked_submission(submission)
    if not perms.can_note(actor, submission):
        raise PermissionDenied(_("Only the author and this place's editors may write here."))
    text = clean_text(text)
    if not text:
        raise DomainError(_("Write the note."), field="text")
    if len(text) > 10_000:
        raise DomainError(_("The note is too long."), field="text")
    note = EditorNote.objects.create(
        submission=submission, author=actor, text=text, revision=submission.article.revision
    )
    url = reverse("journal:submission", kwargs={"pk": submission.pk})
    title = submission.article.title[:80]
    if perms.can_review(actor, submission) and not perms.is_author(actor, submission.article):
        if submission.status == SubmissionStatus.SUBMITTED:
            submission.status = SubmissionStatus.IN_REVIEW
            submission.save(update_fields=["status"])
            article = Article.objects.select_for_update().get(pk=submission.article_id)
            _refresh_status(article)
            article.save(update_fields=["status"])
        recipients = [submission.article.author_id] if submission.article.author_id else []
        summary = _("The editors of %(place)s wrote about “%(title)s”") % {
            "place": _place_name(submission),
            "title": title,
        }
        _notify(recipients, actor, submission, summary[:300], url)
    else:
        summary = _("%(name)s answered in the review of “%(title)s”") % {"name": actor.display_name, "title": title}
        _notify(_place_editors(submission.circle, submission.center), actor, submission, summary, url)
    return note


@transaction.atomic
def publish_submission(actor: Person, submission: Submission, *, note: str = "") -> Submission:
    """The place's editors publish it: the first place becomes the byline, later ones are added to the item."""
    submission = _locked_submission(submission)
    if not perms.can_review(actor, submission):
        raise PermissionDenied(_("Only this place's editors may publish it."))
    if not perms.can_decide(actor, submission):
        raise Conflict(_("This submission is not waiting for a decision."))
    if note.strip():
        EditorNote.objects.create(
            submission=submission, author=actor, text=clean_text(note)[:10_000], revision=submission.article.revision
        )
    now = timezone.now()
    submission.status = SubmissionStatus.PUBLISHED
    submission.decided_at = now
    submission.decided_by = actor
    submission.save(update_fields=["status", "decided_at", "decided_by"])
    article = Article.objects.select_for_update().get(pk=submission.article_id)
    first = article.status != ArticleStatus.PUBLISHED
    if first:
        article.circle = submission.circle
        article.center = submission.center
        article.published_at = now
        article.status = ArticleStatus.PUBLISHED
    _refresh_status(article)
    article.save(update_fields=["circle", "center", "published_at", "status"])
    sync_article_item(article)
    url = article.get_absolute_url()
    summary = _("%(place)s published “%(title)s”") % {"place": _place_name(submission), "title": article.title[:80]}
    _notify([article.author_id] if article.author_id else [], actor, submission, summary[:300], url)
    from freshground.notifications.send import notify_new_content

    notify_new_content(
        target=article,
        actor=actor,
        summary=summary[:300],
        url=url,
        circle=submission.circle,
        center=submission.center,
        topics=list(article.topics.all()),
    )
    return submission


@transaction.atomic
def return_submission(actor: Person, submission: Submission, *, note: str) -> Submission:
    """Send it back to the author with a note saying why or what to change."""
    from django.urls import reverse

    submission = _locked_submission(submission)
    if not perms.can_review(actor, submission):
        raise PermissionDenied(_("Only this place's editors may return it."))
    if not perms.can_decide(actor, submission):
        raise Conflict(_("This submission is not waiting for a decision."))
    text = clean_text(note)
    if not text:
        raise DomainError(_("Tell the author why it is returned."), field="note")
    EditorNote.objects.create(
        submission=submission, author=actor, text=text[:10_000], revision=submission.article.revision
    )
    submission.status = SubmissionStatus.RETURNED
    submission.decided_at = timezone.now()
    submission.decided_by = actor
    submission.save(update_fields=["status", "decided_at", "decided_by"])
    article = Article.objects.select_for_update().get(pk=submission.article_id)
    _refresh_status(article)
    article.save(update_fields=["status"])
    url = reverse("journal:submission", kwargs={"pk": submission.pk})
    summary = _("%(place)s returned “%(title)s” to you") % {
        "place": _place_name(submission),
        "title": article.title[:80],
    }
    _notify([article.author_id] if article.author_id else [], actor, submission, summary[:300], url)
    return submission


@transaction.atomic
def withdraw(actor: Person, article: Article) -> Article:
    """The author takes back every open or returned submission; the editors no longer see the draft."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not perms.is_author(actor, article):
        raise PermissionDenied(_("Only the author may withdraw this article."))
    if not perms.can_withdraw(actor, article):
        raise Conflict(_("There is nothing to withdraw: it is a draft, or already published."))
    article.submissions.filter(status__in=[*perms.OPEN_SUBMISSION, SubmissionStatus.RETURNED]).update(
        status=SubmissionStatus.WITHDRAWN, decided_at=timezone.now()
    )
    _refresh_status(article)
    article.save(update_fields=["status"])
    return article


# Images


def attach_image(actor: Person, *, upload: IO[bytes], article: Article | None = None, alt: str = "") -> ArticleImage:
    """Store an uploaded image re-encoded from its pixels (no metadata) under a random name."""
    from freshground.reports.images import MAX_UPLOAD_BYTES, clean_image

    if not perms.can_upload_image(actor, article):
        raise PermissionDenied(_("Only the author may add images to this article."))
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise DomainError(_("The file is empty."), field="image")
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(_("The image is too large."), field="image")
    try:
        clean = clean_image(data)
    except DomainError as error:
        raise DomainError(error.message, field="image") from error
    name = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789") + clean.extension
    image = ArticleImage(
        article=article, uploaded_by=actor, alt=clean_text(alt)[:500], width=clean.width or 0, height=clean.height or 0
    )
    # Stored first, then named on the row: Pillow never reads the stored file again to learn its size.
    image.image.name = default_storage.save(f"journal/images/{name}", ContentFile(clean.content))
    image.width, image.height = clean.width or 0, clean.height or 0
    image.save()
    return image


# The journal item


def byline(article: Article) -> str:
    place = article.center or article.circle
    author = article.author.display_name if article.author is not None else _(FORMER_MEMBER)
    return f"{place} ({author})" if place is not None else author


def sync_article_item(article: Article) -> Item | None:
    """Create or update the item of a published article (kind ARTICLE); None while it is not published."""
    if article.status != ArticleStatus.PUBLISHED:
        return None
    text = plain_text(article.body_html)
    values: dict[str, Any] = {
        "kind": ItemKind.ARTICLE,
        "title": article.title[:1000],
        "summary": article.standfirst or _summary(text),
        "body_text": text,
        "url": "",
        "published_at": article.published_at or timezone.now(),
        "language": article.language,
        "author": article.author,
        "author_name": byline(article)[:300],
    }
    item, _created = Item.objects.update_or_create(article=article, defaults=values)
    item.topics.set(article.topics.all())
    published = article.submissions.filter(status=SubmissionStatus.PUBLISHED)
    center_ids = {s.center_id for s in published if s.center_id} | ({article.center_id} if article.center_id else set())
    circle_ids = {s.circle_id for s in published if s.circle_id} | ({article.circle_id} if article.circle_id else set())
    item.centers.set(center_ids)
    item.circles.set(circle_ids)
    return item


def hide_article_item(article: Article) -> None:
    Item.objects.filter(article=article).update(status=ContentStatus.DELETED)
