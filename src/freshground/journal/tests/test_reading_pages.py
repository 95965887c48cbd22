"""Reading pages: front page ordering and story collapsing, item page, places, topics, feed, reading list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from freshground.core.models import Tag
from freshground.journal import ranking_runs
from freshground.journal.models import EditorialPick, Item, Recommendation, SavedItem
from freshground.journal.tests.factories_reading import make_item, make_source, make_story
from freshground.network.models import Follow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def _tag(name: str, slug: str, *, topic: bool = False) -> Tag:
    found = Tag.objects.filter(name__iexact=name).first()
    if found is None:
        found = Tag.objects.create(name=name, slug=slug, is_topic=topic)
    return found


def test_front_page_orders_by_hot_and_new(client) -> None:
    now = timezone.now()
    old_good = make_item("Old but valued", published_at=now - timedelta(hours=30))
    fresh = make_item("Fresh news", published_at=now - timedelta(minutes=5))
    Item.objects.filter(pk=old_good.pk).update(hot_score=ranking_runs.hot_score(0.5, 0, old_good.published_at))
    Item.objects.filter(pk=fresh.pk).update(hot_score=ranking_runs.hot_score(0.0, 0, fresh.published_at))
    hot = client.get(reverse("journal:index")).content.decode()
    assert hot.index("Old but valued") < hot.index("Fresh news")
    new = client.get(reverse("journal:index") + "?sort=new").content.decode()
    assert new.index("Fresh news") < new.index("Old but valued")


def test_best_of_the_week_leaves_older_items_out(client) -> None:
    now = timezone.now()
    make_item("This week's best", published_at=now - timedelta(days=2))
    make_item("Last month's", published_at=now - timedelta(days=20))
    body = client.get(reverse("journal:index") + "?sort=week").content.decode()
    assert "This week&#x27;s best" in body or "This week's best" in body
    assert "Last month" not in body
    assert "Last month" in client.get(reverse("journal:index") + "?sort=month").content.decode()


def test_a_story_shows_once_with_also_covered_by(client) -> None:
    lead = make_item("Strike at the port", source=make_source("Harbour Daily"))
    other = make_item("Port workers walk out", source=make_source("Dockside News"))
    make_story(lead, other)
    body = client.get(reverse("journal:index")).content.decode()
    assert "Strike at the port" in body
    assert body.count("Port workers walk out") == 0
    assert "Also covered by" in body
    assert "Dockside News" in body


def test_hidden_items_are_not_listed_and_not_shown(client, cast) -> None:
    hidden = make_item("Spam item", status="hidden", circles=[cast.circle])
    assert "Spam item" not in client.get(reverse("journal:index")).content.decode()
    assert client.get(reverse("journal:item", args=[hidden.pk])).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(reverse("journal:item", args=[hidden.pk])).status_code == 404
    client.force_login(cast.organiser)  # moderates the circle the item belongs to
    assert client.get(reverse("journal:item", args=[hidden.pk])).status_code == 200
    client.force_login(cast.admin)
    assert client.get(reverse("journal:item", args=[hidden.pk])).status_code == 200


def test_item_page_explains_the_ranking(client, cast) -> None:
    item = make_item("Rents and wages")
    Item.objects.filter(pk=item.pk).update(valued_circles=3, valued_centers=2, recommendation_count=7)
    body = client.get(reverse("journal:item", args=[item.pk])).content.decode()
    assert "Valued across 3 circles" in body
    assert "and 2 centers" in body
    assert "Recommended by 7 readers" in body
    assert 'rel="noopener nofollow ugc"' in body
    assert "Read at the source" in body


def test_article_items_link_to_the_article_page(client, cast) -> None:
    item = make_item("Our essay", kind="article", author=cast.member)
    body = client.get(reverse("journal:item", args=[item.pk])).content.decode()
    assert item.article.get_absolute_url() in body  # type: ignore[union-attr]


def test_filters_by_topic_and_language(client) -> None:
    housing = _tag("Housing", "housing", topic=True)
    make_item("Tenants organise", topics=[housing], language="en")
    make_item("Huelga general", language="es")
    body = client.get(reverse("journal:index") + "?topic=" + housing.slug).content.decode()
    assert "Tenants organise" in body
    assert "Huelga general" not in body
    body = client.get(reverse("journal:index") + "?language=es").content.decode()
    assert "Huelga general" in body
    assert "Tenants organise" not in body


def test_home_page_shows_the_journal_and_the_network_numbers(client) -> None:
    make_item("Front page story")
    body = client.get(reverse("home")).content.decode()
    assert "Front page story" in body
    assert "The network in numbers" in body


def test_anonymous_front_page_is_cached_until_a_new_item(client) -> None:
    make_item("First")
    client.get(reverse("journal:index"))
    make_item("Second")  # creating an item bumps the version
    assert "Second" in client.get(reverse("journal:index")).content.decode()


def test_front_page_query_count_is_fixed(client, cast, django_assert_max_num_queries) -> None:
    client.force_login(cast.member)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("journal:index")).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        make_story(make_item(f"lead {n}"), make_item(f"other {n}"))
    few = count()
    for n in range(2, 15):
        item = make_item(f"lead {n}", centers=[cast.center])
        make_story(item, make_item(f"other {n}"))
        EditorialPick.objects.create(center=cast.center, item=item)
        Recommendation.objects.create(person=cast.member, item=item)
        SavedItem.objects.create(person=cast.member, item=item)
    assert count() == few


def test_place_pages_and_picks(client, cast) -> None:
    ours = make_item("From the center", centers=[cast.center])
    picked = make_item("Picked elsewhere")
    EditorialPick.objects.create(center=cast.center, item=picked, note="Read this")
    make_item("From the circle", circles=[cast.circle])
    by_person = make_item("By a member", kind="link", author=cast.member)
    body = client.get(reverse("journal:center", args=[cast.center.slug])).content.decode()
    assert "From the center" in body
    assert "Picked elsewhere" in body
    assert "From the circle" not in body
    body = client.get(reverse("journal:circle", args=[cast.circle.slug])).content.decode()
    assert "From the circle" in body
    assert "From the center" not in body
    body = client.get(reverse("journal:person", args=[cast.member.pk])).content.decode()
    assert by_person.title in body
    assert ours.title not in body


def test_topics_index_lists_the_vocabulary_first(client) -> None:
    vocab = _tag("Labour", "labour", topic=True)
    free = _tag("zines", "zines")
    make_item("Zine fair", topics=[free, vocab])
    body = client.get(reverse("journal:topics")).content.decode()
    assert body.index("Labour") < body.index("zines")
    assert "Zine fair" in client.get(reverse("journal:topic", args=[free.slug])).content.decode()


def test_following_a_topic_from_its_page(client, cast) -> None:
    from freshground.notifications.models import TopicFollow

    climate = _tag("Climate", "climate", topic=True)
    client.force_login(cast.member)
    client.post(reverse("journal:topic_follow", args=[climate.slug]), {"follow": "1"})
    assert TopicFollow.objects.filter(person=cast.member, tag=climate).exists()
    body = client.get(reverse("journal:topic", args=[climate.slug])).content.decode()
    assert "Stop following this topic" in body
    client.post(reverse("journal:topic_follow", args=[climate.slug]), {"follow": "0"})
    assert not TopicFollow.objects.filter(person=cast.member, tag=climate).exists()


def test_personal_feed_gathers_what_one_follows(client, cast) -> None:
    from freshground.journal.models import SourceFollow
    from freshground.notifications.models import TopicFollow

    topic = _tag("Health", "health", topic=True)
    source = make_source("Followed Source")
    make_item("Center news", centers=[cast.center])
    make_item("Circle news", circles=[cast.circle])
    make_item("Topic news", topics=[topic])
    make_item("Source news", source=source)
    make_item("Unrelated news")
    Follow.objects.create(person=cast.outsider, center=cast.center)
    Follow.objects.create(person=cast.outsider, circle=cast.circle)
    TopicFollow.objects.create(person=cast.outsider, tag=topic)
    SourceFollow.objects.create(person=cast.outsider, source=source)
    client.force_login(cast.outsider)
    body = client.get(reverse("journal:mine")).content.decode()
    for title in ("Center news", "Circle news", "Topic news", "Source news"):
        assert title in body
    assert "Unrelated news" not in body


def test_personal_feed_and_reading_list_need_a_login(client) -> None:
    for name in ("journal:mine", "journal:saved"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_story_page_lists_every_report(client) -> None:
    a, b = make_item("Report A"), make_item("Report B")
    story = make_story(a, b)
    body = client.get(reverse("journal:story", args=[story.pk])).content.decode()
    assert "Report A" in body
    assert "Report B" in body


@pytest.mark.parametrize("name", ["journal:mine", "journal:saved", "journal:center"])
def test_personal_and_place_lists_have_a_fixed_query_count(client, cast, name) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Follow.objects.create(person=cast.member, center=cast.center)
    client.force_login(cast.member)
    url = reverse(name, args=[cast.center.slug]) if name == "journal:center" else reverse(name)

    def add(n: int) -> None:
        for k in range(n):
            item = make_item(f"{name} {k}", centers=[cast.center])
            SavedItem.objects.create(person=cast.member, item=item)
            EditorialPick.objects.create(center=cast.center, item=item)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(2)
    few = count()
    add(15)
    assert count() == few
