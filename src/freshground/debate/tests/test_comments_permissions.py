# mypy: disable-error-code="arg-type,attr-defined"
"""Role × action matrix for comment predicates, and the same rules seen through the pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from freshground.core.content import ContentStatus, kind_for
from freshground.debate import permissions_comments as perms
from freshground.debate import services_comments as services
from freshground.debate.models import Comment
from freshground.events.tests.core_helpers import make_event
from freshground.moderation.gate import PostDecision
from freshground.network.models import Role
from freshground.testing import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "author", "other_member", "moderator", "other_moderator", "admin"]

# role → may they ...
MATRIX = {
    "view": {"anonymous", "outsider", "author", "other_member", "moderator", "other_moderator", "admin"},
    "post": {"outsider", "author", "other_member", "moderator", "other_moderator", "admin"},
    "reply": {"outsider", "author", "other_member", "moderator", "other_moderator", "admin"},
    "edit": {"author"},
    "delete": {"author"},
    "see_pending": {"author", "moderator", "admin"},
    "read_hidden": {"moderator", "admin"},
    "see_hidden_reason": {"moderator", "admin"},
    "moderator_edit": {"moderator", "admin"},
    "is_space_moderator": {"moderator", "admin"},
    "flag": {"outsider", "other_member", "moderator", "other_moderator", "admin"},
    "moderate": {"moderator", "admin"},
}

# Every predicate in permissions_comments has at least one row above (or is covered by one).
COVERED = {
    "can_view_thread": "view",
    "can_comment": "post",
    "can_reply": "reply",
    "can_edit_comment": "edit",
    "can_delete_comment": "delete",
    "can_see_comment": "see_pending",
    "can_read_comment": "read_hidden",
    "can_see_hidden_reason": "see_hidden_reason",
    "can_moderator_edit": "moderator_edit",
    "is_space_moderator": "is_space_moderator",
    "can_flag_comment": "flag",
    "can_moderate_comment": "moderate",
}


@pytest.fixture(autouse=True)
def open_gate(monkeypatch):
    monkeypatch.setattr(services, "check_may_post", lambda *a, **k: PostDecision())


@pytest.fixture
def world(cast):
    other_member = factories.PersonFactory(display_name="Oscar Other")
    factories.add_member(cast.circle, other_member)
    other_circle = factories.CircleFactory(name="Dockers")
    other_moderator = factories.PersonFactory(display_name="Dora Docker")
    factories.add_member(other_circle, other_moderator, Role.ORGANISER)
    event = make_event(cast.organiser, host_circle=cast.circle)
    people = {
        "anonymous": AnonymousUser(),
        "outsider": cast.outsider,
        "author": cast.member,
        "other_member": other_member,
        "moderator": cast.organiser,
        "other_moderator": other_moderator,
        "admin": cast.admin,
    }
    return event, people


def _fresh(person):
    """A new object for the person: predicate caches are per request."""
    if isinstance(person, AnonymousUser):
        return person
    return type(person).objects.get(pk=person.pk)


def test_every_predicate_has_a_row():
    predicates = {
        n for n in dir(perms) if n.startswith(("can_", "is_")) and getattr(perms, n).__module__ == perms.__name__
    }
    assert predicates == set(COVERED)
    assert set(COVERED.values()) <= set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_matrix(world, role):
    event, people = world
    author = people["author"]
    kind = kind_for(event)
    published = services.post_comment(author=author, target=event, body="Published")
    pending = Comment.objects.create(
        thread_type=published.thread_type,
        thread_id=event.pk,
        author=author,
        body="p",
        body_html="<p>p</p>",
        status=ContentStatus.PENDING,
    )
    hidden = Comment.objects.create(
        thread_type=published.thread_type,
        thread_id=event.pk,
        author=author,
        body="h",
        body_html="<p>h</p>",
        status=ContentStatus.HIDDEN,
        hidden_reason="Off topic",
    )
    person = _fresh(people[role])
    moderator = perms.is_space_moderator(person, kind.space_of(event))
    got = {
        "view": perms.can_view_thread(person, kind, event),
        "post": perms.can_comment(person, kind, event),
        "reply": perms.can_reply(person, published) and perms.can_comment(person, kind, event),
        "edit": perms.can_edit_comment(person, published),
        "delete": perms.can_delete_comment(person, published),
        "see_pending": perms.can_see_comment(person, pending, moderator=moderator)
        and perms.can_read_comment(person, pending, moderator=moderator),
        "read_hidden": perms.can_read_comment(person, hidden, moderator=moderator),
        "see_hidden_reason": perms.can_see_hidden_reason(person, hidden, moderator=moderator),
        "moderator_edit": perms.can_moderator_edit(person, published, moderator=moderator),
        "is_space_moderator": moderator,
        "flag": perms.can_flag_comment(person, published),
        "moderate": perms.can_moderate_comment(person, published, moderator=moderator),
    }
    expected = {action: role in roles for action, roles in MATRIX.items()}
    assert got == expected
    # Everyone lists a hidden comment (as a stand-in) and nobody reads a deleted one.
    assert perms.can_see_comment(person, hidden, moderator=moderator)
    services.delete_comment(actor=author, comment=published)
    published.refresh_from_db()
    assert not perms.can_read_comment(person, published, moderator=moderator)
    assert not perms.can_edit_comment(person, published)


@pytest.mark.parametrize("role", ROLES)
def test_pages_follow_the_matrix(client, world, role):
    event, people = world
    author = people["author"]
    published = services.post_comment(author=author, target=event, body="Published words")
    Comment.objects.create(
        thread_type=published.thread_type,
        thread_id=event.pk,
        author=author,
        body="Waiting words",
        body_html="<p>Waiting words</p>",
        status=ContentStatus.PENDING,
    )
    Comment.objects.create(
        thread_type=published.thread_type,
        thread_id=event.pk,
        author=author,
        body="Rude words",
        body_html="<p>Rude words</p>",
        status=ContentStatus.HIDDEN,
        hidden_reason="Insults a member",
    )
    if role != "anonymous":
        client.force_login(people[role])
    page = client.get(reverse("debate:thread", args=["events.event", event.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Published words" in body
    assert ("Waiting words" in body) == (role in MATRIX["see_pending"])
    assert "Hidden by moderators." in body
    assert ("Rude words" in body) == (role in MATRIX["read_hidden"])
    assert ("Insults a member" in body) == (role in MATRIX["see_hidden_reason"])
    assert ("Post comment" in body) == (role in MATRIX["post"])
    assert (reverse("debate:comment_edit", args=[published.pk]) in body) == (role in MATRIX["edit"])
    assert (reverse("debate:comment_delete", args=[published.pk]) in body) == (role in MATRIX["delete"])

    edit = client.post(reverse("debate:comment_edit", args=[published.pk]), {"body": "Changed"})
    delete = client.post(reverse("debate:comment_delete", args=[published.pk]))
    reply = client.post(reverse("debate:comment_reply", args=[published.pk]), {"body": "A reply"})
    if role == "anonymous":
        assert edit.status_code == delete.status_code == reply.status_code == 302
        assert "/accounts/login/" in edit["Location"]
        assert not Comment.objects.filter(parent=published).exists()
    elif role == "author":
        assert edit.status_code == 302
        assert delete.status_code == 302
        assert reply.status_code == 403  # a deleted comment takes no replies
    else:
        assert edit.status_code == 403
        assert delete.status_code == 403
        assert reply.status_code == 302
        assert Comment.objects.filter(parent=published, author=people[role]).exists()
    published.refresh_from_db()
    assert published.body == ("Changed" if role == "author" else "Published words")
