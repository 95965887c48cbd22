# mypy: disable-error-code="arg-type,attr-defined"
"""Link posts: the page's title and summary fetched safely from a local server, failures kept, no duplicates."""

from __future__ import annotations

import pytest

from freshground.core.exceptions import DomainError, PermissionDenied
from freshground.journal import links
from freshground.journal.models import Item, ItemKind, LinkPost, Recommendation
from freshground.testing.feed_server import Route, feed_server  # noqa: F401

pytestmark = pytest.mark.django_db

PAGE = b"""<!doctype html><html><head><title>Plain title</title>
<meta property="og:title" content="Nurses win their pay claim">
<meta name="description" content="After six weeks on strike, the nurses at Riverside won.">
<script>document.title = "hacked"; fetch("/beacon")</script></head><body><p>Body</p></body></html>"""


@pytest.fixture
def private(monkeypatch):
    monkeypatch.setenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", "1")


def test_share_reads_title_and_summary_never_scripts(cast, feed_server, private):  # noqa: F811
    url = feed_server.add("/story?utm_source=x", body=PAGE, content_type="text/html; charset=utf-8")
    result = links.share(cast.member, url=url, comment="Worth reading.", topics=["Health"])
    link = result.link
    assert result.created
    assert link.title == "Nurses win their pay claim"
    assert link.summary.startswith("After six weeks")
    assert "utm_source" not in link.url
    assert link.fetch_error == ""
    assert [r.path for r in feed_server.requests] == ["/story?utm_source=x"]  # the script's beacon never ran
    item = Item.objects.get(link=link)
    assert item.kind == ItemKind.LINK
    assert item.url == link.url
    assert item.title == link.title
    assert [t.name for t in item.topics.all()] == ["Health"]


def test_title_falls_back_to_title_tag(cast, feed_server, private):  # noqa: F811
    url = feed_server.add(
        "/t", body=b"<html><head><title> Just &amp; a title </title></head></html>", content_type="text/html"
    )
    link = links.share(cast.member, url=url).link
    assert link.title == "Just & a title"


@pytest.mark.parametrize(
    "route",
    [
        Route(status=500, body=b"oops", content_type="text/html"),
        Route(body=b"%PDF-1.4", content_type="application/pdf"),
        Route(body=b"<html>" + b"x" * 700_000, content_type="text/html", send_length=False),
    ],
)
def test_failed_fetch_keeps_the_link(cast, feed_server, private, route):  # noqa: F811
    url = feed_server.add("/bad", route)
    link = links.share(cast.member, url=url, comment="Still worth it.").link
    assert link.title == ""
    assert link.comment == "Still worth it."
    assert link.fetch_error
    assert Item.objects.get(link=link).title == link.url


def test_private_addresses_refused_without_the_switch(cast, feed_server, monkeypatch):  # noqa: F811
    monkeypatch.delenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", raising=False)
    url = feed_server.add("/p", body=PAGE, content_type="text/html")
    link = links.share(cast.member, url=url).link
    assert link.fetch_error
    assert feed_server.requests == []


def test_same_address_again_is_a_recommendation(cast, feed_server, private):  # noqa: F811
    url = feed_server.add("/story", body=PAGE, content_type="text/html")
    first = links.share(cast.member, url=url).link
    again = links.share(cast.editor, url=url + "#section", center=cast.center)
    assert not again.created
    assert again.link == first
    assert LinkPost.objects.count() == 1
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
