"""What the demo shows a first visitor, section by section: the acceptance lists of the issues, checked on the real
demo data through the pages people open."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from freshground.core.content import ContentStatus
from freshground.core.demo_network import DEMO_DOMAIN
from freshground.core.tests.test_commands import run_demo
from freshground.debate.models import Comment, Debate, DebateStatus
from freshground.events.models import Event
from freshground.moderation.models import Flag
from freshground.network.models import Membership
from freshground.notifications.models import Notification
from freshground.people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_has_debate_comments_moderation_and_notifications():
    run_demo()
    active = Debate.objects.get(state=DebateStatus.OPEN, status=ContentStatus.PUBLISHED)
    assert active.positions.count() >= 2
    arguers = {argument.author_id for argument in active.arguments.all()}
    circles_of_arguers = set(Membership.objects.filter(person_id__in=arguers).values_list("circle_id", flat=True))
    assert len(circles_of_arguers) >= 3, "arguments come from people in different circles"
    assert active.invitations.exclude(statement="").exists()
    closed = Debate.objects.get(state=DebateStatus.CLOSED)
    assert closed.summaries.exists()

    event_threads = Comment.objects.filter(thread_type__model="event").values_list("thread_id", flat=True)
    assert Event.objects.filter(pk__in=event_threads).count() >= 2
    assert Comment.objects.filter(thread_type__model="event", parent__isnull=False).exists()

    assert Flag.objects.filter(resolution="open").count() >= 1

    member = Person.objects.get(email=f"member@{DEMO_DOMAIN}")
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).exists()

    visitor = Client()
    page = visitor.get(reverse("debate:index")).content.decode()
    assert active.question in page
    assert closed.question in page
    assert "Summary" in visitor.get(closed.get_absolute_url()).content.decode()
    admin = Person.objects.get(email=f"admin@{DEMO_DOMAIN}")
    visitor.force_login(admin)
    queue = visitor.get(reverse("moderation:site_queue"))
    assert queue.status_code == 200
    assert "flag" in queue.content.decode().lower()


def test_demo_has_reports_and_an_open_inquiry():
    from freshground.inquiries.models import Inquiry, InquiryStatus
    from freshground.reports.demo import DEMO_PASSPHRASE
    from freshground.reports.models import Report, ReportStatus
    from freshground.reports.passphrase import open_report

    run_demo()
    published = Report.objects.filter(status=ReportStatus.PUBLISHED)
    assert published.filter(is_win=True).exists()
    assert published.values("sector").distinct().count() >= 3
    assert published.values("region").distinct().count() >= 3
    pending = open_report(DEMO_PASSPHRASE)
    assert pending is not None
    assert pending.status != ReportStatus.PUBLISHED
    assert pending.messages.filter(from_reporter=False).exists()

    visitor = Client()
    inbox = visitor.post(reverse("reports:inbox"), {"passphrase": DEMO_PASSPHRASE}).content.decode()
    assert pending.messages.get(from_reporter=False).body[:40] in inbox
    assert visitor.get(reverse("reports:overview")).status_code == 200

    inquiry = Inquiry.objects.get(status=InquiryStatus.PUBLISHED)
    results = visitor.get(reverse("inquiries:results", args=[inquiry.slug]))
    assert results.status_code == 200
    assert "<svg" in results.content.decode()
