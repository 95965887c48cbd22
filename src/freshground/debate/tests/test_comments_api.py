# mypy: disable-error-code="arg-type,attr-defined"
"""The comments API with token auth: threads, post, reply, edit, delete, history, and JSON refusals."""

from __future__ import annotations

import pytest

from freshground.debate import services_comments as services
from freshground.debate.models import Comment
from freshground.events.tests.core_helpers import make_event
from freshground.moderation.gate import PostDecision
from freshground.people.services import create_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def open_gate(monkeypatch):
    monkeypatch.setattr(services, "check_may_post", lambda *a, **k: PostDecision())


@pytest.fixture
def event(cast):
    return make_event(cast.organiser, host_circle=cast.circle)


def _auth(person) -> dict[str, str]:
    _token, key = create_api_token(person=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_thread_post_reply_edit_delete_history(client, cast, event):
    base = f"/api/v1/comments/thread/events.event/{event.pk}"
    member = _auth(cast.member)
    created = client.post(
        base, {"body": "Hello *all*", "shown_circles": [cast.circle.slug]}, content_type="application/json", **member
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["body_html"] == "<p>Hello <em>all</em></p>\n"
    assert data["shown_circles"] == [{"slug": cast.circle.slug, "name": cast.circle.name}]
    pk = data["id"]
    reply = client.post(
        f"/api/v1/comments/{pk}/replies", {"body": "Reply"}, content_type="application/json", **_auth(cast.outsider)
    )
    assert reply.status_code == 201
    assert reply.json()["parent_id"] == pk
    thread = client.get(base).json()
    assert thread["total"] == 2
    assert thread["items"][0]["replies"][0]["body"] == "Reply"
    assert thread["next_cursor"] is None
    refused = client.patch(
        f"/api/v1/comments/{pk}", {"body": "Hacked"}, content_type="application/json", **_auth(cast.outsider)
    )
    assert refused.status_code == 403
    assert "detail" in refused.json()
    edited = client.patch(f"/api/v1/comments/{pk}", {"body": "Hello again"}, content_type="application/json", **member)
    assert edited.json()["edited_at"] is not None
    history = client.get(f"/api/v1/comments/{pk}/history").json()
    assert [r["body"] for r in history] == ["Hello *all*"]
    deleted = client.delete(f"/api/v1/comments/{pk}", **member)
    assert deleted.status_code == 200
    assert deleted.json()["body"] is None
    assert deleted.json()["replies"][0]["body"] == "Reply"
    assert client.get(f"/api/v1/comments/{pk}/history").status_code == 404


def test_refusals_are_json(client, cast, event):
    base = f"/api/v1/comments/thread/events.event/{event.pk}"
    assert client.post(base, {"body": "x"}, content_type="application/json").status_code in (401, 403)
    assert client.get("/api/v1/comments/thread/nope.nope/1").status_code == 404
    assert client.get("/api/v1/comments/999999").json()["detail"]
    empty = client.post(base, {"body": "   "}, content_type="application/json", **_auth(cast.member))
    assert empty.status_code == 400
    assert empty.json()["field"] == "body"
    foreign = client.post(
        base,
        {"body": "x", "shown_circles": [cast.circle.slug]},
        content_type="application/json",
        **_auth(cast.outsider),
    )
    assert foreign.status_code == 400
    assert not Comment.objects.exists()


def test_cursor_pagination(client, cast, event):
    for i in range(25):
        services.post_comment(author=cast.member, target=event, body=f"n{i}")
    first = client.get(f"/api/v1/comments/thread/events.event/{event.pk}").json()
    assert len(first["items"]) == 20
    second = client.get(f"/api/v1/comments/thread/events.event/{event.pk}", {"after": first["next_cursor"]}).json()
    assert [c["body"] for c in second["items"]] == [f"n{i}" for i in range(20, 25)]
    assert second["next_cursor"] is None
