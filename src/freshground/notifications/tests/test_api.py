"""The API: one's own notifications, unread count, marking read, settings, follows; tokens required."""

from __future__ import annotations

import pytest

from freshground.core.models import Tag
from freshground.network.tests.api_helpers import bearer, call
from freshground.notifications.models import Notification
from freshground.notifications.send import Kind, is_following_thread
from freshground.notifications.tests.helpers import circle, person, tell

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/notifications"),
        ("GET", "/notifications/unread-count"),
        ("POST", "/notifications/read-all"),
        ("POST", "/notifications/1/read"),
        ("GET", "/notifications/settings"),
        ("GET", "/topics/followed"),
    ],
)
def test_anonymous_is_refused(client, method, path):
    assert call(client, method, path).status_code == 401


def test_list_count_and_mark_read(client, django_assert_num_queries):
    someone, other = person(), person()
    place = circle(name="Dock")
    for n in range(3):
        tell(someone, actor=other, summary=f"n{n}", space=place)
    tell(other, summary="not mine")
    auth = bearer(someone)
    call(client, "GET", "/notifications", headers=auth)
    with django_assert_num_queries(3):  # token, count, rows (actor and circle joined)
        body = call(client, "GET", "/notifications", headers=auth).json()
    assert body["count"] == 3
    assert [item["summary"] for item in body["items"]] == ["n2", "n1", "n0"]
    assert body["items"][0]["circle"] == place.slug
    assert body["items"][0]["actor_name"] == other.display_name
    assert call(client, "GET", "/notifications/unread-count", headers=auth).json() == {"unread": 3}
    first = Notification.objects.filter(recipient=someone).order_by("id").first()
    answer = call(client, "POST", f"/notifications/{first.pk}/read", headers=auth)
    assert answer.status_code == 200
    assert answer.json()["read_at"] is not None
    assert call(client, "GET", "/notifications/unread-count", headers=auth).json() == {"unread": 2}
    unread = call(client, "GET", "/notifications?unread=true", headers=auth).json()
    assert unread["count"] == 2
    assert call(client, "POST", "/notifications/read-all", headers=auth).json() == {"marked": 2}
    mine_not = Notification.objects.get(recipient=other)
    assert call(client, "POST", f"/notifications/{mine_not.pk}/read", headers=auth).status_code == 404


def test_settings_round_trip(client):
    someone = person()
    auth = bearer(someone)
    got = call(client, "GET", "/notifications/settings", headers=auth).json()
    assert got["channels"]["reply"] == "immediate"
    put = call(client, "PUT", "/notifications/settings", {"channels": {"reply": "daily"}}, headers=auth)
    assert put.status_code == 200
    assert put.json()["channels"]["reply"] == "daily"
    bad = call(client, "PUT", "/notifications/settings", {"channels": {"reply": "pigeon"}}, headers=auth)
    assert bad.status_code == 400
    assert bad.json()["field"] == Kind.REPLY.value


def test_follow_threads_and_topics(client, followable):
    someone, thing = person(), circle()
    auth = bearer(someone)
    path = f"/follows/{followable}/{thing.pk}"
    assert call(client, "GET", path, headers=auth).json() == {"following": False}
    assert call(client, "POST", path, headers=auth).json() == {"following": True}
    assert is_following_thread(someone, thing)
    assert call(client, "DELETE", path, headers=auth).status_code == 204
    assert not is_following_thread(someone, thing)
    assert call(client, "POST", "/follows/nope.nothing/1", headers=auth).status_code == 404
    tag = Tag.objects.get(slug="housing")  # a topic of the controlled vocabulary
    assert call(client, "POST", "/topics/followed", {"topic": "housing"}, headers=auth).json()["id"] == tag.pk
    assert [t["name"] for t in call(client, "GET", "/topics/followed", headers=auth).json()] == ["Housing"]
    assert call(client, "POST", "/topics/followed", {"topic": "nope"}, headers=auth).status_code == 404
    assert call(client, "DELETE", f"/topics/followed/{tag.pk}", headers=auth).status_code == 204
    assert call(client, "GET", "/topics/followed", headers=auth).json() == []
