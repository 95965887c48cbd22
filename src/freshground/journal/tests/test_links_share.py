# mypy: disable-error-code="arg-type,attr-defined"
"""Link posts: shared at once, the page's title and summary fetched safely by the worker, failures kept, no
duplicates."""

from __future__ import annotations

import pytest

from freshground.core.exceptions import DomainError, PermissionDenied
from freshground.journal import links
from freshground.journal.models import Item, ItemKind, LinkPost, Recommendation
from freshground.journal.tasks_links import fetch_link_page
from freshground.testing.feed_server import Route, feed_server  # noqa: F401

pytestmark = pytest.mark.django_db

PAGE = b"""<!doctype html><html><head><title>Plain title</title>
<meta property="og:title" content="Nurses win their pay claim">
<meta name="description" content="After six weeks on strike, the nurses at Riverside won.">
<script>document.title = "hacked"; fetch("/beacon")</script></head><body><p>Body</p></body></html>"""


@pytest.fixture
def private(monkeypatch):
    monkeypatch.setenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", "1")


@pytest.fixture
def share_and_fetch(django_capture_on_commit_callbacks):
    """Share as the service does in a request, then let the commit enqueue the fetch (run at once in tests)."""

    def run(person, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = links.share(person, **kwargs)
        result.link.refresh_from_db()
        return result

    return run


def test_share_stores_the_link_at_once_and_fetches_after_commit(
    cast,
    feed_server,  # noqa: F811
    private,
    django_capture_on_commit_callbacks,
):
    url = feed_server.add("/story", body=PAGE, content_type="text/html; charset=utf-8") + "?utm_source=x"
    with django_capture_on_commit_callbacks() as callbacks:
        result = links.share(cast.member, url=url, comment="Worth reading.", topics=["Health"])
    link = result.link
    assert result.created
    assert (link.title, link.summary, link.fetched_at, link.fetch_error) == ("", "", None, "")
    assert links.fetch_pending(link)
    assert "utm_source" not in link.url
    assert Item.objects.get(link=link).title == link.url  # the address stands in for the title
    assert feed_server.requests == []  # nothing fetched while the sharer waits
    assert len(callbacks) == 1
    callbacks[0]()  # the commit enqueues the task (the ImmediateBackend runs it now)
    link.refresh_from_db()
    assert link.title == "Nurses win their pay claim"
    assert link.fetched_at is not None
    assert not links.fetch_pending(link)


def test_task_reads_title_and_summary_never_scripts(cast, feed_server, private, share_and_fetch):  # noqa: F811
    url = feed_server.add("/story", body=PAGE, content_type="text/html; charset=utf-8") + "?utm_source=x"
    link = share_and_fetch(cast.member, url=url, comment="Worth reading.", topics=["Health"]).link
    assert link.title == "Nurses win their pay claim"
    assert link.summary.startswith("After six weeks")
    assert link.fetch_error == ""
    assert link.fetched_at is not None
    assert "utm_source" not in link.url
    assert [r.path for r in feed_server.requests] == ["/story"]  # the canonical address; the script's beacon never ran
    item = Item.objects.get(link=link)
    assert item.kind == ItemKind.LINK
    assert item.url == link.url
    assert item.title == link.title
    assert item.summary == link.summary
    assert [t.name for t in item.topics.all()] == ["Health"]


def test_task_places_the_item_in_its_story(cast, feed_server, private, monkeypatch):  # noqa: F811
    placed = []
    monkeypatch.setattr(links, "assign_story", lambda item: placed.append((item.pk, item.title)))
    url = feed_server.add("/story", body=PAGE, content_type="text/html")
    link = links.share(cast.member, url=url).link  # the commit never comes: nothing enqueued
    assert placed == []
    assert fetch_link_page.enqueue(link.pk).return_value == "fetched"
    assert placed == [(Item.objects.get(link=link).pk, "Nurses win their pay claim")]


def test_task_runs_once(cast, feed_server, private, share_and_fetch):  # noqa: F811
    url = feed_server.add("/story", body=PAGE, content_type="text/html")
    link = share_and_fetch(cast.member, url=url).link
    assert fetch_link_page.enqueue(link.pk).return_value == "skipped"
    assert feed_server.hits("/story") == 1
    pk = link.pk
    link.delete()
    assert fetch_link_page.enqueue(pk).return_value == "skipped"


def test_title_falls_back_to_title_tag(cast, feed_server, private, share_and_fetch):  # noqa: F811
    url = feed_server.add(
        "/t", body=b"<html><head><title> Just &amp; a title </title></head></html>", content_type="text/html"
    )
    link = share_and_fetch(cast.member, url=url).link
    assert link.title == "Just & a title"


@pytest.mark.parametrize(
    "route",
    [
        Route(status=500, body=b"oops", content_type="text/html"),
        Route(body=b"%PDF-1.4", content_type="application/pdf"),
        Route(body=b"<html>" + b"x" * 700_000, content_type="text/html", send_length=False),
    ],
)
def test_failed_fetch_keeps_the_link(cast, feed_server, private, route, share_and_fetch):  # noqa: F811
    url = feed_server.add("/bad", route)
    link = share_and_fetch(cast.member, url=url, comment="Still worth it.").link
    assert link.title == ""
    assert link.comment == "Still worth it."
    assert link.fetch_error
    assert link.fetched_at is None
    assert not links.fetch_pending(link)
    assert Item.objects.get(link=link).title == link.url
    assert feed_server.hits("/bad") == 1


def test_not_a_web_page_says_what_it_answered(cast, feed_server, private, share_and_fetch):  # noqa: F811
    url = feed_server.add("/doc.pdf", body=b"%PDF-1.4", content_type="application/pdf")
    link = share_and_fetch(cast.member, url=url).link
    assert "application/pdf" in link.fetch_error


def test_private_addresses_refused_without_the_switch(cast, feed_server, monkeypatch, share_and_fetch):  # noqa: F811
    monkeypatch.delenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", raising=False)
    url = feed_server.add("/p", body=PAGE, content_type="text/html")
    link = share_and_fetch(cast.member, url=url).link
    assert link.fetch_error
    assert link.title == ""
    assert feed_server.requests == []


def test_without_fetch_nothing_is_enqueued(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        link = links.share(cast.member, url="https://example.org/demo", fetch=False).link
    assert callbacks == []
    assert Item.objects.get(link=link).title == link.url


def test_same_address_again_is_a_recommendation(cast, feed_server, private, share_and_fetch):  # noqa: F811
    url = feed_server.add("/story", body=PAGE, content_type="text/html")
    first = share_and_fetch(cast.member, url=url).link
    again = share_and_fetch(cast.editor, url=url + "#section", center=cast.center)
    assert not again.created
    assert again.link == first
    assert LinkPost.objects.count() == 1
    assert feed_server.hits("/story") == 1  # shared again: not fetched again
    item = Item.objects.get(link=first)
    assert Recommendation.objects.filter(item=item, person=cast.editor).exists()
    assert list(item.centers.all()) == [cast.center]


def test_names_and_input(cast):
    with pytest.raises(PermissionDenied):
        links.share(cast.outsider, url="https://example.org/", center=cast.center, fetch=False)
    with pytest.raises(DomainError):
        links.share(cast.member, url="javascript:alert(1)", fetch=False)
    with pytest.raises(DomainError):
        links.share(cast.member, url="ftp://example.org/x", fetch=False)
    link = links.share(cast.organiser, url="https://example.org/a", circle=cast.circle, fetch=False).link
    assert Item.objects.get(link=link).author_name == cast.circle.name


def test_parse_page_handles_broken_html():
    info = links.parse_page(b"<html><head><meta name=description content='x'><title>T", "text/html")
    assert info.summary == "x"
