"""Moderation test helpers: a registered comment kind living in a circle, comments made through the ORM, and a
recorder for notifications."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from freshground.core import content
from freshground.core.content import ContentKind, ContentStatus
from freshground.debate.models import Comment, CommentRevision
from freshground.network.models import Circle


def _space(comment: Comment) -> Any:
    if comment.thread_type.model_class() is Circle:
        return Circle.objects.get(pk=comment.thread_id)
    return None


def _edit(moderator: Any, comment: Comment, new_text: str, note: str) -> None:
    CommentRevision.objects.create(
        comment=comment, body=comment.body, body_html=comment.body_html, edited_by=moderator, note=note
    )
    comment.body = new_text
    comment.body_html = new_text
    comment.save(update_fields=["body", "body_html"])


TEST_COMMENT_KIND = ContentKind(
    model=Comment,
    label="debate.comment",
    noun="comment",
    space_of=_space,
    author_of=lambda c: c.author,
    can_view=lambda viewer, c: True,
    url_of=lambda c: f"/test-comments/{c.pk}/",
    title_of=lambda c: c.body[:60],
    commentable=True,
    moderated=True,
    moderator_edit=_edit,
    text_of=lambda c: c.body,
)


@pytest.fixture(autouse=True)
def comment_kind(monkeypatch: pytest.MonkeyPatch) -> ContentKind:
    """Our own registration of debate.comment for these tests; the registry is restored afterwards."""
    monkeypatch.setitem(content._REGISTRY, "debate.comment", TEST_COMMENT_KIND)
    return TEST_COMMENT_KIND


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def freshground(**values: Any) -> dict[str, Any]:
    """settings.FRESHGROUND with some values changed, for override_settings."""
    from django.conf import settings

    return {**settings.FRESHGROUND, **values}


def make_comment(circle: Circle, author: Any, body: str = "A plain comment.", **fields: Any) -> Comment:
    return Comment.objects.create(
        thread_type=ContentType.objects.get_for_model(Circle),
        thread_id=circle.pk,
        author=author,
        body=body,
        body_html=body,
        **fields,
    )


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every notify() call, with its keyword arguments."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("freshground.notifications.send.notify", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.fixture
def pending_status() -> str:
    return ContentStatus.PENDING
