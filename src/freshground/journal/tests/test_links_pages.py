# mypy: disable-error-code="arg-type,attr-defined"
"""Sharing a link answers at once (page and API): no outside connection in the request; the link page says the title
is still being fetched, polls its head with htmx, and shows the title, or why it could not be read, once fetched."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from freshground.core import safe_http
from freshground.journal import links
from freshground.journal.models import Item, LinkPost
from freshground.people import services as people_services
from freshground.testing.feed_server import feed_server  # noqa: F401

pytestmark = pytest.mark.django_db

PAGE = b"""<!doctype html><html><head><title>Nurses win their pay claim</title>
<meta name="description" content="After six weeks on strike, the nurses at Riverside won."></head></html>"""
STILL_FETCHING = "We are still fetching the page's title and summary."
POLL = {"HX-Request": "true", "HX-Target": "link-head"}


@pytest.fixture
def private(monkeypatch):
    monkeypatch.setenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", "1")


@pytest.fixture
def no_fetch_in_request(monkeypatch):
    """Any outside connection made by the code under test fails the test (undone by `allow()`)."""
    real = safe_http.fetch

    def refuse(*args, **kwargs):
        raise AssertionError("the request fetched an outside page")

    monkeypatch.setattr(safe_http, "fetch", refuse)
    return lambda: monkeypatch.setattr(safe_http, "fetch", real)


def test_sharing_page_answers_at_once_then_the_worker_fetches(
    client,
    cast,
    feed_server,  # noqa: F811
    private,
    no_fetch_in_request,
    django_capture_on_commit_callbacks,
):
    url = feed_server.add("/story", body=PAGE, content_type="text/html")
    client.force_login(cast.member)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("journal:share"), {"url": url, "comment": "Worth reading.", "place": ""})
    link = LinkPost.objects.get()
    assert response.status_code == 302
    assert response["Location"] == link.get_absolute_url()
    assert feed_server.requests == []
    assert len(callbacks) == 1

    page = client.get(link.get_absolute_url()).text
    assert STILL_FETCHING in page
    assert f'hx-get="{link.get_absolute_url()}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert f">{link.url}</a></h1>" in page  # the address stands in for the title
    assert "Worth reading." in page
    poll = client.get(link.get_absolute_url(), headers=POLL)
    assert poll.status_code == 204  # still fetching: nothing to swap
    assert "HX-Target" in poll["Vary"]

    no_fetch_in_request()
    callbacks[0]()  # the commit enqueues the fetch; the tests' ImmediateBackend runs it at once
    assert [r.path for r in feed_server.requests] == ["/story"]

    poll = client.get(link.get_absolute_url(), headers=POLL)
    assert poll.status_code == 200
    assert poll.text.startswith('<div id="link-head">')  # the head alone, no longer polling
    assert "Nurses win their pay claim</a></h1>" in poll.text
    assert "After six weeks on strike" in poll.text
    assert "<html" not in poll.text
    page = client.get(link.get_absolute_url()).text
    assert "Nurses win their pay claim</a></h1>" in page
    assert STILL_FETCHING not in page
    assert "hx-trigger" not in page.split('id="link-head"')[1].split(">")[0]
    assert Item.objects.get(link=link).title == "Nurses win their pay claim"


def test_link_page_shows_the_fetch_error(
    client,
    cast,
    feed_server,  # noqa: F811
    private,
    django_capture_on_commit_callbacks,
):
    url = feed_server.add("/doc", body=b"%PDF-1.4", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        link = links.share(cast.member, url=url).link
    page = client.get(link.get_absolute_url()).text
    assert "We could not read the page's title:" in page
    assert "application/pdf" in page
    assert STILL_FETCHING not in page
    poll = client.get(link.get_absolute_url(), headers=POLL)
    assert poll.status_code == 200
    assert "application/pdf" in poll.text


def test_link_page_stops_polling_after_a_while(client, cast):
    link = links.share(cast.member, url="https://example.org/slow").link  # the commit never comes: no fetch
    LinkPost.objects.filter(pk=link.pk).update(created_at=timezone.now() - links.FETCH_WAIT - timedelta(minutes=1))
    page = client.get(link.get_absolute_url()).text
    assert "have not been fetched yet" in page
    assert "hx-trigger" not in page.split('id="link-head"')[1].split(">")[0]
    poll = client.get(link.get_absolute_url(), headers=POLL)
    assert poll.status_code == 200
    assert "have not been fetched yet" in poll.text


def test_other_htmx_requests_get_the_whole_page(client, cast):
    link = links.share(cast.member, url="https://example.org/x", fetch=False).link
    response = client.get(link.get_absolute_url(), headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.status_code == 200
    assert "<html" in response.text


def bearer(person) -> dict[str, str]:
    _token, key = people_services.create_api_token(person=person, name="tests")
    return {"Authorization": f"Bearer {key}"}


def test_api_share_answers_at_once(
    client,
    cast,
    feed_server,  # noqa: F811
    private,
    no_fetch_in_request,
    django_capture_on_commit_callbacks,
):
    url = feed_server.add("/story", body=PAGE, content_type="text/html")
    with django_capture_on_commit_callbacks() as callbacks:
        created = client.post(
            "/api/v1/journal/links",
            data=json.dumps({"url": url, "comment": "Read it"}),
            content_type="application/json",
            headers=bearer(cast.member),
        )
    assert created.status_code == 201, created.content
    body = created.json()["link"]
    assert body["title"] == ""
    assert body["fetch_pending"] is True
    assert body["fetched_at"] is None
    assert body["fetch_error"] == ""
    assert body["item_id"] == Item.objects.get(link_id=body["id"]).pk
    assert feed_server.requests == []

    no_fetch_in_request()
    for callback in callbacks:
        callback()
    fetched = client.get(f"/api/v1/journal/links/{body['id']}").json()
    assert fetched["title"] == "Nurses win their pay claim"
    assert fetched["summary"].startswith("After six weeks")
    assert fetched["fetch_pending"] is False
    assert fetched["fetched_at"] is not None
