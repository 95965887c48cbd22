# mypy: disable-error-code="arg-type,attr-defined"
"""Smoke: a thread on an event page, posting, replying, quoting through the web UI."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.debate import services_comments as services
from freshground.debate.models import Comment
from freshground.events.tests.core_helpers import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(cast):
    return make_event(cast.organiser, host_circle=cast.circle)


def test_event_page_shows_thread_and_form(client, cast, event):
    services.post_comment(author=cast.member, target=event, body="Hello *there* @olga-organiser")
    client.force_login(cast.outsider)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "<em>there</em>" in body
    assert "Post comment" in body
    assert 'class="mention mention-person"' in body


def test_post_and_reply_without_js(client, cast, event):
    client.force_login(cast.member)
    url = reverse("debate:comment_post", args=["events.event", event.pk])
    response = client.post(url, {"body": "First!", "next": event.get_absolute_url()})
    assert response.status_code == 302
    comment = Comment.objects.get()
    client.force_login(cast.outsider)
    page = client.get(reverse("debate:comment_reply", args=[comment.pk]) + "?quote=1")
    assert "&gt; First!" in page.content.decode()
    response = client.post(reverse("debate:comment_reply", args=[comment.pk]), {"body": "> First!\n\nSecond"})
    assert response.status_code == 302
    reply = Comment.objects.exclude(pk=comment.pk).get()
    assert reply.root_id == comment.pk
    assert reply.depth == 1
    detail = client.get(comment.get_absolute_url()).content.decode()
    assert "Second" in detail


def test_htmx_post_and_reply_return_partials(client, cast, event):
    client.force_login(cast.member)
    url = reverse("debate:comment_post", args=["events.event", event.pk])
    response = client.post(url, {"body": "Inline"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<li>")
    assert 'hx-swap-oob="true"' in body
    bad = client.post(url, {"body": ""}, HTTP_HX_REQUEST="true")
    assert bad["HX-Retarget"].endswith("-form")
    comment = Comment.objects.get()
    form = client.get(reverse("debate:comment_reply", args=[comment.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert form.lstrip().startswith("<form")
    reply = client.post(reverse("debate:comment_reply", args=[comment.pk]), {"body": "Hi"}, HTTP_HX_REQUEST="true")
    assert 'class="comment-list comment-replies"' in reply.content.decode()
