"""Who may do what with articles, submissions and link posts. Pure predicates: the only home of these rules.

Roles: anonymous visitor, signed-in person, the article's author, the editors of a place (a center's editors, a
circle's organisers), editors of other places, site admins.

- A published article is public (unless moderation hid its item: then only its author sees it).
- A draft, and an article in review, is seen by its author and by the editors of the places it was submitted to
  (while that submission is not withdrawn) — nobody else, site admins included.
- A submission's review (its notes, its diff) is for the author and that place's editors only.
"""

from __future__ import annotations

from typing import Any

from freshground.core.content import ContentStatus
from freshground.core.permissions import is_person
from freshground.journal.models import Article, ArticleStatus, LinkPost, Submission, SubmissionStatus
from freshground.network.models import Center, Circle
from freshground.network.permissions import is_center_editor, is_organiser

OPEN_SUBMISSION = (SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW)
# Article states from which the author may (re)submit or publish under their own name.
SUBMITTABLE = (ArticleStatus.DRAFT, ArticleStatus.RETURNED, ArticleStatus.WITHDRAWN)


def is_author(person: Any, article: Article) -> bool:
    return is_person(person) and article.author_id is not None and article.author_id == person.pk


def edits_place(person: Any, *, circle: Circle | None = None, center: Center | None = None) -> bool:
    """A center's editors, a circle's organisers: those who publish in its name."""
    if not is_person(person):
        return False
    if center is not None:
        return is_center_editor(person, center)
    if circle is not None:
        return is_organiser(person, circle)
    return False


def can_write(person: Any) -> bool:
    return is_person(person)


def can_review(person: Any, submission: Submission) -> bool:
    """Comment on, publish or return a submission: the editors of the place it was sent to."""
    return edits_place(person, circle=submission.circle, center=submission.center)


def _reviews_article(person: Any, article: Article, submissions: list[Submission] | None) -> bool:
    if not is_person(person):
        return False
    rows = submissions if submissions is not None else list(article.submissions.select_related("circle", "center"))
    return any(s.status != SubmissionStatus.WITHDRAWN and can_review(person, s) for s in rows)


def _item_hidden(article: Article) -> bool:
    item = getattr(article, "item", None)  # None when there is no item row yet
    return item is not None and item.status != ContentStatus.PUBLISHED


def can_view_article(person: Any, article: Article, *, submissions: list[Submission] | None = None) -> bool:
    if is_author(person, article):
        return True
    if article.status == ArticleStatus.PUBLISHED:
        return not _item_hidden(article)
    return _reviews_article(person, article, submissions)


def can_edit_article(person: Any, article: Article) -> bool:
    """The author, while it is theirs to change: not once a circle or center published it under its name."""
    if not is_author(person, article):
        return False
    return not (article.status == ArticleStatus.PUBLISHED and (article.circle_id or article.center_id))


def can_view_history(person: Any, article: Article, *, submissions: list[Submission] | None = None) -> bool:
    return can_view_article(person, article, submissions=submissions)


def can_publish_own(person: Any, article: Article) -> bool:
    """Publish under one's own name, without review."""
    return is_author(person, article) and article.status in SUBMITTABLE


def can_submit(person: Any, article: Article, *, circle: Circle | None = None, center: Center | None = None) -> bool:
    """Offer the article to a place (any circle or center: their editors decide). A published article may be offered
    to further places, which then publish it too."""
    return is_author(person, article) and (circle is None) != (center is None)


def can_withdraw(person: Any, article: Article) -> bool:
    """Take back every open submission (and the draft from the editors' eyes); a published article stays."""
    return is_author(person, article) and article.status in (
        ArticleStatus.SUBMITTED,
        ArticleStatus.IN_REVIEW,
        ArticleStatus.RETURNED,
    )


def can_view_submission(person: Any, submission: Submission) -> bool:
    if is_author(person, submission.article):
        return True
    return submission.status != SubmissionStatus.WITHDRAWN and can_review(person, submission)


def can_note(person: Any, submission: Submission) -> bool:
    """Write in the review: the place's editors and the author, while it is open or returned."""
    if submission.status not in (*OPEN_SUBMISSION, SubmissionStatus.RETURNED):
        return False
    return is_author(person, submission.article) or can_review(person, submission)


def can_decide(person: Any, submission: Submission) -> bool:
    """Publish or return: the place's editors, while the submission is open."""
    return submission.status in OPEN_SUBMISSION and can_review(person, submission)


def can_upload_image(person: Any, article: Article | None) -> bool:
    return is_person(person) if article is None else can_edit_article(person, article)


# Link posts


def can_share(person: Any, *, circle: Circle | None = None, center: Center | None = None) -> bool:
    """Anyone signed in, in their own name; in a circle's or center's name only its organisers or editors."""
    if not is_person(person):
        return False
    if circle is None and center is None:
        return True
    return edits_place(person, circle=circle, center=center)


def can_view_link(person: Any, link: LinkPost) -> bool:
    item = getattr(link, "item", None)
    if item is None or item.status == ContentStatus.PUBLISHED:
        return True
    return is_person(person) and link.shared_by_id == person.pk
