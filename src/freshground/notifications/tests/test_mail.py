"""E-mails: immediate mails with RFC 8058 headers, the outbox's retries with back-off, and the digests."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected
from typing import Any

import pytest
from django.core import mail as outbox
from django.core import signing
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from freshground.notifications import digest_groups, links, mail, services
from freshground.notifications.models import Channel, Delivery, Notification
from freshground.notifications.send import Kind, notify
from freshground.notifications.tests.helpers import circle, person, tell
from freshground.testing import factories

pytestmark = pytest.mark.django_db


def test_immediate_mail_has_text_html_and_one_click_unsubscribe(django_capture_on_commit_callbacks):
    recipient, actor = person(display_name="Rosa"), person()
    with django_capture_on_commit_callbacks(execute=True):
        tell(recipient, actor=actor, summary="Kit replied to your comment", url="/comments/7/")
    (message,) = outbox.outbox
    assert message.to == [recipient.email]
    assert "Kit replied to your comment" in message.subject
    assert "http://testserver/comments/7/" in message.body or "/comments/7/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Kit replied to your comment" in html
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http")
    assert header.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = header.strip("<>").rstrip("/").rsplit("/", 1)[-1]
    assert links.read_unsubscribe_token(token) == (recipient.pk, "reply")
    assert header.strip("<>") in message.body
    assert header.strip("<>") in html


def test_failing_mail_server_keeps_the_mail_and_retries_with_back_off(
    mail_down, settings, django_capture_on_commit_callbacks
):
    recipient = person()
    with django_capture_on_commit_callbacks(execute=True):
        tell(recipient, actor=person())
    delivery = Delivery.objects.get()
    assert mail_down.calls == 1
    assert delivery.sent_at is None
    assert delivery.attempts == 1
    assert "SMTPServerDisconnected" in delivery.last_error
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait <= timedelta(minutes=1)
    # Not due yet: the retry job leaves it alone.
    assert mail.retry_due() == 0
    assert mail_down.calls == 1
    # Due: tried again, fails again, waits twice as long.
    later = delivery.next_attempt_at + timedelta(seconds=1)
    assert mail.retry_due(later) == 0
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert mail_down.calls == 2
    assert mail.backoff(2) == timedelta(minutes=2)
    assert mail.backoff(30) == mail.MAX_BACKOFF
    # The server is back: the next due attempt sends it, once.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert mail.retry_due() == 1
    assert mail.retry_due() == 0
    delivery.refresh_from_db()
    assert delivery.sent_at is not None
    assert delivery.attempts == 3
    assert len(outbox.outbox) == 1
    # The notification itself was never lost.
    assert Notification.objects.get().delivery == delivery


def test_a_lost_task_is_picked_up_by_the_retry_job(django_capture_on_commit_callbacks):
    recipient = person()
    with django_capture_on_commit_callbacks(execute=False):  # the queue never ran the task
        tell(recipient, actor=person())
    assert outbox.outbox == []
    assert mail.retry_due() == 1
    assert len(outbox.outbox) == 1


def test_gives_up_after_max_attempts(mail_down):
    recipient = person()
    tell(recipient, actor=person())
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(attempts=mail.MAX_ATTEMPTS)
    assert mail.retry_due(timezone.now() + timedelta(days=30)) == 0
    assert mail_down.calls == 0


def _digest_people():
    recipient = person(display_name="Dee")
    services.set_channels(person=recipient, channels=dict.fromkeys(Kind.values, Channel.DAILY))
    return recipient


def test_digest_groups_by_space_and_thread_dedups_and_puts_newest_first():
    recipient = _digest_people()
    dock, mill = circle(name="Dock Circle"), circle(name="Mill Circle")
    actor = person()
    now = timezone.now()
    thread_a, thread_b = circle(name="Thread A"), circle(name="Thread B")

    def at(minutes_ago, **kwargs):
        tell(recipient, actor=actor, **kwargs)
        Notification.objects.filter(pk=Notification.objects.latest("id").pk).update(
            created_at=now - timedelta(minutes=minutes_ago)
        )

    at(50, space=dock, thread=thread_a, target=thread_a, summary="old in dock A")
    at(40, space=mill, thread=thread_b, target=mill, summary="mill B")
    at(30, space=dock, thread=thread_a, target=dock, summary="newer in dock A")
    # The same target again (a reply that also mentions): one line, the newest.
    at(20, space=dock, thread=thread_a, target=dock, summary="dup newest", kind=Kind.MENTION)
    at(10, summary="site wide")
    stats = mail.run_digest(Channel.DAILY, now=now)
    assert stats.people == 1
    assert stats.sent == 1
    (message,) = outbox.outbox
    body = message.body
    order = [body.index(s) for s in ("site wide", "Dock Circle", "dup newest", "old in dock A", "Mill Circle")]
    assert order == sorted(order)
    assert "newer in dock A" not in body
    assert body.count("Thread A") == 1
    assert "Your daily digest: 4 new" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = message.extra_headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[-1]
    assert links.read_unsubscribe_token(token) == (recipient.pk, "daily")
    html = message.alternatives[0][0]
    assert "Dock Circle" in html
    assert "<h3>Thread A</h3>" in html


def test_digest_never_includes_a_notification_twice_and_is_not_sent_when_empty():
    recipient = _digest_people()
    tell(recipient, actor=person(), summary="alpha item")
    assert mail.run_digest(Channel.DAILY).sent == 1
    assert mail.run_digest(Channel.DAILY).sent == 0  # nothing new: no mail
    tell(recipient, actor=person(), summary="beta item")
    assert mail.run_digest(Channel.DAILY).sent == 1
    assert len(outbox.outbox) == 2
    assert "alpha item" not in outbox.outbox[1].body
    assert "beta item" in outbox.outbox[1].body
    assert mail.run_digest(Channel.WEEKLY).sent == 0


def test_digest_skips_read_notifications_and_inactive_people():
    recipient, gone = _digest_people(), _digest_people()
    tell(recipient, actor=person(), summary="seen already")
    services.mark_all_read(person=recipient)
    tell(gone, actor=person())
    gone.is_active = False
    gone.save()
    assert mail.run_digest(Channel.DAILY).sent == 0
    assert outbox.outbox == []
    assert not Notification.objects.filter(channel=Channel.DAILY).exists()


def test_weekly_digest_only_has_weekly_items():
    recipient = person()
    services.set_channels(person=recipient, channels={"reply": "weekly", "followed": "daily"})
    tell(recipient, actor=person(), summary="weekly one")
    tell(recipient, actor=person(), kind=Kind.FOLLOWED_CONTENT, summary="daily one")
    assert mail.run_digest(Channel.WEEKLY).sent == 1
    assert "weekly one" in outbox.outbox[0].body
    assert "daily one" not in outbox.outbox[0].body
    assert "weekly digest" in outbox.outbox[0].subject


def test_failed_digest_stays_in_the_outbox_and_is_retried(mail_down, settings):
    recipient = _digest_people()
    tell(recipient, actor=person(), summary="keep me")
    stats = mail.run_digest(Channel.DAILY)
    assert stats.failed == 1
    assert stats.sent == 0
    delivery = Delivery.objects.get()
    assert delivery.sent_at is None
    assert delivery.attempts == 1
    # A second digest run does not pick the same notification up again.
    assert mail.run_digest(Channel.DAILY).people == 0
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert mail.retry_due(delivery.next_attempt_at + timedelta(seconds=1)) == 1
    assert "keep me" in outbox.outbox[0].body
    assert len(outbox.outbox[0].alternatives) == 1


def test_digest_for_many_people_in_batches():
    people = [_digest_people() for _ in range(7)]
    place = circle()
    for someone in people:
        notify(kind=Kind.REPLY, recipients=[someone], actor=None, target=place, summary="hi", url="/", space=place)
    stats = mail.run_digest(Channel.DAILY, batch=3)
    assert stats.people == 7
    assert stats.sent == 7
    assert sorted(m.to[0] for m in outbox.outbox) == sorted(p.email for p in people)
    assert factories is not None


class FlakyBackend(BaseEmailBackend):
    """A mail server that takes some messages, refuses one address, or drops the connection at the n-th message."""

    delivered: list[str] = []
    calls = 0
    drop_at = 0
    refuse: set[str] = set()

    def send_messages(self, email_messages: Any) -> int:
        for message in email_messages:
            FlakyBackend.calls += 1
            if FlakyBackend.calls == FlakyBackend.drop_at:
                raise SMTPServerDisconnected("Connection unexpectedly closed")
            if message.to[0] in FlakyBackend.refuse:
                raise SMTPRecipientsRefused({message.to[0]: (550, b"no such mailbox")})
            message.message(policy=email.policy.SMTP).as_bytes()
            FlakyBackend.delivered.append(message.to[0])
        return len(email_messages)


@pytest.fixture
def flaky(settings):
    FlakyBackend.delivered, FlakyBackend.calls, FlakyBackend.drop_at, FlakyBackend.refuse = [], 0, 0, set()
    settings.MAILERS = {"default": {"BACKEND": "freshground.notifications.tests.test_mail.FlakyBackend"}}
    return FlakyBackend


def test_a_batch_that_fails_midway_marks_only_what_went_out_and_the_rest_is_retried_once(flaky):
    people = [_digest_people() for _ in range(6)]
    for someone in people:
        tell(someone, actor=person(), summary=f"for {someone.display_name}")
    # The second mail of the first batch loses the connection: the third is not even tried. The next batch goes out
    # again, where a refused address fails alone.
    flaky.drop_at = 2
    flaky.refuse = {people[4].email}
    stats = mail.run_digest(Channel.DAILY, batch=3)
    assert (stats.people, stats.sent, stats.failed) == (6, 3, 3)
    assert flaky.delivered == [people[0].email, people[3].email, people[5].email]
    deliveries = {d.recipient_id: d for d in Delivery.objects.all()}
    assert len(deliveries) == 6
    assert [deliveries[p.pk].sent_at is not None for p in people] == [True, False, False, True, False, True]
    assert [deliveries[p.pk].attempts for p in people] == [1, 1, 0, 1, 1, 1]
    assert "SMTPServerDisconnected" in deliveries[people[1].pk].last_error
    assert "not tried" in deliveries[people[2].pk].last_error
    assert "SMTPRecipientsRefused" in deliveries[people[4].pk].last_error
    assert all(d.next_attempt_at > timezone.now() for d in deliveries.values() if d.sent_at is None)
    # Their notifications belong to their (unsent) deliveries: no later digest takes them, none is lost.
    assert not Notification.objects.filter(delivery__isnull=True, channel=Channel.DAILY).exists()
    assert mail.run_digest(Channel.DAILY).people == 0
    # After the back-off the retry job sends each failed one once; nothing that went out goes out again.
    flaky.refuse = set()
    later = timezone.now() + mail.backoff(1) + timedelta(seconds=1)
    assert mail.retry_due(later) == 3
    assert mail.retry_due(later + timedelta(days=1)) == 0
    assert sorted(flaky.delivered) == sorted(p.email for p in people)


def test_digest_mail_bytes_read_back_as_the_message(settings):
    recipient = _digest_people()
    recipient.display_name = "Zoë <b>&</b>"
    recipient.save()
    place = circle(name="Café Circle")
    tell(recipient, actor=person(), space=place, summary="Ünïcode & <markup> with a very long line " + "x" * 90)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.run_digest(Channel.DAILY)
    (message,) = outbox.outbox
    for policy in (email.policy.SMTP, email.policy.default):
        raw = message.message(policy=policy).as_bytes()
        assert raw.isascii()
        assert all(len(line) <= 998 for line in raw.split(policy.linesep.encode()))
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert parsed["To"] == recipient.email
        assert parsed["Subject"] == message.subject
        assert parsed["List-Unsubscribe"] == message.extra_headers["List-Unsubscribe"]
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert parsed.get_content_type() == "multipart/alternative"
        text, html = (part.get_content() for part in parsed.iter_parts())
        assert text.replace("\r\n", "\n") == message.body
        assert html.replace("\r\n", "\n") == message.alternatives[0][0]
    assert "Zoë <b>&</b>" in message.body
    assert "Zoë &lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "Ünïcode &amp; &lt;markup&gt;" in html
    assert "Café Circle" in html


def test_compiled_digest_is_what_django_renders(settings):
    recipient = _digest_people()
    recipient.display_name = 'Dee "D" <&>'
    recipient.save()
    dock = circle(name="Dock & Mill")
    tell(recipient, actor=person(), space=dock, thread=dock, summary="in <dock>")
    tell(recipient, actor=person(), kind=Kind.MENTION, summary="site 'wide'")
    items = list(Notification.objects.select_related("space_circle", "space_center"))
    message = mail.digest_message(recipient, Channel.DAILY, items)
    groups, left_out = digest_groups.group_digest(items)

    def render(ext, **context):
        return get_template(f"notifications/email/{ext}").render(context)

    for ext in ("txt", "html"):
        body = "".join(
            render(
                f"digest_group.{ext}",
                title=group.title,
                url=group.url,
                threads=mark_safe(  # noqa: S308 - rendered above
                    "".join(
                        render(
                            f"digest_thread.{ext}",
                            title=thread.title,
                            lines=mark_safe(  # noqa: S308
                                "".join(
                                    render(f"digest_line.{ext}", summary=line.summary, url=line.url)
                                    for line in thread.lines
                                )
                            ),
                        )
                        for thread in group.threads
                    )
                ),
            )
            for group in groups
        )
        expected = render(
            f"digest.{ext}",
            person=recipient,
            body=mark_safe(body),  # noqa: S308
            weekly=False,
            left_out=left_out,
            site_name=settings.FRESHGROUND["SITE_NAME"],
            settings_url=links.site_url(reverse("notifications:settings")),
            inbox_url=links.site_url(reverse("notifications:index")),
            unsubscribe_url=links.unsubscribe_url(recipient.pk, "daily"),
            unsubscribe_label=links.topic_label("daily"),
            kind_links=[(Kind(k).label, links.unsubscribe_url(recipient.pk, k)) for k in ("mention", "reply")],
        )
        assert expected == (message.body if ext == "txt" else message.alternatives[0][0])


def test_unsubscribe_tokens_are_what_the_signer_makes():
    assert links.unsubscribe_token(42, "daily") == signing.Signer(salt=links._SALT).sign("42.daily")
    assert links.read_unsubscribe_token(links.unsubscribe_token(42, "reply")) == (42, "reply")
