# mypy: disable-error-code="arg-type,attr-defined"
"""The articles API with token auth: drafts hidden, the workflow through the same services, 4xx with a reason."""

from __future__ import annotations

import json

import pytest

from freshground.journal import services_articles as services
from freshground.journal.models import Article, LinkPost, SubmissionStatus
from freshground.people import services as people_services

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(person) -> dict[str, str]:
    _token, key = people_services.create_api_token(person=person, name="tests")
    return {"Authorization": f"Bearer {key}"}


def call(client, method: str, path: str, body=None, headers=None):
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, API + path, data=data, content_type="application/json", headers=headers or {})


def test_draft_to_published_by_a_center(client, cast):
    author, editor = bearer(cast.member), bearer(cast.editor)
    body = {
        "title": "Rents and wages",
        "body": "Text[^1].\n\n[^1]: Note.",
        "licence": "cc-by-4.0",
        "topics": ["Housing"],
    }
    created = call(client, "POST", "/journal/articles", body, author)
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    assert created.json()["status"] == "draft"
    assert 'id="fn-1"' in created.json()["body_html"]
    assert call(client, "GET", f"/journal/articles/{slug}").status_code == 404
    assert call(client, "GET", f"/journal/articles/{slug}", headers=bearer(cast.outsider)).status_code == 404
    assert call(client, "GET", f"/journal/articles/{slug}", headers=editor).status_code == 404
    patched = call(client, "PATCH", f"/journal/articles/{slug}", {"body": "Text, longer[^1].\n\n[^1]: Note."}, author)
    assert patched.json()["revision"] == 2
    refused = call(client, "PATCH", f"/journal/articles/{slug}", {"body": "mine now"}, editor)
    assert refused.status_code == 404
    submitted = call(client, "POST", f"/journal/articles/{slug}/submit", {"centers": [cast.center.slug]}, author)
    assert submitted.json()["status"] == "submitted"
    assert call(client, "GET", f"/journal/articles/{slug}", headers=editor).status_code == 200
    queue = call(client, "GET", "/journal/submissions", headers=editor).json()
    assert [s["article"]["slug"] for s in queue] == [slug]
    pk = queue[0]["id"]
    assert call(client, "GET", "/journal/submissions", headers=bearer(cast.outsider)).json() == []
    assert call(client, "GET", f"/journal/submissions/{pk}", headers=bearer(cast.outsider)).status_code == 404
    noted = call(client, "POST", f"/journal/submissions/{pk}/notes", {"text": "Good."}, editor)
    assert noted.status_code == 201
    assert noted.json()["status"] == "in_review"
    no_reason = call(client, "POST", f"/journal/submissions/{pk}/return", {"note": ""}, editor)
    assert no_reason.status_code == 400
    assert no_reason.json()["detail"]
    by_author = call(client, "POST", f"/journal/submissions/{pk}/publish", {}, author)
    assert by_author.status_code == 403
    assert by_author.json()["detail"]
    published = call(client, "POST", f"/journal/submissions/{pk}/publish", {}, editor)
    assert published.json()["status"] == SubmissionStatus.PUBLISHED
    again = call(client, "POST", f"/journal/submissions/{pk}/publish", {}, editor)
    assert again.status_code == 409
    public = call(client, "GET", f"/journal/articles/{slug}").json()
    assert public["center"] == cast.center.slug
    assert public["submissions"] is None
    assert public["item_id"]
    listed = call(client, "GET", "/journal/articles").json()
    assert [a["slug"] for a in listed] == [slug]


def test_refusals_have_reasons(client, cast):
    author = bearer(cast.member)
    assert call(client, "POST", "/journal/articles", {"title": "x", "body": "y"}).status_code == 401
    bad = call(client, "POST", "/journal/articles", {"title": " ", "body": "y"}, author)
    assert bad.status_code == 400
    assert bad.json()["detail"]
    slug = call(client, "POST", "/journal/articles", {"title": "T", "body": "B"}, author).json()["slug"]
    nothing = call(client, "POST", f"/journal/articles/{slug}/withdraw", None, author)
    assert nothing.status_code == 409
    nowhere = call(client, "POST", f"/journal/articles/{slug}/submit", {"centers": ["no-such"]}, author)
    assert nowhere.status_code == 404
    empty = call(client, "POST", f"/journal/articles/{slug}/submit", {}, author)
    assert empty.status_code == 400
    own = call(client, "POST", f"/journal/articles/{slug}/submit", {"publish_own": True}, author)
    assert own.json()["status"] == "published"


def test_list_query_count_is_fixed(client, cast, django_assert_max_num_queries):
    for n in range(8):
        article = services.create_article(cast.member, title=f"A{n}", body="B", topics=["Health"])
        services.publish_own(cast.member, article)
    with django_assert_max_num_queries(4):
        response = call(client, "GET", "/journal/articles")
    assert len(response.json()) == 8
    assert Article.objects.count() == 8


def test_links_api(client, cast):
    author = bearer(cast.organiser)
    refused = call(
        client, "POST", "/journal/links", {"url": "https://example.org/", "center": cast.center.slug}, author
    )
    assert refused.status_code == 403
    bad = call(client, "POST", "/journal/links", {"url": "javascript:alert(1)"}, author)
    assert bad.status_code == 400
    assert LinkPost.objects.count() == 0


def test_links_list_and_detail(client, cast, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(
        "freshground.journal.links.fetch_page_info",
        lambda url: __import__("freshground.journal.links", fromlist=["PageInfo"]).PageInfo("Title", "Sum"),
    )
    author = bearer(cast.organiser)
    with django_capture_on_commit_callbacks(execute=True):  # the commit enqueues the worker's fetch of the title
        created = call(
            client,
            "POST",
            "/journal/links",
            {"url": "https://example.org/a?utm_medium=x", "circle": cast.circle.slug, "comment": "Read it"},
            author,
        )
    assert created.status_code == 201, created.content
    link = created.json()["link"]
    assert link["title"] == ""  # answered at once, before the fetch
    assert link["fetch_pending"] is True
    assert call(client, "GET", f"/journal/links/{link['id']}").json()["title"] == "Title"
    assert link["circle"] == cast.circle.slug
    again = call(client, "POST", "/journal/links", {"url": "https://example.org/a"}, bearer(cast.member))
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert call(client, "GET", f"/journal/links/{link['id']}").json()["comment"] == "Read it"
    assert [x["id"] for x in call(client, "GET", "/journal/links").json()] == [link["id"]]
