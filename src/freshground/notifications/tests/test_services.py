"""Who gets what: channels per kind, moderation's mutes and blocks, follows, new content, the events hook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from freshground.core.models import Tag
from freshground.events import services as event_services
from freshground.moderation import gate
from freshground.network import services as network_services
from freshground.notifications import queries, services
from freshground.notifications.models import DEFAULT_CHANNELS, Channel, Delivery, Notification, Preference
from freshground.notifications.send import (
    Kind,
    follow_thread,
    is_following_thread,
    notify,
    notify_new_content,
    notify_thread_followers,
    unfollow_thread,
)
from freshground.notifications.tests.helpers import circle, person, tell
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def test_defaults_email_replies_mentions_moderation_at_once_and_digest_the_rest():
    someone = person()
    channels = queries.channels_of(someone)
    assert channels == {
        "reply": "immediate",
        "mention": "immediate",
        "moderation": "immediate",
        "editorial": "immediate",
        "debate": "daily",
        "followed": "daily",
    }
    assert set(DEFAULT_CHANNELS) == set(Kind.values)


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("channel", list(Channel))
def test_each_kind_follows_its_own_setting(kind, channel, django_capture_on_commit_callbacks):
    recipient, actor = person(), person()
    services.set_channels(person=recipient, channels={kind.value: channel.value})
    with django_capture_on_commit_callbacks(execute=True):
        tell(recipient, actor=actor, kind=kind)
    rows = list(Notification.objects.filter(recipient=recipient))
    if channel == Channel.OFF:
        assert rows == []
        assert mail.outbox == []
        return
    assert [row.channel for row in rows] == [channel.value]
    if channel == Channel.IMMEDIATE:
        assert len(mail.outbox) == 1
        assert rows[0].delivery is not None
        assert Delivery.objects.get().sent_at is not None
    else:
        assert mail.outbox == []
        assert rows[0].delivery is None
    # Other kinds keep their defaults.
    other = next(k for k in Kind if k != kind)
    assert queries.channels_of(recipient)[other.value] == DEFAULT_CHANNELS[other.value]


def test_unknown_kind_or_channel_is_refused():
    someone = person()
    with pytest.raises(services.DomainError):
        services.set_channels(person=someone, channels={"reply": "carrier-pigeon"})
    with pytest.raises(services.DomainError):
        services.set_channels(person=someone, channels={"gossip": "off"})
    assert not Preference.objects.exists()


def test_actor_inactive_muted_and_blocked_get_nothing(monkeypatch):
    actor, fine, gone, muter, blocker = person(), person(), person(is_active=False), person(), person()
    monkeypatch.setattr(gate, "muted_ids", lambda p: frozenset({actor.pk}) if p.pk == muter.pk else frozenset())
    monkeypatch.setattr(gate, "has_blocked", lambda p, *, by: p.pk == actor.pk and by.pk == blocker.pk)
    notify(
        kind=Kind.MENTION,
        recipients=[actor, fine, gone, muter.pk, blocker],
        actor=actor,
        target=actor,
        summary="You were mentioned",
        url="/",
    )
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [fine.pk]


def test_notification_keeps_space_thread_and_summary():
    recipient, actor, place = person(), person(), circle(name="Dock Workers")
    tell(recipient, actor=actor, space=place, thread=place, summary="  A   reply\n", url="/x/")
    row = Notification.objects.get()
    assert row.space_circle == place
    assert row.space_center is None
    assert row.thread_id == place.pk
    assert row.thread_title == "Dock Workers"
    assert row.summary == "A reply"
    assert row.url == "/x/"
    assert row.actor == actor
    assert row.read_at is None


def test_follow_thread_and_notify_followers():
    thread, actor = circle(), person()
    follower, other = person(), person()
    assert not is_following_thread(follower, thread)
    follow_thread(follower, thread)
    follow_thread(follower, thread)  # twice is harmless
    follow_thread(actor, thread)
    assert is_following_thread(follower, thread)
    assert not is_following_thread(None, thread)
    notify_thread_followers(thread=thread, actor=actor, target=thread, summary="New argument", url="/d/")
    rows = list(Notification.objects.all())
    assert [(r.recipient_id, r.kind) for r in rows] == [(follower.pk, Kind.DEBATE_ACTIVITY.value)]
    unfollow_thread(follower, thread)
    assert not is_following_thread(follower, thread)
    assert other.notifications.count() == 0


def test_new_content_reaches_circle_center_and_topic_followers_and_members():
    place, center = circle(), factories.CenterFactory()
    actor = person()
    member, circle_fan, center_fan, topic_fan, nobody = person(), person(), person(), person(), person()
    factories.add_member(place, member)
    factories.add_member(place, actor)
    network_services.follow(person=circle_fan, circle=place)
    network_services.follow(person=center_fan, center=center)
    tag = Tag.objects.get(slug="housing")  # a topic of the controlled vocabulary
    services.follow_topic(person=topic_fan, name="housing")
    notify_new_content(target=place, actor=actor, summary="New", url="/n/", circle=place, center=center, topics=[tag])
    got = set(Notification.objects.values_list("recipient_id", flat=True))
    assert got == {member.pk, circle_fan.pk, center_fan.pk, topic_fan.pk}
    assert nobody.pk not in got
    assert set(Notification.objects.values_list("kind", flat=True)) == {Kind.FOLLOWED_CONTENT.value}


def test_big_audience_is_stored_by_the_worker(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "INLINE_LIMIT", 2)
    place, actor = circle(), person()
    fans = [person() for _ in range(4)]
    for fan in fans:
        network_services.follow(person=fan, circle=place)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_new_content(target=place, actor=actor, summary="New", url="/n/", circle=place)
    assert Notification.objects.count() == 0  # nothing written in the request
    for callback in callbacks:
        callback()
    assert Notification.objects.count() == 4


def test_creating_an_event_tells_the_hosts_followers(django_capture_on_commit_callbacks):
    place, organiser, fan = circle(), person(), person()
    factories.add_member(place, organiser, "organiser")
    network_services.follow(person=fan, circle=place)
    start = timezone.now() + timedelta(days=3)
    event = event_services.create_event(
        person=organiser, host_circle=place, title="Rota meeting", starts_at=start, ends_at=start, venue_name="Hall"
    )
    row = Notification.objects.get(recipient=fan)
    assert row.kind == Kind.FOLLOWED_CONTENT.value
    assert "Rota meeting" in row.summary
    assert row.url == event.get_absolute_url()
    assert row.space_circle == place
    assert not Notification.objects.filter(recipient=organiser).exists()


def test_follow_topic_needs_an_existing_topic():
    someone = person()
    with pytest.raises(services.NotFound):
        services.follow_topic(person=someone, name="nonexistent")
    with pytest.raises(services.DomainError):
        services.follow_topic(person=someone, name="   ")
    with pytest.raises(services.PermissionDenied):
        services.follow_topic(person=None, name="x")


def test_mark_read_only_ones_own():
    owner, stranger = person(), person()
    tell(owner)
    row = Notification.objects.get()
    with pytest.raises(services.NotFound):
        services.mark_read(person=stranger, notification=row)
    services.mark_read(person=owner, notification=row)
    row.refresh_from_db()
    assert row.read_at is not None
    tell(owner)
    tell(owner)
    assert services.mark_all_read(person=owner) == 2
    assert queries.unread_count(owner) == 0
