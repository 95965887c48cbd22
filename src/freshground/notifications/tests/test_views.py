"""Pages: the bell, the list, marking read (plain and htmx), settings, follow button, one-click unsubscribe."""

from __future__ import annotations

import pytest
from django.urls import reverse

from freshground.core.models import Tag
from freshground.notifications import links, queries, services
from freshground.notifications.models import Channel, Notification, Preference, TopicFollow
from freshground.notifications.send import Kind, is_following_thread
from freshground.notifications.tests.helpers import circle, person, tell

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_bell_shows_the_unread_count_from_one_cached_query(client, django_capture_on_commit_callbacks):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def bell_queries(context):
        return [q for q in context.captured_queries if "notifications_notification" in q["sql"]]

    someone = person()
    for _ in range(3):
        tell(someone, actor=person())
    client.force_login(someone)  # signing in counts the unread ones into the cache
    with CaptureQueriesContext(connection) as cached:
        page = client.get(reverse("people:settings")).content.decode()
    assert bell_queries(cached) == []
    assert '<span class="bell-count">3<span class="visually-hidden"> unread' in page
    with django_capture_on_commit_callbacks(execute=True):
        tell(someone, actor=person())  # a new one adds to the cached count
    with CaptureQueriesContext(connection) as bumped:
        page = client.get(reverse("people:settings")).content.decode()
    assert bell_queries(bumped) == []
    assert '<span class="bell-count">4' in page
    cache.clear()  # a cold cache: one count query, once per request, then cached again
    with CaptureQueriesContext(connection) as cold:
        page = client.get(reverse("people:settings")).content.decode()
    assert len(bell_queries(cold)) == 1
    assert len(cold.captured_queries) == len(cached.captured_queries) + 1
    assert '<span class="bell-count">4' in page
    services.mark_read(person=someone, notification=Notification.objects.filter(recipient=someone).first())
    with CaptureQueriesContext(connection) as after_read:
        page = client.get(reverse("people:settings")).content.decode()
    assert bell_queries(after_read) == []
    assert '<span class="bell-count">3' in page


def test_bell_without_unread_shows_no_number(client):
    someone = person()
    client.force_login(someone)
    page = client.get(reverse("people:settings")).content.decode()
    assert 'id="notification-bell"' in page
    assert "bell-count" not in page


def test_list_query_count_is_fixed(client, django_assert_num_queries):
    someone = person()
    client.force_login(someone)
    place = circle()
    tell(someone, actor=person(), space=place)
    client.get(reverse("notifications:index"))
    # session, person, page count, page rows (with actor and circle); the bell comes from the cache
    with django_assert_num_queries(4):
        client.get(reverse("notifications:index"))
    for _ in range(12):
        tell(someone, actor=person(), space=circle())
    client.get(reverse("notifications:index"))
    with django_assert_num_queries(4):
        page = client.get(reverse("notifications:index")).content.decode()
    assert page.count('class="notification notification-unread"') == 13


def test_list_is_paginated_and_private(client):
    someone, other = person(), person()
    for n in range(35):
        tell(someone, summary=f"Item number {n:02d}")
    tell(other, summary="Not yours")
    client.force_login(someone)
    first = client.get(reverse("notifications:index")).content.decode()
    assert "Item number 34" in first
    assert "Item number 04" not in first
    assert "Not yours" not in first
    second = client.get(reverse("notifications:index") + "?page=2").content.decode()
    assert "Item number 04" in second


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("notifications:index"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_mark_one_read_without_js_and_with_htmx(client):
    someone = person()
    tell(someone, summary="First")
    tell(someone, summary="Second")
    first, second = Notification.objects.order_by("id")
    client.force_login(someone)
    response = client.post(reverse("notifications:read", args=[first.pk]), {"next": "/notifications/?page=1"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    first.refresh_from_db()
    assert first.read_at is not None
    partial = client.post(reverse("notifications:read", args=[second.pk]), headers=HTMX).content.decode()
    assert f'id="notification-{second.pk}"' in partial
    assert 'hx-swap-oob="outerHTML"' in partial  # the bell updates too
    assert "bell-count" not in partial
    assert queries.unread_count(someone) == 0


def test_cannot_mark_someone_elses(client):
    owner, stranger = person(), person()
    tell(owner)
    client.force_login(stranger)
    row = Notification.objects.get()
    assert client.post(reverse("notifications:read", args=[row.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_open_marks_read_and_goes_to_the_link_but_never_off_site(client):
    someone = person()
    tell(someone, url="/circles/")
    tell(someone, url="https://evil.example/")
    local, remote = Notification.objects.order_by("id")
    client.force_login(someone)
    assert client.get(reverse("notifications:open", args=[local.pk]))["Location"] == "/circles/"
    assert client.get(reverse("notifications:open", args=[remote.pk]))["Location"] == reverse("notifications:index")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_all_read(client):
    someone = person()
    for _ in range(3):
        tell(someone)
    client.force_login(someone)
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    tell(someone)
    partial = client.post(reverse("notifications:read_all"), headers=HTMX).content.decode()
    assert 'id="notification-bell"' in partial
    assert "Mark all as read" not in partial


def test_hostile_summary_is_escaped(client):
    someone = person()
    tell(someone, summary='<script>alert(1)</script><img src=x onerror="alert(2)">')
    client.force_login(someone)
    page = client.get(reverse("notifications:index")).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_settings_page_saves_channels(client):
    someone = person()
    client.force_login(someone)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "Replies to me" in page
    assert 'value="immediate"' in page
    data = dict.fromkeys(Kind.values, "inapp") | {"followed": "weekly"}
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 302
    assert queries.channels_of(someone)["followed"] == "weekly"
    assert queries.channels_of(someone)["reply"] == "inapp"
    bad = client.post(reverse("notifications:settings"), {**data, "reply": "pigeon"})
    assert bad.status_code == 400
    assert queries.channels_of(someone)["reply"] == "inapp"


def test_follow_and_unfollow_topics(client):
    someone = person()
    Tag.objects.get(slug="housing")  # a topic of the controlled vocabulary
    client.force_login(someone)
    client.post(reverse("notifications:topic_follow"), {"topic": "Housing"})
    follow = TopicFollow.objects.get(person=someone)
    assert "Housing" in client.get(reverse("notifications:settings")).content.decode()
    response = client.post(reverse("notifications:topic_follow"), {"topic": "Nope"}, follow=True)
    assert "No topic is called" in response.content.decode()
    client.post(reverse("notifications:topic_unfollow", args=[follow.tag_id]))
    assert not TopicFollow.objects.exists()


def test_follow_button_works_with_and_without_js(client, followable):
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    someone, thing = person(), circle()
    url = reverse("notifications:follow", args=[followable, thing.pk])
    request = RequestFactory().get("/")
    request.user = someone
    button = Template('{% include "notifications/follow_button.html" with obj=thing %}').render(
        RequestContext(request, {"thing": thing})
    )
    assert f'action="{url}"' in button
    assert 'name="follow" value="1"' in button
    client.force_login(someone)
    response = client.post(url, {"follow": "1", "next": "/circles/"})
    assert response["Location"] == "/circles/"
    assert is_following_thread(someone, thing)
    partial = client.post(url, {"follow": "0"}, headers=HTMX).content.decode()
    assert 'name="follow" value="1"' in partial
    assert not is_following_thread(someone, thing)
    assert client.post(reverse("notifications:follow", args=["nope.nothing", 1])).status_code == 404


def test_unsubscribe_without_login_only_for_that_person_and_kind(client):
    someone, other = person(), person()
    token = links.unsubscribe_token(someone.pk, Kind.MENTION.value)
    url = reverse("notifications:unsubscribe", args=[token])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Mentions of me" in confirm.content.decode()
    assert not Preference.objects.exists()  # GET changes nothing
    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert queries.channels_of(someone)["mention"] == Channel.IN_APP
    assert queries.channels_of(someone)["reply"] == Channel.IMMEDIATE
    assert queries.channels_of(other)["mention"] == Channel.IMMEDIATE


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token, me, other: token.replace(f"{me}.", f"{other}.", 1),  # another person
        lambda token, me, other: token.replace(".mention", ".reply", 1),  # another kind
        lambda token, me, other: token[:-2] + ("aa" if not token.endswith("aa") else "bb"),  # signature
        lambda token, me, other: f"{other}.mention",  # no signature
    ],
)
def test_tampered_unsubscribe_token_does_nothing(client, tamper):
    someone, other = person(), person()
    token = tamper(links.unsubscribe_token(someone.pk, "mention"), someone.pk, other.pk)
    response = client.post(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 404
    assert not Preference.objects.exists()


def test_unsubscribe_from_a_digest_moves_its_kinds_to_the_site(client):
    someone = person()
    tell(someone, kind=Kind.FOLLOWED_CONTENT)
    client.post(reverse("notifications:unsubscribe", args=[links.unsubscribe_token(someone.pk, "daily")]))
    channels = queries.channels_of(someone)
    assert channels["followed"] == channels["debate"] == Channel.IN_APP
    assert channels["reply"] == Channel.IMMEDIATE
    assert Notification.objects.get().channel == Channel.IN_APP  # the waiting one gets no mail either
