"""The journal's output feeds: every format validates (feedparser reads it with bozo == 0) for every scope."""

from __future__ import annotations

import json

import feedparser
import pytest
from django.urls import reverse

from freshground.core.models import Tag
from freshground.journal.tests.search_helpers import make_item, make_source

pytestmark = pytest.mark.django_db
FORMATS = ("rss", "atom", "json")


def parse(response) -> feedparser.FeedParserDict:
    return feedparser.parse(response.content, response_headers={"content-type": response["Content-Type"]})


@pytest.mark.parametrize("fmt", FORMATS)
def test_front_page_feed_validates(client, fmt) -> None:
    housing = Tag.objects.get(slug="housing")
    make_item("Rent strike & victory <b>now</b>", "Tenants won — “finally”.", topics=[housing])
    make_item("Hidden", status="hidden")
    response = client.get(reverse("journal:feed", kwargs={"fmt": fmt}))
    assert response.status_code == 200
    if fmt == "json":
        data = json.loads(response.content)
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert [item["title"] for item in data["items"]] == ["Rent strike & victory <b>now</b>"]
        assert data["items"][0]["tags"] == ["Housing"]
        return
    feed = parse(response)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == ["Rent strike & victory <b>now</b>"]
    assert feed.entries[0].link.startswith("https://feeds.example.org/")
    assert "Housing" in [tag.term for tag in feed.entries[0].tags]


@pytest.mark.parametrize("fmt", FORMATS)
def test_scoped_feeds(client, cast, fmt) -> None:
    housing = Tag.objects.get(slug="housing")
    source = make_source("Red Paper", center=cast.center)
    on_topic = make_item("On topic", topics=[housing])
    from_source = make_item("From the center's paper", source=source)
    by_person = make_item("By a member")
    by_person.author = cast.member
    by_person.save()
    in_circle = make_item("Shared by the circle")
    in_circle.circles.add(cast.circle)
    cases = {
        reverse("journal:topic_feed", kwargs={"slug": "housing", "fmt": fmt}): on_topic.title,
        reverse("journal:center_feed", kwargs={"slug": cast.center.slug, "fmt": fmt}): from_source.title,
        reverse("journal:source_feed", kwargs={"slug": source.slug, "fmt": fmt}): from_source.title,
        reverse("journal:circle_feed", kwargs={"slug": cast.circle.slug, "fmt": fmt}): in_circle.title,
        reverse("journal:person_feed", kwargs={"pk": str(cast.member.pk), "fmt": fmt}): by_person.title,
    }
    for url, title in cases.items():
        response = client.get(url)
        assert response.status_code == 200, url
        if fmt == "json":
            titles = [item["title"] for item in json.loads(response.content)["items"]]
        else:
            feed = parse(response)
            assert feed.bozo == 0, (url, feed.get("bozo_exception"))
            titles = [entry.title for entry in feed.entries]
        assert titles == [title], url


def test_unknown_scopes_and_formats_are_404(client) -> None:
    assert client.get("/journal/feed.xml").status_code == 404
    assert client.get("/journal/topics/no-such-topic/feed.rss").status_code == 404
    assert client.get("/journal/people/999999/feed.rss").status_code == 404
    proposed = make_source("Not yet approved")
    proposed.status = "proposed"
    proposed.save()
    assert client.get(f"/journal/sources/{proposed.slug}/feed.rss").status_code == 404


def test_feed_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries) -> None:
    housing = Tag.objects.get(slug="housing")
    for n in range(30):
        make_item(f"Item {n}", topics=[housing])
    with django_assert_max_num_queries(6):
        assert client.get(reverse("journal:topic_feed", kwargs={"slug": "housing", "fmt": "atom"})).status_code == 200
