"""Issue 8's browser story: a source is added, the worker fetches it, a reader finds, recommends, searches and
subscribes.

A center's editor (a journal editor) proposes a feed served on this machine through the form, with a topic; being
trusted, the source is active at once. The worker's periodic job fetches it. A reader of another circle finds the
story on the journal's front page, recommends it (htmx swaps the button), searches for a word of its summary and sees
it marked in the results, follows the topic from the topic page and takes its RSS feed, which a feed reader reads
without complaint and which lists the story.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import feedparser
import pytest
from browser_support import submit
from playwright.sync_api import expect

from freshground.journal.models import Item, Recommendation, Source, SourceStatus
from freshground.journal.tasks_fetch import fetch_due_sources
from freshground.network.models import Role
from freshground.notifications.models import TopicFollow
from freshground.testing import factories
from freshground.testing.feed_server import FeedServer, Route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "Bin workers win a 9% rise after an eleven-week strike"
SUMMARY = "Refuse collectors in Kirkgate ended their walkout with a deal the council had called impossible."


def feed_bytes() -> bytes:
    now = datetime.now(UTC)
    items = [
        (STORY, SUMMARY, "https://kirkgate-news.example.org/bin-strike-won", now - timedelta(hours=3)),
        (
            "Library volunteers asked to cover cuts",
            "The council wants unpaid staff to keep three branches open.",
            "https://kirkgate-news.example.org/libraries",
            now - timedelta(days=1),
        ),
    ]
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{summary}</description><pubDate>{format_datetime(when)}</pubDate></item>"
        for title, summary, link, when in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Kirkgate Workers News</title>'
        f"<link>https://kirkgate-news.example.org/</link><description>News from Kirkgate</description>{entries}"
        "</channel></rss>"
    ).encode()


def test_a_source_is_added_fetched_and_its_story_found_recommended_searched_and_followed(new_browsing, monkeypatch):
    monkeypatch.setenv("FRESHGROUND_ALLOW_PRIVATE_FETCH", "1")
    center = factories.CenterFactory(name="Common Ground Press")
    editor = factories.PersonFactory(display_name="Tamsin Editor")
    factories.add_editor(center, editor)
    circle = factories.CircleFactory(name="Hyde Park Tenants")
    reader = factories.PersonFactory(display_name="Rae Reader")
    factories.add_member(circle, reader, Role.MEMBER)

    with FeedServer({"/feed.xml": Route(body=feed_bytes(), content_type="application/rss+xml")}) as server:
        # 1. The editor adds the source through the form, with a topic of the vocabulary.
        editing = new_browsing()
        editing.log_in_as(editor)
        page = editing.new_page()
        page.goto("/journal/sources/new/")
        page.get_by_label("Feed or page address").fill(server.url("/feed.xml"))
        page.fill("#id_name", "Kirkgate Workers News")
        page.get_by_label("Kind").select_option(value="movement")
        page.get_by_label("Language").fill("en")
        page.get_by_label("Strikes", exact=True).check()
        submit(page, "#id_url")
        source = Source.objects.get(name="Kirkgate Workers News")
        assert source.status == SourceStatus.ACTIVE
        expect(page.locator("main")).to_contain_text("The source is added")

        # 2. The worker's periodic job fetches it.
        fetch_due_sources.call()
        assert Item.objects.filter(source=source).count() == 2

    # 3. A reader finds the story on the front page and recommends it (htmx swaps the button).
    reading = new_browsing()
    reading.log_in_as(reader)
    page = reading.new_page()
    page.goto("/journal/")
    card = page.locator("main article").filter(has_text=STORY).first
    expect(card).to_be_visible()
    card.get_by_role("button", name="Recommend").click()
    expect(card.get_by_role("button", name="Recommended")).to_be_visible()
    item = Item.objects.get(title=STORY)
    assert Recommendation.objects.filter(person=reader, item=item).exists()

    # 4. They search for a word of its summary; the result shows it with the word marked.
    page.goto("/journal/search/")
    form = page.get_by_role("search", name="Search the journal")
    form.get_by_role("textbox", name="Search the journal").fill("walkout")
    form.get_by_role("button", name="Search").click()
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name=STORY)).to_be_visible()
    expect(results.locator("mark").first).to_have_text("walkout")

    # 5. They follow the topic and take its RSS feed, which a feed reader reads cleanly.
    page.goto("/journal/topics/strikes/")
    expect(page.locator("main")).to_contain_text(STORY)
    page.get_by_role("button", name="Follow this topic").click()
    expect(page.get_by_role("button", name="Stop following this topic")).to_be_visible()
    assert TopicFollow.objects.filter(person=reader, tag__slug="strikes").exists()
    feed_link = page.locator("main").get_by_role("link", name="RSS")
    href = feed_link.get_attribute("href")
    assert href is not None
    assert href.endswith("/journal/topics/strikes/feed.rss")
    response = page.request.get(href)
    assert response.ok
    feed = feedparser.parse(response.body(), response_headers={"content-type": response.headers["content-type"]})
    assert feed.bozo == 0
    assert [entry.title for entry in feed.entries] == [STORY, "Library volunteers asked to cover cuts"]
