# mypy: disable-error-code="arg-type,attr-defined"
"""The editorial workflow: predicates for every role, legal and illegal transitions, items and notifications."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from freshground.core.exceptions import Conflict, DomainError, PermissionDenied
from freshground.journal import permissions_articles as perms
from freshground.journal import services_articles as services
from freshground.journal.models import (
    ArticleStatus,
    EditorNote,
    Item,
    ItemKind,
    Submission,
    SubmissionStatus,
)
from freshground.notifications.models import Notification
from freshground.testing import factories

pytestmark = pytest.mark.django_db

BODY = "First paragraph.\n\nSecond paragraph with a note[^1].\n\n[^1]: The source.\n"


def draft(cast, title="On the hospital strike"):
    return services.create_article(cast.member, title=title, body=BODY, licence="cc-by-4.0", topics=["Health"])


@pytest.fixture
def roles(cast):
    other_center = factories.CenterFactory(name="Other Center")
    other_editor = factories.PersonFactory(display_name="Otto Other")
    factories.add_editor(other_center, other_editor)
    return {
        "author": cast.member,
        "other person": cast.outsider,
        "center editor": cast.editor,
        "other center's editor": other_editor,
        "circle organiser": cast.organiser,
        "site admin": cast.admin,
        "anonymous": AnonymousUser(),
    }


def test_create_keeps_revision_one_and_renders(cast):
    article = draft(cast)
    assert article.revision == 1
    assert article.revisions.get().number == 1
    assert 'id="fn-1"' in article.body_html
    assert article.status == ArticleStatus.DRAFT
    assert [t.name for t in article.topics.all()] == ["Health"]
    assert not Item.objects.filter(article=article).exists()


def test_each_changed_save_is_a_new_revision(cast):
    article = draft(cast)
    services.update_article(cast.member, article, title=article.title, body=BODY + "\nMore.")
    services.update_article(cast.member, article, title=article.title, body=BODY + "\nMore.")  # unchanged
    article.refresh_from_db()
    assert article.revision == 2
    assert list(article.revisions.values_list("number", flat=True)) == [1, 2]


def test_bad_input_refused_nothing_saved(cast):
    with pytest.raises(DomainError) as error:
        services.create_article(cast.member, title="  ", body="x")
    assert error.value.field == "title"
    with pytest.raises(DomainError):
        services.create_article(cast.member, title="T", body="x", licence="mine")


VIEW_DRAFT = {
    "author": True,
    "other person": False,
    "center editor": False,
    "other center's editor": False,
    "circle organiser": False,
    "site admin": False,
    "anonymous": False,
}
VIEW_SUBMITTED_TO_CENTER = {**VIEW_DRAFT, "center editor": True}


@pytest.mark.parametrize("role", list(VIEW_DRAFT))
def test_matrix_view_draft_and_submitted(cast, roles, role):
    article = draft(cast)
    person = roles[role]
    assert perms.can_view_article(person, article) is VIEW_DRAFT[role]
    services.submit(cast.member, article, centers=[cast.center])
    article.refresh_from_db()
    assert perms.can_view_article(person, article) is VIEW_SUBMITTED_TO_CENTER[role]
    submission = article.submissions.get()
    assert perms.can_view_submission(person, submission) is VIEW_SUBMITTED_TO_CENTER[role]
    assert perms.can_decide(person, submission) is (role == "center editor")
    assert perms.can_note(person, submission) is (role in {"author", "center editor"})
    assert perms.can_edit_article(person, article) is (role == "author")
    assert perms.can_withdraw(person, article) is (role == "author")
    services.withdraw(cast.member, article)
    article.refresh_from_db()
    submission.refresh_from_db()
    assert perms.can_view_article(person, article) is VIEW_DRAFT[role]
    assert perms.can_view_submission(person, submission) is VIEW_DRAFT[role]


@pytest.mark.parametrize("role", list(VIEW_DRAFT))
def test_matrix_circle_submission(cast, roles, role):
    article = draft(cast)
    services.submit(cast.member, article, circles=[cast.circle])
    submission = article.submissions.get()
    assert perms.can_decide(roles[role], submission) is (role == "circle organiser")
    assert perms.can_view_submission(roles[role], submission) is (role in {"author", "circle organiser"})


@pytest.mark.parametrize("role", list(VIEW_DRAFT))
def test_matrix_published_and_sharing(cast, roles, role):
    article = draft(cast)
    services.publish_own(cast.member, article)
    article.refresh_from_db()
    person = roles[role]
    assert perms.can_view_article(person, article) is True
    assert perms.can_publish_own(person, article) is False
    assert perms.can_share(person) is (role != "anonymous")
    assert perms.can_share(person, center=cast.center) is (role == "center editor")
    assert perms.can_share(person, circle=cast.circle) is (role == "circle organiser")
    assert perms.can_write(person) is (role != "anonymous")


def test_publish_own_makes_an_item(cast):
    article = draft(cast)
    services.publish_own(cast.member, article)
    item = Item.objects.get(article=article)
    assert item.kind == ItemKind.ARTICLE
    assert item.author_name == "Mo Member"
    assert "Second paragraph" in item.body_text
    assert [t.name for t in item.topics.all()] == ["Health"]
    with pytest.raises(Conflict):
        services.publish_own(cast.member, article)


def test_review_publish_by_center_then_another_place(cast, roles):
    article = draft(cast)
    services.submit(cast.member, article, centers=[cast.center], circles=[cast.circle])
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED
    to_center = Submission.objects.get(article=article, center=cast.center)
    to_circle = Submission.objects.get(article=article, circle=cast.circle)
    assert Notification.objects.filter(recipient=cast.editor, kind="editorial").exists()
    services.add_note(cast.editor, to_center, text="Please cite the wage figures.")
    to_center.refresh_from_db()
    article.refresh_from_db()
    assert to_center.status == SubmissionStatus.IN_REVIEW
    assert article.status == ArticleStatus.IN_REVIEW
    assert Notification.objects.filter(recipient=cast.member, kind="editorial").exists()
    services.add_note(cast.member, to_center, text="Done in revision 2.")
    with pytest.raises(PermissionDenied):
        services.add_note(cast.outsider, to_center, text="me too")
    with pytest.raises(PermissionDenied):
        services.publish_submission(roles["other center's editor"], to_center)
    with pytest.raises(PermissionDenied):
        services.publish_submission(cast.member, to_center)
    services.publish_submission(cast.editor, to_center, note="Lovely.")
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.center == cast.center
    item = Item.objects.get(article=article)
    assert list(item.centers.all()) == [cast.center]
    assert item.author_name == "Red Thread Center (Mo Member)"
    with pytest.raises(Conflict):
        services.publish_submission(cast.editor, to_center)
    services.publish_submission(cast.organiser, to_circle)
    article.refresh_from_db()
    assert article.center == cast.center  # the byline stays with the first place
    assert list(item.circles.all()) == [cast.circle]
    assert not perms.can_edit_article(cast.member, article)


def test_return_needs_a_note_then_resubmit(cast):
    article = draft(cast)
    [submission] = services.submit(cast.member, article, centers=[cast.center])
    with pytest.raises(DomainError):
        services.return_submission(cast.editor, submission, note=" ")
    services.return_submission(cast.editor, submission, note="Shorter, please.")
    article.refresh_from_db()
    assert article.status == ArticleStatus.RETURNED
    with pytest.raises(Conflict):
        services.publish_submission(cast.editor, submission)
    with pytest.raises(Conflict):
        services.return_submission(cast.editor, submission, note="again")
    services.update_article(cast.member, article, title=article.title, body="Shorter.")
    services.submit(cast.member, article, centers=[cast.center])
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.revision == 2
    with pytest.raises(Conflict):
        services.submit(cast.member, article, centers=[cast.center])


def test_illegal_transitions(cast):
    article = draft(cast)
    with pytest.raises(Conflict):
        services.withdraw(cast.member, article)  # a draft has nothing to withdraw
    with pytest.raises(PermissionDenied):
        services.submit(cast.outsider, article, centers=[cast.center])
    with pytest.raises(DomainError):
        services.submit(cast.member, article)
    [submission] = services.submit(cast.member, article, centers=[cast.center])
    with pytest.raises(Conflict):
        services.publish_own(cast.member, article)  # waiting for editors
    services.withdraw(cast.member, article)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.WITHDRAWN
    with pytest.raises(Conflict):
        services.publish_submission(cast.editor, submission)  # withdrawn: no longer the editors' business
    with pytest.raises(PermissionDenied):
        services.update_article(cast.outsider, article, title="x", body="y")
    assert EditorNote.objects.count() == 0


def test_moderation_hides_a_published_article_from_all_but_its_author(cast, roles):
    from freshground.core.content import ContentStatus
    from freshground.journal import queries_articles

    article = draft(cast)
    services.publish_own(cast.member, article)
    Item.objects.filter(article=article).update(status=ContentStatus.HIDDEN)
    article = queries_articles.article_by_slug(article.slug)
    for role, person in roles.items():
        assert perms.can_view_article(person, article) is (role == "author"), role
    assert list(queries_articles.published_articles()) == []


def test_followers_of_a_topic_hear_of_a_new_article(cast):
    from freshground.core.models import Tag
    from freshground.notifications.models import TopicFollow

    TopicFollow.objects.create(person=cast.outsider, tag=Tag.objects.get_or_create(name="Health", slug="health")[0])
    article = draft(cast)
    services.publish_own(cast.member, article)
    assert Notification.objects.filter(recipient=cast.outsider, kind="followed").exists()
